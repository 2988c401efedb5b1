package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTableTest {

  private static TreeMap<String, String> params(String... kv) {
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Double> metrics(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  /** Four rows in scrambled order: missing params and metrics, NaN, quoting, a tiny number. */
  static MetricsTable sample() {
    List<MetricsRow> rows = new ArrayList<>(List.of(
        new MetricsRow("base", 1, "m1", 0, params("trainer.lr", "0.01", "world.note", "a,b"),
            metrics("trait.toxic", 0.25, "trait.polite", 0.5, "knowledge.accuracy", Double.NaN, "reward.gold", -0.1)),
        new MetricsRow("base", 0, "m0b", 1, params("trainer.lr", "0.1", "world.note", "say \"hi\""),
            metrics("trait.toxic", 1e-7)),
        new MetricsRow("alt", 0, "", 0, params("trainer.lr", "0.01"), metrics("gaussian.mean", 0.5)),
        new MetricsRow("base", 0, "m0", 0, params("trainer.lr", "0.01", "world.note", "a,b"),
            metrics("labels.human", 12, "reward.gold", 0.3, "trait.toxic", 0.125, "trait.polite", 1))));
    return MetricsTable.of(rows);
  }

  static final String CSV = """
      lineage,generation,model,replicate,param.trainer.lr,param.world.note,trait.toxic,trait.polite,knowledge.accuracy,\
      reward.gold,labels.human,gaussian.mean
      alt,0,,0,0.01,,,,,,,0.5
      base,0,m0,0,0.01,"a,b",0.125,1,,0.3,12,
      base,0,m0b,1,0.1,"say ""hi""\",1e-7,,,,,
      base,1,m1,0,0.01,"a,b",0.25,0.5,NaN,-0.1,,
      """;

  static final String JSONL = """
      {"lineage":"alt","generation":0,"model":"","replicate":0,"param.trainer.lr":0.01,"param.world.note":null,\
      "trait.toxic":null,"trait.polite":null,"knowledge.accuracy":null,"reward.gold":null,"labels.human":null,\
      "gaussian.mean":0.5}
      {"lineage":"base","generation":0,"model":"m0","replicate":0,"param.trainer.lr":0.01,"param.world.note":"a,b",\
      "trait.toxic":0.125,"trait.polite":1,"knowledge.accuracy":null,"reward.gold":0.3,"labels.human":12,\
      "gaussian.mean":null}
      {"lineage":"base","generation":0,"model":"m0b","replicate":1,"param.trainer.lr":0.1,\
      "param.world.note":"say \\"hi\\"","trait.toxic":1e-7,"trait.polite":null,"knowledge.accuracy":null,\
      "reward.gold":null,"labels.human":null,"gaussian.mean":null}
      {"lineage":"base","generation":1,"model":"m1","replicate":0,"param.trainer.lr":0.01,"param.world.note":"a,b",\
      "trait.toxic":0.25,"trait.polite":0.5,"knowledge.accuracy":null,"reward.gold":-0.1,"labels.human":null,\
      "gaussian.mean":null}
      """;

  @Test
  void csvHasTheseExactBytes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(MetricsCsv.FILE_NAME);
    MetricsCsv.write(sample(), file);
    assertEquals(CSV, Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void jsonlHasTheseExactBytes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(MetricsJsonl.FILE_NAME);
    MetricsJsonl.write(sample(), file);
    assertEquals(JSONL, Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void csvReadsBackIntoAnEqualTable(@TempDir Path dir) throws IOException {
    MetricsTable t = sample();
    Path file = dir.resolve(MetricsCsv.FILE_NAME);
    MetricsCsv.write(t, file);
    MetricsTable back = MetricsCsv.read(file);
    assertEquals(t, back);
    assertEquals(t.columns(), back.columns());
    assertTrue(Double.isNaN(back.rows().get(3).metrics().get("knowledge.accuracy")));
    assertEquals(CSV, MetricsCsv.format(back));
    assertEquals(t, MetricsCsv.parse(CSV.replace("\n", "\r\n"), "crlf.csv"));
  }

  @Test
  void declaredColumnsStayEmptyAndReadBack(@TempDir Path dir) throws IOException {
    MetricsTable t = MetricsTable.of(sample().rows(), List.of("dpo.accuracy", "ancestry.human:human-0"));
    assertTrue(t.metricNames().containsAll(List.of("dpo.accuracy", "ancestry.human:human-0")), t.toString());
    assertEquals(sample().metricNames().size() + 2, t.metricNames().size());
    assertTrue(t.metricNames().indexOf("dpo.accuracy") < t.metricNames().indexOf("ancestry.human:human-0"),
        "MetricNames order, not declaration order");
    Path file = dir.resolve(MetricsCsv.FILE_NAME);
    MetricsCsv.write(t, file);
    MetricsTable back = MetricsCsv.read(file);
    assertEquals(t.columns(), back.columns(), "a column without a value so far is kept on reading");
    assertEquals(t, back);
  }

  @Test
  void rowOrderDoesNotDependOnArrivalOrder() {
    List<MetricsRow> rows = new ArrayList<>(sample().rows());
    Collections.reverse(rows);
    assertEquals(CSV, MetricsCsv.format(MetricsTable.of(rows)));
  }

  @Test
  void sweepValuesSortAsNumbers() {
    List<MetricsRow> rows = new ArrayList<>();
    for (String lr : List.of("10", "9", "0.5", "abc", "1e-3")) {
      rows.add(new MetricsRow("l", 0, "m", 0, params("lr", lr), metrics("reward.gold", 1)));
    }
    assertEquals(List.of("1e-3", "0.5", "9", "10", "abc"),
        MetricsTable.of(rows).rows().stream().map(r -> r.params().get("lr")).toList());
  }

  @Test
  void quotesFieldsThatNeedItAndReadsLineBreaksInsideQuotes() {
    MetricsTable t = MetricsTable.of(List.of(
        new MetricsRow("line\nbreak", 0, "m", 0, params("p", "x,\"y\""), metrics("reward.gold", 1))));
    String text = MetricsCsv.format(t);
    assertEquals("lineage,generation,model,replicate,param.p,reward.gold\n\"line\nbreak\",0,m,0,\"x,\"\"y\"\"\",1\n",
        text);
    assertEquals(t, MetricsCsv.parse(text, "t.csv"));
    assertEquals("{\"lineage\":\"line\\nbreak\",\"generation\":0,\"model\":\"m\",\"replicate\":0,"
        + "\"param.p\":\"x,\\\"y\\\"\",\"reward.gold\":1}\n", MetricsJsonl.format(t));
  }

  @Test
  void rejectsTwoRowsWithOneKey() {
    MetricsRow a = new MetricsRow("l", 2, "m1", 0, params("lr", "0.1"), metrics("reward.gold", 1));
    MetricsRow b = new MetricsRow("l", 2, "m2", 0, params("lr", "0.1"), metrics("reward.gold", 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsTable.of(List.of(a, b)));
    assertTrue(e.getMessage().contains("m1") && e.getMessage().contains("m2"), e.getMessage());
  }

  @Test
  void rejectsMalformedFiles() {
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.parse("", "empty.csv"));
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.parse("lineage,model\n", "h.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gld\n", "typo.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gold,reward.gold\n", "twice.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gold\nl,0,m,0\n", "short.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gold\nl,x,m,0,1\n", "int.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gold\nl,0,m,0,one\n", "num.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate,reward.gold\n\"l,0,m,0,1\n", "quote.csv"));
  }

  @Test
  void mergesCountersAndAncestryIntoARow() {
    MetricsRow r = MetricsRow.of("l", 3, "m", 0, metrics("trait.toxic", 0.5, "reward.gold", 1))
        .withMetrics(new LabelCounters(10, 20, 5.0, 0.5).metrics())
        .withMetrics(MetricNames.ancestry(Map.of("world", 0.6, "critic", 0.4)));
    assertEquals(List.of("trait.toxic", "reward.gold", "labels.human", "labels.ai", "cost.human_usd",
        "time.human_hours", "ancestry.critic", "ancestry.world"), List.copyOf(r.metrics().keySet()));
  }
}
