package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CSV dialect of metrics.csv and summary.csv (RFC 4180): exact text for each kind of field, the parse of that
 * text, and each malformed input named by its line. A sweep value with a comma or a quote must survive the trip.
 */
class CsvTest {

  static String record(String... fields) {
    StringBuilder b = new StringBuilder();
    Csv.appendRecord(b, List.of(fields));
    return b.toString();
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
    assertEquals(List.of(), Csv.parse("", "t"));
    assertEquals(List.of(List.of("")), Csv.parse("\n", "t"));
    assertEquals(List.of(List.of("", "")), Csv.parse(",", "t"));
    assertEquals(List.of(List.of("q")), Csv.parse("\"q\"", "t"), "a quoted field at the very end");
    assertEquals(List.of(List.of("a\"b")), Csv.parse("\"a\"\"b\"\r\n", "t"));
    // a quote inside an unquoted field is text
    assertEquals(List.of(List.of("a\"b")), Csv.parse("a\"b\n", "t"));
  }

  @Test
  void malformedTextNamesTheLine() {
    assertEquals("m.csv:2: a quoted field is never closed.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\n\"open\nstill", "m.csv")).getMessage());
    assertEquals("m.csv:3: text after the closing quote of a field.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\nb\n\"q\"x", "m.csv")).getMessage());
    assertEquals("m.csv:2: text after the closing quote of a field.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"two\nlines\"y", "m.csv")).getMessage());
    assertEquals("m.csv:2: a bare CR; lines must end with LF or CRLF.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\nb\rc", "m.csv")).getMessage());
    assertEquals("m.csv:1: a bare CR; lines must end with LF or CRLF.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\r", "m.csv")).getMessage());
    assertEquals("m.csv:1: a quoted field is never closed.",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"", "m.csv")).getMessage());
  }
}
