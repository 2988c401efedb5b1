package io.priorflow.engine.work;

import io.priorflow.engine.metrics.BestOfNCurve;
import java.util.List;
import java.util.Map;

/**
 * The model's metrics, in MetricNames order.
 *
 * @param bestOfNCurve with {@code evaluation.bestOfN}: the best-of-m curve, m = 1, 2, 4, … n ({@link BestOfNCurve});
 *                     else empty
 */
public record EvaluateResult(String id, Map<String, Double> metrics, List<BestOfNCurve.Point> bestOfNCurve)
    implements WorkResult {
  public EvaluateResult {
    bestOfNCurve = bestOfNCurve == null ? List.of() : List.copyOf(bestOfNCurve);
  }

  /** A result without a best-of-n curve. */
  public EvaluateResult(String id, Map<String, Double> metrics) {
    this(id, metrics, List.of());
  }
}
