package io.priorflow.kernels;

/**
 * Finite-difference gradient checks for the kernel tests. A backward kernel is checked against central differences
 * of a scalar loss, typically L = Σ y·g for a fixed random g (so the gradient arriving at y is g). Losses are summed
 * in double from the kernels' float outputs; the step is large enough (1e-2..1e-3) that float rounding of the forward
 * pass stays well under the tolerance.
 */
final class GradCheck {
  private GradCheck() {}

  /** A scalar loss that re-runs the forward pass over the current parameter values. */
  @FunctionalInterface
  interface Loss {
    double eval();
  }

  /**
   * dL/dparam[i] for i &lt; n by central differences (L(p + eps) − L(p − eps)) / (2·eps), dividing by the step
   * actually taken in float. param is restored afterwards.
   */
  static float[] numeric(float[] param, int n, float eps, Loss loss) {
    float[] grad = new float[n];
    for (int i = 0; i < n; i++) {
      float p0 = param[i];
      float hi = p0 + eps;
      float lo = p0 - eps;
      param[i] = hi;
      double up = loss.eval();
      param[i] = lo;
      double down = loss.eval();
      param[i] = p0;
      grad[i] = (float) ((up - down) / ((double) hi - lo));
    }
    return grad;
  }

  /** Σ y[i]·g[i] in double. */
  static double dot(float[] y, float[] g) {
    double s = 0.0;
    for (int i = 0; i < y.length; i++) {
      s += (double) y[i] * g[i];
    }
    return s;
  }

  /** Σ y[i] in double. */
  static double total(float[] y) {
    double s = 0.0;
    for (float v : y) {
      s += v;
    }
    return s;
  }

  /** after − before, element-wise: what an accumulating kernel added. */
  static float[] added(float[] after, float[] before) {
    float[] d = new float[after.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = after[i] - before[i];
    }
    return d;
  }
}
