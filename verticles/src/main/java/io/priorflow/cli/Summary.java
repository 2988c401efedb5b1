package io.priorflow.cli;

import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table printed at the end of a run: for each lineage, each metric at generation 0 (the pretrained base) and
 * at the last generation, and the change — what was amplified (↑) and what was lost (↓).
 */
final class Summary {
  private Summary() {}

  static void print(MetricsTable table, PrintStream out) {
    Map<String, List<MetricsRow>> byLineage = new TreeMap<>();
    for (MetricsRow r : table.rows()) byLineage.computeIfAbsent(r.lineage(), k -> new ArrayList<>()).add(r);
    for (Map.Entry<String, List<MetricsRow>> e : byLineage.entrySet()) {
      List<MetricsRow> rows = e.getValue();
      MetricsRow first = rows.get(0), last = rows.get(rows.size() - 1);
      out.printf(Locale.ROOT, "%nlineage %s: generation 0 (base) -> generation %d%n", e.getKey(), last.generation());
      out.printf(Locale.ROOT, "  %-26s %10s %10s %10s%n", "metric", "gen 0", "gen " + last.generation(), "change");
      for (String m : table.metricNames()) {
        Double a = first.metrics().get(m), b = last.metrics().get(m);
        if (a == null && m.startsWith("ancestry.")) a = 0.0; // a source that had no share yet
        if (a == null || b == null) continue;
        String arrow = Math.abs(b - a) < 1e-9 ? "" : b > a ? " ↑" : " ↓";
        out.printf(Locale.ROOT, "  %-26s %10s %10s %10s%s%n", m, fmt(a), fmt(b), fmt(b - a), arrow);
      }
    }
    out.printf(Locale.ROOT, "%ntrait.* = share of evaluation samples with the trait; ancestry.* = share of the model's"
        + " training signal traced back to each source.%n");
  }

  private static String fmt(double x) {
    if (Double.isNaN(x)) return "NaN";
    return Math.abs(x) >= 1000 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.4f", x);
  }
}
