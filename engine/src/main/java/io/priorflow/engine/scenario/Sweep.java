package io.priorflow.engine.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A parameter sweep: a grid over scenario fields, from a scenario's {@code sweep:} section and the {@code --sweep}
 * arguments. Each dimension is a field path and the values it takes; a <i>point</i> is one value per dimension.
 * <pre>
 * sweep:
 *   actors.critics.temperature: [0.0, 0.5, 1.0]        # 3 values
 *   lineages[0].data.freshFraction: [0, 0.1]           # × 2 values = 6 points
 * </pre>
 * Points are numbered 0 .. points − 1 in row-major order: the first dimension varies slowest, the last fastest
 * (point 1 above is temperature 0.0 with freshFraction 0.1). Every point's scenario — the base with the point's
 * values set, as {@code --set} would — is validated when the file is loaded ({@link ScenarioLoader}), and
 * {@link ScenarioLoader#point} gives it. Points × replicates may be at most {@link #MAX_RUNS}.
 *
 * @param dimensions the swept fields, in the order of the file, then of new {@code --sweep} paths; empty: no sweep
 */
public record Sweep(List<Dimension> dimensions) {

  /** The most runs (sweep points × replicates) one command may start. */
  public static final int MAX_RUNS = 10_000;

  /** No sweep: one point, the scenario itself. */
  public static final Sweep NONE = new Sweep(List.of());

  /**
   * One swept field.
   *
   * @param path   the field path, canonical ({@code lineages[0].data.freshFraction})
   * @param values each value as metrics.csv's {@code param.<path>} column shows it: a number or boolean as written,
   *               a string's text, a list or mapping as compact JSON
   * @param yaml   each value as YAML flow text (strings JSON-quoted), for the resolved scenario
   */
  public record Dimension(String path, List<String> values, List<String> yaml) {
    /** Copies the lists; at least one value, as many YAML texts as values. */
    public Dimension {
      values = List.copyOf(values);
      yaml = List.copyOf(yaml);
      if (values.isEmpty() || values.size() != yaml.size()) {
        throw new IllegalArgumentException("A sweep dimension needs one or more values, each with its YAML text; "
            + path + " has " + values.size() + " values and " + yaml.size() + " texts.");
      }
    }
  }

  /** Copies the list. */
  public Sweep {
    dimensions = List.copyOf(dimensions);
  }

  /** True when nothing is swept. */
  public boolean isEmpty() {
    return dimensions.isEmpty();
  }

  /** The number of points (1 without a sweep), or {@code MAX_RUNS + 1} when there are more than MAX_RUNS. */
  public int points() {
    long n = 1;
    for (Dimension d : dimensions) {
      n *= d.values().size();
      if (n > MAX_RUNS) {
        return MAX_RUNS + 1;
      }
    }
    return (int) n;
  }

  /** The swept paths, in dimension order. */
  public List<String> paths() {
    return dimensions.stream().map(Dimension::path).toList();
  }

  /** Per dimension, the index of the point's value. */
  public int[] coordinates(int point) {
    if (point < 0 || point >= points()) {
      throw new IllegalArgumentException("Sweep point " + point + " does not exist; there are " + points()
          + " (0 to " + (points() - 1) + ").");
    }
    int[] c = new int[dimensions.size()];
    int rest = point;
    for (int d = dimensions.size() - 1; d >= 0; d--) {
      int size = dimensions.get(d).values().size();
      c[d] = rest % size;
      rest /= size;
    }
    return c;
  }

  /** The point's values as metrics.csv's {@code param.<path>} columns show them, sorted by path; empty without a sweep. */
  public SortedMap<String, String> params(int point) {
    int[] c = coordinates(point);
    SortedMap<String, String> out = new TreeMap<>();
    for (int d = 0; d < c.length; d++) {
      out.put(dimensions.get(d).path(), dimensions.get(d).values().get(c[d]));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** The point's values as {@code path=value} texts, in dimension order (for messages). */
  public List<String> assignments(int point) {
    int[] c = coordinates(point);
    List<String> out = new ArrayList<>();
    for (int d = 0; d < c.length; d++) {
      out.add(dimensions.get(d).path() + "=" + dimensions.get(d).values().get(c[d]));
    }
    return out;
  }

  /** The {@code sweep:} section of the resolved scenario ("" without a sweep), one flow list per dimension. */
  public String yaml() {
    if (dimensions.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("sweep:\n");
    for (Dimension d : dimensions) {
      out.append("  \"").append(d.path()).append("\": [").append(String.join(", ", d.yaml())).append("]\n");
    }
    return out.toString();
  }
}
