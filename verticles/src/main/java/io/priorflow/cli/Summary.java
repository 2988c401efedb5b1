package io.priorflow.cli;

import io.priorflow.engine.metrics.Attribution;
import io.priorflow.engine.metrics.MetricCatalog;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The table printed at the end of a run: for each lineage (and sweep point), each metric at generation 0 (the
 * pretrained base) and at the last generation, and the change. With replicates the values are means and the change
 * has the 95% interval of the replicates' paired changes; an arrow (↑ amplified, ↓ lost) marks only a change whose
 * interval excludes 0, with "good" or "bad" from the metric's direction ({@link MetricCatalog}). With one replicate
 * there is no interval and so no arrow, and the table says so. A large sweep shows its first {@link #MAX_SERIES}
 * series (summary.csv has them all).
 */
final class Summary {
  /** Most (lineage, sweep point) tables printed. */
  static final int MAX_SERIES = 12;

  private Summary() {}

  static void print(MetricsTable table, PrintStream out) {
    print(table, out, List.of(), Map.of());
  }

  /**
   * As {@link #print(MetricsTable, PrintStream)}, with the counterfactuals' names in the scenario's order and the
   * world's extra traits' desirability (trait name → desirable), which give their arrows a verdict.
   */
  static void print(MetricsTable table, PrintStream out, List<String> order, Map<String, Boolean> extraTraits) {
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
    // (lineage, sweep point, generation) → replicate → row, for the paired changes
    Map<List<Object>, Map<Integer, MetricsRow>> byReplicate = new HashMap<>();
    table.rows().forEach(r -> byReplicate.computeIfAbsent(List.of(r.lineage(), r.params(), r.generation()),
        k -> new TreeMap<>()).put(r.replicate(), r));
    boolean anyReplicates = summary.stats().values().stream().flatMap(m -> m.values().stream())
        .anyMatch(st -> st.n() > 1);
    out.printf(Locale.ROOT, "%s%n", anyReplicates
        ? "change = last − first generation, mean of the replicates' paired changes [95% CI]; an arrow only where the "
            + "interval excludes 0, marked good or bad by the metric's direction (docs/metrics.md)."
        : "change = last − first generation. One replicate: no interval, so no arrow says a change is real; run with "
            + "--replicates N (N ≥ 2) for intervals.");
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
      Map<Integer, MetricsRow> firstRows = byReplicate.get(List.of(lineage, params, gens.firstKey()));
      Map<Integer, MetricsRow> lastRows = byReplicate.get(List.of(lineage, params, gens.lastKey()));
      int reps = last.values().stream().mapToInt(SummaryStats::n).max().orElse(0);
      String point = params.isEmpty() ? "" : " (" + params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
          .collect(Collectors.joining(", ")) + ")";
      out.printf(Locale.ROOT, "%nlineage %s%s: generation %d (base) -> generation %d%s%n", lineage, point,
          gens.firstKey(), gens.lastKey(), reps > 1 ? ", means over " + reps + " replicates" : ", one replicate");
      out.printf(Locale.ROOT, "  %-26s %10s %10s %10s%s%n", "metric", "gen " + gens.firstKey(), "gen " + gens.lastKey(),
          "change", reps > 1 ? String.format(Locale.ROOT, " %-21s", "95% CI of change") : "");
      for (String m : table.metricNames()) {
        SummaryStats a = first.get(m), b = last.get(m);
        if (b == null) continue;
        boolean ancestry = m.startsWith("ancestry.");
        double x = a != null ? a.mean() : ancestry ? 0.0 : Double.NaN; // a source with no share yet
        if (a == null && Double.isNaN(x)) continue;
        double y = b.mean();
        SummaryStats change = change(m, firstRows, lastRows, ancestry);
        String interval = "", arrow = "";
        if (reps > 1) {
          boolean known = change.n() > 1 && Double.isFinite(change.ciLow());
          interval = String.format(Locale.ROOT, " %-21s", known ? "[" + fmt(change.ciLow()) + ", "
              + fmt(change.ciHigh()) + "]" : "");
          if (known && (change.ciLow() > 0 || change.ciHigh() < 0)) {
            String verdict = MetricCatalog.of(m, extraTraits).direction().verdict(change.mean());
            arrow = (change.mean() > 0 ? " ↑" : " ↓") + (verdict.isEmpty() ? "" : " " + verdict);
          }
        }
        out.printf(Locale.ROOT, "  %-26s %10s %10s %10s%s%s%n", m, fmt(x), fmt(y), fmt(y - x), interval, arrow);
      }
    }
    out.printf(Locale.ROOT, "%ntrait.* = share of evaluation samples with the trait; ancestry.* = share of the model's"
        + " training signal traced back to each source.%n");
    if (counterfactuals) {
      attribution(all, out, order);
    }
  }

  /**
   * The paired change of a metric, last minus first generation, replicate by replicate (replicates share their
   * random streams' seeds across generations, so pairing removes the replicate's own level), with its Student t
   * interval; a replicate without the metric in either generation is left out (ancestry counts as 0 before it
   * appears).
   */
  static SummaryStats change(String metric, Map<Integer, MetricsRow> first, Map<Integer, MetricsRow> last,
      boolean zeroWhenAbsent) {
    if (first == null || last == null) {
      return SummaryStats.of();
    }
    List<Double> d = new ArrayList<>();
    last.forEach((rep, row) -> {
      Double y = row.metrics().get(metric);
      MetricsRow f = first.get(rep);
      Double x = f == null ? null : f.metrics().get(metric);
      if (x == null && zeroWhenAbsent && f != null) x = 0.0;
      if (x != null && y != null) d.add(y - x);
    });
    return SummaryStats.of(d.stream().mapToDouble(Double::doubleValue).toArray());
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
