package io.priorflow.report;

import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.EdgeKind;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.Attribution;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.SummaryStats;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The HTML of report.html: one page, no external resources, every text from a file escaped. Sections in reading
 * order: what ran, notes on the inputs, the summary (first and last generation), one chart per metric, ancestry
 * (stacked shares per lineage, the lineage graph, a table per model), the stages, the full metrics table. Tables
 * are built here; charts by {@link Charts}, the graph by {@link LineageSvg}.
 */
final class ReportPage {

  /** Rows of the full metrics table shown; a longer table is for a spreadsheet, not a page. */
  static final int FULL_TABLE_ROWS = 5000;

  private final RunDirectory run;
  private final RunSeries series;
  private final Map<String, Color> sourceColors;
  private final StringBuilder out = new StringBuilder(1 << 16);
  private int svgCount;

  private ReportPage(RunDirectory run) {
    this.run = run;
    this.series = new RunSeries(run.metrics(), run.summary());
    this.sourceColors = Palette.sources(RunSeries.sources(run.metrics(), run.lineage()));
  }

  /** The page's text. */
  static String render(RunDirectory run) {
    return new ReportPage(run).build();
  }

  private String build() {
    header();
    notes();
    guide();
    summary();
    charts();
    sweeps();
    attribution();
    ancestry();
    stages();
    fullTable();
    out.append("<footer>Written by <code>priorflow report</code> from the files of this run directory. "
        + "Rebuild with <code>./priorflow report RUN_DIR</code>.</footer>\n</main>\n</body>\n</html>\n");
    // The head carries the SVG count (for bin/check-report), known only now, so it goes in front last.
    StringBuilder page = new StringBuilder(out.length() + ReportStyle.CSS.length() + 512);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"priorflow report\">\n")
        .append("<meta name=\"priorflow-svg-count\" content=\"").append(svgCount).append("\">\n")
        .append("<title>").append(Html.esc(run.scenario().name())).append(" — priorflow report</title>\n")
        .append("<style>\n").append(ReportStyle.CSS).append("</style>\n</head>\n<body>\n<main>\n");
    return page.append(out).toString();
  }

  private void header() {
    RunLineage r = run.lineage().run();
    out.append("<header>\n<h1>").append(Html.esc(run.scenario().name())).append("</h1>\n");
    if (!run.scenario().description().isBlank()) {
      out.append("<p class=\"description\">").append(Html.esc(run.scenario().description())).append("</p>\n");
    }
    out.append("<dl class=\"facts\">\n");
    fact("seed", Long.toString(r.seed()));
    fact("backend", r.backend() + " on " + r.device());
    fact("lineages", series.series().size() + " (" + String.join(", ", series.series().stream()
        .map(RunSeries.Series::name).toList()) + ")");
    fact("replicates", Integer.toString(series.replicates()));
    if (run.batch() != null) {
      fact("runs", run.batch().runs() + " (" + run.batch().done() + " done; runs.csv lists them, runs/ holds each run's "
          + "own files)");
      if (!sweptPaths().isEmpty()) {
        fact("swept", String.join(", ", sweptPaths()));
      }
      if (counterfactual()) {
        fact("counterfactuals", String.join(", ", run.scenario().counterfactuals().keySet()) + " (beside the factual "
            + "run; see what caused what)");
      }
    }
    long models = run.lineage().nodes().stream().filter(n -> n instanceof ModelNode).count();
    long datasets = run.lineage().nodes().stream().filter(n -> n instanceof DatasetNode).count();
    long actors = run.lineage().nodes().stream().filter(n -> n instanceof ActorNode).count();
    fact("lineage graph", models + " models, " + datasets + " datasets, " + actors + " actors");
    fact("label share λ", Html.num(run.lineage().labelShare()));
    fact("Java", r.javaVersion());
    fact("OS", r.os());
    fact("priorflow", r.projectVersion());
    fact("invocation", r.invocation().isEmpty() ? "(none recorded)" : String.join(" ", r.invocation()));
    fact("scenario SHA-256", r.scenarioSha256());
    out.append("</dl>\n");
    if (run.scenario().text() != null) {
      out.append("<details><summary>scenario.yaml (the resolved scenario: every default filled in)</summary>\n<pre>")
          .append(Html.esc(run.scenario().text())).append("</pre></details>\n");
    }
    out.append("<nav>Sections: <a href=\"#summary\">summary</a> · <a href=\"#metrics\">metrics over generations</a>"
        + (sweptPaths().isEmpty() ? "" : " · <a href=\"#sweep\">metrics against swept parameters</a>")
        + (counterfactual() ? " · <a href=\"#attribution\">what caused what</a>" : "")
        + " · <a href=\"#ancestry\">ancestry and lineage graph</a> · <a href=\"#stages\">stages</a> · "
        + "<a href=\"#all-metrics\">all metrics</a></nav>\n</header>\n");
  }

  private void fact(String name, String value) {
    out.append("<dt>").append(Html.esc(name)).append("</dt><dd>").append(Html.esc(value)).append("</dd>\n");
  }

  private void notes() {
    if (run.notes().isEmpty()) {
      return;
    }
    out.append("<section class=\"notes\"><h2>Notes on the input files</h2><ul>\n");
    run.notes().forEach(n -> out.append("<li>").append(Html.esc(n)).append("</li>\n"));
    out.append("</ul></section>\n");
  }

  private void guide() {
    out.append("<section class=\"guide\"><h2>How to read this report</h2><ul>\n"
        + "<li>A <b>lineage</b> is a chain of models: each generation's student becomes the next generation's "
        + "teacher. Generation 0 is the base model.</li>\n"
        + "<li>Each <b>metric</b> is measured on every generation's model. With several <b>replicates</b> (the "
        + "same lineage re-run with other random streams), tables and charts show the mean, and the charts a "
        + "shaded 95% confidence interval of that mean.</li>\n"
        + "<li><b>Ancestry</b> says where a model's training signal came from — the world corpus, human "
        + "labellers, AI critics… — traced back through every teacher. It shows which sources' priors a late "
        + "generation has inherited.</li>\n</ul></section>\n");
  }

  private void summary() {
    out.append("<section id=\"summary\"><h2>Summary: first and last generation</h2>\n<p>For each lineage, the "
        + "first and last generation measured, and the change between them. ");
    out.append(series.replicates() > 1 ? "Values are means over replicates; ± is the half-width of the 95% "
        + "confidence interval." : "One replicate per generation, so no intervals.");
    out.append(" Hover a metric's name for its meaning.</p>\n<div class=\"scroll\"><table class=\"summary\">\n"
        + "<thead><tr><th rowspan=\"2\">metric</th>");
    for (RunSeries.Series s : series.series()) {
      out.append("<th colspan=\"3\" class=\"series\"><span class=\"swatch\" style=\"background:")
          .append(Html.hex(s.color())).append("\"></span>").append(Html.esc(s.name())).append("</th>");
    }
    out.append("</tr>\n<tr>");
    for (RunSeries.Series s : series.series()) {
      out.append("<th>g").append(s.generations().firstKey()).append("</th><th>g")
          .append(s.generations().lastKey()).append("</th><th>change</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (String metric : run.metrics().metricNames()) {
      out.append("<tr><th class=\"metric\" title=\"").append(Html.esc(MetricDescriptions.of(metric))).append("\">")
          .append(Html.esc(metric)).append("</th>");
      for (RunSeries.Series s : series.series()) {
        SortedMap<Integer, SummaryStats> m = s.metric(metric);
        SummaryStats first = m.get(s.generations().firstKey());
        SummaryStats last = m.get(s.generations().lastKey());
        cell(first);
        cell(last);
        out.append("<td class=\"num change\">").append(first != null && last != null
            ? Html.signed(last.mean() - first.mean()) : "").append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div></section>\n");
  }

  private void cell(SummaryStats st) {
    out.append("<td class=\"num\">");
    if (st != null) {
      out.append(Html.num(st.mean()));
      double half = st.ciHigh() - st.mean();
      // Replicates that agree to rounding (a cumulative count, generation 0) show no interval.
      if (st.n() > 1 && Double.isFinite(half) && half > 1e-9 * Math.max(1, Math.abs(st.mean()))) {
        out.append(" <small>± ").append(Html.num(half)).append("</small>");
      }
    }
    out.append("</td>");
  }

  private void charts() {
    out.append("<section id=\"metrics\"><h2>Metrics over generations</h2>\n<p>One chart per metric, one line per "
        + "lineage").append(run.metrics().paramPaths().isEmpty() ? "" : " and sweep point")
        .append(series.replicates() > 1 ? " (the mean over replicates; the shaded band is its 95% confidence "
            + "interval)." : ".").append("</p>\n<div class=\"grid\">\n");
    int i = 0;
    for (String metric : run.metrics().metricNames()) {
      List<Charts.Line> lines = new ArrayList<>();
      int reps = 0;
      for (RunSeries.Series s : series.series()) {
        SortedMap<Integer, SummaryStats> points = s.metric(metric);
        if (!points.isEmpty()) {
          lines.add(new Charts.Line(s.name(), s.color(), points));
          reps = Math.max(reps, points.values().stream().mapToInt(SummaryStats::n).max().orElse(0));
        }
      }
      if (lines.isEmpty()) continue; // a column declared up front that no generation has filled yet
      String id = "chart-" + i++;
      out.append("<figure class=\"chart\" data-metric=\"").append(Html.esc(metric)).append("\">\n<figcaption><b>")
          .append(Html.esc(metric)).append("</b> — ").append(Html.esc(MetricDescriptions.of(metric)));
      if (reps > 1) {
        out.append(" <span class=\"muted\">Band: 95% CI over ").append(reps).append(" replicates.</span>");
      }
      out.append("</figcaption>\n").append(Charts.metric(id, metric, lines)).append("\n</figure>\n");
      svgCount++;
    }
    out.append("</div></section>\n");
  }

  /** For a sweep: each metric against each swept parameter, at the last generation. */
  private void sweeps() {
    List<String> paths = sweptPaths();
    if (paths.isEmpty()) {
      return;
    }
    out.append("<section id=\"sweep\"><h2>Metrics against the swept parameters</h2>\n<p>For each swept "
        + "parameter, one chart per metric: its value at each lineage's last generation, one line per lineage and "
        + "combination of the other swept parameters")
        .append(series.replicates() > 1 ? " (the mean over replicates; the shaded band is its 95% confidence "
            + "interval)." : ".").append("</p>\n");
    int c = 0;
    for (SweepCurves sc : SweepCurves.of(run.summary(), paths)) {
      out.append("<h3>").append(Html.esc(sc.path())).append("</h3>\n<div class=\"grid\">\n");
      for (String metric : run.metrics().metricNames()) {
        List<Charts.Curve> curves = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, java.util.SortedMap<Double, Map<String, SummaryStats>>> e : sc.curves().entrySet()) {
          SortedMap<Double, SummaryStats> points = SweepCurves.metric(e.getValue(), metric);
          if (!points.isEmpty()) {
            curves.add(new Charts.Curve(e.getKey(), Palette.series(i), points));
          }
          i++;
        }
        if (curves.isEmpty()) {
          continue;
        }
        out.append("<figure class=\"chart\" data-metric=\"").append(Html.esc(metric)).append("\" data-param=\"")
            .append(Html.esc(sc.path())).append("\">\n<figcaption><b>").append(Html.esc(metric)).append("</b> against <b>")
            .append(Html.esc(sc.path())).append("</b>, last generation — ").append(Html.esc(MetricDescriptions.of(
                metric))).append("</figcaption>\n")
            .append(Charts.against("sweep-" + c++, sc.path(), metric, curves, sc.categories())).append("\n</figure>\n");
        svgCount++;
      }
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  private void ancestry() {
    LineageGraph graph = run.lineage();
    out.append("<section id=\"ancestry\"><h2>Ancestry and the lineage graph</h2>\n<p>The share of each model's "
        + "training signal that traces back to each original source, through every teacher generation "
        + "(mean over replicates). A growing share of an AI source means its priors are being amplified.</p>\n");
    if (!sourceColors.isEmpty()) {
      legend(sourceColors);
    }
    out.append("<div class=\"grid\">\n");
    int i = 0;
    for (RunSeries.Series s : series.series()) {
      SortedMap<Integer, Map<String, Double>> shares = series.ancestry(s, graph);
      if (shares.isEmpty()) {
        continue;
      }
      out.append("<figure class=\"chart ancestry\" data-lineage=\"").append(Html.esc(s.name()))
          .append("\">\n<figcaption><b>ancestry of ").append(Html.esc(s.name()))
          .append("</b> — share of training signal by source, per generation.</figcaption>\n")
          .append(Charts.stacked("ancestry-" + i++, shares, sourceColors)).append("\n</figure>\n");
      svgCount++;
    }
    out.append("</div>\n");
    if (i == 0) {
      out.append("<p class=\"muted\">No ancestry recorded: metrics.csv has no ancestry.* column and no measured "
          + "model of lineage.json has ancestry shares.</p>\n");
    }
    out.append("<h3>Lineage graph</h3>\n");
    if (run.batch() != null && run.batch().lineageRun() != null) {
      out.append("<p>The lineage graph of run <code>").append(Html.esc(run.batch().lineageRun()))
          .append("</code>, the first of the batch; every run's own is in <code>runs/&lt;run&gt;/lineage.json"
              + "</code>.</p>\n");
    }
    if (graph.nodes().isEmpty()) {
      out.append("<p class=\"muted\">The lineage graph has no nodes (an analytic world has no models or "
          + "datasets to trace).</p>\n</section>\n");
      return;
    }
    LineageSvg.Drawing d = LineageSvg.draw(graph, series.places(), series.colors(), sourceColors);
    if (d.svg() == null) {
      out.append("<p class=\"muted\">The lineage graph has ").append(d.total()).append(" nodes, too many to draw "
          + "here; lineage.json has them all, and the table below has every model's ancestry.</p>\n");
      ancestryTable(graph);
      out.append("</section>\n");
      return;
    }
    out.append("<p>Models (blue; the coloured edge is the lineage, the bar at the bottom its ancestry), datasets "
        + "(yellow) and actors (green), in one band per generation. Arrows follow the flow of signal, from "
        + "producer to product. Hover a node or an arrow for details; scroll sideways for later generations.");
    if (d.drawn() < d.total()) {
      out.append(" <b>Only the first replicate is drawn: ").append(d.drawn()).append(" of ").append(d.total())
          .append(" nodes.</b>");
    }
    out.append("</p>\n<div class=\"legend\">");
    out.append("<span><span class=\"swatch\" style=\"background:").append(LineageSvg.MODEL_FILL)
        .append("\"></span>model</span><span><span class=\"swatch\" style=\"background:")
        .append(LineageSvg.DATASET_FILL).append("\"></span>dataset</span><span><span class=\"swatch\" style=\""
            + "background:").append(LineageSvg.ACTOR_FILL).append("\"></span>actor</span>");
    for (Map.Entry<EdgeKind, String> e : LineageSvg.EDGE_COLORS.entrySet()) {
      out.append("<span><span class=\"line\" style=\"border-color:").append(e.getValue()).append("\"></span>")
          .append(LineageSvg.kindName(e.getKey()).replace('_', ' ')).append("</span>");
    }
    out.append("</div>\n<div class=\"scroll graph\">").append(d.svg()).append("</div>\n");
    svgCount++;
    ancestryTable(graph);
    out.append("</section>\n");
  }

  /** True when the rows name counterfactuals (a run of {@code counterfactuals:}). */
  private boolean counterfactual() {
    return run.metrics().paramPaths().contains(Attribution.PARAM);
  }

  /** The swept fields, without the counterfactual parameter. */
  private List<String> sweptPaths() {
    return Attribution.sweptPaths(run.metrics());
  }

  /**
   * What caused what: for each lineage (and sweep point) and each trait or knowledge metric, the paired effect of
   * every intervention by generation, with its 95% interval ({@link Attribution}); an interval that excludes 0 is
   * marked.
   */
  private void attribution() {
    if (!counterfactual()) {
      return;
    }
    // the scenario's, then (without scenario.yaml) the names the rows carry
    Map<String, String> interventions = Attribution.interventions(run.metrics(), run.scenario().counterfactuals());
    Attribution a = Attribution.of(run.metrics(), interventions);
    out.append("<section id=\"attribution\"><h2>What caused what</h2>\n<p>Each intervention is the scenario with "
        + "one source removed or one parameter neutralised, run with the same seeds as the factual run, so that "
        + "every random draw it does not touch is the same (common random numbers). The <b>effect</b> is the "
        + "factual value minus the counterfactual one, averaged over replicates: positive means the source raised "
        + "the metric. Brackets hold the paired 95% interval; <b>bold</b> effects have an interval that excludes 0. "
        + "With many metrics and generations, about one interval in twenty excludes 0 by chance alone. "
        + "attribution.csv has every metric.</p>\n<ul>");
    interventions.forEach((name, description) -> out.append("<li><code>").append(Html.esc(name)).append("</code>: ")
        .append(Html.esc(description)).append("</li>"));
    out.append("</ul>\n");
    // (lineage, point) → metric → generation → intervention → row
    Map<String, Map<String, java.util.SortedMap<Integer, Map<String, Attribution.Row>>>> tables =
        new java.util.LinkedHashMap<>();
    for (Attribution.Row r : a.rows()) {
      if (!(r.metric().startsWith("trait.") || r.metric().startsWith("knowledge.")) || r.generation() == 0) continue;
      String key = r.lineage() + (r.params().isEmpty() ? "" : " (" + String.join(", ", r.params().entrySet().stream()
          .map(e -> e.getKey() + " = " + e.getValue()).toList()) + ")");
      tables.computeIfAbsent(key, k -> new java.util.LinkedHashMap<>())
          .computeIfAbsent(r.metric(), k -> new java.util.TreeMap<>())
          .computeIfAbsent(r.generation(), k -> new java.util.LinkedHashMap<>()).put(r.intervention(), r);
    }
    if (tables.isEmpty()) {
      out.append("<p class=\"muted\">No counterfactual run has finished beside its factual run yet.</p>\n");
    }
    out.append("<div class=\"grid\">\n");
    for (var t : tables.entrySet()) {
      for (var m : t.getValue().entrySet()) {
        out.append("<figure class=\"attribution\"><figcaption><b>").append(Html.esc(m.getKey())).append("</b> in ")
            .append(Html.esc(t.getKey())).append("</figcaption>\n<table class=\"summary\"><thead><tr><th>gen</th>");
        interventions.keySet().forEach(n -> out.append("<th>").append(Html.esc(n)).append("</th>"));
        out.append("</tr></thead><tbody>\n");
        for (var g : m.getValue().entrySet()) {
          out.append("<tr><th>g").append(g.getKey()).append("</th>");
          for (String n : interventions.keySet()) {
            Attribution.Row r = g.getValue().get(n);
            out.append("<td class=\"num\">");
            if (r != null) {
              SummaryStats e = r.effect();
              boolean sure = e.n() > 1 && (e.ciLow() > 0 || e.ciHigh() < 0);
              out.append(sure ? "<b>" : "").append(Html.signed(e.mean())).append(sure ? "</b>" : "");
              if (e.n() > 1 && !Double.isNaN(e.ciLow())) {
                out.append(" [").append(Html.num(e.ciLow())).append(", ").append(Html.num(e.ciHigh())).append("]");
              }
            }
            out.append("</td>");
          }
          out.append("</tr>\n");
        }
        out.append("</tbody></table></figure>\n");
      }
    }
    out.append("</div></section>\n");
  }

  private void legend(Map<String, Color> colors) {
    out.append("<div class=\"legend\">Sources: ");
    colors.forEach((s, c) -> out.append("<span><span class=\"swatch\" style=\"background:").append(Html.hex(c))
        .append("\"></span>").append(Html.esc(s)).append("</span>"));
    out.append("</div>\n");
  }

  /** A model's family and size in a cell ("mlp 70.4k, scalar"), its every field in the cell's title. */
  private void architecture(ModelNode m) {
    var a = m.architecture();
    out.append("<td class=\"arch\"");
    if (a != null) {
      out.append(" title=\"").append(Html.esc(a.summary() + ", vocabulary " + a.vocab())).append("\">")
          .append(Html.esc(a.family() + " " + a.paramsText() + (a.head().equals("scalar") ? ", scalar" : "")));
    } else {
      out.append('>');
    }
    out.append("</td>");
  }

  private void ancestryTable(LineageGraph graph) {
    List<String> sources = new ArrayList<>(sourceColors.keySet());
    out.append("<details><summary>Every model: family, size and ancestry (").append(graph.nodes().stream()
        .filter(n -> n instanceof ModelNode).count()).append(" models)</summary>\n<div class=\"scroll\"><table>"
        + "<thead><tr><th>model</th><th>lineage</th><th>gen.</th><th>rep.</th><th>trained by</th><th>model</th><th>tokens</th>");
    sources.forEach(s -> out.append("<th>").append(Html.esc(s)).append("</th>"));
    out.append("</tr></thead>\n<tbody>\n");
    int shown = 0;
    for (Node n : graph.nodes()) {
      if (n instanceof ModelNode m && shown++ < FULL_TABLE_ROWS) {
        LineageSvg.Place p = series.places().get(m.modelId());
        out.append("<tr><td><code title=\"").append(Html.esc(m.modelId())).append("\">")
            .append(Html.esc(LineageSvg.shortId(m.modelId()))).append("</code></td><td>")
            .append(p == null ? Html.esc(m.source() == null ? "" : "source " + m.source()) : Html.esc(p.series()))
            .append("</td><td class=\"num\">").append(p == null ? "" : p.generation()).append("</td><td class=\"num\">")
            .append(p == null ? "" : p.replicate()).append("</td><td>")
            .append(m.training() == null ? "" : Html.esc(m.training().trainer().method())).append("</td>");
        architecture(m);
        out.append("<td class=\"num\">").append(Html.num(m.tokens())).append("</td>");
        for (String s : sources) {
          Double v = m.ancestry().get(s);
          out.append("<td class=\"num\">").append(v == null ? "" : Html.percent(v)).append("</td>");
        }
        out.append("</tr>\n");
      }
    }
    out.append("</tbody></table></div>");
    if (shown > FULL_TABLE_ROWS) {
      out.append("<p class=\"muted\">The first ").append(FULL_TABLE_ROWS).append(" models of ").append(shown)
          .append("; lineage.json has them all.</p>");
    }
    out.append("</details>\n");
  }

  private void stages() {
    StageEvents ev = run.events();
    out.append("<section id=\"stages\"><h2>Stages</h2>\n");
    if (ev.rows().isEmpty()) {
      out.append("<p class=\"muted\">No stages recorded (").append(RunDirectory.EVENTS)
          .append(" is absent or empty).</p></section>\n");
      return;
    }
    out.append("<p>One row per completed stage, from ").append(RunDirectory.EVENTS).append(". Wall time is real; "
        + "human hours and cost are simulated from the labellers' parameters.</p>\n<div class=\"scroll\"><table>"
        + "<thead><tr>");
    ev.columns().forEach(c -> out.append("<th title=\"").append(Html.esc(c)).append("\">")
        .append(Html.esc(StageEvents.heading(c))).append("</th>"));
    out.append("</tr></thead>\n<tbody>\n");
    for (var row : ev.rows()) {
      out.append("<tr>");
      for (String c : ev.columns()) {
        out.append(ev.numeric(c) ? "<td class=\"num\">" : "<td>").append(Html.esc(StageEvents.text(c, row.get(c))))
            .append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody><tfoot><tr>");
    boolean label = true;
    for (String c : ev.columns()) {
      double t = ev.total(c);
      out.append(ev.numeric(c) ? "<td class=\"num\">" : "<td>")
          .append(Double.isNaN(t) ? (label ? "total" : "") : Html.num(t)).append("</td>");
      label = false;
    }
    out.append("</tr></tfoot></table></div></section>\n");
  }

  private void fullTable() {
    var table = run.metrics();
    out.append("<section id=\"all-metrics\"><h2>All metrics</h2>\n<details><summary>Every row of ")
        .append(MetricsCsv.FILE_NAME).append(" (").append(table.rows().size()).append(" rows; numbers rounded to 4 "
            + "significant digits, exact values in the file)</summary>\n<div class=\"scroll\"><table class=\"full\">"
            + "<thead><tr>");
    table.columns().forEach(c -> out.append("<th>").append(Html.esc(c)).append("</th>"));
    out.append("</tr></thead>\n<tbody>\n");
    for (var r : table.rows().subList(0, Math.min(FULL_TABLE_ROWS, table.rows().size()))) {
      out.append("<tr><td>").append(Html.esc(r.lineage())).append("</td><td class=\"num\">").append(r.generation())
          .append("</td><td><code title=\"").append(Html.esc(r.model())).append("\">")
          .append(Html.esc(LineageSvg.shortId(r.model()))).append("</code></td><td class=\"num\">")
          .append(r.replicate()).append("</td>");
      table.paramPaths().forEach(p -> out.append("<td>").append(Html.esc(r.params().getOrDefault(p, "")))
          .append("</td>"));
      for (String m : table.metricNames()) {
        Double v = r.metrics().get(m);
        out.append("<td class=\"num\">").append(v == null ? "" : Html.num(v)).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div>");
    if (table.rows().size() > FULL_TABLE_ROWS) {
      out.append("<p class=\"muted\">The first ").append(FULL_TABLE_ROWS).append(" rows of ")
          .append(table.rows().size()).append("; the others are in ").append(MetricsCsv.FILE_NAME).append(".</p>");
    }
    out.append("</details></section>\n");
  }
}
