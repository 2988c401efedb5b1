package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.DesignPolicy;
import io.priorflow.engine.analytic.GaussianWorldConfig;
import io.priorflow.engine.analytic.LinearWorldConfig;
import io.priorflow.engine.analytic.VarianceEstimator;
import io.priorflow.engine.scenario.Rules.Range;
import java.util.List;

/**
 * An analytic world instead of the token world, chosen by {@code kind: gaussian|linear}. Its data policy comes
 * from each lineage's {@code data.policy} (replace or accumulate), so one scenario can compare both; the number
 * of generations from {@code generations}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @Type(value = AnalyticSpec.Gaussian.class, name = "gaussian"),
    @Type(value = AnalyticSpec.Linear.class, name = "linear")})
public sealed interface AnalyticSpec permits AnalyticSpec.Gaussian, AnalyticSpec.Linear {

  /** Every problem of the world config this spec makes, paths relative to {@code analytic}. */
  List<String> problems();

  /**
   * {@code kind: gaussian}, as {@link GaussianWorldConfig}.
   *
   * @param mean      the true μ, in [-1000000, 1000000]; default 0
   * @param sd        the true σ, in [0.000001, 1000000]; default 1
   * @param samples   N, points each generation draws, in [2, 10000000]; default 100
   * @param estimator mle or unbiased; default unbiased
   */
  record Gaussian(
      @Range(min = -1e6, max = 1e6) double mean,
      @Range(min = 1e-6, max = 1e6) double sd,
      @Range(min = 2, max = 10_000_000) int samples,
      VarianceEstimator estimator) implements AnalyticSpec {

    /** The values of {@link GaussianWorldConfig#defaults()}. */
    public static Gaussian defaults() {
      GaussianWorldConfig d = GaussianWorldConfig.defaults();
      return new Gaussian(d.mean(), d.sd(), d.samples(), d.estimator());
    }

    /** The world config under a lineage's policy. */
    public GaussianWorldConfig toConfig(DataPolicy policy) {
      return new GaussianWorldConfig(mean, sd, samples, estimator, policy);
    }

    @Override
    public List<String> problems() {
      return toConfig(DataPolicy.REPLACE).problems();
    }
  }

  /**
   * {@code kind: linear}, as {@link LinearWorldConfig}.
   *
   * @param dimension d, features, in [1, 256]; default 10
   * @param samples   T, rows per generation, in [3, 1000000] and at least d + 2; default 50
   * @param noiseSd   σ, label noise, in [0, 1000000]; default 1
   * @param design    fixed or fresh features each generation; default fixed
   */
  record Linear(
      @Range(min = 1, max = 256) int dimension,
      @Range(min = 3, max = 1_000_000) int samples,
      @Range(min = 0, max = 1e6) double noiseSd,
      DesignPolicy design) implements AnalyticSpec {

    /** The values of {@link LinearWorldConfig#defaults()}. */
    public static Linear defaults() {
      LinearWorldConfig d = LinearWorldConfig.defaults();
      return new Linear(d.dimension(), d.samples(), d.noiseSd(), d.design());
    }

    /** The world config under a lineage's policy. */
    public LinearWorldConfig toConfig(DataPolicy policy) {
      return new LinearWorldConfig(dimension, samples, noiseSd, policy, design);
    }

    @Override
    public List<String> problems() {
      return toConfig(DataPolicy.REPLACE).problems();
    }
  }
}
