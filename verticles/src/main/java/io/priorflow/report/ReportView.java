package io.priorflow.report;

import java.util.List;

/**
 * What report.mustache and its partials read: records of texts, with numbers already formatted (by {@link Html}),
 * filled by {@link ReportPage} and rendered by {@link ReportTemplate}. A text is escaped by the template; only the
 * fields {@code css}, {@code svg}, {@code json} and {@code scripts} are markup or script, inserted as they are. No
 * logic here: a null or an empty list is a part the page leaves out.
 */
final class ReportView {

  private ReportView() {}

  /**
   * The whole page: the head, what ran, notes on the inputs, the summary tables, the metrics over generations, the
   * costs, the sweep and attribution sections, ancestry and the lineage graph, the stages and the full metrics table.
   */
  record Page(int svgCount, int graphNodes, String title, String css, Text description, List<Fact> facts,
              boolean hasParts, List<Part> parts, Text scenarioText, boolean hasCosts, boolean hasSweptPaths,
              boolean hasCounterfactuals, boolean hasNotes, List<String> notes, boolean hasIntervals,
              boolean faceted, List<SummaryTable> summaries, Generations outcomes, Generations costs, Sweeps sweeps,
              Effects attribution, Ancestry ancestry, String eventsFile, Stages stages, FullTable full,
              List<String> scripts) {
    Page withBody(int svgCount, int graphNodes, Generations outcomes, Generations costs, Sweeps sweeps,
                  Effects attribution, Ancestry ancestry, Stages stages, FullTable full, List<String> scripts) {
      return new Page(svgCount, graphNodes, title, css, description, facts, hasParts, parts, scenarioText, hasCosts,
          hasSweptPaths, hasCounterfactuals, hasNotes, notes, hasIntervals, faceted, summaries, outcomes, costs,
          sweeps, attribution, ancestry, eventsFile, stages, full, scripts);
    }
  }

  /** A legend: its title ("Lineages"), then a colour swatch per name. */
  record Legend(String title, List<Swatch> swatches) {}

  /** A colour ("#rrggbb") and what it stands for. */
  record Swatch(String color, String name) {}

  /**
   * Metrics over generations (the outcomes, or the costs and bookkeeping): the lineages' legend, the metrics not drawn
   * since they never change (null when all change), a chart per other metric, and, in the costs only, the outcomes
   * at matched cost (null when the run spends nothing that changes).
   */
  record Generations(Legend legend, Constants constants, List<MetricChart> metricCharts, MatchedCost matched) {}

  record Constants(List<Constant> constantItems) {}

  /** A metric not drawn: the value it has everywhere, or {@code undefined} when it is never defined. */
  record Constant(String description, String metric, boolean undefined, String value) {}

  /**
   * One metric's chart: an SVG ({@code svg}), or on a faceted page (a sweep) a panel per sweep point
   * ({@code panels}); the band's interval when replicates differ, and the closed form drawn dashed, if any.
   */
  record MetricChart(String metric, String description, Band band, Text law, Charts.Svg svg, List<Panel> panels) {}

  /** The interval method the band shows and the replicates it is over. */
  record Band(String interval, int replicates) {}

  /** One sweep point's panel of a faceted chart. */
  record Panel(String point, Charts.Svg svg) {}

  /** Each outcome against each cost the run spends: a grid of charts per cost. */
  record MatchedCost(List<CostAxis> axes) {}

  record CostAxis(String axis, List<CostChart> costCharts) {}

  record CostChart(String metric, Charts.Svg svg) {}

  /**
   * Ancestry and the lineage graph: the sources' legend (null without sources), a chart of stacked shares per lineage
   * that has ancestry, and the lineage graph (null when it has no nodes, as in an analytic world).
   */
  record Ancestry(Legend sources, List<AncestryChart> ancestryCharts, Graph graph) {}

  record AncestryChart(String lineage, Charts.Svg svg) {}

  /**
   * The lineage graph: the batch's note (null for a single run), the graphs drawn with their first replicate only,
   * the legend's fills and edge colours, the run selector (null for one graph), the graphs' JSON (already safe
   * inside a script element: {@link LineageView#data}) and the table of every model.
   */
  record Graph(BatchNote batch, List<FirstReplicate> firstReplicates, String modelFill, String datasetFill,
               String actorFill, List<Swatch> edges, RunSelector selector, String json, ModelTable models) {}

  /** A batch's graphs: {@code cut} when the page carries only the first {@code shown} of its finished runs. */
  record BatchNote(boolean cut, int shown) {}

  /** A graph drawn with its first replicate only, {@code drawn} of {@code total} nodes; its run, null if unnamed. */
  record FirstReplicate(Text run, int drawn, int total) {}

  record RunSelector(List<String> runs) {}

  /** The lineage graph's models (the first {@link ReportPage#FULL_TABLE_ROWS} of {@code total}). */
  record ModelTable(int total, List<String> sourceNames, List<ModelRow> modelRows, Truncated truncated) {}

  /**
   * A model: its id, its place (series, generation and replicate; for a model metrics.csv does not measure, its
   * source and empty numbers), its training method, architecture, tokens, and share of each source in order.
   */
  record ModelRow(String id, String shortId, String lineage, String generation, String replicate, String method,
                  Arch arch, String tokens, List<String> shares) {}

  /** A model's family and size ("mlp 70.4k, scalar"), and its every field for the tooltip. */
  record Arch(String title, String text) {}

  /**
   * What caused what: the interventions (name, description), and per lineage (and point) and metric the effect of
   * each by generation; {@code none} while no counterfactual run has finished beside its factual one.
   */
  record Effects(List<Fact> interventions, boolean none, List<EffectTable> effectTables) {}

  record EffectTable(String metric, String where, List<EffectRow> effectRows) {}

  record EffectRow(int generation, List<Effect> effects) {}

  /** One intervention's effect in a generation, or an empty cell (null). */
  record Effect(EffectValue effect) {}

  /** The mean effect, bold when its interval excludes 0. */
  record EffectValue(boolean sure, String mean, Interval interval) {}

  /** The sweep section: per swept parameter, each metric's chart (inline SVG) against it. */
  record Sweeps(boolean hasIntervals, Legend legend, List<SweepPath> paths) {}

  record SweepPath(String path, List<SweepChart> sweepCharts) {}

  record SweepChart(String metric, String description, Charts.Svg svg) {}

  /** A table cell's text, right-aligned when numeric. */
  record Cell(boolean numeric, String text) {}

  /** events.jsonl as a table: a column per key (its heading, the key as the tooltip), a row per stage, totals. */
  record Stages(List<Heading> headings, List<StageRow> stageRows, List<Cell> totals) {}

  record Heading(String column, String heading) {}

  record StageRow(List<Cell> cells) {}

  /** metrics.csv's first rows, rounded. */
  record FullTable(String metricsFile, int total, List<Cell> header, List<MetricRow> metricRows, Truncated truncated) {}

  record MetricRow(String lineage, int generation, String model, String shortModel, int replicate, List<Cell> params,
                   List<Cell> values) {}

  /** Said under a table that shows only its first rows. */
  record Truncated(int shown) {}

  /** A text shown only when there is one. */
  record Text(String text) {
    static Text of(String s) {
      return s == null || s.isBlank() ? null : new Text(s);
    }
  }

  record Fact(String name, String value) {}

  /** One run directory of a side-by-side page. */
  record Part(String name, String dir, String scenario, long seed, int replicates, String backend, String version,
              String sha256) {}

  /** One sweep point's summary: a column group per lineage, a row per metric. */
  record SummaryTable(Text point, List<Column> columns, List<Row> rows) {}

  record Column(String color, String lineage, int firstGeneration, int lastGeneration) {}

  record Row(String description, String metric, List<Cells> cells) {}

  /** One lineage's first and last generation (null where not measured) and the change. */
  record Cells(Stats firstStats, Stats lastStats, String change) {}

  /** A mean, and its 95% interval when the replicates differ. */
  record Stats(String mean, Interval interval) {}

  record Interval(String low, String high) {}
}
