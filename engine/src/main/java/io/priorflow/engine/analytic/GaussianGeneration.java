package io.priorflow.engine.analytic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generation of the Gaussian world: its model and its distance to the truth.
 *
 * @param generation n ≥ 0; generation 0's model is the truth itself, generation n ≥ 1's is the n-th fit
 * @param model      the generation's model
 * @param w2         W₂ distance from the model to the true Gaussian
 */
public record GaussianGeneration(int generation, GaussianModel model, double w2) {

  /** Metric name of the fitted mean. */
  public static final String MEAN = "gaussian.mean";
  /** Metric name of the fitted variance. */
  public static final String VARIANCE = "gaussian.variance";
  /** Metric name of the W₂ distance to the truth. */
  public static final String W2 = "gaussian.w2";

  /** The generation's metrics in output order: gaussian.mean, gaussian.variance, gaussian.w2. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(MEAN, model.mean());
    m.put(VARIANCE, model.variance());
    m.put(W2, w2);
    return m;
  }
}
