package io.priorflow.engine.metrics;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * One metric's statistics over the replicates of a sweep point.
 * <pre>
 *   n      replicates with a value (NaN values are left out: the metric was undefined there)
 *   mean   Σ x / n
 *   sd     √( Σ (x − mean)² / (n − 1) )        sample standard deviation, NaN for n &lt; 2
 *   se     sd / √n                              standard error of the mean
 *   ci95   mean ± t_{0.975, n−1} · se           Student t interval ({@link #critical95}), NaN for n &lt; 2
 * </pre>
 * {@link #of(MetricDefinition, double...)} replaces the interval by one valid for the metric's domain
 * ({@link MetricDefinition#interval()}): a proportion gets the percentile bootstrap of the mean, a metric bounded on
 * one side the t interval clipped to its domain, so no interval leaves the values the metric can take.
 * Sums run in the order given (replicate order), in double, and the bootstrap draws from a fixed seed, so the result
 * is reproducible bit for bit.
 *
 * @param n      the count
 * @param mean   the mean (NaN for n = 0)
 * @param sd     the sample standard deviation
 * @param se     the standard error
 * @param ciLow  lower end of the 95% confidence interval of the mean
 * @param ciHigh upper end
 */
public record SummaryStats(int n, double mean, double sd, double se, double ciLow, double ciHigh) {

  /** Resamples of the percentile bootstrap. */
  public static final int BOOTSTRAP_RESAMPLES = 2000;
  /** Its seed: fixed, so the same values always give the same interval. */
  private static final long BOOTSTRAP_SEED = 0x5EED_B007_57A9L;

  /**
   * The statistics of the values, NaNs left out, with the 95% interval of the metric's method: Student t for an
   * unbounded metric; Student t intersected with the domain for one bounded on one side; for a proportion in
   * [0, 1] the percentile bootstrap of the mean ({@value #BOOTSTRAP_RESAMPLES} resamples of the n values with
   * replacement, the 2.5% and 97.5% order statistics of their means), which lies in [min, max] of the values and
   * so in [0, 1]. With few replicates the bootstrap is narrower than the truth (for n = 2 it is [min, max]).
   */
  public static SummaryStats of(MetricDefinition metric, double... values) {
    SummaryStats t = of(values);
    if (t.n() < 2) {
      return t;
    }
    return switch (metric.interval()) {
      case STUDENT_T -> t;
      case STUDENT_T_CLIPPED -> new SummaryStats(t.n(), t.mean(), t.sd(), t.se(), Math.max(metric.low(), t.ciLow()),
          Math.min(metric.high(), t.ciHigh()));
      case BOOTSTRAP -> {
        double[] x = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        double[] means = new double[BOOTSTRAP_RESAMPLES];
        java.util.SplittableRandom random = new java.util.SplittableRandom(BOOTSTRAP_SEED);
        for (int b = 0; b < means.length; b++) {
          double sum = 0;
          for (int i = 0; i < x.length; i++) {
            sum += x[random.nextInt(x.length)];
          }
          means[b] = sum / x.length;
        }
        java.util.Arrays.sort(means);
        double lo = means[(int) Math.floor(0.025 * BOOTSTRAP_RESAMPLES)];
        double hi = means[(int) Math.ceil(0.975 * BOOTSTRAP_RESAMPLES) - 1];
        yield new SummaryStats(t.n(), t.mean(), t.sd(), t.se(), Math.max(metric.low(), lo), Math.min(metric.high(),
            hi));
      }
    };
  }

  /** The statistics of the values, NaNs left out, with the Student t interval. */
  public static SummaryStats of(double... values) {
    int n = 0;
    double sum = 0;
    for (double x : values) {
      if (!Double.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    if (n == 0) {
      return new SummaryStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = sum / n;
    if (n == 1) {
      return new SummaryStats(1, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double squares = 0;
    for (double x : values) {
      if (!Double.isNaN(x)) {
        squares += (x - mean) * (x - mean);
      }
    }
    double sd = Math.sqrt(squares / (n - 1));
    double se = sd / Math.sqrt(n);
    double half = critical95(n - 1) * se;
    return new SummaryStats(n, mean, sd, se, mean - half, mean + half);
  }

  /** t_{0.975, df} by degrees of freedom, computed once each: a summary asks for the same few df many times. */
  private static final ConcurrentHashMap<Integer, Double> CRITICAL95 = new ConcurrentHashMap<>();
  /** The absolute accuracy asked of Commons Math's inverse t CDF: the quantile to its last few bits. */
  private static final double QUANTILE_ACCURACY = 1e-14;

  /**
   * The two-sided 95% critical value t_{0.975, df} of Student's t: Apache Commons Math's {@link TDistribution}
   * (regularised incomplete beta, inverted by its bracketing solver to {@value #QUANTILE_ACCURACY} absolute). A
   * pure function of df, so intervals do not depend on threads or nodes.
   *
   * @throws IllegalArgumentException unless df ≥ 1
   */
  static double critical95(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("The t quantile needs degrees of freedom ≥ 1, got " + df + ".");
    }
    // the generator is for sampling, which an interval never does
    return CRITICAL95.computeIfAbsent(df,
        d -> new TDistribution(null, d, QUANTILE_ACCURACY).inverseCumulativeProbability(0.975));
  }
}
