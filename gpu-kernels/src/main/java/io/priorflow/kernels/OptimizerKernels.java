package io.priorflow.kernels;

import io.priorflow.kernels.backend.KernelBackend;

/**
 * Reference optimizer kernels: one AdamW step, an in-place scale, and global gradient-norm clipping built on them.
 *
 * <p>Dimension: {@code n}, the number of parameters in one flat buffer. params, grads and the moment buffers m, v are
 * all (n). {@code t} is the 1-based step count, used for bias correction.
 *
 * <p>{@link #adamw} and {@link #scale} are kernels: one work-item per parameter i, math in a scalar helper.
 * {@link #clipGradNorm} is not a kernel but a host-side helper over any {@link KernelBackend}, so every backend clips
 * the same way. Not here: learning-rate schedules or parameter groups, which belong to the trainer.
 */
public final class OptimizerKernels {
  private OptimizerKernels() {}

  /**
   * One AdamW step on params(n), updating the moments m(n) and v(n) in place. One work-item per parameter i; math in
   * {@code adamwStep}.
   * <pre>
   * Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2;
   * Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1.
   * </pre>
   */
  public static void adamw(float[] params, float[] grads, float[] m, float[] v, int n, float lr, float beta1,
                           float beta2, float eps, float weightDecay, int t) {
    assert t >= 1 : "adamw: the step t is 1-based, was " + t;
    assert params.length >= n && grads.length >= n && m.length >= n && v.length >= n : "adamw: array shorter than n";
    // Bias corrections 1 − βᵗ, computed once in double: for β2 = 0.999 and small t the float form loses digits.
    float bc1 = (float) (1.0 - Math.pow(beta1, t));
    float bc2 = (float) (1.0 - Math.pow(beta2, t));
    for (int i = 0; i < n; i++) {
      adamwStep(params, grads, m, v, i, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
    }
  }

  /** x(n) *= factor. One work-item per element i. */
  public static void scale(float[] x, int n, float factor) {
    assert x.length >= n : "scale: x has " + x.length + " values, n = " + n;
    for (int i = 0; i < n; i++) {
      x[i] *= factor;
    }
  }

  /**
   * Clips the global L2 norm of several gradient buffers to maxNorm and returns the norm before clipping. The norm is
   * √(Σ_b sumSquares(grads[b], sizes[b])), summed over the buffers in array order; when it exceeds maxNorm every
   * buffer is scaled by maxNorm / norm, otherwise nothing is touched. A non-finite norm is returned without scaling,
   * so the caller can see it and skip the step rather than write NaN into every gradient.
   *
   * @param be    the backend whose sumSquares and scale run the work
   * @param grads the gradient buffers; grads[b] holds at least sizes[b] values
   * @param sizes the number of values used in each buffer
   * @param maxNorm the largest allowed norm, &gt; 0
   * @return the global norm before clipping
   */
  public static double clipGradNorm(KernelBackend be, float[][] grads, int[] sizes, float maxNorm) {
    assert grads.length == sizes.length : "clipGradNorm: " + grads.length + " buffers but " + sizes.length + " sizes";
    assert maxNorm > 0f : "clipGradNorm: maxNorm must be > 0, was " + maxNorm;
    double total = 0.0;
    for (int b = 0; b < grads.length; b++) {
      total += be.sumSquares(grads[b], sizes[b]);
    }
    double norm = Math.sqrt(total);
    if (norm > maxNorm && Double.isFinite(norm)) {
      float factor = (float) (maxNorm / norm);
      for (int b = 0; b < grads.length; b++) {
        be.scale(grads[b], sizes[b], factor);
      }
    }
    return norm;
  }

  /** AdamW for parameter i; bc1 = 1 − β1ᵗ and bc2 = 1 − β2ᵗ. One comment per step of Algorithm 2. */
  private static void adamwStep(float[] params, float[] grads, float[] m, float[] v, int i, float lr, float beta1,
                                float beta2, float eps, float weightDecay, float bc1, float bc2) {
    float g = grads[i];
    // m ← β1·m + (1 − β1)·g: first moment
    float mi = beta1 * m[i] + (1f - beta1) * g;
    // v ← β2·v + (1 − β2)·g²: second moment
    float vi = beta2 * v[i] + (1f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    // m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ): bias correction of the zero-initialised moments
    float mHat = mi / bc1;
    float vHat = vi / bc2;
    // θ ← θ − lr·(m̂ / (√v̂ + ε) + λ·θ): the decay is applied to θ directly, not added to g (decoupled)
    float p = params[i];
    params[i] = p - lr * (mHat / ((float) Math.sqrt(vHat) + eps) + weightDecay * p);
  }
}
