package io.priorflow.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replicate statistics of a {@link MetricsTable}: for each (lineage, generation, sweep point), in row order,
 * and each metric that any of its rows has, in column order, the {@link SummaryStats} over its replicates, with the
 * 95% interval valid for the metric's domain ({@link SummaryStats#of(MetricDefinition, double...)}).
 *
 * <p>{@link #format} writes it in long form, one record per (sweep point, metric), which plots and pivots
 * without reshaping:
 * <pre>
 *   lineage,generation,param.&lt;path&gt;…,metric,n,mean,sd,se,ci95_low,ci95_high
 * </pre>
 * with the quoting and number text of {@link MetricsCsv}.
 */
public final class SummaryTable {

  /** The file name in a run directory. */
  public static final String FILE_NAME = "summary.csv";
  /** The statistic columns, after the key and metric columns. */
  public static final List<String> STAT_COLUMNS = List.of("n", "mean", "sd", "se", "ci95_low", "ci95_high");

  private final List<String> paramPaths;
  private final Map<MetricsRow.Group, Map<String, SummaryStats>> stats;

  private SummaryTable(List<String> paramPaths, Map<MetricsRow.Group, Map<String, SummaryStats>> stats) {
    this.paramPaths = paramPaths;
    this.stats = stats;
  }

  /** The summary of a table. */
  public static SummaryTable of(MetricsTable table) {
    Map<MetricsRow.Group, Map<String, SummaryStats>> out = new LinkedHashMap<>();
    for (Map.Entry<MetricsRow.Group, List<MetricsRow>> g : table.groups().entrySet()) {
      Map<String, SummaryStats> byMetric = new LinkedHashMap<>();
      for (String metric : table.metricNames()) {
        List<MetricsRow> rows = g.getValue();
        double[] values = rows.stream().filter(r -> r.metrics().containsKey(metric))
            .mapToDouble(r -> r.metrics().get(metric)).toArray();
        if (values.length > 0) {
          byMetric.put(metric, SummaryStats.of(MetricCatalog.of(metric), values));
        }
      }
      out.put(g.getKey(), byMetric);
    }
    return new SummaryTable(table.paramPaths(), out);
  }

  /** Group → metric → statistics, groups in row order and metrics in column order. */
  public Map<MetricsRow.Group, Map<String, SummaryStats>> stats() {
    return stats;
  }

  /** The statistics of one metric at one sweep point, or null if its rows have no such metric. */
  public SummaryStats get(MetricsRow.Group group, String metric) {
    Map<String, SummaryStats> m = stats.get(group);
    return m == null ? null : m.get(metric);
  }

  /** The text of summary.csv. */
  public String format() {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("lineage", "generation"));
    paramPaths.forEach(p -> header.add(MetricsTable.PARAM_PREFIX + p));
    header.add("metric");
    header.addAll(STAT_COLUMNS);
    Csv.appendRecord(out, header);
    for (Map.Entry<MetricsRow.Group, Map<String, SummaryStats>> g : stats.entrySet()) {
      MetricsRow.Group key = g.getKey();
      for (Map.Entry<String, SummaryStats> m : g.getValue().entrySet()) {
        List<String> cells = new ArrayList<>();
        cells.add(key.lineage());
        cells.add(Integer.toString(key.generation()));
        paramPaths.forEach(p -> cells.add(key.params().getOrDefault(p, "")));
        cells.add(m.getKey());
        SummaryStats s = m.getValue();
        cells.add(Integer.toString(s.n()));
        for (double v : new double[] {s.mean(), s.sd(), s.se(), s.ciLow(), s.ciHigh()}) {
          cells.add(NumberText.format(v));
        }
        Csv.appendRecord(out, cells);
      }
    }
    return out.toString();
  }

  /** Writes summary.csv (UTF-8). */
  public void write(Path file) throws IOException {
    Files.writeString(file, format(), StandardCharsets.UTF_8);
  }
}
