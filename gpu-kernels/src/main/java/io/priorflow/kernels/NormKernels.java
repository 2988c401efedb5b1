package io.priorflow.kernels;

/**
 * Reference layer normalisation over the last dimension, forward and backward, and the residual add, following
 * llm.c's CPU reference:
 * <pre>
 *   A. Karpathy, llm.c, train_gpt2.c: layernorm_forward, layernorm_backward, residual_forward
 *   (github.com/karpathy/llm.c); J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer Normalization", arXiv:1607.06450, 2016.
 * </pre>
 *
 * <p>Dimensions: {@code rows} positions (batch × sequence, flattened), {@code n} features per position. Shapes, all
 * flat row-major: x, y, dy, dx (rows, n); gamma, beta, dGamma, dBeta (n); mean, rstd (rows).
 *
 * <p>Every sum runs in float in a fixed order: over the n features in ascending column order for a row, over rows
 * in ascending row order for a column. The normalised value x̂ = (x − mean)·rstd is recomputed the same way in
 * forward and backward. The backward kernel <b>accumulates</b> ({@code +=}) into dx, dGamma and dBeta, like every
 * layer backward here; each column sum is complete before it is added. Not here: RMS norm, or a fused
 * norm-plus-residual kernel.
 */
public final class NormKernels {
  private NormKernels() {}

  /** The ε added to the biased variance before the square root, as GPT-2 and llm.c use. */
  public static final float LAYER_NORM_EPS = 1e-5f;

  /**
   * y(rows, n) = (x − mean)·rstd·gamma + beta per row of x(rows, n), with mean(rows) = Σ x / n and
   * rstd(rows) = 1/√(var + {@link #LAYER_NORM_EPS}), var = Σ (x − mean)² / n (biased). Writes y, mean and rstd.
   * One work-item per row r; math in {@code forwardRow}.
   */
  public static void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                                      int rows, int n) {
    assert n >= 1 && x.length >= rows * n && y.length >= rows * n && gamma.length >= n && beta.length >= n
        && mean.length >= rows && rstd.length >= rows : "layerNormForward: array shorter than its shape";
    for (int r = 0; r < rows; r++) {
      forwardRow(x, gamma, beta, y, mean, rstd, r, n);
    }
  }

  /**
   * Backward of {@link #layerNormForward}, from the forward's mean and rstd. Accumulates:
   * dx(rows, n) += ∂L/∂x, dGamma(n) += Σ_rows dy·x̂, dBeta(n) += Σ_rows dy, rows summed in ascending order.
   * Two loops over independent outputs: one work-item per row r of dx (math in {@code inputGradRow}), then one per
   * column c of dGamma and dBeta (math in {@code gammaGrad} and {@code betaGrad}).
   */
  public static void layerNormBackward(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                       float[] dGamma, float[] dBeta, int rows, int n) {
    assert n >= 1 && x.length >= rows * n && dy.length >= rows * n && dx.length >= rows * n && gamma.length >= n
        && dGamma.length >= n && dBeta.length >= n && mean.length >= rows && rstd.length >= rows
        : "layerNormBackward: array shorter than its shape";
    for (int r = 0; r < rows; r++) {
      inputGradRow(x, dy, gamma, mean, rstd, dx, r, n);
    }
    for (int c = 0; c < n; c++) {
      dGamma[c] += gammaGrad(x, dy, mean, rstd, c, rows, n);
      dBeta[c] += betaGrad(dy, c, rows, n);
    }
  }

  /** y[i] += x[i] for i &lt; n: the residual connection. x, y: (n). One work-item per element. */
  public static void add(float[] x, float[] y, int n) {
    assert x.length >= n && y.length >= n : "add: array shorter than n = " + n;
    for (int i = 0; i < n; i++) {
      y[i] += x[i];
    }
  }

  /**
   * Row r: mean, biased variance and rstd in float over columns in order, then y = (rstd·(x − mean))·gamma + beta.
   * Public so that the Java backend runs exactly these operations on its row blocks.
   */
  public static void forwardRow(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd, int r,
                                int n) {
    int off = r * n;
    // the mean
    float m = 0f;
    for (int i = 0; i < n; i++) {
      m += x[off + i];
    }
    m = m / n;
    // the variance, without bias correction
    float v = 0f;
    for (int i = 0; i < n; i++) {
      float xs = x[off + i] - m;
      v += xs * xs;
    }
    v = v / n;
    // the reciprocal standard deviation; Math.sqrt of a float rounds like sqrtf
    float s = 1f / (float) Math.sqrt(v + LAYER_NORM_EPS);
    // normalise, scale and shift
    for (int i = 0; i < n; i++) {
      float xh = s * (x[off + i] - m);
      y[off + i] = xh * gamma[i] + beta[i];
    }
    mean[r] = m;
    rstd[r] = s;
  }

  /**
   * Row r of dx += rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = gamma·dy: the two row means in float over columns in
   * order, then one pass adding each element's term. Public for the Java backend, as {@link #forwardRow}.
   */
  public static void inputGradRow(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx, int r,
                                  int n) {
    int off = r * n;
    float m = mean[r];
    float s = rstd[r];
    // first the two reductions
    float gMean = 0f;
    float gxMean = 0f;
    for (int i = 0; i < n; i++) {
      float xh = s * (x[off + i] - m);
      float g = gamma[i] * dy[off + i];
      gMean += g;
      gxMean += g * xh;
    }
    gMean = gMean / n;
    gxMean = gxMean / n;
    // then each element: term 1 − term 2 − term 3, times rstd
    for (int i = 0; i < n; i++) {
      float xh = s * (x[off + i] - m);
      float g = gamma[i] * dy[off + i];
      dx[off + i] += (g - gMean - xh * gxMean) * s;
    }
  }

  /** Σ_r dy[r, c]·x̂[r, c] in float over rows in ascending order (not yet added to dGamma). */
  public static float gammaGrad(float[] x, float[] dy, float[] mean, float[] rstd, int c, int rows, int n) {
    float sum = 0f;
    for (int r = 0; r < rows; r++) {
      float xh = rstd[r] * (x[r * n + c] - mean[r]);
      sum += dy[r * n + c] * xh;
    }
    return sum;
  }

  /** Σ_r dy[r, c] in float over rows in ascending order (not yet added to dBeta). */
  public static float betaGrad(float[] dy, int c, int rows, int n) {
    float sum = 0f;
    for (int r = 0; r < rows; r++) {
      sum += dy[r * n + c];
    }
    return sum;
  }
}
