package io.priorflow.engine.metrics;

import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One row of {@code metrics.csv}: a model measured at one (lineage, generation, replicate, sweep point).
 *
 * @param lineage    the lineage's name in the scenario (non-empty)
 * @param generation the generation, ≥ 0
 * @param model      the measured model's id (empty when there is none, as in the analytic worlds)
 * @param replicate  the replicate index, ≥ 0
 * @param params     the sweep point: parameter path → value as scenario text (e.g. "trainer.lr" → "0.001"),
 *                   sorted by path; empty when nothing is swept
 * @param metrics    metric name → value, in {@link MetricNames} order (NaN: measured but undefined)
 */
public record MetricsRow(String lineage, int generation, String model, int replicate, SortedMap<String, String> params,
                         Map<String, Double> metrics) {

  /**
   * Row order: lineage, generation, replicate, then the sweep points (path by path, values compared as numbers
   * when both are numbers, else as text), then the model id.
   */
  public static final Comparator<MetricsRow> ORDER = Comparator.comparing(MetricsRow::lineage)
      .thenComparingInt(MetricsRow::generation)
      .thenComparingInt(MetricsRow::replicate)
      .thenComparing(MetricsRow::params, MetricsRow::compareParams)
      .thenComparing(MetricsRow::model);

  /** Checks the key, copies the maps and puts the metrics in column order. */
  public MetricsRow {
    if (lineage == null || lineage.isEmpty()) {
      throw new IllegalArgumentException("A metrics row needs a lineage name, was " + lineage + ".");
    }
    if (generation < 0 || replicate < 0) {
      throw new IllegalArgumentException("Generation and replicate must be ≥ 0, were " + generation + " and "
          + replicate + ".");
    }
    Objects.requireNonNull(model, "model");
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (p.getKey().isEmpty() || p.getValue() == null || p.getValue().isEmpty()) {
        throw new IllegalArgumentException("A swept parameter needs a path and a non-empty value, got " + p + ".");
      }
    }
    params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "metric " + e.getKey() + " has no value; leave it out instead");
    }
    metrics = Collections.unmodifiableMap(MetricNames.ordered(metrics));
  }

  /** A row without sweep parameters. */
  public static MetricsRow of(String lineage, int generation, String model, int replicate,
                              Map<String, Double> metrics) {
    return new MetricsRow(lineage, generation, model, replicate, new TreeMap<>(), metrics);
  }

  /** This row with more metrics merged in (counters, ancestry shares); a metric set twice is an error. */
  public MetricsRow withMetrics(Map<String, Double> more) {
    return new MetricsRow(lineage, generation, model, replicate, params, MetricNames.merge(metrics, more));
  }

  /** The (lineage, generation, sweep point) this row is a replicate of, for the summary. */
  public Group group() {
    return new Group(lineage, generation, params);
  }

  /**
   * A sweep point of a lineage's generation: the rows that differ only by replicate (and model).
   *
   * @param lineage    the lineage
   * @param generation the generation
   * @param params     the sweep point, sorted by path
   */
  public record Group(String lineage, int generation, SortedMap<String, String> params) {

    /** Order of the summary: lineage, generation, sweep point (as {@link MetricsRow#ORDER}). */
    public static final Comparator<Group> ORDER = Comparator.comparing(Group::lineage)
        .thenComparingInt(Group::generation)
        .thenComparing(Group::params, MetricsRow::compareParams);

    /** Copies the parameters. */
    public Group {
      params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }
  }

  /** Compares sweep points path by path; a point that is a prefix of the other comes first. */
  static int compareParams(SortedMap<String, String> a, SortedMap<String, String> b) {
    Iterator<Map.Entry<String, String>> i = a.entrySet().iterator();
    Iterator<Map.Entry<String, String>> j = b.entrySet().iterator();
    while (i.hasNext() && j.hasNext()) {
      Map.Entry<String, String> x = i.next();
      Map.Entry<String, String> y = j.next();
      int c = x.getKey().compareTo(y.getKey());
      if (c == 0) {
        c = compareValues(x.getValue(), y.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(i.hasNext(), j.hasNext());
  }

  /**
   * Orders two sweep-parameter values: as numbers when both parse as finite numbers (ties broken by text, so
   * "1" ≠ "1.0"), else as text. The order of metrics.csv rows and of the report's sweep axes.
   */
  public static int compareValues(String a, String b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      int c = Double.compare(x, y);
      return c != 0 ? c : a.compareTo(b);
    }
    return a.compareTo(b);
  }

  /** The value as a finite number, or null when it is not one. */
  public static Double number(String s) {
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
