package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The best-of-m curve against its definition — every m-subset of a pool enumerated, the best by proxy (the first
 * drawn on ties) kept — and Gao et al.'s form recovered from a curve that follows it.
 */
class BestOfNCurveTest {

  /** E[proxy] and E[gold] of the best of a uniformly random m-subset, by enumerating all C(N, m) subsets. */
  static double[] bruteForce(double[] proxy, double[] gold, int m) {
    int n = proxy.length;
    double sumR = 0, sumG = 0;
    int subsets = 0;
    for (int mask = 0; mask < 1 << n; mask++) {
      if (Integer.bitCount(mask) != m) continue;
      int best = -1;
      for (int c = 0; c < n; c++) {
        if ((mask >> c & 1) == 1 && (best < 0 || proxy[c] > proxy[best])) best = c; // ties: the first drawn
      }
      sumR += proxy[best];
      sumG += gold[best];
      subsets++;
    }
    return new double[] {sumR / subsets, sumG / subsets};
  }

  @Test
  void everyPointIsTheMeanOverAllSubsetsWithTiesToTheFirstDrawn() {
    SplittableRandom rng = new SplittableRandom(3);
    List<double[]> proxy = new ArrayList<>(), gold = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      double[] r = new double[9], g = new double[9];
      for (int c = 0; c < 9; c++) {
        r[c] = rng.nextInt(4) * 0.5;  // few distinct values: many ties
        g[c] = rng.nextDouble() - 0.3;
      }
      proxy.add(r);
      gold.add(g);
    }
    List<BestOfNCurve.Point> curve = BestOfNCurve.curve(proxy, gold, 9);
    assertArrayEquals(new int[] {1, 2, 4, 8, 9}, curve.stream().mapToInt(BestOfNCurve.Point::n).toArray());
    for (BestOfNCurve.Point pt : curve) {
      double r = 0, g = 0;
      for (int p = 0; p < 3; p++) {
        double[] b = bruteForce(proxy.get(p), gold.get(p), pt.n());
        r += b[0] / 3;
        g += b[1] / 3;
      }
      assertEquals(r, pt.proxyReward(), 1e-12, "proxy of best-of-" + pt.n());
      assertEquals(g, pt.goldReward(), 1e-12, "gold of best-of-" + pt.n());
      assertEquals(Math.log(pt.n()) - (pt.n() - 1.0) / pt.n(), pt.klBound(), 1e-15);
    }
    // best-of-1 is the pool's mean; best-of-N its first-drawn maximum
    double mean = 0;
    for (double x : gold.get(0)) mean += x / 9;
    assertEquals(mean, BestOfNCurve.curve(List.of(proxy.get(0)), List.of(gold.get(0)), 1).get(0).goldReward(), 1e-12);
  }

  @Test
  void sizesAreThePowersOfTwoBelowNThenN() {
    assertArrayEquals(new int[] {1}, BestOfNCurve.sizes(1));
    assertArrayEquals(new int[] {1, 2}, BestOfNCurve.sizes(2));
    assertArrayEquals(new int[] {1, 2, 4, 6}, BestOfNCurve.sizes(6));
    assertArrayEquals(new int[] {1, 2, 4, 8, 16}, BestOfNCurve.sizes(16));
    assertThrows(IllegalArgumentException.class, () -> BestOfNCurve.sizes(0));
    assertThrows(IllegalArgumentException.class,
        () -> BestOfNCurve.curve(List.of(new double[3]), List.of(new double[3]), 4), "a pool smaller than n");
  }

  @Test
  void theFitRecoversGaosFormAndItsPeak() {
    // gold gain exactly d(α − βd) at d = √(log m − (m−1)/m): the fit returns α, β and the peak KL (α/2β)²
    double alpha = 0.9, beta = 0.35;
    List<BestOfNCurve.Point> curve = new ArrayList<>();
    for (int m : BestOfNCurve.sizes(512)) {
      double d = Math.sqrt(BestOfNCurve.klBound(m));
      curve.add(new BestOfNCurve.Point(m, BestOfNCurve.klBound(m), 0, 0.2 + d * (alpha - beta * d)));
    }
    Map<String, Double> f = BestOfNCurve.fitMetrics(curve);
    assertEquals(alpha, f.get(MetricNames.EVAL_BON_FIT_ALPHA), 1e-9);
    assertEquals(beta, f.get(MetricNames.EVAL_BON_FIT_BETA), 1e-9);
    assertEquals(1, f.get(MetricNames.EVAL_BON_FIT_R2), 1e-12);
    double peak = alpha / (2 * beta);
    assertEquals(peak * peak, f.get(MetricNames.EVAL_BON_FIT_PEAK_KL), 1e-9);
    // two points (n = 2) cannot tell α from β
    assertTrue(Double.isNaN(BestOfNCurve.fitMetrics(curve.subList(0, 2)).get(MetricNames.EVAL_BON_FIT_ALPHA)));
  }
}
