package io.priorflow.engine.analytic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the Gaussian world estimates a variance from N points with sample mean x̄. */
public enum VarianceEstimator {
  /** Maximum likelihood: Σ (x − x̄)² / N. Biased low by the factor (N − 1)/N. */
  @JsonProperty("mle") MLE,
  /** Unbiased: Σ (x − x̄)² / (N − 1). The estimator Shumailov et al. (Nature 2024) analyse. */
  @JsonProperty("unbiased") UNBIASED;

  /** The divisor of the sum of squared deviations for n points. */
  double divisor(long n) {
    return this == MLE ? n : n - 1;
  }
}
