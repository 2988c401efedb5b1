package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricsTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir
  Path tmp;

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  private String writeReport(Path dir) throws IOException {
    ReportWriter.Result r = ReportWriter.write(dir);
    assertEquals(dir.resolve("report.html"), r.file());
    assertTrue(Files.isRegularFile(r.file()));
    return Files.readString(r.file(), StandardCharsets.UTF_8);
  }

  @Test
  void writesOneChartPerMetricPlusAncestryAndTheGraph() throws IOException {
    Path dir = tmp.resolve("run");
    MetricsTable table = SyntheticRun.write(dir);
    String html = writeReport(dir);
    List<String> names = table.metricNames();
    assertTrue(names.size() >= 9, names.toString());
    // ancestry.* are drawn as the stacked ancestry charts, not as lines
    List<String> lines = names.stream().filter(m -> !m.startsWith("ancestry.")).toList();
    assertEquals(List.of("trait.polite", "trait.toxic", "knowledge.accuracy", "loss.world", "labels.human",
        "cost.human_usd"), lines);
    for (String m : lines) {
      assertTrue(html.contains("<figure class=\"chart\" data-metric=\"" + Html.esc(m) + "\">"), m);
    }
    // the four outcomes against the human dollars spent, in the costs section after the two costs' own charts
    int costs = html.indexOf("<section id=\"costs\">");
    assertTrue(costs > html.indexOf("data-metric=\"loss.world\">") && costs < html.indexOf(
        "data-metric=\"labels.human\">"), "bookkeeping metrics in their own section");
    assertEquals(4, count(html, "data-cost=\"cost.human_usd\""));
    // metric charts + matched-cost charts + one ancestry chart per lineage (the lineage graph is a canvas)
    int svgs = lines.size() + 4 + SyntheticRun.LINEAGES.size();
    assertEquals(svgs, count(html, "<svg"));
    assertEquals(svgs, ReportWriter.svgCount(html));
    assertTrue(html.contains("<div id=\"pf-lineage\" class=\"graph cy\"></div>"));
    assertTrue(html.contains("<meta name=\"priorflow-graph-nodes\" content=\"48\">"),
        "2 lineages x 3 replicates x 4 generations x (model + dataset) shown when the page opens; actors hidden");
    assertTrue(java.awt.GraphicsEnvironment.isHeadless(), "the writer sets java.awt.headless before AWT loads");
    // every chart's clip paths have ids of their own chart
    assertTrue(html.contains("clip-path='url(#chart-0-clip-"), "chart ids are prefixed by the chart's id");
    assertFalse(html.contains("url(#_"), "no JFreeSVG default (time-based) ids");
  }

  @Test
  void isSelfContained() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    String html = writeReport(dir);
    // The inline scripts are the lineage graph's libraries and view (lib/, with license comments naming their home
    // pages) and its data; none is loaded from elsewhere.
    List<String> scripts = LineageView.scripts();
    Matcher sm = Pattern.compile("(?s)<script( type=\"application/json\" id=\"pf-lineage-data\")?>(.*?)</script>")
        .matcher(html);
    int inline = 0;
    while (sm.find()) {
      String body = sm.group(2);
      assertTrue(sm.group(1) != null || scripts.contains(body.substring(1, body.length() - 1)), "a known script");
      inline++;
    }
    assertEquals(scripts.size() + 1, inline);
    assertEquals(inline, count(html, "<script"));
    String outsideScripts = sm.replaceAll("");
    // Namespace declarations name a URI but never load it; nothing else may refer outside the file.
    String withoutNamespaces = outsideScripts.replaceAll("xmlns(:[A-Za-z]+)?=(\"[^\"]*\"|'[^']*')", "");
    Matcher m = Pattern.compile("(?i)(https?:|ftp:|//[a-z0-9.-]+\\.[a-z]{2,}/)").matcher(withoutNamespaces);
    assertFalse(m.find(), () -> "external reference near: " + withoutNamespaces.substring(Math.max(0, m.start() - 80),
        Math.min(withoutNamespaces.length(), m.end() + 80)));
    assertFalse(html.contains("<link"), "no linked files");
    assertFalse(html.contains(" src="), "no loaded resources");
    assertFalse(html.contains("@import"), "no imported styles");
    assertTrue(html.startsWith("<!DOCTYPE html>\n"));
    assertTrue(html.endsWith("</html>\n"));
  }

  @Test
  void showsEveryLineageAndEscapesTheirNames() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    String html = writeReport(dir);
    assertTrue(html.contains("replace"));
    assertTrue(html.contains("a&lt;b&amp;c"), "the lineage named a<b&c, escaped");
    assertFalse(html.contains("a<b"), "no raw '<' from a file");
    assertFalse(html.contains("C&<x>"), "the critic's id is escaped too");
    assertTrue(html.contains("C&amp;&lt;x&gt;"));
    assertTrue(html.contains("Two lineages &amp; a &lt;test&gt; of escaping."), "the description, escaped");
    assertTrue(html.contains("<h1>tiny</h1>"));
    assertTrue(html.contains("<dt>seed</dt><dd>7</dd>"));
    assertTrue(html.contains("<dd>java on cpu</dd>"));
    assertTrue(html.contains("<summary>scenario.yaml"));
  }

  @Test
  void theSameRunGivesTheSameBytesWhereverItIs() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("elsewhere/b");
    SyntheticRun.write(a);
    SyntheticRun.write(b);
    byte[] first = Files.readAllBytes(ReportWriter.write(a).file());
    byte[] again = Files.readAllBytes(ReportWriter.write(a).file());
    byte[] moved = Files.readAllBytes(ReportWriter.write(b).file());
    assertArrayEquals(first, again);
    assertArrayEquals(first, moved);
  }

  @Test
  void replacesAnExistingReportAndLeavesNoTemporaryFile() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    Files.writeString(dir.resolve("report.html"), "old");
    String html = writeReport(dir);
    assertTrue(html.length() > 10_000);
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("events.jsonl", "lineage.json", "metrics.csv", "report.html", "scenario.yaml",
          "summary.csv"), names);
    }
  }

  @Test
  void tabulatesTheStagesWithTotalsAndUnknownFields() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    Files.writeString(dir.resolve("events.jsonl"), "not json\n", java.nio.file.StandardOpenOption.APPEND);
    String html = writeReport(dir);
    String stages = html.substring(html.indexOf("<section id=\"stages\">"), html.indexOf("<section id=\"all-metrics\">"));
    assertTrue(stages.contains("<th title=\"stage\">stage</th>"), stages);
    assertTrue(stages.contains("<th title=\"wallMillis\">wall s</th>"), stages);
    assertTrue(stages.contains("<th title=\"node.name\">node.name</th>"), "unknown nested field, flattened");
    assertTrue(stages.contains("replace/g3/train"));
    assertEquals(2 * 3 * 3, count(stages, "<tr>") - 2, "one row per line, plus head and totals");
    // totals: retries 1 per train stage = 6; human hours 0.25 per label stage = 1.5
    assertTrue(stages.contains("<tfoot><tr><td>total</td>"), stages);
    assertTrue(stages.contains("<td class=\"num\">6</td>"), stages);
    assertTrue(stages.contains("<td class=\"num\">1.5</td>"), stages);
    assertTrue(html.contains("events.jsonl: 1 line(s) are not JSON objects and were skipped (line 19)."), html);
  }

  @Test
  void optionalFilesMayBeMissing() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    Files.delete(dir.resolve("scenario.yaml"));
    Files.delete(dir.resolve("summary.csv"));
    Files.delete(dir.resolve("events.jsonl"));
    String html = writeReport(dir);
    assertTrue(html.contains("<h1>run</h1>"), "named after the directory");
    assertTrue(html.contains("scenario.yaml is absent"));
    assertTrue(html.contains("summary.csv is absent"));
    assertTrue(html.contains("No stages recorded"));
  }

  @Test
  void notesAScenarioChangedAfterTheRun() throws IOException {
    Path dir = tmp.resolve("run");
    SyntheticRun.write(dir);
    Files.writeString(dir.resolve("scenario.yaml"), SyntheticRun.SCENARIO.replace("seed: 7", "seed: 8"));
    String html = writeReport(dir);
    assertTrue(html.contains("the scenario file was changed after the run."), html);
    assertTrue(html.contains("scenario.yaml has seed 8 but lineage.json records seed 7."), html);
  }
}
