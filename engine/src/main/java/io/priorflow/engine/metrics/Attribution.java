package io.priorflow.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counterfactual attribution: what each intervention changed, from the rows of a batch that ran the factual scenario
 * and each counterfactual ({@link io.priorflow.engine.scenario.Counterfactual}) with the same replicate seeds. Rows
 * are told apart by their {@code counterfactual} parameter; the factual row of a counterfactual row is the one with
 * the same lineage, generation, sweep point and replicate. For each (lineage, generation, sweep point,
 * intervention, metric), over the n replicates where both have a value (an {@code ancestry.*} share a row lacks is
 * 0: that source gave the model no signal):
 * <pre>
 *   factual         mean of the factual values
 *   counterfactual  mean of the counterfactual values
 *   effect          mean of the paired differences d_r = factual_r − counterfactual_r: how much of the metric the
 *                   intervened-on source accounts for (positive: the source raised it)
 *   ci95            effect ± t_{0.975, n−1} · sd(d) / √n, the paired Student t interval ({@link SummaryStats}),
 *                   empty for n &lt; 2
 * </pre>
 * Pairing removes the luck the two runs share: with common random numbers the differences vary far less than the
 * values, so a few replicates give a tight interval. attribution.csv, in long form:
 * <pre>
 *   lineage,generation,param.&lt;path&gt;…,intervention,description,metric,n,factual,counterfactual,effect,ci95_low,ci95_high
 * </pre>
 * Interventions come in the scenario's order; metrics in metrics.csv's column order.
 */
public final class Attribution {
  /** The file name in a batch directory. */
  public static final String FILE_NAME = "attribution.csv";
  /** The parameter naming a row's counterfactual, and the name of the factual runs. */
  public static final String PARAM = "counterfactual", FACTUAL = "factual";

  /**
   * One record.
   *
   * @param lineage        the lineage
   * @param generation     the generation
   * @param params         the sweep point, without the counterfactual parameter
   * @param intervention   the counterfactual's name
   * @param description    the intervention as written
   * @param metric         the metric
   * @param effect         statistics of the paired differences factual − counterfactual (n, mean, CI)
   * @param factual        mean of the paired factual values
   * @param counterfactual mean of the paired counterfactual values
   */
  public record Row(String lineage, int generation, SortedMap<String, String> params, String intervention,
                    String description, String metric, SummaryStats effect, double factual, double counterfactual) {}

  private final List<String> paramPaths;
  private final List<Row> rows;

  private Attribution(List<String> paramPaths, List<Row> rows) {
    this.paramPaths = paramPaths;
    this.rows = rows;
  }

  /**
   * The attribution of a table's counterfactual rows to their factual rows.
   *
   * @param interventions counterfactual name → description, in the scenario's order
   */
  public static Attribution of(MetricsTable table, Map<String, String> interventions) {
    var byPoint = byPoint(table);
    List<Row> out = new ArrayList<>();
    for (var e : byPoint.entrySet()) {
      Map<Integer, MetricsRow> factual = e.getValue().get(FACTUAL);
      if (factual == null) continue;
      for (var iv : interventions.entrySet()) {
        Map<Integer, MetricsRow> cf = e.getValue().get(iv.getKey());
        if (cf == null) continue;
        for (String metric : table.metricNames()) {
          List<Double> d = new ArrayList<>();
          double sumF = 0, sumC = 0;
          for (var rep : factual.entrySet()) {
            MetricsRow c = cf.get(rep.getKey());
            if (c == null) continue;
            Double x = value(rep.getValue(), metric), y = value(c, metric);
            if (x == null || y == null || x.isNaN() || y.isNaN()) continue;
            d.add(x - y);
            sumF += x;
            sumC += y;
          }
          if (d.isEmpty()) continue;
          SummaryStats s = SummaryStats.of(d.stream().mapToDouble(Double::doubleValue).toArray());
          MetricsRow.Group g = e.getKey();
          out.add(new Row(g.lineage(), g.generation(), g.params(), iv.getKey(), iv.getValue(), metric, s,
              sumF / d.size(), sumC / d.size()));
        }
      }
    }
    return new Attribution(sweptPaths(table), List.copyOf(out));
  }

  /**
   * The rows of a table's counterfactual runs: (lineage, generation, sweep point without the counterfactual
   * parameter) → counterfactual (or factual) → replicate → row; rows without the parameter are left out.
   */
  static Map<MetricsRow.Group, Map<String, Map<Integer, MetricsRow>>> byPoint(MetricsTable table) {
    Map<MetricsRow.Group, Map<String, Map<Integer, MetricsRow>>> out = new TreeMap<>(MetricsRow.Group.ORDER);
    for (MetricsRow r : table.rows()) {
      String cf = r.params().get(PARAM);
      if (cf == null) continue;
      SortedMap<String, String> point = new TreeMap<>(r.params());
      point.remove(PARAM);
      out.computeIfAbsent(new MetricsRow.Group(r.lineage(), r.generation(), point), k -> new LinkedHashMap<>())
          .computeIfAbsent(cf, k -> new TreeMap<>()).put(r.replicate(), r);
    }
    return out;
  }

  /**
   * The counterfactuals the table's rows name (not the factual runs), in the order given, then in row order: name →
   * description ({@code known}'s, else the name).
   */
  public static Map<String, String> interventions(MetricsTable table, Map<String, String> known) {
    Map<String, String> out = new LinkedHashMap<>(known);
    for (MetricsRow r : table.rows()) {
      String cf = r.params().get(PARAM);
      if (cf != null && !cf.equals(FACTUAL)) out.putIfAbsent(cf, cf);
    }
    return out;
  }

  /** The table's swept parameters, without the counterfactual one. */
  public static List<String> sweptPaths(MetricsTable table) {
    return table.paramPaths().stream().filter(p -> !p.equals(PARAM)).toList();
  }

  /** A row's value of a metric; an ancestry share the row lacks is 0 (that source gave it no signal). */
  static Double value(MetricsRow r, String metric) {
    Double v = r.metrics().get(metric);
    return v == null && metric.startsWith("ancestry.") ? Double.valueOf(0) : v;
  }

  /** The records, in file order. */
  public List<Row> rows() {
    return rows;
  }

  /** The record of one (lineage, generation, intervention, metric) at the point without sweep, or null. */
  public Row get(String lineage, int generation, String intervention, String metric) {
    return rows.stream().filter(r -> r.lineage().equals(lineage) && r.generation() == generation
        && r.intervention().equals(intervention) && r.metric().equals(metric)).findFirst().orElse(null);
  }

  /** The text of attribution.csv. */
  public String format() {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("lineage", "generation"));
    paramPaths.forEach(p -> header.add(MetricsTable.PARAM_PREFIX + p));
    header.addAll(List.of("intervention", "description", "metric", "n", "factual", "counterfactual", "effect",
        "ci95_low", "ci95_high"));
    Csv.appendRecord(out, header);
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.lineage());
      cells.add(Integer.toString(r.generation()));
      paramPaths.forEach(p -> cells.add(r.params().getOrDefault(p, "")));
      cells.add(r.intervention());
      cells.add(r.description());
      cells.add(r.metric());
      cells.add(Integer.toString(r.effect().n()));
      for (double v : new double[] {r.factual(), r.counterfactual(), r.effect().mean(), r.effect().ciLow(),
          r.effect().ciHigh()}) {
        cells.add(NumberText.format(v));
      }
      Csv.appendRecord(out, cells);
    }
    return out.toString();
  }

  /** Writes attribution.csv (UTF-8). */
  public void write(Path file) throws IOException {
    Files.writeString(file, format(), StandardCharsets.UTF_8);
  }
}
