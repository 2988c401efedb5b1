package io.priorflow.engine.model;

/**
 * A divergence between a teacher's next-token distribution p and a student's q = softmax(z), with its gradient with
 * respect to the student's logits z: what on-policy distillation minimises at every position.
 * <pre>
 *   Agarwal et al., "On-Policy Distillation of Language Models: Learning from Self-Generated Mistakes" (GKD), 2024,
 *   section 3 and eq. 1 (generalised JSD).
 *   forward KL  D = Σ_v p_v (log p_v − log q_v)            mode-covering: q spreads over every token p emits
 *   reverse KL  D = Σ_v q_v (log q_v − log p_v)            mode-seeking: q avoids tokens p gives little mass
 *   JSD(β)      D = β·KL(p ‖ m) + (1 − β)·KL(q ‖ m),  m = β·p + (1 − β)·q,  β in (0, 1)
 *   gradient: with g_v = ∂D/∂q_v, the softmax chain rule gives ∂D/∂z_j = q_j (g_j − Σ_v q_v g_v);
 *   forward KL: g_v = −p_v/q_v, so ∂D/∂z_j = q_j − p_j
 *   reverse KL: g_v = log q_v − log p_v + 1, so ∂D/∂z_j = q_j (log q_j − log p_j − D)
 *   JSD(β):     g_v = (1 − β)·log(q_v/m_v)  (the p-side term's and the m terms' derivatives cancel)
 * </pre>
 * Everything is computed in double from the float logits; a teacher log-probability of −∞ is allowed (the term
 * p·log p is 0 there, and reverse KL is then infinite only if q gives that token mass, which a softmax always does:
 * callers pass the teacher's log-softmax, which is finite).
 */
public enum Divergence {
  /** KL(teacher ‖ student). */
  FORWARD_KL,
  /** KL(student ‖ teacher). */
  REVERSE_KL,
  /** The generalised Jensen–Shannon divergence JSD(β). */
  JSD;

  /**
   * The divergence of one row and its gradient: student logits {@code z[zOff .. zOff+V)}, teacher log-probabilities
   * {@code lp[pOff ..)}; writes ∂D/∂z times {@code scale} into {@code dz[zOff ..)} as floats. Returns D.
   */
  public double row(float[] z, int zOff, float[] lp, int pOff, int vocab, double beta, float[] dz, double scale) {
    double[] q = new double[vocab], lq = new double[vocab], p = new double[vocab], g = new double[vocab];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < vocab; j++) max = Math.max(max, z[zOff + j]);
    double sum = 0;
    for (int j = 0; j < vocab; j++) sum += Math.exp(z[zOff + j] - max);
    double logZ = max + Math.log(sum);
    // the teacher's row, renormalised in double (so a distribution equal to the student's gives exactly 0)
    double pmax = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < vocab; j++) pmax = Math.max(pmax, lp[pOff + j]);
    double psum = 0;
    for (int j = 0; j < vocab; j++) psum += Math.exp(lp[pOff + j] - pmax);
    double logP = pmax + Math.log(psum);
    for (int j = 0; j < vocab; j++) {
      lq[j] = z[zOff + j] - logZ;
      q[j] = Math.exp(lq[j]);
      p[j] = Math.exp(lp[pOff + j] - logP);
    }
    double d = 0;
    switch (this) {
      case FORWARD_KL -> {
        for (int j = 0; j < vocab; j++) {
          if (p[j] > 0) d += p[j] * (Math.log(p[j]) - lq[j]);
          dz[zOff + j] = (float) (scale * (q[j] - p[j]));
        }
        return Math.max(0, d);
      }
      case REVERSE_KL -> {
        for (int j = 0; j < vocab; j++) g[j] = lq[j] - (lp[pOff + j] - logP);
        for (int j = 0; j < vocab; j++) d += q[j] * g[j];
        for (int j = 0; j < vocab; j++) dz[zOff + j] = (float) (scale * q[j] * (g[j] - d));
        return Math.max(0, d);
      }
      default -> {
        if (!(beta > 0 && beta < 1)) throw new IllegalArgumentException("JSD's beta must be in (0, 1), was " + beta);
        double mean = 0;
        for (int j = 0; j < vocab; j++) {
          double m = beta * p[j] + (1 - beta) * q[j];
          double logM = Math.log(m);
          if (p[j] > 0) d += beta * p[j] * (Math.log(p[j]) - logM);
          d += (1 - beta) * q[j] * (lq[j] - logM);
          g[j] = (1 - beta) * (lq[j] - logM);
          mean += q[j] * g[j];
        }
        for (int j = 0; j < vocab; j++) dz[zOff + j] = (float) (scale * q[j] * (g[j] - mean));
        return Math.max(0, d);
      }
    }
  }
}
