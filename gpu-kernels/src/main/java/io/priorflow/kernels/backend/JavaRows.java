package io.priorflow.kernels.backend;

/**
 * The Java backend's row-wise and reducing kernels: softmax, log-softmax, hard and soft cross-entropy with their
 * gradients and the row log-sum-exp over rows [r0, r1) of a (rows, n) matrix, and the chunk partials of the
 * whole-array reductions.
 *
 * <p>Row kernels repeat the reference's per-row math operation for operation (max with Math.max, exponentials with
 * Math.exp, float sums in column order), so each row is bit-identical to {@code LossKernels}; the speed comes from
 * running rows in parallel. Whole-array reductions cannot be both parallel and in the reference's single order:
 * they sum fixed chunks of {@link #CHUNK} values, each with four interleaved double accumulators
 * (i mod 4, combined as (s0 + s1) + (s2 + s3)), and then add the chunk partials in chunk order, so the result
 * depends on n only, never on the thread count, and differs from the reference's sequential double sum only by
 * rounding. Not here: element-wise kernels ({@link JavaElementwise}).
 */
final class JavaRows {
  private JavaRows() {}

  /** Values per chunk of a whole-array reduction. */
  static final int CHUNK = 4096;

  // ---- rows ---------------------------------------------------------------------------------------------------------

  /** Rows [r0, r1): probs = softmax(logits). */
  static void softmax(float[] logits, float[] probs, int n, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      softmaxRow(logits, probs, r * n, n);
    }
  }

  /** Rows [r0, r1): out = logits − logsumexp(row). */
  static void logSoftmax(float[] logits, float[] out, int n, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      float lse = lseOfRow(logits, off, n);
      for (int j = 0; j < n; j++) {
        out[off + j] = logits[off + j] - lse;
      }
    }
  }

  /** Rows [r0, r1): losses[r] = mask[r] · (logsumexp(row) − row[targets[r]]); 0, target unread, when mask is 0. */
  static void crossEntropy(float[] logits, int[] targets, float[] mask, float[] losses, int n, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      float w = mask[r];
      if (w == 0f) {
        losses[r] = 0f;
        continue;
      }
      int t = targets[r];
      assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
      int off = r * n;
      losses[r] = w * (lseOfRow(logits, off, n) - logits[off + t]);
    }
  }

  /** Rows [r0, r1): dlogits = scale · mask[r] · (softmax − onehot(targets[r])); zeros when mask is 0. Writes. */
  static void crossEntropyGrad(float[] logits, int[] targets, float[] mask, float[] dlogits, int n, float scale,
                               int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      if (mask[r] == 0f) {
        java.util.Arrays.fill(dlogits, off, off + n, 0f);
        continue;
      }
      float w = scale * mask[r];
      int t = targets[r];
      assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
      softmaxRow(logits, dlogits, off, n);
      for (int j = 0; j < n; j++) {
        float onehot = j == t ? 1f : 0f;
        dlogits[off + j] = w * (dlogits[off + j] - onehot);
      }
    }
  }

  /** Rows [r0, r1): losses[r] = mask[r] · Σ_j p_j · (logsumexp(row) − x_j); 0 when mask is 0. */
  static void softCrossEntropy(float[] logits, float[] targetProbs, float[] mask, float[] losses, int n, int r0,
                               int r1) {
    for (int r = r0; r < r1; r++) {
      float w = mask[r];
      if (w == 0f) {
        losses[r] = 0f;
        continue;
      }
      int off = r * n;
      float lse = lseOfRow(logits, off, n);
      float s = 0f;
      for (int j = 0; j < n; j++) {
        s += targetProbs[off + j] * (lse - logits[off + j]);
      }
      losses[r] = w * s;
    }
  }

  /** Rows [r0, r1): dlogits = scale · mask[r] · (softmax − p_r); zeros when mask is 0. Writes. */
  static void softCrossEntropyGrad(float[] logits, float[] targetProbs, float[] mask, float[] dlogits, int n,
                                   float scale, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      if (mask[r] == 0f) {
        java.util.Arrays.fill(dlogits, off, off + n, 0f);
        continue;
      }
      float w = scale * mask[r];
      softmaxRow(logits, dlogits, off, n);
      for (int j = 0; j < n; j++) {
        dlogits[off + j] = w * (dlogits[off + j] - targetProbs[off + j]);
      }
    }
  }

  /** Rows [r0, r1): out[r] = logsumexp of row r. */
  static void rowLogSumExp(float[] x, float[] out, int n, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      out[r] = lseOfRow(x, r * n, n);
    }
  }

  /** out[off + j] = exp(x_j − max) / Σ exp(x − max), the sum in float in column order. Safe in place. */
  private static void softmaxRow(float[] x, float[] out, int off, int n) {
    float m = maxOf(x, off, off + n);
    float s = 0f;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp(x[off + j] - m);
      out[off + j] = e;
      s += e;
    }
    float inv = 1f / s;
    for (int j = 0; j < n; j++) {
      out[off + j] *= inv;
    }
  }

  /** Stable log-sum-exp of x[off .. off + n), summed in float in column order; ±∞ max returned as is. */
  private static float lseOfRow(float[] x, int off, int n) {
    float m = maxOf(x, off, off + n);
    if (Float.isInfinite(m)) {
      return m; // all −∞ gives −∞, any +∞ gives +∞: avoids ∞ − ∞ = NaN, as the reference
    }
    float s = 0f;
    for (int j = 0; j < n; j++) {
      s += (float) Math.exp(x[off + j] - m);
    }
    return m + (float) Math.log(s);
  }

  // ---- chunk partials of whole-array reductions ---------------------------------------------------------------------

  /** max of x[from .. to), to &gt; from, with Math.max: NaN propagates. Order-free, so exact in any split. */
  static float maxOf(float[] x, int from, int to) {
    float m = x[from];
    for (int i = from + 1; i < to; i++) {
      m = Math.max(m, x[i]);
    }
    return m;
  }

  /** Σ x[from .. to) in double, four interleaved accumulators combined as (s0 + s1) + (s2 + s3). */
  static double sumOf(float[] x, int from, int to) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
    for (int q = 0; i < to; i++, q++) {
      // The tail continues the same i mod 4 lanes, so the grouping depends on the chunk length alone.
      switch (q) {
        case 0 -> s0 += x[i];
        case 1 -> s1 += x[i];
        default -> s2 += x[i];
      }
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ x[i]² over [from, to) in double, grouped as {@link #sumOf}. */
  static double sumSquaresOf(float[] x, int from, int to) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      double v0 = x[i];
      double v1 = x[i + 1];
      double v2 = x[i + 2];
      double v3 = x[i + 3];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    for (int q = 0; i < to; i++, q++) {
      double v = x[i];
      switch (q) {
        case 0 -> s0 += v * v;
        case 1 -> s1 += v * v;
        default -> s2 += v * v;
      }
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ exp(x[i] − m) over [from, to) in double, grouped as {@link #sumOf}. */
  static double expSumOf(float[] x, int from, int to, float m) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      s0 += Math.exp(x[i] - m);
      s1 += Math.exp(x[i + 1] - m);
      s2 += Math.exp(x[i + 2] - m);
      s3 += Math.exp(x[i + 3] - m);
    }
    for (int q = 0; i < to; i++, q++) {
      double e = Math.exp(x[i] - m);
      switch (q) {
        case 0 -> s0 += e;
        case 1 -> s1 += e;
        default -> s2 += e;
      }
    }
    return (s0 + s1) + (s2 + s3);
  }
}
