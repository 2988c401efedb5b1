package io.priorflow.kernels;

/**
 * Reference kernels of a dense (fully connected) layer y = x · Wᵀ + b, forward and backward.
 *
 * <p>Dimensions: {@code batch} rows of a batch, {@code nIn} input width, {@code nOut} output width. Shapes, all flat
 * row-major: x (batch, nIn), W (nOut, nIn) — one row of weights per output, as in PyTorch's nn.Linear — b (nOut),
 * y (batch, nOut); each gradient has the shape of its value.
 *
 * <p>The backward kernels <b>accumulate</b> ({@code +=}) into dx, dW and db, so a layer used twice in a step sums its
 * gradients and the caller zeroes the buffers once per step. Every sum runs in a fixed order in float and is added to
 * the buffer only when complete. Not here: activations ({@link ActivationKernels}) or the low-rank adapter path
 * ({@link LoraKernels}).
 */
public final class DenseKernels {
  private DenseKernels() {}

  /**
   * y(batch, nOut) = x(batch, nIn) · W(nOut, nIn)ᵀ + b(nOut). One work-item per batch row r of y; math in
   * {@code forwardRow}.
   */
  public static void denseForward(float[] x, float[] w, float[] b, float[] y, int batch, int nIn, int nOut) {
    assert x.length >= batch * nIn && w.length >= nOut * nIn && b.length >= nOut && y.length >= batch * nOut
        : "denseForward: array shorter than its shape";
    for (int r = 0; r < batch; r++) {
      forwardRow(x, w, b, y, r, nIn, nOut);
    }
  }

  /**
   * dx(batch, nIn) += dy(batch, nOut) · W(nOut, nIn). One work-item per batch row r of dx; math in
   * {@code inputGradRow}.
   */
  public static void denseBackwardInput(float[] dy, float[] w, float[] dx, int batch, int nIn, int nOut) {
    assert dy.length >= batch * nOut && w.length >= nOut * nIn && dx.length >= batch * nIn
        : "denseBackwardInput: array shorter than its shape";
    for (int r = 0; r < batch; r++) {
      inputGradRow(dy, w, dx, r, nIn, nOut);
    }
  }

  /**
   * dW(nOut, nIn) += dy(batch, nOut)ᵀ · x(batch, nIn), summed over batch rows in order. One work-item per output
   * neuron o (row o of dW); math in {@code weightGradRow}.
   */
  public static void denseBackwardWeights(float[] dy, float[] x, float[] dW, int batch, int nIn, int nOut) {
    assert dy.length >= batch * nOut && x.length >= batch * nIn && dW.length >= nOut * nIn
        : "denseBackwardWeights: array shorter than its shape";
    for (int o = 0; o < nOut; o++) {
      weightGradRow(dy, x, dW, o, batch, nIn, nOut);
    }
  }

  /**
   * db(nOut) += Σ_r dy(batch, nOut)[r], summed over batch rows in order. One work-item per output neuron o; math in
   * {@code biasGrad}.
   */
  public static void denseBackwardBias(float[] dy, float[] db, int batch, int nOut) {
    assert dy.length >= batch * nOut && db.length >= nOut : "denseBackwardBias: array shorter than its shape";
    for (int o = 0; o < nOut; o++) {
      db[o] += biasGrad(dy, o, batch, nOut);
    }
  }

  /** y[r, o] = b[o] + Σ_i x[r, i] · W[o, i], i in order. */
  private static void forwardRow(float[] x, float[] w, float[] b, float[] y, int r, int nIn, int nOut) {
    int xOff = r * nIn;
    for (int o = 0; o < nOut; o++) {
      int wOff = o * nIn;
      float s = 0f;
      for (int i = 0; i < nIn; i++) {
        s += x[xOff + i] * w[wOff + i];
      }
      y[r * nOut + o] = b[o] + s;
    }
  }

  /** dx[r, i] += Σ_o dy[r, o] · W[o, i], o in order. */
  private static void inputGradRow(float[] dy, float[] w, float[] dx, int r, int nIn, int nOut) {
    int dyOff = r * nOut;
    for (int i = 0; i < nIn; i++) {
      float s = 0f;
      for (int o = 0; o < nOut; o++) {
        s += dy[dyOff + o] * w[o * nIn + i];
      }
      dx[r * nIn + i] += s;
    }
  }

  /** dW[o, i] += Σ_r dy[r, o] · x[r, i], r in order. */
  private static void weightGradRow(float[] dy, float[] x, float[] dW, int o, int batch, int nIn, int nOut) {
    for (int i = 0; i < nIn; i++) {
      float s = 0f;
      for (int r = 0; r < batch; r++) {
        s += dy[r * nOut + o] * x[r * nIn + i];
      }
      dW[o * nIn + i] += s;
    }
  }

  /** Σ_r dy[r, o], r in order. */
  private static float biasGrad(float[] dy, int o, int batch, int nOut) {
    float s = 0f;
    for (int r = 0; r < batch; r++) {
      s += dy[r * nOut + o];
    }
    return s;
  }
}
