package io.priorflow.engine.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gao, Schulman and Hilton's (2022) best-of-n curve: the gold reward of best-of-m sampling under a proxy reward, for
 * m = 1, 2, 4, … up to n, against d = √KL(best-of-m ‖ policy), and their form R(d) = d(α − βd) fitted to it
 * ({@link OveroptimisationFit}). One evaluation gives the whole curve, as in the paper (§2.2): from a pool of N
 * candidates per prompt, the expected rewards of the best of a uniformly random m-subset are exact weighted sums
 * (the unbiased estimator), so no value of m needs its own samples:
 * <pre>
 *   candidates sorted by proxy reward, ascending (a tie ranks the earlier-drawn candidate higher, as best-of-n
 *   breaks ties toward the first drawn); the one of rank i (1..N) is the best of a random m-subset with
 *   probability  w(i, m) = C(i−1, m−1) / C(N, m),   computed as  w(N, m) = m / N,  w(i−1, m) = w(i, m)·(i−m)/(i−1)
 *   E[proxy of best-of-m] = Σᵢ w(i, m) proxyᵢ        E[gold of best-of-m] = Σᵢ w(i, m) goldᵢ
 * </pre>
 * averaged over prompts in prompt order. The KL of each point is the analytic log m − (m − 1)/m (exact for a
 * continuous reward, an upper bound with ties), as Gao et al. use; {@code eval.bon_kl} measures it at n. R is the
 * gold reward gained over m = 1 (the policy itself, d = 0). Pure static functions.
 */
public final class BestOfNCurve {

  private BestOfNCurve() {}

  /**
   * One point of the curve.
   *
   * @param n           m, the number of candidates the best is chosen from
   * @param klBound     log m − (m − 1)/m, nats
   * @param proxyReward expected proxy reward of best-of-m
   * @param goldReward  expected gold utility of best-of-m
   */
  public record Point(int n, double klBound, double proxyReward, double goldReward) {}

  /** The m of the curve up to n: 1, 2, 4, … (powers of two below n), then n. */
  public static int[] sizes(int n) {
    if (n < 1) throw new IllegalArgumentException("best-of-n needs n ≥ 1, was " + n + ".");
    List<Integer> m = new ArrayList<>();
    for (int s = 1; s < n; s *= 2) m.add(s);
    m.add(n);
    return m.stream().mapToInt(Integer::intValue).toArray();
  }

  /** log m − (m − 1)/m. */
  public static double klBound(int m) {
    return Math.log(m) - (m - 1.0) / m;
  }

  /**
   * w(i, m) for ranks i = 1..N (index i − 1): the probability that the candidate of rank i (ascending) is the best of
   * a uniformly random m-subset of the N.
   */
  static double[] weights(int pool, int m) {
    if (m < 1 || m > pool) {
      throw new IllegalArgumentException("best-of-" + m + " needs 1 ≤ m ≤ the pool of " + pool + " candidates.");
    }
    double[] w = new double[pool];
    w[pool - 1] = (double) m / pool;
    for (int i = pool; i > m; i--) w[i - 2] = w[i - 1] * (i - m) / (i - 1);
    return w;
  }

  /**
   * The curve for m in {@link #sizes}(n), from each prompt's pool of candidates ({@code proxy.get(p)[c]} and
   * {@code gold.get(p)[c]} of candidate c in drawing order); every pool needs at least n candidates.
   */
  public static List<Point> curve(List<double[]> proxy, List<double[]> gold, int n) {
    if (proxy.size() != gold.size() || proxy.isEmpty()) {
      throw new IllegalArgumentException("The curve needs one proxy and one gold pool per prompt, got "
          + proxy.size() + " and " + gold.size() + ".");
    }
    int[] sizes = sizes(n);
    double[] sumProxy = new double[sizes.length], sumGold = new double[sizes.length];
    double[][] w = null; // w[s]: the weights of sizes[s] for pools of this length (every pool has k·n candidates)
    for (int p = 0; p < proxy.size(); p++) {
      double[] r = proxy.get(p), g = gold.get(p);
      if (r.length != g.length) {
        throw new IllegalArgumentException("Prompt " + p + " has " + r.length + " proxy and " + g.length
            + " gold values.");
      }
      Integer[] order = new Integer[r.length];
      for (int c = 0; c < order.length; c++) order[c] = c;
      // ascending by proxy; among equal proxies the earlier-drawn candidate ranks higher (it wins the tie)
      Arrays.sort(order, Comparator.<Integer>comparingDouble(c -> r[c]).thenComparing(Comparator.reverseOrder()));
      if (w == null || w[0].length != r.length) {
        w = new double[sizes.length][];
        for (int s = 0; s < sizes.length; s++) w[s] = weights(r.length, sizes[s]);
      }
      for (int s = 0; s < sizes.length; s++) {
        double er = 0, eg = 0;
        for (int i = 0; i < r.length; i++) {
          er += w[s][i] * r[order[i]];
          eg += w[s][i] * g[order[i]];
        }
        sumProxy[s] += er;
        sumGold[s] += eg;
      }
    }
    List<Point> out = new ArrayList<>(sizes.length);
    for (int s = 0; s < sizes.length; s++) {
      out.add(new Point(sizes[s], klBound(sizes[s]), sumProxy[s] / proxy.size(), sumGold[s] / proxy.size()));
    }
    return out;
  }

  /**
   * eval.bon_fit_alpha, eval.bon_fit_beta, eval.bon_fit_r2 and eval.bon_fit_peak_kl: Gao et al.'s best-of-n form
   * fitted to the curve's gold gain over m = 1 against d = √klBound; NaN where the fit has fewer than 3 points
   * (n &lt; 3) or no peak (β ≤ 0, for the peak KL).
   */
  public static Map<String, Double> fitMetrics(List<Point> curve) {
    double[] d = new double[curve.size()], gain = new double[curve.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(curve.get(i).klBound());
      gain[i] = curve.get(i).goldReward() - curve.get(0).goldReward();
    }
    OveroptimisationFit.Fit f = OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, d, gain);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(MetricNames.EVAL_BON_FIT_ALPHA, f.alpha());
    m.put(MetricNames.EVAL_BON_FIT_BETA, f.beta());
    m.put(MetricNames.EVAL_BON_FIT_R2, f.r2());
    double peak = f.peak();
    m.put(MetricNames.EVAL_BON_FIT_PEAK_KL, peak * peak);
    return m;
  }
}
