package io.priorflow.kernels.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java backend's row-wise and reducing kernels: softmax, log-softmax, hard and soft cross-entropy with their
 * gradients and the row log-sum-exp over rows [r0, r1) of a (rows, n) matrix, and the chunk partials of the
 * whole-array reductions.
 *
 * <p>Row kernels follow the reference's per-row math (max, then exponentials of x − max, their sum, a log or a
 * division) on full-width vectors: the max with {@link JavaMath#maxRow} (exact in any order), the exponentials with
 * {@link JavaMath#exp} (the same bits in lanes and tail), their sum in 16 fixed partial sums added as a fixed tree
 * ({@link JavaMath#expSumRow}). So each row's result depends only on the row, never on the vector width or the thread
 * count, and agrees with {@code LossKernels} (Math.exp, one float sum in column order) within a few ulp. The speed
 * comes from the vectors and from running rows in parallel.
 *
 * <p>Whole-array reductions cannot be both parallel and in the reference's single order: they sum fixed chunks of
 * {@link #CHUNK} values, each with four interleaved double accumulators (i mod 4, combined as (s0 + s1) + (s2 + s3)),
 * and then add the chunk partials in chunk order, so the result depends on n only, never on the thread count, and
 * differs from the reference's sequential double sum only by rounding. Not here: element-wise kernels
 * ({@link JavaElementwise}).
 */
final class JavaRows {
  private JavaRows() {}

  /** Values per chunk of a whole-array reduction. */
  static final int CHUNK = 4096;

  private static final VectorSpecies<Float> S = JavaMath.S;
  private static final int L = S.length();

  // ---- rows ---------------------------------------------------------------------------------------------------------

  /** Rows [r0, r1): probs = softmax(logits). */
  static void softmax(float[] logits, float[] probs, int n, int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      softmaxRow(logits, probs, r * n, n, lanes);
    }
  }

  /** Rows [r0, r1): out = logits − logsumexp(row). */
  static void logSoftmax(float[] logits, float[] out, int n, int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      float lse = lseOfRow(logits, off, n, lanes);
      int j = 0;
      for (int end = S.loopBound(n); j < end; j += L) {
        FloatVector.fromArray(S, logits, off + j).sub(lse).intoArray(out, off + j);
      }
      for (; j < n; j++) {
        out[off + j] = logits[off + j] - lse;
      }
    }
  }

  /** Rows [r0, r1): losses[r] = mask[r] · (logsumexp(row) − row[targets[r]]); 0, target unread, when mask is 0. */
  static void crossEntropy(float[] logits, int[] targets, float[] mask, float[] losses, int n, int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      float w = mask[r];
      if (w == 0f) {
        losses[r] = 0f;
        continue;
      }
      int t = targets[r];
      assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
      int off = r * n;
      losses[r] = w * (lseOfRow(logits, off, n, lanes) - logits[off + t]);
    }
  }

  /** Rows [r0, r1): dlogits = scale · mask[r] · (softmax − onehot(targets[r])); zeros when mask is 0. Writes. */
  static void crossEntropyGrad(float[] logits, int[] targets, float[] mask, float[] dlogits, int n, float scale,
                               int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      if (mask[r] == 0f) {
        java.util.Arrays.fill(dlogits, off, off + n, 0f);
        continue;
      }
      float w = scale * mask[r];
      int t = targets[r];
      assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
      // p_t is read before the row is scaled, so this is safe in place (dlogits == logits)
      float inv = 1f / JavaMath.expSumRow(logits, off, n, JavaMath.maxRow(logits, off, n, lanes), dlogits, off,
          lanes);
      float pt = dlogits[off + t] * inv;
      for (int j = 0; j < n; j += L) {
        VectorMask<Float> in = S.indexInRange(j, n);
        FloatVector.fromArray(S, dlogits, off + j, in).mul(inv).mul(w).intoArray(dlogits, off + j, in);
      }
      dlogits[off + t] = w * (pt - 1f);
    }
  }

  /** Rows [r0, r1): losses[r] = mask[r] · Σ_j p_j · (logsumexp(row) − x_j); 0 when mask is 0. */
  static void softCrossEntropy(float[] logits, float[] targetProbs, float[] mask, float[] losses, int n, int r0,
                               int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      float w = mask[r];
      if (w == 0f) {
        losses[r] = 0f;
        continue;
      }
      int off = r * n;
      float lse = lseOfRow(logits, off, n, lanes);
      losses[r] = w * weightedGapSum(logits, targetProbs, off, n, lse, lanes);
    }
  }

  /** Rows [r0, r1): dlogits = scale · mask[r] · (softmax − p_r); zeros when mask is 0. Writes. */
  static void softCrossEntropyGrad(float[] logits, float[] targetProbs, float[] mask, float[] dlogits, int n,
                                   float scale, int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      if (mask[r] == 0f) {
        java.util.Arrays.fill(dlogits, off, off + n, 0f);
        continue;
      }
      float w = scale * mask[r];
      softmaxRow(logits, dlogits, off, n, lanes);
      int j = 0;
      for (int end = S.loopBound(n); j < end; j += L) {
        FloatVector.fromArray(S, dlogits, off + j).sub(FloatVector.fromArray(S, targetProbs, off + j)).mul(w)
            .intoArray(dlogits, off + j);
      }
      for (; j < n; j++) {
        dlogits[off + j] = (dlogits[off + j] - targetProbs[off + j]) * w;
      }
    }
  }

  /** Rows [r0, r1): out[r] = logsumexp of row r. */
  static void rowLogSumExp(float[] x, float[] out, int n, int r0, int r1) {
    float[] lanes = new float[JavaMath.SUM_LANES];
    for (int r = r0; r < r1; r++) {
      out[r] = lseOfRow(x, r * n, n, lanes);
    }
  }

  /** out[off + j] = exp(x_j − max) / Σ exp(x − max) ({@link JavaMath#expSumRow}). Safe in place. */
  private static void softmaxRow(float[] x, float[] out, int off, int n, float[] lanes) {
    float m = JavaMath.maxRow(x, off, n, lanes);
    float inv = 1f / JavaMath.expSumRow(x, off, n, m, out, off, lanes);
    for (int j = 0; j < n; j += L) {
      VectorMask<Float> in = S.indexInRange(j, n);
      FloatVector.fromArray(S, out, off + j, in).mul(inv).intoArray(out, off + j, in);
    }
  }

  /** Stable log-sum-exp of x[off .. off + n) ({@link JavaMath#expSumRow}); ±∞ max returned as is. */
  private static float lseOfRow(float[] x, int off, int n, float[] lanes) {
    float m = JavaMath.maxRow(x, off, n, lanes);
    if (Float.isInfinite(m)) {
      return m; // all −∞ gives −∞, any +∞ gives +∞: avoids ∞ − ∞ = NaN, as the reference
    }
    return m + (float) Math.log(JavaMath.expSumRow(x, off, n, m, null, 0, lanes));
  }

  /**
   * Σ_j p[off + j] · (lse − x[off + j]) in the 16 fixed partial sums of {@link JavaMath#expSumRow} (j mod 16, then a
   * fixed tree), so the result does not depend on the vector width.
   */
  private static float weightedGapSum(float[] x, float[] p, int off, int n, float lse, float[] lanes) {
    java.util.Arrays.fill(lanes, 0, JavaMath.SUM_LANES, 0f);
    FloatVector lv = FloatVector.broadcast(S, lse);
    int j = 0;
    int end = n - n % JavaMath.SUM_LANES;
    for (; j < end; j += JavaMath.SUM_LANES) {
      for (int q = 0; q < JavaMath.SUM_LANES; q += L) {
        FloatVector gap = lv.sub(FloatVector.fromArray(S, x, off + j + q));
        FloatVector term = FloatVector.fromArray(S, p, off + j + q).mul(gap);
        FloatVector.fromArray(S, lanes, q).add(term).intoArray(lanes, q);
      }
    }
    for (; j < n; j++) {
      lanes[j % JavaMath.SUM_LANES] += p[off + j] * (lse - x[off + j]);
    }
    return JavaMath.treeSum16(lanes);
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
