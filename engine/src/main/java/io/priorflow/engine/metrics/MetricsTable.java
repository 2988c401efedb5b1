package io.priorflow.engine.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rows of {@code metrics.csv} in their fixed order, with the table's columns:
 * <pre>
 *   lineage, generation, model, replicate, param.&lt;path&gt;… (sorted by path), metric… (MetricNames order)
 * </pre>
 * The parameter columns are the union of every row's swept paths, the metric columns the union of every row's
 * metrics and of any declared up front ({@link #of(Collection, Collection)}: a run declares its columns when it writes
 * its first row, so they do not change as later generations add metrics), in MetricNames order (trait.* in the
 * order first met, declared names first, then rows in row order). A row without a value for a column leaves
 * it empty. Rows are sorted by {@link MetricsRow#ORDER}, so the table is the same whatever order the results
 * arrived in. Immutable; {@link MetricsCsv} and {@link MetricsJsonl} write it.
 */
public final class MetricsTable {

  /** The key columns, first in every table. */
  public static final List<String> KEY_COLUMNS = List.of("lineage", "generation", "model", "replicate");
  /** Prefix of a sweep parameter's column. */
  public static final String PARAM_PREFIX = "param.";

  private final List<MetricsRow> rows;
  private final List<String> paramPaths;
  private final List<String> metricNames;

  private MetricsTable(List<MetricsRow> rows, List<String> paramPaths, List<String> metricNames) {
    this.rows = rows;
    this.paramPaths = paramPaths;
    this.metricNames = metricNames;
  }

  /**
   * The table of these rows, sorted.
   *
   * @throws IllegalArgumentException if two rows have the same (lineage, generation, replicate, sweep point)
   */
  public static MetricsTable of(Collection<MetricsRow> rows) {
    return of(rows, List.of());
  }

  /**
   * The table of these rows, sorted, with at least the metric columns {@code declared} (empty where a row has no
   * value).
   *
   * @throws IllegalArgumentException if two rows have the same (lineage, generation, replicate, sweep point), or a
   *                                  declared name is not a metric name
   */
  public static MetricsTable of(Collection<MetricsRow> rows, Collection<String> declared) {
    List<MetricsRow> sorted = new ArrayList<>(rows);
    sorted.sort(MetricsRow.ORDER);
    Map<List<Object>, MetricsRow> seen = new HashMap<>();
    Set<String> paths = new TreeSet<>();
    Set<String> names = new LinkedHashSet<>(declared);
    for (MetricsRow r : sorted) {
      MetricsRow twin = seen.put(List.of(r.lineage(), r.generation(), r.replicate(), r.params()), r);
      if (twin != null) {
        throw new IllegalArgumentException("Two metrics rows for lineage " + r.lineage() + ", generation "
            + r.generation() + ", replicate " + r.replicate() + ", sweep point " + r.params() + " (models "
            + twin.model() + " and " + r.model() + ").");
      }
      paths.addAll(r.params().keySet());
      names.addAll(r.metrics().keySet());
    }
    return new MetricsTable(List.copyOf(sorted), List.copyOf(paths), List.copyOf(MetricNames.order(names)));
  }

  /** The rows, sorted. */
  public List<MetricsRow> rows() {
    return rows;
  }

  /** The swept parameter paths, sorted (without the "param." prefix). */
  public List<String> paramPaths() {
    return paramPaths;
  }

  /** The metric columns, in MetricNames order. */
  public List<String> metricNames() {
    return metricNames;
  }

  /** Every column name, in order. */
  public List<String> columns() {
    List<String> c = new ArrayList<>(KEY_COLUMNS);
    paramPaths.forEach(p -> c.add(PARAM_PREFIX + p));
    c.addAll(metricNames);
    return c;
  }

  /** The rows grouped by (lineage, generation, sweep point), in group order, for {@link SummaryTable}. */
  public Map<MetricsRow.Group, List<MetricsRow>> groups() {
    Map<MetricsRow.Group, List<MetricsRow>> g = new TreeMap<>(MetricsRow.Group.ORDER);
    for (MetricsRow r : rows) {
      g.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
    }
    return g;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricsTable t && t.rows.equals(rows) && t.metricNames.equals(metricNames)
        && t.paramPaths.equals(paramPaths);
  }

  @Override
  public int hashCode() {
    return rows.hashCode();
  }

  @Override
  public String toString() {
    return "MetricsTable[" + rows.size() + " rows, columns " + columns() + "]";
  }
}
