package io.priorflow.engine.metrics;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;

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
 * <p>Not batched yet: {@link TokenModel} offers the full next-token distribution only one position per call
 * ({@link TokenModel#nextTokenLogProbs}), so this makes (generated tokens) calls per model.
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
    double zp = logSumExp(logP);
    double zq = logSumExp(logQ);
    double kl = 0;
    for (int v = 0; v < logP.length; v++) {
      double lp = logP[v] - zp;
      if (lp == Double.NEGATIVE_INFINITY) {
        continue; // p_v = 0 contributes nothing, whatever q_v is
      }
      kl += Math.exp(lp) * (lp - (logQ[v] - zq));
    }
    return kl;
  }

  private static double logSumExp(float[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : x) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("A log-distribution has every entry −∞.");
    }
    double s = 0;
    for (float v : x) {
      s += Math.exp(v - max);
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
    double[] out = new double[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      int[] s = samples.sequences().get(i);
      double sum = 0;
      for (int t = samples.promptLength(i); t < s.length; t++) {
        float[] lp = nextTokenLogProbs(policy, be, s, t);
        float[] lq = same ? lp : nextTokenLogProbs(base, be, s, t);
        sum += kl(lp, lq);
      }
      out[i] = sum;
    }
    return out;
  }

  /**
   * log π(· | s[&lt;t]). Only the last C tokens before t reach the model's window (earlier ones and PAD are
   * equivalent), so only those are copied.
   */
  static float[] nextTokenLogProbs(TokenModel m, KernelBackend be, int[] s, int t) {
    int c = m.config().context();
    return m.nextTokenLogProbs(be, Arrays.copyOfRange(s, Math.max(0, t - c), t));
  }
}
