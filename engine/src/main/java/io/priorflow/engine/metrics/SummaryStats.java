package io.priorflow.engine.metrics;

/**
 * One metric's statistics over the replicates of a sweep point.
 * <pre>
 *   n      replicates with a value (NaN values are left out: the metric was undefined there)
 *   mean   Σ x / n
 *   sd     √( Σ (x − mean)² / (n − 1) )        sample standard deviation, NaN for n &lt; 2
 *   se     sd / √n                              standard error of the mean
 *   ci95   mean ± t_{0.975, n−1} · se           Student t interval ({@link StudentT}), NaN for n &lt; 2
 * </pre>
 * Sums run in the order given (replicate order), in double, so the result is reproducible bit for bit.
 *
 * @param n      the count
 * @param mean   the mean (NaN for n = 0)
 * @param sd     the sample standard deviation
 * @param se     the standard error
 * @param ciLow  lower end of the 95% confidence interval of the mean
 * @param ciHigh upper end
 */
public record SummaryStats(int n, double mean, double sd, double se, double ciLow, double ciHigh) {

  /** The statistics of the values, NaNs left out. */
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
    double half = StudentT.critical95(n - 1) * se;
    return new SummaryStats(n, mean, sd, se, mean - half, mean + half);
  }
}
