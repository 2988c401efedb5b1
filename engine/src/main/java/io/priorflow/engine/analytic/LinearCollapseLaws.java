package io.priorflow.engine.analytic;

/**
 * Exact expected test error E‖ŵ_n − w*‖² of the linear-regression world ({@link LinearWorld}), for each data policy
 * and design.
 *
 * <pre>
 * Replace (Dohmatob et al. 2024, restated by Gerstgrasser et al. 2024), fixed or fresh design:
 *   E[test error of ŵ_n] = σ² · n · d / (T − d − 1)
 * Accumulate, fresh design — a new X each generation (Gerstgrasser et al. 2024, "Is Model Collapse Inevitable?",
 * Theorem 2: this is the paper's setting and its formula):
 *   E[test error of ŵ_n] = σ² · d · Σ_{i=1..n} 1 / (i (iT − d − 1))
 * Accumulate, fixed design — one X relabelled by every generation (derived here; not the paper's formula):
 *   E[test error of ŵ_n] = σ² · d / (T − d − 1) · Σ_{i=1..n} 1/i²   ≤   σ² · d / (T − d − 1) · π²/6
 *
 * Derivation. Let δ_n = ŵ_n − w*, δ_0 = 0, G_k = X_kᵀX_k. For x ~ N(0, I_d) and m rows with m > d + 1, Σ of the rows'
 * xxᵀ is Wishart(I_d, m) and E[tr((XᵀX)⁻¹)] = d / (m − d − 1).
 * Replace: ŵ_n = G_{n−1}⁻¹X_{n−1}ᵀ(X_{n−1} ŵ_{n−1} + ε_{n−1}) = ŵ_{n−1} + A_{n−1} ε_{n−1} with A = G⁻¹Xᵀ, so
 *   δ_n = Σ_{k<n} A_k ε_k, n zero-mean terms with independent noises: E‖δ_n‖² = n σ² d / (T − d − 1), whether the
 *   X_k are fixed or fresh.
 * Accumulate: the fit of generation n pools the n generations so far, S_n = Σ_{k<n} G_k, and
 *   S_n ŵ_n = Σ_{k<n} X_kᵀ (X_k ŵ_k + ε_k). Subtracting the same identity for n − 1:
 *   S_n ŵ_n = S_{n−1} ŵ_{n−1} + G_{n−1} ŵ_{n−1} + X_{n−1}ᵀ ε_{n−1} = S_n ŵ_{n−1} + X_{n−1}ᵀ ε_{n−1}, so
 *   δ_n = δ_{n−1} + S_n⁻¹ X_{n−1}ᵀ ε_{n−1} = Σ_{i=1..n} S_i⁻¹ X_{i−1}ᵀ ε_{i−1},
 *   again terms with independent zero-mean noises, each of expected square σ² E tr(S_i⁻¹ G_{i−1} S_i⁻¹).
 *   Fresh design: the i blocks of S_i are exchangeable, so the i values E tr(S_i⁻¹ G_k S_i⁻¹), k &lt; i, are equal
 *   and sum to E tr(S_i⁻¹) = d / (iT − d − 1), S_i being Wishart with iT rows: each is d / (i (iT − d − 1)).
 *   Fixed design: S_i = i G, so the term is σ² E tr(G⁻¹) / i² = σ² d / ((T − d − 1) i²).
 * Both were checked by simulation (40 000 runs, T = 20, d = 5, n ≤ 6: fresh 0.3567, 0.4312, 0.4619 … against the
 * fresh formula's 0.3571, 0.4307, 0.4615 …; fixed 0.4458, 0.4850 … against 0.4464, 0.4861 …), and by
 * {@code LinearWorldTest} on this world.
 * </pre>
 * The generation index n counts fits: n = 0 is the truth, n = 1 the fit on real data, as in both papers.
 */
public final class LinearCollapseLaws {

  private LinearCollapseLaws() {
  }

  /** e = σ² d / (T − d − 1): the expected test error of one least-squares fit on real data. */
  public static double singleFitError(double noiseSd, int dimension, int samples) {
    if (dimension < 1 || samples < dimension + 2) {
      throw new IllegalArgumentException("The linear collapse laws need d ≥ 1 and T ≥ d + 2, got d = "
          + dimension + " and T = " + samples + ".");
    }
    return noiseSd * noiseSd * dimension / (samples - dimension - 1.0);
  }

  /**
   * E[test error of ŵ_n] for the config's policy and design (see the class comment).
   *
   * @throws IllegalArgumentException for n &lt; 0
   */
  public static double expectedTestError(LinearWorldConfig config, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("Generation n must be ≥ 0, was " + n + ".");
    }
    double e = singleFitError(config.noiseSd(), config.dimension(), config.samples());
    if (config.policy() == DataPolicy.REPLACE) {
      return e * n;
    }
    if (config.design() == DesignPolicy.FRESH) {
      double s2d = config.noiseSd() * config.noiseSd() * config.dimension(), sum = 0;
      for (int i = n; i >= 1; i--) { // smallest terms first
        sum += 1.0 / ((double) i * ((double) i * config.samples() - config.dimension() - 1));
      }
      return s2d * sum;
    }
    double sum = 0;
    for (int i = n; i >= 1; i--) { // smallest terms first
      sum += 1.0 / ((double) i * i);
    }
    return e * sum;
  }

  /** The bound of the accumulate policy with a fixed design as n → ∞: e · π²/6 (fresh stays below it). */
  public static double accumulateLimit(LinearWorldConfig config) {
    return singleFitError(config.noiseSd(), config.dimension(), config.samples()) * Math.PI * Math.PI / 6;
  }
}
