package io.priorflow.engine.lineage;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's family and size, as lineage.json records them beside its model node: what the report shows, and what
 * tells a big teacher from a small student. Plain data: the run fills it from the model's config.
 *
 * @param family the model family: "mlp" or "transformer"
 * @param head   "token" (a language model) or "scalar" (critics, reward models, classifiers)
 * @param params the number of parameters (weights and biases)
 * @param vocab  the vocabulary size
 * @param shape  the family's own fields, as a scenario writes them: context, embedDim, hidden, activation for an
 *               mlp; context, width, layers, heads, mlpWidth for a transformer (sorted by name)
 */
public record Architecture(String family, String head, long params, int vocab, Map<String, Object> shape) {

  /** Checks the fields; sorts the shape. */
  public Architecture {
    if (family == null || family.isBlank() || head == null || head.isBlank()) {
      throw new IllegalArgumentException("An architecture needs a family and a head, got " + family + " and " + head
          + ".");
    }
    if (params < 0) {
      throw new IllegalArgumentException("An architecture has params ≥ 0, was " + params + ".");
    }
    SortedMap<String, Object> sorted = new TreeMap<>(shape == null ? Map.of() : shape);
    shape = Collections.unmodifiableSortedMap(sorted);
  }

  /** "mlp 70.4k params: context 8, embedDim 24, hidden [256], activation gelu". */
  public String summary() {
    StringBuilder b = new StringBuilder(family).append(' ').append(paramsText()).append(" params");
    String sep = ": ";
    for (Map.Entry<String, Object> e : shape.entrySet()) {
      b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
      sep = ", ";
    }
    return b.toString();
  }

  /** The parameter count in a few digits: 912, 70.4k, 1.25M. */
  public String paramsText() {
    if (params < 1000) return Long.toString(params);
    if (params < 1_000_000) return trim(params / 1e3) + "k";
    return trim(params / 1e6) + "M";
  }

  private static String trim(double v) {
    return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
