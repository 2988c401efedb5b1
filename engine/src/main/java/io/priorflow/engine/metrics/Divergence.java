package io.priorflow.engine.metrics;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;

/**
 * KL divergences between token models along given sequences, for kl.base.
 *
 * <pre>
 *   per position:  KL(p ‖ q) = Σ_v p_v (ln p_v − ln q_v)                   exact over the vocabulary V
 *   per sequence:  Σ_{t = from .. len−1} KL(π(·|x_&lt;t) ‖ π_base(·|x_&lt;t))    nats
 * </pre>
 * Summing exact per-position KLs along the policy's own samples estimates the sequence-level KL without the
 * variance of the log-ratio estimator ln π(x)/π_base(x): its expectation is the same (chain rule), and every
 * term is ≥ 0. Both log-distributions are renormalised in double first, so the float rounding of the models'
 * log-softmax cannot make a term negative by more than about 1e−16, and a model against itself gives exactly 0.
 *
 * <p>Both models' distributions come from one batched call each ({@link TokenModel#nextTokenLogProbs(KernelBackend,
 * java.util.List, int[])}), whose rows do not depend on the batching.
 */
public final class Divergence {

  private Divergence() {}

  /**
   * KL(p ‖ q) in nats from two log-distributions over the same V tokens (each may be off from summing to 1 by
   * float rounding; both are renormalised). +∞ where q gives −∞ to a token p does not.
   */
  public static double kl(float[] logP, float[] logQ) {
    if (logP.length != logQ.length) {
      throw new IllegalArgumentException("The distributions have " + logP.length + " and " + logQ.length
          + " tokens; KL needs the same vocabulary.");
    }
    return kl(logP, 0, logQ, 0, logP.length);
  }

  /** {@link #kl(float[], float[])} over logP[offP .. offP+v) and logQ[offQ .. offQ+v). */
  static double kl(float[] logP, int offP, float[] logQ, int offQ, int v) {
    double zp = logSumExp(logP, offP, v);
    double zq = logSumExp(logQ, offQ, v);
    double kl = 0;
    for (int j = 0; j < v; j++) {
      double lp = logP[offP + j] - zp;
      if (lp == Double.NEGATIVE_INFINITY) {
        continue; // p_j = 0 contributes nothing, whatever q_j is
      }
      kl += Math.exp(lp) * (lp - (logQ[offQ + j] - zq));
    }
    return kl;
  }

  private static double logSumExp(float[] x, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("A log-distribution has every entry −∞.");
    }
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += Math.exp(x[off + j] - max);
    }
    return max + Math.log(s);
  }

  /**
   * For each sample, Σ over its generated positions t of KL(π(·|x_&lt;t) ‖ π_base(·|x_&lt;t)), summed in t order.
   *
   * @throws IllegalArgumentException if the models' vocabularies differ
   */
  public static double[] perSample(TokenModel policy, TokenModel base, KernelBackend be, SampledResponses samples) {
    if (policy.config().vocab() != base.config().vocab()) {
      throw new IllegalArgumentException("kl.base needs one vocabulary: the model has " + policy.config().vocab()
          + " tokens, the base model " + base.config().vocab() + ".");
    }
    boolean same = policy.id().equals(base.id());
    int v = policy.config().vocab();
    int[] from = new int[samples.size()];
    for (int i = 0; i < from.length; i++) from[i] = samples.promptLength(i);
    float[][] lp = policy.nextTokenLogProbs(be, samples.sequences(), from);
    float[][] lq = same ? lp : base.nextTokenLogProbs(be, samples.sequences(), from);
    double[] out = new double[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      double sum = 0;
      for (int off = 0; off < lp[i].length; off += v) sum += kl(lp[i], off, lq[i], off, v);
      out[i] = sum;
    }
    return out;
  }
}
