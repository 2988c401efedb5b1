package io.priorflow.engine.analytic;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.world.ConfigChecks;
import java.util.List;

/**
 * Parameters of the Gaussian world. Missing JSON/YAML fields take the values of {@link #defaults()}; unknown
 * fields fail. Valid ranges (checked by {@link #problems()}):
 * <ul>
 *   <li>{@code mean} — the true μ, in [-1e6, 1e6]; default 0</li>
 *   <li>{@code sd} — the true σ, in [1e-6, 1e6]; default 1</li>
 *   <li>{@code samples} — N, points each generation draws, in [2, 10⁷]; default 100</li>
 *   <li>{@code estimator} — {@code mle} or {@code unbiased}; default unbiased (as in Shumailov et al.)</li>
 *   <li>{@code policy} — {@code replace} or {@code accumulate}; default replace</li>
 * </ul>
 */
public record GaussianWorldConfig(
    double mean, double sd, int samples, VarianceEstimator estimator, DataPolicy policy) {

  /** μ = 0, σ = 1, N = 100, unbiased variance, replace. */
  public static GaussianWorldConfig defaults() {
    return new GaussianWorldConfig(0, 1, 100, VarianceEstimator.UNBIASED, DataPolicy.REPLACE);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static GaussianWorldConfig of(
      @JsonProperty("mean") Double mean,
      @JsonProperty("sd") Double sd,
      @JsonProperty("samples") Integer samples,
      @JsonProperty("estimator") VarianceEstimator estimator,
      @JsonProperty("policy") DataPolicy policy) {
    GaussianWorldConfig d = defaults();
    return new GaussianWorldConfig(
        mean != null ? mean : d.mean,
        sd != null ? sd : d.sd,
        samples != null ? samples : d.samples,
        estimator != null ? estimator : d.estimator,
        policy != null ? policy : d.policy);
  }

  /** Every range violation, one line each, paths relative to this record (see {@link ConfigChecks}). */
  public List<String> problems() {
    return new ConfigChecks()
        .range("mean", mean, -1e6, 1e6)
        .range("sd", sd, 1e-6, 1e6)
        .range("samples", samples, 2, 10_000_000)
        .require(estimator != null, "estimator", "must be mle or unbiased", estimator)
        .require(policy != null, "policy", "must be replace or accumulate", policy)
        .problems();
  }

  /** The true distribution N(mean, sd²). */
  public GaussianModel truth() {
    return new GaussianModel(mean, sd * sd);
  }
}
