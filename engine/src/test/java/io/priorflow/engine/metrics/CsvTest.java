package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CSV dialect of metrics.csv and summary.csv (RFC 4180, by Commons CSV): exact text for each kind of field, the
 * parse of that text, and malformed input named. A sweep value with a comma or a quote must survive the trip, and
 * every field a run writes must come out as the hand-written writer this replaced wrote it (quoted iff it holds a
 * comma, a quote, CR or LF), so files stay byte-identical.
 */
class CsvTest {

  static String record(String... fields) {
    return Csv.record(List.of(fields));
  }

  /** The rule of the writer Commons CSV replaced, and of RFC 4180: quote iff the field must be. */
  static String minimal(String field) {
    boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
        || field.indexOf('\r') >= 0;
    return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
  }

  @Test
  void fieldsAreQuotedOnlyWhenTheyMustBe() {
    assertEquals("a,1.5,\n", record("a", "1.5", ""));
    assertEquals("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\n", record("a,b", "say \"hi\"", "two\nlines",
        "cr\r"));
    assertEquals("x\n", record("x"));
    assertEquals("\n", record());
    // a quote, comma or line end in the first or last position
    assertEquals("\",x\",\"x,\",\"\"\"\"\n", record(",x", "x,", "\""));
    // what a run writes: names, model ids, numbers (NaN, negative, exponent), index paths, sweep values
    assertEquals("humans,3,9f86d081884c7d65,-0.25,NaN,1.0E-7,param.lineages[0].stages[1].n,a b\n",
        record("humans", "3", "9f86d081884c7d65", "-0.25", "NaN", "1.0E-7", "param.lineages[0].stages[1].n", "a b"));
  }

  @Test
  void commonsCsvQuotesAFewMoreFieldsThanNeeded() {
    // Commons CSV's MINIMAL mode also quotes a field starting with a character up to '#', one ending in a space,
    // and an empty first field; valid RFC 4180 that reads back the same, and nothing a run writes (a lineage, a
    // run or a metric name comes first and is never empty; names are [A-Za-z0-9_.-])
    assertEquals("\"#x\",\" x\",\"x \",\"!\"\n", record("#x", " x", "x ", "!"));
    assertEquals("\"\",a\n", record("", "a"));
    assertEquals(List.of(List.of("#x", " x", "x ", "!"), List.of("", "a")),
        Csv.parse(record("#x", " x", "x ", "!") + record("", "a"), "t"));
  }

  @Test
  void everyFieldARunWritesComesOutAsTheMinimalRuleSays() {
    // random fields over the characters of names, numbers and sweep values, plus the ones that force quotes
    String alphabet = "abcXYZ019._-[]=:/+ ,\"\n\r";
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 5_000; trial++) {
      List<String> fields = new ArrayList<>();
      StringBuilder expected = new StringBuilder();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        StringBuilder f = new StringBuilder(i == 0 ? "l" : ""); // a record starts with a name
        int len = random.nextInt(8);
        for (int k = 0; k < len; k++) {
          f.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String field = f.toString();
        if (!field.isEmpty() && (field.charAt(0) <= '#' || field.charAt(field.length() - 1) == ' ')) {
          field = "v" + field.strip() + "v"; // the cases commonsCsvQuotesAFewMoreFieldsThanNeeded pins
        }
        fields.add(field);
        expected.append(i > 0 ? "," : "").append(minimal(field));
      }
      String text = Csv.record(fields);
      assertEquals(expected + "\n", text, "fields " + fields);
      assertEquals(List.of(fields), Csv.parse(text, "t"), "round trip of " + fields);
    }
  }

  @Test
  void whatIsWrittenParsesBack() {
    List<String> fields = List.of("plain", "a,b", "say \"hi\"", "two\nlines", "", "cr\r\nlf", "\"");
    String text = record(fields.toArray(String[]::new)) + record("second", "row");
    assertEquals(List.of(fields, List.of("second", "row")), Csv.parse(text, "t.csv"));
  }

  @Test
  void lineEndsAndTheLastRecord() {
    assertEquals(List.of(List.of("a", "b"), List.of("c", "")), Csv.parse("a,b\r\nc,\n", "t"));
    assertEquals(List.of(List.of("a", "b"), List.of("c")), Csv.parse("a,b\nc", "t"), "no final line end");
    assertEquals(List.of(List.of("a"), List.of("b")), Csv.parse("a\rb\r", "t"), "old Mac line ends");
    assertEquals(List.of(), Csv.parse("", "t"));
    assertEquals(List.of(List.of("", "")), Csv.parse(",", "t"));
    assertEquals(List.of(List.of("q")), Csv.parse("\"q\"", "t"), "a quoted field at the very end");
    assertEquals(List.of(List.of("a\"b")), Csv.parse("\"a\"\"b\"\r\n", "t"));
    // a quote inside an unquoted field is text
    assertEquals(List.of(List.of("a\"b")), Csv.parse("a\"b\n", "t"));
  }

  @Test
  void malformedTextNamesTheSourceAndLine() {
    String open = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\n\"open\nstill", "m.csv"))
        .getMessage();
    assertTrue(open.startsWith("m.csv: not CSV: ") && open.contains("EOF"), open);
    String after = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\nb\n\"q\"x", "m.csv"))
        .getMessage();
    assertTrue(after.startsWith("m.csv: not CSV: ") && after.contains("line: 3"), after);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"", "m.csv")).getMessage()
        .startsWith("m.csv: not CSV: "));
  }
}
