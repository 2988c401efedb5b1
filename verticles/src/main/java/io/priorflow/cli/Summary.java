package io.priorflow.cli;

import io.priorflow.engine.metrics.Attribution;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The table printed at the end of a run: for each lineage (and sweep point), each metric at generation 0 (the
 * pretrained base) and at the last generation, and the change — what was amplified (↑) and what was lost (↓). With
 * replicates the values are means, the last generation's with the half-width of its 95% confidence interval; a large
 * sweep shows its first {@link #MAX_SERIES} series (summary.csv has them all).
 */
final class Summary {
  /** Most (lineage, sweep point) tables printed. */
  static final int MAX_SERIES = 12;

  private Summary() {}

  static void print(MetricsTable table, PrintStream out) {
    print(table, out, List.of());
  }

  /** As {@link #print(MetricsTable, PrintStream)}, with the counterfactuals' names in the scenario's order. */
  static void print(MetricsTable table, PrintStream out, List<String> order) {
    boolean counterfactuals = table.paramPaths().contains(Attribution.PARAM);
    MetricsTable all = table;
    if (counterfactuals) { // the factual runs' tables here; the counterfactuals' effects below
      table = MetricsTable.of(table.rows().stream()
          .filter(r -> Attribution.FACTUAL.equals(r.params().get(Attribution.PARAM))).toList());
    }
    SummaryTable summary = SummaryTable.of(table);
    // (lineage, sweep point) → generation → metric statistics, in row order
    Map<List<Object>, SortedMap<Integer, Map<String, SummaryStats>>> series = new LinkedHashMap<>();
    summary.stats().forEach((g, stats) -> series.computeIfAbsent(List.of(g.lineage(), g.params()),
        k -> new java.util.TreeMap<>()).put(g.generation(), stats));
    int shown = 0;
    for (Map.Entry<List<Object>, SortedMap<Integer, Map<String, SummaryStats>>> e : series.entrySet()) {
      if (shown++ == MAX_SERIES) {
        out.printf(Locale.ROOT, "%n… and %d more lineage and sweep point tables: see summary.csv.%n",
            series.size() - MAX_SERIES);
        break;
      }
      String lineage = (String) e.getKey().get(0);
      @SuppressWarnings("unchecked")
      Map<String, String> params = (Map<String, String>) e.getKey().get(1);
      SortedMap<Integer, Map<String, SummaryStats>> gens = e.getValue();
      Map<String, SummaryStats> first = gens.get(gens.firstKey()), last = gens.get(gens.lastKey());
      int reps = last.values().stream().mapToInt(SummaryStats::n).max().orElse(0);
      String point = params.isEmpty() ? "" : " (" + params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
          .collect(Collectors.joining(", ")) + ")";
      out.printf(Locale.ROOT, "%nlineage %s%s: generation %d (base) -> generation %d%s%n", lineage, point,
          gens.firstKey(), gens.lastKey(), reps > 1 ? ", mean ± 95% CI over " + reps + " replicates" : "");
      String header = String.format(Locale.ROOT, "  %-26s %10s %10s", "metric", "gen " + gens.firstKey(),
          "gen " + gens.lastKey());
      out.printf(Locale.ROOT, "%s%s %10s%n", header, reps > 1 ? String.format(Locale.ROOT, " %10s", "±95% CI") : "",
          "change");
      for (String m : table.metricNames()) {
        SummaryStats a = first.get(m), b = last.get(m);
        if (b == null) continue;
        double x = a != null ? a.mean() : m.startsWith("ancestry.") ? 0.0 : Double.NaN; // a source with no share yet
        if (a == null && Double.isNaN(x)) continue;
        double y = b.mean();
        String arrow = Math.abs(y - x) < 1e-9 ? "" : y > x ? " ↑" : " ↓";
        String half = reps < 2 ? "" : String.format(Locale.ROOT, " %10s", b.n() > 1 && Double.isFinite(b.ciHigh())
            ? "±" + fmt(b.ciHigh() - b.mean()) : "");
        out.printf(Locale.ROOT, "  %-26s %10s %10s%s %10s%s%n", m, fmt(x), fmt(y), half, fmt(y - x), arrow);
      }
    }
    out.printf(Locale.ROOT, "%ntrait.* = share of evaluation samples with the trait; ancestry.* = share of the model's"
        + " training signal traced back to each source.%n");
    if (counterfactuals) {
      attribution(all, out, order);
    }
  }

  /**
   * What caused what: at each lineage's last generation, each trait and knowledge metric's paired effect (factual −
   * counterfactual) of every intervention, with its 95% interval; '*' marks an interval that excludes 0.
   */
  static void attribution(MetricsTable table, PrintStream out, List<String> order) {
    Map<String, String> known = new LinkedHashMap<>();
    order.forEach(n -> known.put(n, n));
    Map<String, String> interventions = Attribution.interventions(table, known);
    Attribution a = Attribution.of(table, interventions);
    Map<String, Integer> last = new LinkedHashMap<>(); // lineage and sweep point → last generation
    for (Attribution.Row r : a.rows()) last.merge(r.lineage() + r.params(), r.generation(), Math::max);
    // lineage and sweep point → metric → intervention → record, at the last generation, in file order
    Map<String, Map<String, Map<String, Attribution.Row>>> shown = new LinkedHashMap<>();
    for (Attribution.Row r : a.rows()) {
      String key = r.lineage() + r.params();
      if (r.generation() == last.get(key) && (r.metric().startsWith("trait.") || r.metric().startsWith("knowledge."))) {
        shown.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(r.metric(), k -> new LinkedHashMap<>())
            .put(r.intervention(), r);
      }
    }
    out.printf(Locale.ROOT, "%nwhat caused what (attribution.csv): effect = factual − counterfactual, mean over "
        + "replicates [paired 95%% CI]; * the interval excludes 0%n");
    for (var point : shown.values()) {
      Attribution.Row any = point.values().iterator().next().values().iterator().next();
      out.printf(Locale.ROOT, "%nlineage %s%s, generation %d%n  %-26s", any.lineage(), any.params().isEmpty() ? ""
          : " " + any.params(), any.generation(), "metric");
      interventions.keySet().forEach(n -> out.printf(Locale.ROOT, " %28s", n.length() > 28 ? n.substring(0, 28) : n));
      out.println();
      for (var metric : point.entrySet()) {
        out.printf(Locale.ROOT, "  %-26s", metric.getKey());
        for (String n : interventions.keySet()) {
          Attribution.Row x = metric.getValue().get(n);
          out.printf(Locale.ROOT, " %28s", x == null ? "" : effect(x.effect()));
        }
        out.println();
      }
    }
  }

  private static String effect(SummaryStats e) {
    String m = String.format(Locale.ROOT, "%+.3f", e.mean());
    if (e.n() < 2 || Double.isNaN(e.ciLow())) return m;
    boolean sure = e.ciLow() > 0 || e.ciHigh() < 0;
    return String.format(Locale.ROOT, "%s [%+.3f, %+.3f]%s", m, e.ciLow(), e.ciHigh(), sure ? "*" : " ");
  }

  private static String fmt(double x) {
    if (Double.isNaN(x)) return "NaN";
    return Math.abs(x) >= 1000 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.4f", x);
  }
}
