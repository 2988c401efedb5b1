package io.priorflow.engine.analytic;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generation of the linear-regression world: its weights and its test error.
 *
 * @param generation n ≥ 0; generation 0's weights are the true w*, generation n ≥ 1's the n-th fit
 * @param weights    ŵ_n, length d (the array is owned by this record; do not modify it)
 * @param testError  ‖ŵ_n − w*‖², the excess test error E_x[(xᵀŵ_n − xᵀw*)²] for x ~ N(0, I_d); it
 *                   leaves out the irreducible label noise σ²
 */
public record LinearGeneration(int generation, double[] weights, double testError) {

  /** Metric name of the test error. */
  public static final String TEST_ERROR = "linear.test_error";

  /** The generation's metrics in output order: linear.test_error. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(TEST_ERROR, testError);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinearGeneration g && g.generation == generation
        && Arrays.equals(g.weights, weights) && Double.compare(g.testError, testError) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * generation + Arrays.hashCode(weights)) + Double.hashCode(testError);
  }

  @Override
  public String toString() {
    return "LinearGeneration[generation=" + generation + ", weights=" + Arrays.toString(weights)
        + ", testError=" + testError + "]";
  }
}
