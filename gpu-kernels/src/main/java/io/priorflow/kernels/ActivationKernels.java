package io.priorflow.kernels;

/**
 * Reference element-wise activations and their backward passes: GELU (tanh approximation), ReLU and tanh.
 *
 * <p>Dimension: {@code n}, the number of values; the arrays may hold a matrix of any shape, flattened. x is the
 * forward input, y the forward output, dy the gradient arriving at y and dx the gradient of x, all (n).
 *
 * <p>Every kernel is one outer loop with one work-item per element i; the math is in a scalar helper. Backward kernels
 * <b>accumulate</b> ({@code +=}) into dx. Not here: softmax, which is row-wise ({@link LossKernels}).
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  /** √(2/π), the GELU tanh-approximation constant. */
  private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
  /** The cubic coefficient of the GELU tanh approximation. */
  private static final float GELU_CUBIC = 0.044715f;

  /**
   * y = GELU(x) in the tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hendrycks &amp; Gimpel 2016,
   * as in GPT-2). x, y: (n). One work-item per element i; math in {@code gelu}.
   */
  public static void geluForward(float[] x, float[] y, int n) {
    assert x.length >= n && y.length >= n : "geluForward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      y[i] = gelu(x[i]);
    }
  }

  /** dx += dy · GELU'(x). x, dy, dx: (n). One work-item per element i; math in {@code geluGrad}. */
  public static void geluBackward(float[] x, float[] dy, float[] dx, int n) {
    assert x.length >= n && dy.length >= n && dx.length >= n : "geluBackward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      dx[i] += dy[i] * geluGrad(x[i]);
    }
  }

  /** y = max(0, x). x, y: (n). One work-item per element i; math in {@code relu}. */
  public static void reluForward(float[] x, float[] y, int n) {
    assert x.length >= n && y.length >= n : "reluForward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      y[i] = relu(x[i]);
    }
  }

  /**
   * dx += dy · [x &gt; 0] (the subgradient at 0 is taken as 0). x, dy, dx: (n). One work-item per element i; math in
   * {@code reluGrad}.
   */
  public static void reluBackward(float[] x, float[] dy, float[] dx, int n) {
    assert x.length >= n && dy.length >= n && dx.length >= n : "reluBackward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      dx[i] += dy[i] * reluGrad(x[i]);
    }
  }

  /** y = tanh(x). x, y: (n). One work-item per element i; math in {@code tanh}. */
  public static void tanhForward(float[] x, float[] y, int n) {
    assert x.length >= n && y.length >= n : "tanhForward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      y[i] = tanh(x[i]);
    }
  }

  /**
   * dx += dy · (1 − y²), from the forward <em>output</em> y = tanh(x), so x need not be kept. y, dy, dx: (n). One
   * work-item per element i; math in {@code tanhGradFromOutput}.
   */
  public static void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    assert y.length >= n && dy.length >= n && dx.length >= n : "tanhBackward: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      dx[i] += dy[i] * tanhGradFromOutput(y[i]);
    }
  }

  /** 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³). */
  private static float gelu(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    return 0.5f * x * (1f + tanh(u));
  }

  /** d/dx of {@code gelu}: 0.5·(1 + t) + 0.5·x·(1 − t²)·u', t = tanh(u), u' = √(2/π)·(1 + 3·0.044715·x²). */
  private static float geluGrad(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    float t = tanh(u);
    float du = SQRT_2_OVER_PI * (1f + 3f * GELU_CUBIC * x * x);
    return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du;
  }

  /** Math.max rather than a comparison, so a NaN input stays NaN and a diverged run is not hidden. */
  private static float relu(float x) {
    return Math.max(0f, x);
  }

  private static float reluGrad(float x) {
    return x > 0f ? 1f : 0f;
  }

  /** tanh in double, rounded once to float: saturates cleanly to ±1 for large |x|. */
  private static float tanh(float x) {
    return (float) Math.tanh(x);
  }

  private static float tanhGradFromOutput(float y) {
    return 1f - y * y;
  }
}
