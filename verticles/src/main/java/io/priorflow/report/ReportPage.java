package io.priorflow.report;

import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.Attribution;
import io.priorflow.engine.metrics.MetricCatalog;
import io.priorflow.engine.metrics.MetricDefinition;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.report.ReportView.Ancestry;
import io.priorflow.report.ReportView.AncestryChart;
import io.priorflow.report.ReportView.Arch;
import io.priorflow.report.ReportView.Band;
import io.priorflow.report.ReportView.BatchNote;
import io.priorflow.report.ReportView.Cell;
import io.priorflow.report.ReportView.Cells;
import io.priorflow.report.ReportView.Column;
import io.priorflow.report.ReportView.Constant;
import io.priorflow.report.ReportView.Constants;
import io.priorflow.report.ReportView.CostAxis;
import io.priorflow.report.ReportView.CostChart;
import io.priorflow.report.ReportView.Effect;
import io.priorflow.report.ReportView.EffectRow;
import io.priorflow.report.ReportView.EffectTable;
import io.priorflow.report.ReportView.EffectValue;
import io.priorflow.report.ReportView.Effects;
import io.priorflow.report.ReportView.Fact;
import io.priorflow.report.ReportView.FirstReplicate;
import io.priorflow.report.ReportView.FullTable;
import io.priorflow.report.ReportView.Generations;
import io.priorflow.report.ReportView.Graph;
import io.priorflow.report.ReportView.Heading;
import io.priorflow.report.ReportView.Interval;
import io.priorflow.report.ReportView.Legend;
import io.priorflow.report.ReportView.MatchedCost;
import io.priorflow.report.ReportView.MetricChart;
import io.priorflow.report.ReportView.MetricRow;
import io.priorflow.report.ReportView.ModelRow;
import io.priorflow.report.ReportView.ModelTable;
import io.priorflow.report.ReportView.Page;
import io.priorflow.report.ReportView.Panel;
import io.priorflow.report.ReportView.Part;
import io.priorflow.report.ReportView.Row;
import io.priorflow.report.ReportView.RunSelector;
import io.priorflow.report.ReportView.StageRow;
import io.priorflow.report.ReportView.Stages;
import io.priorflow.report.ReportView.Stats;
import io.priorflow.report.ReportView.SummaryTable;
import io.priorflow.report.ReportView.Swatch;
import io.priorflow.report.ReportView.SweepChart;
import io.priorflow.report.ReportView.SweepPath;
import io.priorflow.report.ReportView.Sweeps;
import io.priorflow.report.ReportView.Text;
import io.priorflow.report.ReportView.Truncated;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The data of report.html: one page, no external resources, every text from a file escaped. Sections in reading
 * order: what ran, notes on the inputs, the summary (first and last generation), one chart per metric, ancestry
 * (stacked shares per lineage, the lineage graph, a table per model), the stages, the full metrics table. This class
 * prepares the data only: it fills the records of {@link ReportView}, whose texts are numbers already formatted and
 * strings not yet escaped, and the template report.mustache ({@link ReportTemplate}) makes the page. Charts (inline
 * SVG) by {@link Charts}, the lineage graph's data by {@link LineageView} (drawn in the browser by the inlined
 * cytoscape.js).
 */
final class ReportPage {

  /** Rows of the full metrics table shown; a longer table is for a spreadsheet, not a page. */
  static final int FULL_TABLE_ROWS = 5000;

  private final RunDirectory run;
  private final RunSeries series;
  private final Map<String, Color> sourceColors;
  private final Charts.Drawings drawings;
  private int svgCount;
  /** The lineage graph's nodes shown when the page opens (models and datasets; actors are hidden), or 0. */
  private int graphNodes;

  /** Most runs of a batch whose lineage graphs the page carries. */
  static final int MAX_GRAPH_RUNS = 24;

  private ReportPage(RunDirectory run, Charts.Drawings drawings) {
    this.run = run;
    this.drawings = drawings;
    this.series = new RunSeries(run.metrics(), run.summary());
    this.sourceColors = Palette.sources(RunSeries.sources(run.metrics(), run.lineage()));
  }

  /** The page's text. */
  static String render(RunDirectory run) {
    try (Charts.Drawings drawings = new Charts.Drawings()) {
      return new ReportPage(run, drawings).build();
    }
  }

  private String build() {
    Page page = page();
    Generations outcomes = outcomes();
    Generations costs = costs();
    Sweeps sweeps = sweeps();
    Effects attribution = attribution();
    Ancestry ancestry = ancestry();
    drawings.await(); // every chart drawn, or a drawing's failure thrown here rather than from inside the template
    // the head carries the SVG count (for bin/check-report) and the graph's size, known only now
    return ReportTemplate.render(page.withBody(svgCount, graphNodes, outcomes, costs, sweeps, attribution, ancestry,
        stages(), fullTable(), ancestry.graph() != null ? LineageView.scripts() : List.of()));
  }

  private Page page() {
    RunLineage r = run.lineage().run();
    List<Fact> facts = new ArrayList<>();
    if (run.parts().isEmpty()) {
      facts.add(new Fact("seed", Long.toString(r.seed())));
      facts.add(new Fact("backend", r.backend() + " on " + r.device()));
    }
    facts.add(new Fact("lineages", series.series().size() + " (" + String.join(", ", series.series().stream()
        .map(RunSeries.Series::name).toList()) + ")"));
    facts.add(new Fact("replicates", Integer.toString(series.replicates())));
    if (run.batch() != null) {
      facts.add(new Fact("runs", run.batch().runs() + " (" + run.batch().done() + " done; runs.csv lists them, runs/ "
          + "holds each run's own files)"));
      if (!sweptPaths().isEmpty()) {
        facts.add(new Fact("swept", String.join(", ", sweptPaths())));
      }
      if (counterfactual()) {
        facts.add(new Fact("counterfactuals", String.join(", ", run.scenario().counterfactuals().keySet())
            + " (beside the factual run; see what caused what)"));
      }
    }
    List<Part> parts = new ArrayList<>();
    run.parts().forEach((name, d) -> {
      RunLineage pr = d.lineage().run();
      parts.add(new Part(name, d.dir().toString(), d.scenario().name(), pr.seed(), d.metrics().rows().stream()
          .mapToInt(io.priorflow.engine.metrics.MetricsRow::replicate).max().orElse(0) + 1,
          pr.backend() + " on " + pr.device(), pr.projectVersion(), pr.scenarioSha256()));
    });
    Text scenarioText = null;
    if (parts.isEmpty()) {
      long models = run.lineage().nodes().stream().filter(n -> n instanceof ModelNode).count();
      long datasets = run.lineage().nodes().stream().filter(n -> n instanceof DatasetNode).count();
      long actors = run.lineage().nodes().stream().filter(n -> n instanceof ActorNode).count();
      facts.add(new Fact("lineage graph", models + " models, " + datasets + " datasets, " + actors + " actors"));
      facts.add(new Fact("label share λ", Html.num(run.lineage().labelShare())));
      facts.add(new Fact("Java", r.javaVersion()));
      facts.add(new Fact("OS", r.os()));
      facts.add(new Fact("priorflow", r.projectVersion()));
      facts.add(new Fact("invocation", r.invocation().isEmpty() ? "(none recorded)" : String.join(" ",
          r.invocation())));
      facts.add(new Fact("scenario SHA-256", r.scenarioSha256()));
      scenarioText = run.scenario().text() == null ? null : new Text(run.scenario().text());
    }
    boolean faceted = series.points().size() > 1;
    return new Page(0, 0, run.scenario().name(), ReportStyle.CSS, Text.of(run.scenario().description()), facts,
        !parts.isEmpty(), parts, scenarioText,
        !metricsOf(MetricDefinition.Kind.COST, MetricDefinition.Kind.BOOKKEEPING).isEmpty(), !sweptPaths().isEmpty(),
        counterfactual(), !run.notes().isEmpty(), run.notes(), series.replicates() > 1, faceted, summaries(faceted),
        null, null, null, null, null, RunDirectory.EVENTS, null, null, List.of());
  }

  /** One summary table per sweep point (a heading each when there are several). */
  private List<SummaryTable> summaries(boolean faceted) {
    List<SummaryTable> tables = new ArrayList<>();
    for (Map<String, String> point : series.points()) {
      List<RunSeries.Series> shown = series.series().stream().filter(s -> s.point().equals(point)).toList();
      List<Column> columns = shown.stream().map(s -> new Column(Html.hex(s.color()), s.lineage(),
          s.generations().firstKey(), s.generations().lastKey())).toList();
      List<Row> rows = new ArrayList<>();
      for (String metric : run.metrics().metricNames()) {
        if (shown.stream().allMatch(s -> s.metric(metric).isEmpty())) {
          continue;
        }
        List<Cells> cells = new ArrayList<>();
        for (RunSeries.Series s : shown) {
          SortedMap<Integer, SummaryStats> m = s.metric(metric);
          SummaryStats first = m.get(s.generations().firstKey());
          SummaryStats last = m.get(s.generations().lastKey());
          cells.add(new Cells(stats(first), stats(last), first != null && last != null
              ? Html.signed(last.mean() - first.mean()) : ""));
        }
        rows.add(new Row(MetricDescriptions.of(metric), metric, cells));
      }
      tables.add(new SummaryTable(faceted ? new Text(RunSeries.pointText(point)) : null, columns, rows));
    }
    return tables;
  }

  private static Stats stats(SummaryStats st) {
    if (st == null) {
      return null;
    }
    double width = st.ciHigh() - st.ciLow();
    // Replicates that agree to rounding (a cumulative count, generation 0) show no interval. The interval is
    // shown by its ends: a bootstrap or clipped interval is not symmetric about the mean.
    boolean shown = st.n() > 1 && Double.isFinite(width) && width > 1e-9 * Math.max(1, Math.abs(st.mean()));
    return new Stats(Html.num(st.mean()), shown ? new Interval(Html.num(st.ciLow()), Html.num(st.ciHigh())) : null);
  }

  /** Small-multiple panels' size: one panel per sweep point. */
  private static final int FACET_WIDTH = 320;
  private static final int FACET_HEIGHT = 220;
  /** The costs that metrics are drawn against, in this order, when a run spends them. */
  private static final List<String> COST_AXES = List.of(MetricNames.COST_TRAIN_TOKENS, MetricNames.COST_HUMAN_USD,
      MetricNames.COST_AI_USD);

  private List<String> metricsOf(MetricDefinition.Kind... kinds) {
    List<MetricDefinition.Kind> k = List.of(kinds);
    return run.metrics().metricNames().stream().filter(m -> k.contains(MetricCatalog.of(m).kind())).toList();
  }

  /**
   * The value a metric has everywhere (every series, generation and replicate agree to 1e-9 relative), or null when
   * it changes somewhere; NaN when it is never defined.
   */
  private Double constant(String metric) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (RunSeries.Series s : series.series()) {
      for (SummaryStats st : s.metric(metric).values()) {
        if (!Double.isFinite(st.mean())) {
          continue;
        }
        lo = Math.min(lo, st.mean());
        hi = Math.max(hi, st.mean());
        if (st.n() > 1 && Double.isFinite(st.sd()) && st.sd() > 1e-9 * Math.max(1, Math.abs(st.mean()))) {
          return null;
        }
      }
    }
    if (lo > hi) {
      return Double.NaN;
    }
    return hi - lo <= 1e-9 * Math.max(1, Math.abs(hi)) ? hi : null;
  }

  /** The lineages' colours, as the charts draw them. */
  private Legend lineageLegend() {
    return legend("Lineages", series.lineageColors());
  }

  private static Legend legend(String title, Map<String, Color> colors) {
    List<Swatch> swatches = new ArrayList<>();
    colors.forEach((name, c) -> swatches.add(new Swatch(Html.hex(c), name)));
    return new Legend(title, swatches);
  }

  /** The metrics that never change in this run, named instead of drawn; null when every one changes. */
  private Constants constants(List<String> metrics) {
    List<Constant> items = new ArrayList<>();
    for (String m : metrics) {
      Double c = constant(m);
      if (c != null) {
        items.add(new Constant(MetricDescriptions.of(m), m, Double.isNaN(c), Double.isNaN(c) ? null : Html.num(c)));
      }
    }
    return items.isEmpty() ? null : new Constants(items);
  }

  /** The outcome metrics over generations. */
  private Generations outcomes() {
    List<String> outcomes = metricsOf(MetricDefinition.Kind.OUTCOME);
    return new Generations(lineageLegend(), constants(outcomes), overGenerations(outcomes, "chart-"), null);
  }

  /** Costs, counts and sizes over generations, and the outcomes at matched cost; null when the run has none. */
  private Generations costs() {
    List<String> costs = metricsOf(MetricDefinition.Kind.COST, MetricDefinition.Kind.BOOKKEEPING);
    if (costs.isEmpty()) {
      return null;
    }
    return new Generations(lineageLegend(), constants(costs), overGenerations(costs, "cost-"),
        matchedCost(metricsOf(MetricDefinition.Kind.OUTCOME)));
  }

  /**
   * The closed form written beside a metric ({@code <metric>_law}, as analytic worlds write them) when the run has
   * it, else null.
   */
  private String lawOf(String metric) {
    String law = metric + "_law";
    return run.metrics().metricNames().contains(law) ? law : null;
  }

  /** A closed form whose measured metric the run has: drawn dashed in that metric's chart, not in one of its own. */
  private boolean isDrawnLaw(String metric) {
    return metric.endsWith("_law")
        && run.metrics().metricNames().contains(metric.substring(0, metric.length() - "_law".length()));
  }

  /** Each metric that changes over generations: one chart, or one panel per sweep point. */
  private List<MetricChart> overGenerations(List<String> metrics, String idPrefix) {
    boolean faceted = series.points().size() > 1;
    List<MetricChart> charts = new ArrayList<>();
    int i = 0;
    for (String metric : metrics) {
      if (constant(metric) != null || isDrawnLaw(metric)) {
        continue;
      }
      MetricDefinition def = MetricCatalog.of(metric);
      String law = lawOf(metric);
      double magnitude = 0, smallest = Double.POSITIVE_INFINITY, largest = Double.NEGATIVE_INFINITY;
      int reps = 0;
      for (RunSeries.Series s : series.series()) {
        for (SummaryStats st : s.metric(metric).values()) {
          if (Double.isFinite(st.mean())) {
            magnitude = Math.max(magnitude, Math.abs(st.mean()));
            boolean band = st.n() > 1 && Double.isFinite(st.ciLow()) && Double.isFinite(st.ciHigh());
            smallest = Math.min(smallest, band ? st.ciLow() : st.mean());
            largest = Math.max(largest, band ? st.ciHigh() : st.mean());
          }
          reps = Math.max(reps, st.n());
        }
      }
      String id = idPrefix + i++;
      Charts.Svg svg = null;
      List<Panel> panels = new ArrayList<>();
      if (!faceted) {
        List<Charts.Line> lines = new ArrayList<>();
        for (RunSeries.Series s : series.series()) {
          SortedMap<Integer, SummaryStats> points = s.metric(metric);
          if (!points.isEmpty()) {
            lines.add(new Charts.Line(s.name(), s.color(), points));
          }
          if (law != null && !s.metric(law).isEmpty()) {
            lines.add(new Charts.Line(s.name() + " (law)", s.color(), s.metric(law), true));
          }
        }
        Charts.Frame frame = Charts.Frame.of(Charts.WIDTH, Charts.HEIGHT, false, def, magnitude);
        svg = drawings.draw(() -> Charts.metric(id, metric, lines, frame));
        svgCount++;
      } else {
        int p = 0;
        for (Map<String, String> point : series.points()) {
          List<Charts.Line> lines = new ArrayList<>();
          for (RunSeries.Series s : series.series()) {
            SortedMap<Integer, SummaryStats> points = s.metric(metric);
            if (s.point().equals(point) && !points.isEmpty()) {
              lines.add(new Charts.Line(s.lineage(), s.color(), points));
              if (law != null && !s.metric(law).isEmpty()) {
                lines.add(new Charts.Line(s.lineage() + " (law)", s.color(), s.metric(law), true));
              }
            }
          }
          if (lines.isEmpty()) {
            p++;
            continue;
          }
          String panel = id + "-" + p++;
          Charts.Frame frame = Charts.Frame.of(FACET_WIDTH, FACET_HEIGHT, false, def, magnitude)
              .sharing(smallest, largest);
          panels.add(new Panel(RunSeries.pointText(point), drawings.draw(() -> Charts.metric(panel, metric, lines,
              frame))));
          svgCount++;
        }
      }
      charts.add(new MetricChart(metric, def.description(), reps > 1 ? new Band(def.interval().label(), reps) : null,
          law == null ? null : new Text(law), svg, panels));
    }
    return charts;
  }

  /**
   * Each outcome metric against each cost the run spends: one line per lineage (and sweep point) through its
   * generations, so methods can be compared where they spent the same; null when the run spends nothing that changes.
   */
  private MatchedCost matchedCost(List<String> outcomes) {
    List<String> axes = COST_AXES.stream().filter(c -> run.metrics().metricNames().contains(c) && constant(c) == null)
        .toList();
    if (axes.isEmpty()) {
      return null;
    }
    List<CostAxis> out = new ArrayList<>();
    int c = 0;
    for (String axis : axes) {
      List<CostChart> charts = new ArrayList<>();
      for (String metric : outcomes) {
        if (constant(metric) != null) {
          continue;
        }
        List<Charts.Curve> curves = new ArrayList<>();
        double magnitude = 0;
        for (RunSeries.Series s : series.series()) {
          SortedMap<Double, SummaryStats> points = new java.util.TreeMap<>();
          for (Map.Entry<Integer, Map<String, SummaryStats>> g : s.generations().entrySet()) {
            SummaryStats x = g.getValue().get(axis), y = g.getValue().get(metric);
            if (x != null && y != null && Double.isFinite(x.mean()) && Double.isFinite(y.mean())) {
              points.put(x.mean(), y); // equal spending in two generations: the later one is drawn
              magnitude = Math.max(magnitude, Math.abs(y.mean()));
            }
          }
          if (points.size() > 0) {
            curves.add(new Charts.Curve(s.name(), s.color(), points));
          }
        }
        if (curves.isEmpty()) {
          continue;
        }
        String id = "cost-vs-" + c++;
        Charts.Frame frame = Charts.Frame.of(Charts.WIDTH, Charts.HEIGHT, false, MetricCatalog.of(metric), magnitude);
        charts.add(new CostChart(metric, drawings.draw(() -> Charts.againstCost(id, axis, metric, curves, frame))));
        svgCount++;
      }
      out.add(new CostAxis(axis, charts));
    }
    return new MatchedCost(out);
  }

  /** For a sweep: each metric against each swept parameter, at the last generation. */
  /** For a sweep: each metric against each swept parameter, at the last generation; null without a sweep. */
  private Sweeps sweeps() {
    List<String> paths = sweptPaths();
    if (paths.isEmpty()) {
      return null;
    }
    List<SweepPath> out = new ArrayList<>();
    int c = 0;
    for (SweepCurves sc : SweepCurves.of(run.summary(), paths)) {
      List<SweepChart> charts = new ArrayList<>();
      for (String metric : run.metrics().metricNames()) {
        List<Charts.Curve> curves = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, java.util.SortedMap<Double, Map<String, SummaryStats>>> e : sc.curves().entrySet()) {
          SortedMap<Double, SummaryStats> points = SweepCurves.metric(e.getValue(), metric);
          if (!points.isEmpty()) {
            curves.add(new Charts.Curve(e.getKey(), lineageColor(e.getKey(), i), points));
          }
          i++;
        }
        if (curves.isEmpty()) {
          continue;
        }
        String id = "sweep-" + c++;
        Charts.Frame frame = Charts.Frame.of(Charts.WIDTH, Charts.HEIGHT,
            curves.size() > series.lineageColors().size(), MetricCatalog.of(metric), curves.stream()
                .flatMap(cv -> cv.points().values().stream()).mapToDouble(st -> Math.abs(st.mean()))
                .filter(Double::isFinite).max().orElse(0));
        charts.add(new SweepChart(metric, MetricDescriptions.of(metric), drawings.draw(() -> Charts.against(id,
            sc.path(), metric, curves, sc.categories(), frame))));
        svgCount++;
      }
      out.add(new SweepPath(sc.path(), charts));
    }
    return new Sweeps(series.replicates() > 1, lineageLegend(), out);
  }


  /** The colour of a curve named "lineage" or "lineage (other parameters)": its lineage's. */
  private java.awt.Color lineageColor(String curve, int fallback) {
    for (Map.Entry<String, java.awt.Color> l : series.lineageColors().entrySet()) {
      if (curve.equals(l.getKey()) || curve.startsWith(l.getKey() + " (")) {
        return l.getValue();
      }
    }
    return Palette.series(fallback);
  }

  /** Ancestry: the sources' legend, a chart of stacked shares per lineage, and the lineage graph. */
  private Ancestry ancestry() {
    LineageGraph graph = run.lineage();
    List<AncestryChart> charts = new ArrayList<>();
    int i = 0;
    for (RunSeries.Series s : series.series()) {
      SortedMap<Integer, Map<String, Double>> shares = series.ancestry(s, graph);
      if (shares.isEmpty()) {
        continue;
      }
      String id = "ancestry-" + i++;
      charts.add(new AncestryChart(s.name(), drawings.draw(() -> Charts.stacked(id, shares, sourceColors))));
      svgCount++;
    }
    return new Ancestry(sourceColors.isEmpty() ? null : legend("Sources", sourceColors), charts,
        graph.nodes().isEmpty() ? null : graph(graph));
  }

  /**
   * The lineage graph of the run, or of the first {@link #MAX_GRAPH_RUNS} finished runs of a batch, drawn in the
   * browser from its JSON; and the table of every model.
   */
  private Graph graph(LineageGraph graph) {
    List<LineageView.RunGraph> graphs = run.graphs(MAX_GRAPH_RUNS);
    List<LineageView.Shown> shown = new ArrayList<>();
    String json = LineageView.data(graphs, series.places(), series.lineageColors(), shown);
    List<FirstReplicate> firstReplicates = new ArrayList<>();
    for (int k = 0; k < graphs.size(); k++) {
      String name = graphs.get(k).run();
      if (shown.get(k).drawn() < shown.get(k).total()) {
        firstReplicates.add(new FirstReplicate(name.isEmpty() ? null : new Text(name), shown.get(k).drawn(),
            shown.get(k).total()));
      }
    }
    List<Swatch> edges = new ArrayList<>();
    LineageLabels.EDGE_COLORS.forEach((kind, color) -> edges.add(new Swatch(color,
        LineageLabels.kindName(kind).replace('_', ' '))));
    graphNodes = shown.get(0).drawn() - (int) graphs.get(0).graph().nodes().stream()
        .filter(n -> n instanceof ActorNode).count();
    return new Graph(run.batch() == null ? null : new BatchNote(run.batch().done() > graphs.size(), graphs.size()),
        firstReplicates, LineageLabels.MODEL_FILL, LineageLabels.DATASET_FILL, LineageLabels.ACTOR_FILL, edges,
        graphs.size() > 1 ? new RunSelector(graphs.stream().map(LineageView.RunGraph::run).toList()) : null, json,
        models(graph));
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
  /** The counterfactuals' paired effects, a table per lineage (and sweep point) and metric; null without any. */
  private Effects attribution() {
    if (!counterfactual()) {
      return null;
    }
    // the scenario's, then (without scenario.yaml) the names the rows carry
    Map<String, String> interventions = io.priorflow.engine.metrics.Attribution.interventions(run.metrics(),
        run.scenario().counterfactuals());
    var a = io.priorflow.engine.metrics.Attribution.of(run.metrics(), interventions);
    // (lineage, point) → metric → generation → intervention → row
    Map<String, Map<String, java.util.SortedMap<Integer, Map<String, io.priorflow.engine.metrics.Attribution.Row>>>>
        tables = new java.util.LinkedHashMap<>();
    for (var r : a.rows()) {
      if (!(r.metric().startsWith("trait.") || r.metric().startsWith("knowledge.")) || r.generation() == 0) continue;
      String key = r.lineage() + (r.params().isEmpty() ? "" : " (" + String.join(", ", r.params().entrySet().stream()
          .map(e -> e.getKey() + " = " + e.getValue()).toList()) + ")");
      tables.computeIfAbsent(key, k -> new java.util.LinkedHashMap<>())
          .computeIfAbsent(r.metric(), k -> new java.util.TreeMap<>())
          .computeIfAbsent(r.generation(), k -> new java.util.LinkedHashMap<>()).put(r.intervention(), r);
    }
    List<EffectTable> out = new ArrayList<>();
    for (var t : tables.entrySet()) {
      for (var m : t.getValue().entrySet()) {
        List<EffectRow> rows = new ArrayList<>();
        for (var g : m.getValue().entrySet()) {
          List<Effect> effects = new ArrayList<>();
          for (String n : interventions.keySet()) {
            var r = g.getValue().get(n);
            if (r == null) {
              effects.add(new Effect(null));
              continue;
            }
            SummaryStats e = r.effect();
            boolean sure = e.n() > 1 && (e.ciLow() > 0 || e.ciHigh() < 0);
            effects.add(new Effect(new EffectValue(sure, Html.signed(e.mean()), e.n() > 1 && !Double.isNaN(e.ciLow())
                ? new Interval(Html.num(e.ciLow()), Html.num(e.ciHigh())) : null)));
          }
          rows.add(new EffectRow(g.getKey(), effects));
        }
        out.add(new EffectTable(m.getKey(), t.getKey(), rows));
      }
    }
    return new Effects(interventions.entrySet().stream().map(e -> new Fact(e.getKey(), e.getValue())).toList(),
        tables.isEmpty(), out);
  }


  /** Every model of the lineage graph (the first {@link #FULL_TABLE_ROWS}): place, family, size and ancestry. */
  private ModelTable models(LineageGraph graph) {
    List<String> sources = new ArrayList<>(sourceColors.keySet());
    List<ModelRow> rows = new ArrayList<>();
    int total = 0;
    for (Node n : graph.nodes()) {
      if (n instanceof ModelNode m && total++ < FULL_TABLE_ROWS) {
        LineageLabels.Place p = series.places().get(m.modelId());
        var a = m.architecture();
        rows.add(new ModelRow(m.modelId(), LineageLabels.shortId(m.modelId()),
            p != null ? p.series() : m.source() == null ? "" : "source " + m.source(),
            p == null ? "" : Integer.toString(p.generation()), p == null ? "" : Integer.toString(p.replicate()),
            m.training() == null ? "" : m.training().trainer().method(),
            a == null ? null : new Arch(a.summary() + ", vocabulary " + a.vocab(), a.family() + " " + a.paramsText()
                + (a.head().equals("scalar") ? ", scalar" : "")),
            Html.num(m.tokens()), sources.stream().map(s -> m.ancestry().get(s))
                .map(v -> v == null ? "" : Html.percent(v)).toList()));
      }
    }
    return new ModelTable(total, sources, rows, total > FULL_TABLE_ROWS ? new Truncated(FULL_TABLE_ROWS) : null);
  }

  /** The stages of events.jsonl, or null when it has none. */
  private Stages stages() {
    StageEvents ev = run.events();
    if (ev.rows().isEmpty()) {
      return null;
    }
    List<Heading> headings = ev.columns().stream().map(c -> new Heading(c, StageEvents.heading(c))).toList();
    List<StageRow> rows = new ArrayList<>();
    for (var row : ev.rows()) {
      rows.add(new StageRow(ev.columns().stream().map(c -> new Cell(ev.numeric(c), StageEvents.text(c, row.get(c))))
          .toList()));
    }
    List<Cell> totals = new ArrayList<>();
    for (String c : ev.columns()) {
      double t = ev.total(c);
      totals.add(new Cell(ev.numeric(c), Double.isNaN(t) ? (totals.isEmpty() ? "total" : "") : Html.num(t)));
    }
    return new Stages(headings, rows, totals);
  }

  /** The first {@link #FULL_TABLE_ROWS} rows of metrics.csv, numbers rounded. */
  private FullTable fullTable() {
    var table = run.metrics();
    List<MetricRow> rows = new ArrayList<>();
    for (var r : table.rows().subList(0, Math.min(FULL_TABLE_ROWS, table.rows().size()))) {
      List<Cell> params = table.paramPaths().stream().map(p -> new Cell(false, r.params().getOrDefault(p, "")))
          .toList();
      List<Cell> values = new ArrayList<>();
      for (String m : table.metricNames()) {
        Double v = r.metrics().get(m);
        values.add(new Cell(true, v == null ? "" : Html.num(v)));
      }
      rows.add(new MetricRow(r.lineage(), r.generation(), r.model(), LineageLabels.shortId(r.model()), r.replicate(),
          params, values));
    }
    return new FullTable(MetricsCsv.FILE_NAME, table.rows().size(), table.columns().stream()
        .map(c -> new Cell(false, c)).toList(), rows, table.rows().size() > FULL_TABLE_ROWS
        ? new Truncated(FULL_TABLE_ROWS) : null);
  }
}
