package io.priorflow.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Shapley values of a few sources' contributions to each metric, from a batch that ran the factual scenario and
 * every combination of the sources removed ({@code shapley:} in a scenario). With players 1 … n and v(S) the metric
 * when exactly the players in S are present (the others removed; v(all) is the factual run):
 * <pre>
 *   φ_i = Σ_{S ⊆ N \ {i}} |S|! (n − |S| − 1)! / n! · ( v(S ∪ {i}) − v(S) )
 * </pre>
 * computed per replicate from that replicate's 2^n runs (common random numbers), then averaged, with the Student t
 * interval over replicates ({@link SummaryStats}). The values add up: Σ_i φ_i = v(N) − v(∅), the factual value
 * minus the value with every player removed, so effects that appear only together are split fairly between them.
 *
 * <p>shapley.csv, in long form:
 * <pre>
 *   lineage,generation,param.&lt;path&gt;…,player,metric,n,shapley,ci95_low,ci95_high,factual,none
 * </pre>
 * where {@code none} is v(∅). A replicate lacking any of the 2^n runs (or a value in one) is left out.
 */
public final class Shapley {
  /** The file name in a batch directory. */
  public static final String FILE_NAME = "shapley.csv";

  /**
   * One record.
   *
   * @param lineage    the lineage
   * @param generation the generation
   * @param params     the sweep point, without the counterfactual parameter
   * @param player     the player's name
   * @param metric     the metric
   * @param value      statistics of φ over replicates
   * @param factual    mean of v(N)
   * @param none       mean of v(∅)
   */
  public record Row(String lineage, int generation, SortedMap<String, String> params, String player, String metric,
                    SummaryStats value, double factual, double none) {}

  private final List<String> paramPaths;
  private final List<Row> rows;

  private Shapley(List<String> paramPaths, List<Row> rows) {
    this.paramPaths = paramPaths;
    this.rows = rows;
  }

  /** The counterfactual that removes exactly the players outside {@code present} (a bit mask over players). */
  static String runOf(List<String> players, int present, String join) {
    int n = players.size();
    if (present == (1 << n) - 1) return Attribution.FACTUAL;
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < n; i++) if ((present & (1 << i)) == 0) removed.add(players.get(i));
    return String.join(join, removed);
  }

  /**
   * The Shapley values of a table's runs.
   *
   * @param players the players' names, in order
   * @param join    what joins the names of removed players in a counterfactual's name
   */
  public static Shapley of(MetricsTable table, List<String> players, String join) {
    int n = players.size();
    double[] weight = new double[n]; // |S|! (n − |S| − 1)! / n! by |S|
    for (int s = 0; s < n; s++) weight[s] = factorial(s) * factorial(n - s - 1) / factorial(n);
    var byPoint = Attribution.byPoint(table);
    String[] run = new String[1 << n];
    for (int m = 0; m < run.length; m++) run[m] = runOf(players, m, join);
    List<Row> out = new ArrayList<>();
    for (var e : byPoint.entrySet()) {
      Map<Integer, MetricsRow> factual = e.getValue().get(Attribution.FACTUAL);
      if (factual == null) continue;
      for (String metric : table.metricNames()) {
        List<double[]> phis = new ArrayList<>();
        double sumAll = 0, sumNone = 0;
        for (int rep : factual.keySet()) {
          double[] v = new double[1 << n];
          boolean complete = true;
          for (int m = 0; m < v.length && complete; m++) {
            Map<Integer, MetricsRow> rows = e.getValue().get(run[m]);
            MetricsRow row = rows == null ? null : rows.get(rep);
            Double x = row == null ? null : Attribution.value(row, metric);
            if (x == null || x.isNaN()) complete = false;
            else v[m] = x;
          }
          if (!complete) continue;
          double[] phi = new double[n];
          for (int i = 0; i < n; i++) {
            for (int s = 0; s < v.length; s++) {
              if ((s & (1 << i)) != 0) continue;
              phi[i] += weight[Integer.bitCount(s)] * (v[s | (1 << i)] - v[s]);
            }
          }
          phis.add(phi);
          sumAll += v[v.length - 1];
          sumNone += v[0];
        }
        if (phis.isEmpty()) continue;
        MetricsRow.Group g = e.getKey();
        for (int i = 0; i < n; i++) {
          double[] xs = new double[phis.size()];
          for (int k = 0; k < xs.length; k++) xs[k] = phis.get(k)[i];
          out.add(new Row(g.lineage(), g.generation(), g.params(), players.get(i), metric, SummaryStats.of(xs),
              sumAll / phis.size(), sumNone / phis.size()));
        }
      }
    }
    return new Shapley(Attribution.sweptPaths(table), List.copyOf(out));
  }

  private static double factorial(int k) {
    double f = 1;
    for (int i = 2; i <= k; i++) f *= i;
    return f;
  }

  /** The records, in file order. */
  public List<Row> rows() {
    return rows;
  }

  /** The record of one (lineage, generation, player, metric) at the point without sweep, or null. */
  public Row get(String lineage, int generation, String player, String metric) {
    return rows.stream().filter(r -> r.lineage().equals(lineage) && r.generation() == generation
        && r.player().equals(player) && r.metric().equals(metric)).findFirst().orElse(null);
  }

  /** The text of shapley.csv. */
  public String format() {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("lineage", "generation"));
    paramPaths.forEach(p -> header.add(MetricsTable.PARAM_PREFIX + p));
    header.addAll(List.of("player", "metric", "n", "shapley", "ci95_low", "ci95_high", "factual", "none"));
    Csv.appendRecord(out, header);
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.lineage());
      cells.add(Integer.toString(r.generation()));
      paramPaths.forEach(p -> cells.add(r.params().getOrDefault(p, "")));
      cells.add(r.player());
      cells.add(r.metric());
      cells.add(Integer.toString(r.value().n()));
      for (double v : new double[] {r.value().mean(), r.value().ciLow(), r.value().ciHigh(), r.factual(), r.none()}) {
        cells.add(NumberText.format(v));
      }
      Csv.appendRecord(out, cells);
    }
    return out.toString();
  }
}
