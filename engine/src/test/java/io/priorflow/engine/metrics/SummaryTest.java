package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void tQuantilesMatchTheTables() {
    // two-sided 95% critical values, as printed in every table (3 decimals)
    assertEquals(12.706, SummaryStats.critical95(1), 5e-4);
    assertEquals(4.303, SummaryStats.critical95(2), 5e-4);
    assertEquals(3.182, SummaryStats.critical95(3), 5e-4);
    assertEquals(2.776, SummaryStats.critical95(4), 5e-4);
    assertEquals(2.228, SummaryStats.critical95(10), 5e-4);
    assertEquals(2.045, SummaryStats.critical95(29), 5e-4);
    assertEquals(2.021, SummaryStats.critical95(40), 5e-4);
    assertEquals(1.984, SummaryStats.critical95(100), 5e-4);
    assertEquals(1.95996, SummaryStats.critical95(10_000_000), 1e-5); // → the normal 1.959964
  }

  @Test
  void tQuantilesMatchTheClosedFormsToTheLastDigits() {
    // ν = 1 is Cauchy: t = tan(π(p − ½)); ν = 2: t = (2p − 1)/√(2p(1 − p)). They pin the accuracy to the last
    // digits (at ν = 1 the hand-written bisection this replaced was 2.5e−15 relative off, Commons Math 3.9e−15)
    double p = 0.975;
    assertEquals(Math.tan(Math.PI * (p - 0.5)), SummaryStats.critical95(1), 1e-13);
    assertEquals((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), SummaryStats.critical95(2), 1e-14);
    // the interval's ends are a pure function of df: the same value however often and from whichever thread
    assertEquals(SummaryStats.critical95(7), SummaryStats.critical95(7), 0.0);
    for (int df : new int[] {0, -1}) {
      assertThrows(IllegalArgumentException.class, () -> SummaryStats.critical95(df), "df = " + df);
    }
  }

  /** Degrees of freedom no other code asks for, a new one each time the test runs in this JVM. */
  private static final java.util.concurrent.atomic.AtomicInteger UNASKED_DF =
      new java.util.concurrent.atomic.AtomicInteger(5_000);

  @Test
  void aQuantileNotYetCachedIsComputedFromTheTDistribution() {
    // critical95 caches each df's quantile, and a JVM keeps the cache between tests (PIT's too, between mutants):
    // so ask for a df this JVM has never asked for, and check it against the Cornish–Fisher expansion of t in 1/ν
    // [Abramowitz and Stegun 26.7.5], whose next term is below 3e-15 here. (Commons Math's quantile is off by about
    // 1e-16·ν, from its incomplete beta: 6e-13 at ν = 5000, 5e-10 at 3 million.)
    int df = UNASKED_DF.getAndIncrement();
    double z = 1.959963984540054; // Φ⁻¹(0.975)
    double nu = df;
    double g1 = (Math.pow(z, 3) + z) / 4;
    double g2 = (5 * Math.pow(z, 5) + 16 * Math.pow(z, 3) + 3 * z) / 96;
    double g3 = (3 * Math.pow(z, 7) + 19 * Math.pow(z, 5) + 17 * Math.pow(z, 3) - 15 * z) / 384;
    double expected = z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu);
    assertEquals(expected, SummaryStats.critical95(df), 2e-12, "df = " + df);
  }

  @Test
  void theBootstrapsEndsAreMirrorOrderStatistics() {
    // the 2.5% and 97.5% points of 2000 sorted means are the 51st from the bottom and the 51st from the top. Mirror
    // the values, x → 1 − x: every resample draws the same positions (the draws depend only on n and the seed), so
    // every mean mirrors, the sorted list reverses, and the interval must mirror exactly:
    // ciLow(1 − x) = 1 − ciHigh(x) and ciHigh(1 − x) = 1 − ciLow(x). Sums of eight multiples of 1/64 are exact, and
    // so are their means.
    MetricDefinition share = MetricCatalog.of(MetricNames.trait("toxic"));
    double[][] sets = {{0, 1 / 64.0, 3 / 64.0, 7 / 64.0, 15 / 64.0, 31 / 64.0, 63 / 64.0, 1},
        {5 / 64.0, 9 / 64.0, 20 / 64.0, 22 / 64.0, 40 / 64.0, 41 / 64.0, 50 / 64.0, 61 / 64.0}};
    for (double[] x : sets) {
      double[] mirrored = new double[x.length];
      for (int i = 0; i < x.length; i++) mirrored[i] = 1 - x[i];
      SummaryStats s = SummaryStats.of(share, x), m = SummaryStats.of(share, mirrored);
      assertTrue(s.ciLow() < s.mean() && s.mean() < s.ciHigh(), s.toString());
      assertEquals(1 - s.ciHigh(), m.ciLow(), 0.0, java.util.Arrays.toString(x));
      assertEquals(1 - s.ciLow(), m.ciHigh(), 0.0, java.util.Arrays.toString(x));
    }
  }

  @Test
  void statsOfFourNumbersByHand() {
    // 1, 2, 3, 4: mean 2.5, Σ(x − x̄)² = 5, sd = √(5/3), se = sd/2, t_{0.975,3} = 3.182446305
    SummaryStats s = SummaryStats.of(1, 2, 3, 4);
    double sd = Math.sqrt(5.0 / 3);
    double half = 3.182446305284263 * sd / 2;
    assertEquals(4, s.n());
    assertEquals(2.5, s.mean(), 0.0);
    assertEquals(sd, s.sd(), 1e-15);
    assertEquals(sd / 2, s.se(), 1e-15);
    assertEquals(2.5 - half, s.ciLow(), 1e-9);
    assertEquals(2.5 + half, s.ciHigh(), 1e-9);
    assertEquals(0.445740, s.ciLow(), 1e-6);
    assertEquals(4.554260, s.ciHigh(), 1e-6);
  }

  @Test
  void eightReplicatesByHandThroughSummaryCsv() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − x̄)² = 32, sd = √(32/7) = 2.13808994, se = sd/√8 = 0.75592895,
    // t_{0.975,7} = 2.36462425, half-width 1.78748792, interval [3.21251208, 6.78748792]
    double[] x = {2, 4, 4, 4, 5, 5, 7, 9};
    List<MetricsRow> rows = new ArrayList<>();
    for (int r = 0; r < x.length; r++) {
      rows.add(new MetricsRow("l", 3, "", r, new TreeMap<>(Map.of("lr", "0.1")), Map.of("gaussian.mean", x[r])));
    }
    SummaryTable t = SummaryTable.of(MetricsTable.of(rows));
    SummaryStats s = t.get(new MetricsRow.Group("l", 3, new TreeMap<>(Map.of("lr", "0.1"))), "gaussian.mean");
    assertEquals(8, s.n());
    assertEquals(5.0, s.mean(), 0.0);
    assertEquals(2.13808994, s.sd(), 1e-8);
    assertEquals(0.75592895, s.se(), 1e-8);
    assertEquals(3.21251208, s.ciLow(), 1e-8);
    assertEquals(6.78748792, s.ciHigh(), 1e-8);
    String[] csv = t.format().split("\n");
    assertEquals("lineage,generation,param.lr,metric,n,mean,sd,se,ci95_low,ci95_high", csv[0]);
    assertTrue(csv[1].startsWith("l,3,0.1,gaussian.mean,8,5,2.138089935299395,0.7559289460184544,3.2125"), csv[1]);
  }

  @Test
  void nanValuesAreLeftOutAndSmallCountsHaveNoSpread() {
    SummaryStats s = SummaryStats.of(2, Double.NaN, 4);
    assertEquals(2, s.n());
    assertEquals(3.0, s.mean(), 0.0);
    assertEquals(Math.sqrt(2), s.sd(), 1e-15);
    assertEquals(3 - 12.706204736174698 * 1.0, s.ciLow(), 1e-9); // se = √2/√2 = 1
    SummaryStats one = SummaryStats.of(7);
    assertEquals(1, one.n());
    assertEquals(7.0, one.mean(), 0.0);
    assertTrue(Double.isNaN(one.sd()) && Double.isNaN(one.se()) && Double.isNaN(one.ciLow()));
    SummaryStats none = SummaryStats.of(Double.NaN);
    assertEquals(0, none.n());
    assertTrue(Double.isNaN(none.mean()));
    SummaryStats same = SummaryStats.of(0.5, 0.5, 0.5);
    assertEquals(0.0, same.sd(), 0.0);
    assertEquals(0.5, same.ciLow(), 0.0);
  }

  @Test
  void summaryGroupsReplicatesBySweepPoint() {
    List<MetricsRow> rows = new ArrayList<>();
    double[] gold = {1, 2, 3, 4};
    for (int rep = 0; rep < 4; rep++) {
      for (String lr : List.of("0.1", "0.01")) {
        TreeMap<String, String> p = new TreeMap<>(Map.of("lr", lr));
        rows.add(new MetricsRow("l", 0, "m" + rep + lr, rep, p,
            Map.of("reward.gold", lr.equals("0.1") ? gold[rep] : 10 * gold[rep], "trait.toxic", 0.5)));
      }
    }
    rows.add(new MetricsRow("l", 1, "x", 0, new TreeMap<>(Map.of("lr", "0.1")), Map.of("reward.gold", 5.0)));
    SummaryTable summary = SummaryTable.of(MetricsTable.of(rows));
    MetricsRow.Group small = new MetricsRow.Group("l", 0, new TreeMap<>(Map.of("lr", "0.01")));
    MetricsRow.Group big = new MetricsRow.Group("l", 0, new TreeMap<>(Map.of("lr", "0.1")));
    MetricsRow.Group later = new MetricsRow.Group("l", 1, new TreeMap<>(Map.of("lr", "0.1")));
    assertEquals(List.of(small, big, later), List.copyOf(summary.stats().keySet()));
    assertEquals(SummaryStats.of(1, 2, 3, 4), summary.get(big, "reward.gold"));
    assertEquals(SummaryStats.of(10, 20, 30, 40), summary.get(small, "reward.gold"));
    assertEquals(1, summary.get(later, "reward.gold").n());
    assertNull(summary.get(later, "trait.toxic"));
    String text = summary.format();
    String[] lines = text.split("\n");
    assertEquals("lineage,generation,param.lr,metric,n,mean,sd,se,ci95_low,ci95_high", lines[0]);
    assertEquals("l,0,0.01,trait.toxic,4,0.5,0,0,0.5,0.5", lines[1]);
    assertEquals("l,1,0.1,reward.gold,1,5,NaN,NaN,NaN,NaN", lines[5]);
    assertEquals(6, lines.length);
  }

  @Test
  void textSweepValuesAreOrderedAsTextAndNeverPooled() {
    assertTrue(MetricsRow.compareValues("replace", "accumulate") > 0);
    assertTrue(MetricsRow.compareValues("accumulate", "replace") < 0);
    assertEquals(0, MetricsRow.compareValues("replace", "replace"));
    // numbers as numbers (10 after 9), equal numbers by text, a number against text as text
    assertTrue(MetricsRow.compareValues("9", "10") < 0);
    assertTrue(MetricsRow.compareValues("10", "9") > 0);
    assertTrue(MetricsRow.compareValues("1", "1.0") < 0);
    assertTrue(MetricsRow.compareValues("1.0", "1") > 0);
    assertTrue(MetricsRow.compareValues("10", "9x") < 0);
    assertTrue(MetricsRow.compareValues("NaN", "10") > 0);
    assertEquals(Double.valueOf(0.5), MetricsRow.number("0.5"));
    assertNull(MetricsRow.number("Infinity"));
    assertNull(MetricsRow.number("NaN"));
    assertNull(MetricsRow.number("replace"));
    // two policies of one generation stay two rows of the summary, each with its own replicates
    List<MetricsRow> rows = new ArrayList<>();
    for (int rep = 0; rep < 3; rep++) {
      for (String policy : List.of("replace", "accumulate")) {
        rows.add(new MetricsRow("l", 2, "m" + rep + policy, rep, new TreeMap<>(Map.of("world.policy", policy)),
            Map.of("gaussian.variance", policy.equals("replace") ? 0.5 + rep : 10.0 + rep)));
      }
    }
    SummaryTable summary = SummaryTable.of(MetricsTable.of(rows));
    MetricsRow.Group accumulate = new MetricsRow.Group("l", 2, new TreeMap<>(Map.of("world.policy", "accumulate")));
    MetricsRow.Group replace = new MetricsRow.Group("l", 2, new TreeMap<>(Map.of("world.policy", "replace")));
    assertEquals(List.of(accumulate, replace), List.copyOf(summary.stats().keySet()));
    assertEquals(SummaryStats.of(10, 11, 12), summary.get(accumulate, "gaussian.variance"));
    // a variance is ≥ 0, so the t interval (−0.98, 3.98) is clipped to [0, 3.98]
    SummaryStats t = SummaryStats.of(0.5, 1.5, 2.5);
    assertEquals(new SummaryStats(3, t.mean(), t.sd(), t.se(), 0.0, t.ciHigh()), summary.get(replace,
        "gaussian.variance"));
    // and metrics.csv keeps all six rows, accumulate before replace within a replicate
    List<MetricsRow> sorted = MetricsTable.of(rows).rows();
    assertEquals(6, sorted.size());
    assertEquals("accumulate", sorted.get(0).params().get("world.policy"));
    assertEquals("replace", sorted.get(1).params().get("world.policy"));
  }

  @Test
  void sweepPointsCompareKeyByKeyAndAShorterPointFirst() {
    TreeMap<String, String> a = new TreeMap<>(Map.of("a", "1", "b", "x"));
    TreeMap<String, String> b = new TreeMap<>(Map.of("a", "1", "b", "y"));
    TreeMap<String, String> prefix = new TreeMap<>(Map.of("a", "1"));
    TreeMap<String, String> otherKey = new TreeMap<>(Map.of("a", "1", "c", "x"));
    assertTrue(MetricsRow.compareParams(a, b) < 0);
    assertTrue(MetricsRow.compareParams(b, a) > 0);
    assertEquals(0, MetricsRow.compareParams(a, new TreeMap<>(a)));
    assertTrue(MetricsRow.compareParams(prefix, a) < 0);
    assertTrue(MetricsRow.compareParams(a, prefix) > 0);
    assertTrue(MetricsRow.compareParams(a, otherKey) < 0);
    assertTrue(MetricsRow.compareParams(otherKey, a) > 0);
  }

  @Test
  void theStandardDeviationHasNoCancellationForLargeMeans() {
    // two-pass: Σ (x − mean)², exact here; the one-pass Σx² − n·mean² would lose every digit at 1e8
    SummaryStats s = SummaryStats.of(1e8 + 1, 1e8 + 2, 1e8 + 3);
    assertEquals(1e8 + 2, s.mean(), 0.0);
    assertEquals(1.0, s.sd(), 1e-12);
    assertEquals(1.0, SummaryStats.of(1e8 + 1, Double.NaN, 1e8 + 3, 1e8 + 2).sd(), 1e-12, "NaN left out");
    // values that are not integers: the sd of the deviations, to 1e-13, as the two-pass formula gives it
    double[] v = {3.3e7 + 0.1, 3.3e7 + 0.7, 3.3e7 + 1.9, 3.3e7 + 2.3};
    double mean = (v[0] + v[1] + v[2] + v[3]) / 4, sq = 0;
    for (double x : v) sq += (x - mean) * (x - mean);
    assertEquals(Math.sqrt(sq / 3), SummaryStats.of(v).sd(), 1e-13 * Math.sqrt(sq / 3));
  }
}
