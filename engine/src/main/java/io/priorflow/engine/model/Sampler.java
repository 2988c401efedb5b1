package io.priorflow.engine.model;

import java.util.SplittableRandom;

/**
 * Draws one token from a row of logits with temperature and top-k, from the caller's random stream. Pure and
 * allocation-light; the arithmetic is in double and the order of every sum is fixed, so the same logits and the
 * same stream always give the same token.
 */
final class Sampler {
  private Sampler() {}

  /** Samples from logits[off .. off+v) under cfg, using scratch of length ≥ v. Exactly one rng draw unless greedy. */
  static int sample(float[] logits, int off, int v, SamplingConfig cfg, SplittableRandom rng, double[] scratch) {
    if (cfg.temperature() == 0f) return argmax(logits, off, v);
    int k = cfg.topK() == 0 || cfg.topK() >= v ? v : cfg.topK();
    // Threshold: the k-th largest logit; ties at the threshold are kept only up to k tokens, lowest ids first.
    float threshold = Float.NEGATIVE_INFINITY;
    int keepAtThreshold = v;
    if (k < v) {
      threshold = kthLargest(logits, off, v, k, scratch);
      int above = 0;
      for (int j = 0; j < v; j++) if (logits[off + j] > threshold) above++;
      keepAtThreshold = k - above;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) max = Math.max(max, logits[off + j]);
    double inv = 1.0 / cfg.temperature(), total = 0;
    int tiesKept = 0;
    for (int j = 0; j < v; j++) {
      float l = logits[off + j];
      boolean keep = l > threshold || (l == threshold && tiesKept++ < keepAtThreshold);
      double p = keep ? Math.exp((l - max) * inv) : 0.0;
      scratch[j] = p;
      total += p;
    }
    double u = rng.nextDouble() * total, cum = 0;
    int last = -1;
    for (int j = 0; j < v; j++) {
      if (scratch[j] == 0.0) continue;
      cum += scratch[j];
      last = j;
      if (u < cum) return j;
    }
    return last; // u landed on the rounding slack at the top end
  }

  static int argmax(float[] x, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) if (x[off + j] > x[off + best]) best = j;
    return best;
  }

  /** The k-th largest value of x[off..off+n) (1-based k), by partial selection on a copy in scratch. */
  private static float kthLargest(float[] x, int off, int n, int k, double[] scratch) {
    for (int j = 0; j < n; j++) scratch[j] = x[off + j];
    java.util.Arrays.sort(scratch, 0, n);
    return (float) scratch[n - k];
  }
}
