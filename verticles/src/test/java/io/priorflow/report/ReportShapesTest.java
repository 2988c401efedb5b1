package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of other shapes: an analytic world without models, a sweep, one replicate, undefined metrics. */
class ReportShapesTest {

  @TempDir
  Path tmp;

  private static final RunLineage RUN = new RunLineage("0".repeat(64), 3, List.of(), "reference", "cpu", "Test 21",
      "Linux amd64", "dev");

  private static Path write(Path dir, List<MetricsRow> rows, LineageGraph graph) throws IOException {
    Files.createDirectories(dir);
    MetricsCsv.write(MetricsTable.of(rows), dir.resolve("metrics.csv"));
    Files.write(dir.resolve("lineage.json"), graph.toJson());
    return dir;
  }

  /** The texts of an SVG's text elements, in order (axis ticks and labels). */
  private static List<String> ticks(String svg) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(">([-0-9.,]+)</text>").matcher(svg);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int count(String text, String needle) {
    return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
  }

  @Test
  void analyticSweepWithOneReplicateAndNoModels() throws IOException {
    List<MetricsRow> rows = new ArrayList<>();
    for (String n : List.of("10", "100")) {
      for (int g = 0; g < 5; g++) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("gaussian.mean", 0.01 * g);
        m.put("gaussian.variance", Math.pow(0.9, g) * Integer.parseInt(n) / 100);
        m.put("gaussian.w2", g == 0 ? Double.NaN : 0.1 * g);
        TreeMap<String, String> params = new TreeMap<>(Map.of("world.samples", n));
        rows.add(new MetricsRow("collapse", g, "", 0, params, m));
      }
    }
    Path dir = write(tmp.resolve("gauss"), rows, LineageGraph.builder(RUN).build());
    String html = Files.readString(ReportWriter.write(dir).file(), StandardCharsets.UTF_8);
    assertEquals(9, count(html, "<svg"), "three metrics faceted into a panel per sweep point, three against the "
        + "swept parameter, no ancestry, no graph");
    assertEquals(9, ReportWriter.svgCount(html));
    assertEquals(3, count(html, "<figure class=\"chart facets\""));
    assertEquals(3, count(html, "<div class=\"facet-title\">world.samples=100</div>"));
    assertEquals(3, count(html, "data-param=\"world.samples\""), "each metric against world.samples");
    assertTrue(html.contains("collapse (world.samples=10)"), "one series per sweep point in the summary");
    assertTrue(html.contains("collapse (world.samples=100)"));
    assertTrue(html.contains("<h3>world.samples=10</h3>") && html.contains("<h3>world.samples=100</h3>"),
        "a summary table per sweep point");
    // the panels of a metric share its y axis: the variance's two panels have the same tick labels
    int at = html.indexOf("data-metric=\"gaussian.variance\"");
    String fig = html.substring(at, html.indexOf("</figure>", at));
    String[] panels = fig.split("<div class=\"facet-title\">");
    assertEquals(3, panels.length);
    assertEquals(ticks(panels[1]), ticks(panels[2]));
    assertTrue(html.contains("The lineage graph has no nodes"));
    assertTrue(html.contains("No ancestry recorded"));
    assertTrue(html.contains("<td class=\"num\">NaN</td>"), "an undefined metric is shown as NaN");
    assertFalse(html.contains("Band: 95% CI"), "one replicate: no bands");
    assertTrue(html.contains("summary.csv is absent"));
  }

  @Test
  void ancestryComesFromTheGraphWhenMetricsHaveNone() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    // Drop the ancestry.* columns from metrics.csv: the stacked charts then use lineage.json's model ancestry.
    MetricsTable t = MetricsCsv.read(dir.resolve("metrics.csv"));
    List<MetricsRow> rows = new ArrayList<>();
    for (MetricsRow r : t.rows()) {
      Map<String, Double> m = new LinkedHashMap<>(r.metrics());
      m.keySet().removeIf(k -> k.startsWith("ancestry."));
      rows.add(new MetricsRow(r.lineage(), r.generation(), r.model(), r.replicate(), r.params(), m));
    }
    MetricsCsv.write(MetricsTable.of(rows), dir.resolve("metrics.csv"));
    String html = Files.readString(ReportWriter.write(dir).file(), StandardCharsets.UTF_8);
    assertEquals(SyntheticRun.LINEAGES.size(), count(html, "<figure class=\"chart ancestry\""));
    assertTrue(html.contains("critic:C&amp;&lt;x&gt;"));
  }

  @Test
  void aLargeGraphShowsTheFirstReplicateOnly() throws IOException {
    Path dir = tmp.resolve("run");
    MetricsTable table = SyntheticRun.write(dir);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(dir.resolve("lineage.json")));
    RunSeries series = new RunSeries(table, SummaryTable.of(table));
    List<LineageView.RunGraph> graphs = List.of(new LineageView.RunGraph("", g));
    List<LineageView.Shown> shown = new ArrayList<>();
    JsonNode whole = new ObjectMapper().readTree(LineageView.data(graphs, series.places(), series.lineageColors(),
        shown)).get("runs").get(0);
    // 2 lineages x 3 replicates x 4 generations x (dataset + model) + 4 actors
    assertEquals(2 * 3 * 4 * 2 + 4, g.nodes().size());
    assertEquals(g.nodes().size(), whole.get("nodes").size());
    assertEquals(new LineageView.Shown(g.nodes().size(), g.nodes().size()), shown.get(0));
    assertEquals(4, whole.get("groups").size(), "one box per generation");
    java.util.Set<String> ids = new java.util.HashSet<>();
    whole.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
    whole.get("edges").forEach(e -> assertTrue(ids.contains(e.get("source").asText())
        && ids.contains(e.get("target").asText()), e.toString()));
    whole.get("nodes").forEach(n -> assertEquals(!n.get("kind").asText().equals("actor"), n.has("parent"),
        n.toString()));
    shown.clear();
    JsonNode first = new ObjectMapper().readTree(LineageView.data(graphs, series.places(), series.lineageColors(),
        shown, 20)).get("runs").get(0);
    assertEquals(2 * 4 * 2 + 4, first.get("nodes").size(), "replicate 0 of each lineage, and every actor");
    assertEquals(new LineageView.Shown(2 * 4 * 2 + 4, g.nodes().size()), shown.get(0));
    assertFalse(first.toString().contains("/r1/"), "no dataset of replicate 1");
  }

  @Test
  void theGraphDataCannotCloseItsScriptElement() {
    LineageGraph g = LineageGraph.builder(RUN).addActor("</script><b>", "critic", Map.of()).build();
    String json = LineageView.data(List.of(new LineageView.RunGraph("", g)), Map.of(), Map.of(), new ArrayList<>());
    assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
    assertTrue(json.contains("\\u003c/script\\u003e\\u003cb\\u003e"), json);
  }

  @Test
  void constantMetricsAreNamedNotDrawnAndBandsStayInTheirDomain() throws IOException {
    List<MetricsRow> rows = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      for (int g = 0; g < 4; g++) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("trait.toxic", r == 0 ? 0.0 : 0.02 * g); // a proportion near 0 with two replicates
        m.put("kl.base", r == 0 ? 0.1 * g : 3.0 * g); // ≥ 0: the t band would reach far below 0
        m.put("params.full", 71045.0);
        rows.add(new MetricsRow("l", g, "", r, new TreeMap<>(), m));
      }
    }
    Path dir = write(tmp.resolve("const"), rows, LineageGraph.builder(RUN).build());
    String html = Files.readString(ReportWriter.write(dir).file(), StandardCharsets.UTF_8);
    assertTrue(html.contains("<code title=\"Parameters of the whole model: what full fine-tuning updates.\">"
        + "params.full</code> constant at 71,045</li>") || html.contains("params.full</code> constant at 71045</li>"),
        html.substring(html.indexOf("<section id=\"costs\">")));
    assertFalse(html.contains("data-metric=\"params.full\">"), "no chart of a constant");
    for (String metric : List.of("trait.toxic", "kl.base")) {
      int at = html.indexOf("<figure class=\"chart\" data-metric=\"" + metric + "\">");
      String svg = html.substring(at, html.indexOf("</figure>", at));
      assertFalse(svg.matches("(?s).*>-[0-9.]+</text>.*"), metric + ": no negative tick on the y axis");
    }
    assertTrue(html.contains("percentile bootstrap interval over 2 replicates"));
    assertTrue(html.contains("Student t, clipped to the domain interval over 2 replicates"));
  }
}
