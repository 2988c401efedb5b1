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
 * An analytic world instead of the token world, chosen by {@code kind: gaussian|linear|bandit}. A Gaussian or
 * linear world's data policy comes from each lineage's {@code data.policy} (replace or accumulate), so one scenario
 * can compare both; a bandit's methods come from each lineage's stages; the number of generations from
 * {@code generations}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @Type(value = AnalyticSpec.Gaussian.class, name = "gaussian"),
    @Type(value = AnalyticSpec.Linear.class, name = "linear"),
    @Type(value = AnalyticSpec.Bandit.class, name = "bandit")})
public sealed interface AnalyticSpec permits AnalyticSpec.Gaussian, AnalyticSpec.Linear, AnalyticSpec.Bandit {

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

  /**
   * {@code kind: bandit}, a K-armed bandit ({@link io.priorflow.engine.analytic.BanditWorld}) on which the preference
   * methods' optima are known in closed form. Each lineage's stages are one generation: a label stage with task
   * prefer draws {@code sample} pairs of arms from the teacher, judged Bradley–Terry on the gold rewards; train
   * stages with method sft, reward_model, dpo, rlhf or best_of_n fit the policy (klCoef is β, n and prompts are
   * best-of-n's, epochs full-batch gradient steps of size lr). Each generation's policy is the next one's teacher
   * and reference. Writes bandit.csv (per arm and generation: π, π_ref, log(π/π_ref), r, r̂).
   *
   * @param arms     K, in [2, 1000]; default 8
   * @param rewardSd the gold rewards are drawn r_k ~ N(0, rewardSd²) from the stream of item "bandit/rewards" (one
   *                 world for every lineage of a run) unless {@code rewards} gives them; in [0, 1000]; default 1
   * @param rewards  the gold rewards, one per arm, each in [-1000, 1000]; null (the default) draws them
   * @param prior    the base policy π₀ (generation 0): one weight per arm, each in (0, 1000], normalised to sum
   *                 1; null (the default) is uniform
   */
  record Bandit(
      @Range(min = 2, max = 1000) int arms,
      @Range(min = 0, max = 1000) double rewardSd,
      @Rules.Nullable List<Double> rewards,
      @Rules.Nullable List<Double> prior) implements AnalyticSpec {

    /** 8 arms, rewards ~ N(0, 1), a uniform prior. */
    public static Bandit defaults() {
      return new Bandit(8, 1.0, null, null);
    }

    /** The gold rewards: the given ones, or K draws of N(0, rewardSd²) from {@code rng}. */
    public double[] rewards(java.util.SplittableRandom rng) {
      double[] r = new double[arms];
      for (int k = 0; k < arms; k++) {
        r[k] = rewards != null ? rewards.get(k) : io.priorflow.engine.rng.Draws.gaussian(0, rewardSd, rng);
      }
      return r;
    }

    /** π₀: the prior's weights normalised, or uniform. */
    public double[] priorPolicy() {
      double[] p = new double[arms];
      double sum = 0;
      for (int k = 0; k < arms; k++) sum += p[k] = prior != null ? prior.get(k) : 1;
      for (int k = 0; k < arms; k++) p[k] /= sum;
      return p;
    }

    @Override
    public List<String> problems() {
      List<String> out = new java.util.ArrayList<>();
      if (rewards != null && rewards.size() != arms) {
        out.add("rewards must be a list of arms = " + arms + " values, was " + rewards.size() + " values");
      }
      if (prior != null && prior.size() != arms) {
        out.add("prior must be a list of arms = " + arms + " values, was " + prior.size() + " values");
      }
      if (rewards != null) {
        for (int k = 0; k < rewards.size(); k++) {
          Double v = rewards.get(k);
          if (v == null || !(v >= -1000 && v <= 1000)) out.add("rewards[" + k + "] must be in [-1000, 1000], was " + v);
        }
      }
      if (prior != null) {
        for (int k = 0; k < prior.size(); k++) {
          Double v = prior.get(k);
          if (v == null || !(v > 0 && v <= 1000)) out.add("prior[" + k + "] must be in (0, 1000], was " + v);
        }
      }
      return out;
    }
  }
}
