package io.priorflow.engine.analytic;

/**
 * Exact expected test error E‖ŵ_n − w*‖² of the linear-regression world ({@link LinearWorld}).
 *
 * <pre>
 * Replace (Dohmatob et al. 2024, restated by Gerstgrasser et al. 2024):
 *   E[test error of ŵ_n] = σ² · n · d / (T − d − 1)
 * Accumulate with a fixed design (Gerstgrasser et al. 2024; derived below, as the paper was not at hand):
 *   E[test error of ŵ_n] = σ² · d / (T − d − 1) · Σ_{i=1..n} 1/i²   ≤   σ² · d / (T − d − 1) · π²/6
 *
 * Derivation. Write A_k = (X_kᵀX_k)⁻¹X_kᵀ and δ_n = ŵ_n − w*, δ_0 = 0. For x ~ N(0, I_d) and T > d + 1,
 * XᵀX is Wishart(I_d, T) and E[(XᵀX)⁻¹] = I_d / (T − d − 1), so for noise ε ~ N(0, σ² I_T) independent of X,
 *   E‖A ε‖² = σ² E tr((XᵀX)⁻¹) = σ² d / (T − d − 1) =: e.
 * Replace: ŵ_n = A_{n−1}(X_{n−1} ŵ_{n−1} + ε_{n−1}) = ŵ_{n−1} + A_{n−1} ε_{n−1}, so δ_n = Σ_{k<n} A_k ε_k, a sum
 *   of n zero-mean terms with independent noises: E‖δ_n‖² = n·e, whether X_k is fixed or fresh.
 * Accumulate, X_k = X: ŵ_n = (n XᵀX)⁻¹ Xᵀ Σ_{k<n} (X ŵ_k + ε_k), i.e. n δ_n = Σ_{k<n} δ_k + A Σ_{k<n} ε_k.
 *   Subtracting the same identity for n − 1 gives δ_n = δ_{n−1} + A ε_{n−1} / n, so δ_n = Σ_{i=1..n} A ε_{i−1} / i
 *   and E‖δ_n‖² = e · Σ 1/i².
 * With a fresh X each generation the accumulated fit weights each generation by its own XᵀX and the telescoping
 * fails, so no closed form is claimed for (accumulate, fresh).
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
   * E[test error of ŵ_n] for the config's policy and design.
   *
   * @throws IllegalArgumentException for (accumulate, fresh), which has no closed form, or n &lt; 0
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
      throw new IllegalArgumentException(
          "The accumulate closed form holds for a fixed design only; this config has design fresh.");
    }
    double sum = 0;
    for (int i = n; i >= 1; i--) { // smallest terms first
      sum += 1.0 / ((double) i * i);
    }
    return e * sum;
  }

  /** The bound of the accumulate policy as n → ∞: e · π²/6. */
  public static double accumulateLimit(LinearWorldConfig config) {
    return singleFitError(config.noiseSd(), config.dimension(), config.samples()) * Math.PI * Math.PI / 6;
  }
}
