package io.priorflow.kernels;

/**
 * Reference row-wise softmax, log-softmax and cross-entropy losses (hard and soft targets), forward and backward.
 *
 * <p>Dimensions: {@code rows} positions (batch × sequence, flattened), {@code n} classes (the vocabulary). Shapes, all
 * flat row-major: logits, probs, targetProbs and dlogits (rows, n); targets, mask and losses (rows).
 *
 * <p>Every kernel is one outer loop with one work-item per row r. Each row is made stable by subtracting its max
 * before exponentiating (helpers {@code ReductionKernels.maxOfRow} and {@code ReductionKernels.lseOfRow}); sums run in
 * float in column order. {@code mask[r]} is a per-row weight: 0 skips the row — its loss and gradient are written as
 * 0 and its target is not read, so padding may carry any target, e.g. −1 — and any other value scales the row (an
 * advantage, a sample weight). Unlike the layer kernels, the loss backward kernels <b>write</b> ({@code =}) dlogits;
 * dlogits may be the logits array itself. Not here: the mean over rows, which the caller folds into {@code scale}.
 */
public final class LossKernels {
  private LossKernels() {}

  /** probs(rows, n) = softmax of each row of logits(rows, n). One work-item per row r; math in {@code softmaxRow}. */
  public static void softmaxForward(float[] logits, float[] probs, int rows, int n) {
    assert n >= 1 && logits.length >= rows * n && probs.length >= rows * n : "softmaxForward: array too short";
    for (int r = 0; r < rows; r++) {
      softmaxRow(logits, probs, r * n, n);
    }
  }

  /**
   * out(rows, n) = log softmax of each row of logits(rows, n) = logits − logsumexp(row). One work-item per row r;
   * math in {@code logSoftmaxRow}.
   */
  public static void logSoftmaxForward(float[] logits, float[] out, int rows, int n) {
    assert n >= 1 && logits.length >= rows * n && out.length >= rows * n : "logSoftmaxForward: array too short";
    for (int r = 0; r < rows; r++) {
      logSoftmaxRow(logits, out, r * n, n);
    }
  }

  /**
   * losses[r] = mask[r] · (logsumexp(logits_r) − logits_r[targets[r]]). logits: (rows, n); targets, mask, losses:
   * (rows); targets in [0, n) wherever mask[r] ≠ 0. One work-item per row r; math in {@code crossEntropyRow}.
   */
  public static void crossEntropyForward(float[] logits, int[] targets, float[] mask, float[] losses, int rows,
                                         int n) {
    assert n >= 1 && logits.length >= rows * n && targets.length >= rows && mask.length >= rows
        && losses.length >= rows : "crossEntropyForward: array too short";
    for (int r = 0; r < rows; r++) {
      losses[r] = crossEntropyRow(logits, targets, mask, r, n);
    }
  }

  /**
   * dlogits_r = scale · mask[r] · (softmax(logits_r) − onehot(targets[r])). Writes. logits, dlogits: (rows, n);
   * targets, mask: (rows). One work-item per row r; math in {@code crossEntropyGradRow}.
   */
  public static void crossEntropyBackward(float[] logits, int[] targets, float[] mask, float[] dlogits, int rows,
                                          int n, float scale) {
    assert n >= 1 && logits.length >= rows * n && targets.length >= rows && mask.length >= rows
        && dlogits.length >= rows * n : "crossEntropyBackward: array too short";
    for (int r = 0; r < rows; r++) {
      crossEntropyGradRow(logits, targets, mask, dlogits, r, n, scale);
    }
  }

  /**
   * losses[r] = mask[r] · Σ_j −p_rj · log softmax(logits_r)_j with target distributions p = targetProbs. logits,
   * targetProbs: (rows, n); mask, losses: (rows). One work-item per row r; math in {@code softCrossEntropyRow}.
   */
  public static void softCrossEntropyForward(float[] logits, float[] targetProbs, float[] mask, float[] losses,
                                             int rows, int n) {
    assert n >= 1 && logits.length >= rows * n && targetProbs.length >= rows * n && mask.length >= rows
        && losses.length >= rows : "softCrossEntropyForward: array too short";
    for (int r = 0; r < rows; r++) {
      losses[r] = softCrossEntropyRow(logits, targetProbs, mask, r, n);
    }
  }

  /**
   * dlogits_r = scale · mask[r] · (softmax(logits_r) − p_r). Writes. This is the gradient of the forward loss only
   * when each p_r sums to 1 (otherwise it is softmax·Σp − p). logits, targetProbs, dlogits: (rows, n); mask: (rows).
   * One work-item per row r; math in {@code softCrossEntropyGradRow}.
   */
  public static void softCrossEntropyBackward(float[] logits, float[] targetProbs, float[] mask, float[] dlogits,
                                              int rows, int n, float scale) {
    assert n >= 1 && logits.length >= rows * n && targetProbs.length >= rows * n && mask.length >= rows
        && dlogits.length >= rows * n : "softCrossEntropyBackward: array too short";
    for (int r = 0; r < rows; r++) {
      softCrossEntropyGradRow(logits, targetProbs, mask, dlogits, r, n, scale);
    }
  }

  /** out[off+j] = exp(x_j − max) / Σ exp(x − max). Safe in place (out == x). */
  private static void softmaxRow(float[] x, float[] out, int off, int n) {
    float m = ReductionKernels.maxOfRow(x, off, n);
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

  /** out[off+j] = x_j − logsumexp(x). Safe in place. */
  private static void logSoftmaxRow(float[] x, float[] out, int off, int n) {
    float lse = ReductionKernels.lseOfRow(x, off, n);
    for (int j = 0; j < n; j++) {
      out[off + j] = x[off + j] - lse;
    }
  }

  /** mask[r] · (logsumexp(row r) − row r[targets[r]]); 0 without reading the target when mask[r] = 0. */
  private static float crossEntropyRow(float[] logits, int[] targets, float[] mask, int r, int n) {
    float w = mask[r];
    if (w == 0f) {
      return 0f;
    }
    int t = targets[r];
    assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
    int off = r * n;
    return w * (ReductionKernels.lseOfRow(logits, off, n) - logits[off + t]);
  }

  /** Row r of dlogits = scale · mask[r] · (softmax − onehot(targets[r])); zeros when mask[r] = 0. */
  private static void crossEntropyGradRow(float[] logits, int[] targets, float[] mask, float[] dlogits, int r, int n,
                                          float scale) {
    int off = r * n;
    float w = scale * mask[r];
    if (mask[r] == 0f) {
      zeroRow(dlogits, off, n);
      return;
    }
    int t = targets[r];
    assert t >= 0 && t < n : "target " + t + " of row " + r + " is outside [0, " + n + ")";
    softmaxRow(logits, dlogits, off, n);
    for (int j = 0; j < n; j++) {
      float onehot = j == t ? 1f : 0f;
      dlogits[off + j] = w * (dlogits[off + j] - onehot);
    }
  }

  /** mask[r] · Σ_j p_j · (logsumexp(row) − x_j), which is Σ_j −p_j · log softmax_j; 0 when mask[r] = 0. */
  private static float softCrossEntropyRow(float[] logits, float[] targetProbs, float[] mask, int r, int n) {
    float w = mask[r];
    if (w == 0f) {
      return 0f;
    }
    int off = r * n;
    float lse = ReductionKernels.lseOfRow(logits, off, n);
    float s = 0f;
    for (int j = 0; j < n; j++) {
      s += targetProbs[off + j] * (lse - logits[off + j]);
    }
    return w * s;
  }

  /** Row r of dlogits = scale · mask[r] · (softmax − p_r); zeros when mask[r] = 0. */
  private static void softCrossEntropyGradRow(float[] logits, float[] targetProbs, float[] mask, float[] dlogits,
                                              int r, int n, float scale) {
    int off = r * n;
    float w = scale * mask[r];
    if (mask[r] == 0f) {
      zeroRow(dlogits, off, n);
      return;
    }
    softmaxRow(logits, dlogits, off, n);
    for (int j = 0; j < n; j++) {
      dlogits[off + j] = w * (dlogits[off + j] - targetProbs[off + j]);
    }
  }

  private static void zeroRow(float[] x, int off, int n) {
    for (int j = 0; j < n; j++) {
      x[off + j] = 0f;
    }
  }
}
