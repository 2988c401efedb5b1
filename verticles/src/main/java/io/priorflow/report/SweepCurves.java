package io.priorflow.report;

import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A metric against one swept parameter: for each lineage and each combination of the other swept parameters, a
 * curve through the parameter's values of the metric's replicate statistics at the lineage's last generation (each
 * sweep point's own last generation, should the sweep change the number of generations). Values that are all
 * numbers are placed by value; otherwise they are categories, in the order of metrics.csv.
 *
 * @param path       the swept parameter
 * @param categories its values as categories, or null when they are numbers
 * @param curves     per curve name (the lineage, then the other parameters in parentheses), x → statistics per
 *                   metric
 */
record SweepCurves(String path, List<String> categories, Map<String, SortedMap<Double, Map<String, SummaryStats>>> curves) {

  /** The curves of every swept parameter, in path order; empty when nothing was swept. */
  static List<SweepCurves> of(SummaryTable summary, List<String> paths) {
    // the last generation of each (lineage, sweep point)
    Map<List<Object>, MetricsRow.Group> last = new LinkedHashMap<>();
    for (MetricsRow.Group g : summary.stats().keySet()) {
      last.merge(List.of(g.lineage(), g.params()), g, (a, b) -> b.generation() > a.generation() ? b : a);
    }
    List<SweepCurves> out = new ArrayList<>();
    for (String path : paths) {
      TreeSet<String> values = new TreeSet<>(MetricsRow::compareValues);
      last.values().forEach(g -> {
        if (g.params().containsKey(path)) {
          values.add(g.params().get(path));
        }
      });
      boolean numeric = values.stream().allMatch(v -> MetricsRow.number(v) != null);
      List<String> categories = numeric ? null : List.copyOf(values);
      Map<String, SortedMap<Double, Map<String, SummaryStats>>> curves = new LinkedHashMap<>();
      for (MetricsRow.Group g : last.values()) {
        String v = g.params().get(path);
        if (v == null) {
          continue;
        }
        String others = g.params().entrySet().stream().filter(e -> !e.getKey().equals(path))
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String name = g.lineage() + (others.isEmpty() ? "" : " (" + others + ")");
        double x = numeric ? MetricsRow.number(v) : categories.indexOf(v);
        curves.computeIfAbsent(name, k -> new TreeMap<>()).put(x, summary.stats().get(g));
      }
      out.add(new SweepCurves(path, categories, curves));
    }
    return out;
  }

  /** One metric's points of a curve. */
  static SortedMap<Double, SummaryStats> metric(SortedMap<Double, Map<String, SummaryStats>> curve, String metric) {
    SortedMap<Double, SummaryStats> out = new TreeMap<>();
    curve.forEach((x, m) -> {
      if (m.containsKey(metric)) {
        out.put(x, m.get(metric));
      }
    });
    return out;
  }
}
