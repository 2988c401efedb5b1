package io.priorflow.engine.analytic;

/**
 * Exact expectations of the Gaussian world under the {@link DataPolicy#REPLACE} policy, for generation n of a
 * truth N(μ, σ²) refitted on N points per generation. No approximation: each is a finite product or sum.
 *
 * <pre>
 * Derivation. Given model_{n-1} = N(m, v), its N points have mean x̄ ~ N(m, v/N) and squared deviations
 * S = Σ(x − x̄)² ~ v·χ²_{N−1}, independent of x̄ (Cochran). The fit is μ_n = x̄, σ²_n = c·S with
 * c = 1/N (MLE) or 1/(N − 1) (unbiased). Hence, with r = c·(N − 1) (r = (N−1)/N for MLE, 1 for unbiased):
 *
 *   E[σ²_n]        = σ² · r^n                                   (σ²_n = σ² · Π_k c·χ²_{N−1,k}, factors independent)
 *   E[σ_n]         = σ · κ^n,   κ = sqrt(2c) · Γ(N/2) / Γ((N−1)/2)      (E[χ_{N−1}] = √2 Γ(N/2)/Γ((N−1)/2))
 *   Var[μ_n]       = Σ_{k=0}^{n−1} E[σ²_k] / N                  (law of total variance, E[μ_n] = μ)
 *                  = σ² · n / N                     (unbiased)
 *                  = σ² · (1 − ((N−1)/N)^n)         (MLE)
 *   E[W₂²(model_n, truth)] = Var[μ_n] + E[σ²_n] − 2σ·E[σ_n] + σ²    (W₂² = (μ_n − μ)² + (σ_n − σ)²)
 * </pre>
 * So under the unbiased estimator the expected variance stays σ² while E[σ_n] → 0 (the variance collapses
 * almost surely, Shumailov et al. 2024) and E[W₂²] grows like σ²·n/N. No closed form is given for
 * {@link DataPolicy#ACCUMULATE}: there the fitted variance pools the generations and its expectation has no
 * simple product form.
 */
public final class GaussianCollapseLaws {

  private GaussianCollapseLaws() {
  }

  /** E[σ²_n] = σ² · (c(N − 1))^n. */
  public static double expectedVariance(double sd, int samples, VarianceEstimator estimator, int n) {
    check(samples, n);
    return sd * sd * Math.pow((samples - 1) / estimator.divisor(samples), n);
  }

  /** E[σ_n] = σ · κ^n with κ = sqrt(2c) Γ(N/2) / Γ((N−1)/2). */
  public static double expectedSd(double sd, int samples, VarianceEstimator estimator, int n) {
    check(samples, n);
    return sd * Math.pow(kappa(samples, estimator), n);
  }

  /** Var[μ_n] = Σ_{k<n} E[σ²_k] / N. */
  public static double meanVariance(double sd, int samples, VarianceEstimator estimator, int n) {
    check(samples, n);
    double total = 0;
    for (int k = 0; k < n; k++) {
      total += expectedVariance(sd, samples, estimator, k);
    }
    return total / samples;
  }

  /** E[W₂²] = Var[μ_n] + E[σ²_n] − 2σ E[σ_n] + σ². */
  public static double expectedW2Squared(double sd, int samples, VarianceEstimator estimator, int n) {
    return meanVariance(sd, samples, estimator, n) + expectedVariance(sd, samples, estimator, n)
        - 2 * sd * expectedSd(sd, samples, estimator, n) + sd * sd;
  }

  /**
   * κ = E[σ_n / σ_{n−1}] = sqrt(2c) · Γ(N/2)/Γ((N−1)/2). The Gamma ratio R(N) is built by the exact recurrence
   * R(N + 2) = R(N) · N/(N − 1) from R(2) = 1/√π and R(3) = √π/2, so no log-Gamma approximation is involved.
   */
  public static double kappa(int samples, VarianceEstimator estimator) {
    check(samples, 0);
    double ratio = samples % 2 == 0 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
    for (int m = samples % 2 == 0 ? 2 : 3; m < samples; m += 2) {
      ratio *= m / (m - 1.0);
    }
    return Math.sqrt(2 / estimator.divisor(samples)) * ratio;
  }

  private static void check(int samples, int n) {
    if (samples < 2 || n < 0) {
      throw new IllegalArgumentException(
          "The Gaussian collapse laws need N ≥ 2 samples and generation n ≥ 0, got N = " + samples
              + " and n = " + n + ".");
    }
  }
}
