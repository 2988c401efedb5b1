package io.priorflow.kernels;

/**
 * Reference kernels of LoRA, the trainable low-rank path beside a frozen dense layer (Hu et al. 2021):
 * y = x·W₀ᵀ + b + scale · (x·Aᵀ)·Bᵀ, where only A and B learn.
 *
 * <p>Dimensions: {@code batch} rows, {@code nIn}/{@code nOut} the frozen layer's widths, {@code rank} the adapter
 * rank. Shapes, all flat row-major: x (batch, nIn), A (rank, nIn), B (nOut, rank), h = x·Aᵀ (batch, rank), y and dy
 * (batch, nOut); gradients have the shape of their values. {@code scale} is usually alpha / rank.
 *
 * <p>The backward pass is three kernels, each one loop over independent outputs, run in this order because dA
 * needs dh:
 * <pre>
 *   dy, B ──► {@link #loraBackwardHidden} ──► dh (written), dx += dh·A
 *   dy, h ──► {@link #loraBackwardB}      ──► dB += scale·dyᵀ·h
 *   dh, x ──► {@link #loraBackwardA}      ──► dA += dhᵀ·x
 * </pre>
 * dA, dB and dx <b>accumulate</b>; dh is scratch and is written. Not here: the frozen layer's own forward and its
 * dx contribution ({@link DenseKernels}), or merging B·A into W₀.
 */
public final class LoraKernels {
  private LoraKernels() {}

  /**
   * h(batch, rank) = x(batch, nIn) · A(rank, nIn)ᵀ (written); y(batch, nOut) += scale · h · B(nOut, rank)ᵀ. The base
   * layer's output must already be in y. One work-item per batch row r (row r of h feeds only row r of y); math in
   * {@code forwardRow}.
   */
  public static void loraForward(float[] x, float[] a, float[] b, float[] h, float[] y, int batch, int nIn, int rank,
                                 int nOut, float scale) {
    assert x.length >= batch * nIn && a.length >= rank * nIn && b.length >= nOut * rank && h.length >= batch * rank
        && y.length >= batch * nOut : "loraForward: array shorter than its shape";
    for (int r = 0; r < batch; r++) {
      forwardRow(x, a, b, h, y, r, nIn, rank, nOut, scale);
    }
  }

  /**
   * dh(batch, rank) = scale · dy · B (written); dB += scale · dyᵀ · h; dA += dhᵀ · x; dx += dh · A. Runs the three
   * backward kernels of the class Javadoc in order. x: (batch, nIn); h: (batch, rank) from the forward; dy: (batch,
   * nOut); a, dA: (rank, nIn); b, dB: (nOut, rank); dh: (batch, rank); dx: (batch, nIn).
   */
  public static void loraBackward(float[] x, float[] h, float[] dy, float[] a, float[] b, float[] dh, float[] dx,
                                  float[] dA, float[] dB, int batch, int nIn, int rank, int nOut, float scale) {
    loraBackwardHidden(dy, a, b, dh, dx, batch, nIn, rank, nOut, scale);
    loraBackwardB(dy, h, dB, batch, rank, nOut, scale);
    loraBackwardA(dh, x, dA, batch, nIn, rank);
  }

  /**
   * dh(batch, rank) = scale · dy(batch, nOut) · B(nOut, rank) (written); dx(batch, nIn) += dh · A(rank, nIn). One
   * work-item per batch row r; math in {@code hiddenGradRow}.
   */
  public static void loraBackwardHidden(float[] dy, float[] a, float[] b, float[] dh, float[] dx, int batch, int nIn,
                                        int rank, int nOut, float scale) {
    assert dy.length >= batch * nOut && a.length >= rank * nIn && b.length >= nOut * rank && dh.length >= batch * rank
        && dx.length >= batch * nIn : "loraBackwardHidden: array shorter than its shape";
    for (int r = 0; r < batch; r++) {
      hiddenGradRow(dy, a, b, dh, dx, r, nIn, rank, nOut, scale);
    }
  }

  /**
   * dB(nOut, rank) += scale · dy(batch, nOut)ᵀ · h(batch, rank), summed over rows in order. One work-item per output
   * o (row o of dB); math in {@code bGradRow}.
   */
  public static void loraBackwardB(float[] dy, float[] h, float[] dB, int batch, int rank, int nOut, float scale) {
    assert dy.length >= batch * nOut && h.length >= batch * rank && dB.length >= nOut * rank
        : "loraBackwardB: array shorter than its shape";
    for (int o = 0; o < nOut; o++) {
      bGradRow(dy, h, dB, o, batch, rank, nOut, scale);
    }
  }

  /**
   * dA(rank, nIn) += dh(batch, rank)ᵀ · x(batch, nIn), summed over rows in order. One work-item per rank index k (row
   * k of dA); math in {@code aGradRow}.
   */
  public static void loraBackwardA(float[] dh, float[] x, float[] dA, int batch, int nIn, int rank) {
    assert dh.length >= batch * rank && x.length >= batch * nIn && dA.length >= rank * nIn
        : "loraBackwardA: array shorter than its shape";
    for (int k = 0; k < rank; k++) {
      aGradRow(dh, x, dA, k, batch, nIn, rank);
    }
  }

  /** h[r, k] = Σ_i x[r, i]·A[k, i]; then y[r, o] += scale · Σ_k h[r, k]·B[o, k]. */
  private static void forwardRow(float[] x, float[] a, float[] b, float[] h, float[] y, int r, int nIn, int rank,
                                 int nOut, float scale) {
    int hOff = r * rank;
    for (int k = 0; k < rank; k++) {
      float s = 0f;
      for (int i = 0; i < nIn; i++) {
        s += x[r * nIn + i] * a[k * nIn + i];
      }
      h[hOff + k] = s;
    }
    for (int o = 0; o < nOut; o++) {
      float s = 0f;
      for (int k = 0; k < rank; k++) {
        s += h[hOff + k] * b[o * rank + k];
      }
      y[r * nOut + o] += scale * s;
    }
  }

  /** dh[r, k] = scale · Σ_o dy[r, o]·B[o, k]; then dx[r, i] += Σ_k dh[r, k]·A[k, i]. */
  private static void hiddenGradRow(float[] dy, float[] a, float[] b, float[] dh, float[] dx, int r, int nIn,
                                    int rank, int nOut, float scale) {
    int hOff = r * rank;
    for (int k = 0; k < rank; k++) {
      float s = 0f;
      for (int o = 0; o < nOut; o++) {
        s += dy[r * nOut + o] * b[o * rank + k];
      }
      dh[hOff + k] = scale * s;
    }
    for (int i = 0; i < nIn; i++) {
      float s = 0f;
      for (int k = 0; k < rank; k++) {
        s += dh[hOff + k] * a[k * nIn + i];
      }
      dx[r * nIn + i] += s;
    }
  }

  /** dB[o, k] += scale · Σ_r dy[r, o]·h[r, k]. */
  private static void bGradRow(float[] dy, float[] h, float[] dB, int o, int batch, int rank, int nOut, float scale) {
    for (int k = 0; k < rank; k++) {
      float s = 0f;
      for (int r = 0; r < batch; r++) {
        s += dy[r * nOut + o] * h[r * rank + k];
      }
      dB[o * rank + k] += scale * s;
    }
  }

  /** dA[k, i] += Σ_r dh[r, k]·x[r, i]. */
  private static void aGradRow(float[] dh, float[] x, float[] dA, int k, int batch, int nIn, int rank) {
    for (int i = 0; i < nIn; i++) {
      float s = 0f;
      for (int r = 0; r < batch; r++) {
        s += dh[r * rank + k] * x[r * nIn + i];
      }
      dA[k * nIn + i] += s;
    }
  }
}
