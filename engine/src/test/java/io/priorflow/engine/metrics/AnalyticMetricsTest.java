package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.DesignPolicy;
import io.priorflow.engine.analytic.GaussianGeneration;
import io.priorflow.engine.analytic.GaussianModel;
import io.priorflow.engine.analytic.GaussianWorldConfig;
import io.priorflow.engine.analytic.LinearGeneration;
import io.priorflow.engine.analytic.LinearWorldConfig;
import io.priorflow.engine.analytic.VarianceEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AnalyticMetricsTest {
  static final GaussianWorldConfig MLE = new GaussianWorldConfig(0, 2, 10, VarianceEstimator.MLE, DataPolicy.REPLACE);

  @Test
  void gaussianGenerationsBecomeRowsWithTheirMetricsAndTheVarianceLaw() {
    List<GaussianGeneration> run = List.of(new GaussianGeneration(0, new GaussianModel(0, 1), 0),
        new GaussianGeneration(1, new GaussianModel(0.5, 0.25), Math.sqrt(0.5)),
        new GaussianGeneration(2, new GaussianModel(0.5, 0.25), Math.sqrt(0.5)));
    TreeMap<String, String> p = new TreeMap<>(Map.of("world.policy", "replace"));
    List<MetricsRow> rows = AnalyticMetrics.gaussianRows("gauss", 3, p, run, MLE);
    assertEquals(3, rows.size());
    // E[σ²_n] = σ²·((N−1)/N)ⁿ with the MLE: 4, 4·0.9, 4·0.81
    assertEquals(new MetricsRow("gauss", 1, "", 3, p, Map.of("gaussian.mean", 0.5, "gaussian.variance", 0.25,
        "gaussian.w2", Math.sqrt(0.5), "gaussian.variance_law", 4 * 0.9)), rows.get(1));
    assertEquals(4 * 0.81, rows.get(2).metrics().get("gaussian.variance_law"), 1e-15);
    assertEquals(List.of("gaussian.mean", "gaussian.variance", "gaussian.variance_law", "gaussian.w2"),
        List.copyOf(rows.get(0).metrics().keySet()));
    // accumulate has no closed form: no column rather than a wrong one
    List<MetricsRow> pooled = AnalyticMetrics.gaussianRows("gauss", 0, p, run,
        new GaussianWorldConfig(0, 2, 10, VarianceEstimator.MLE, DataPolicy.ACCUMULATE));
    assertFalse(pooled.get(1).metrics().containsKey("gaussian.variance_law"));
  }

  @Test
  void linearGenerationsShareATableWithGaussianOnesEachWithItsLaw() {
    LinearWorldConfig lin = new LinearWorldConfig(2, 5, 1.0, DataPolicy.ACCUMULATE, DesignPolicy.FRESH);
    List<MetricsRow> rows = new ArrayList<>(AnalyticMetrics.linearRows("lin", 0, new TreeMap<>(),
        List.of(new LinearGeneration(0, new double[] {1}, 0), new LinearGeneration(1, new double[] {0.5}, 0.25),
            new LinearGeneration(2, new double[] {0.5}, 0.25)), lin));
    rows.addAll(AnalyticMetrics.gaussianRows("gauss", 0, new TreeMap<>(),
        List.of(new GaussianGeneration(0, new GaussianModel(0, 1), 0)), MLE));
    // σ²d·Σ 1/(i(iT−d−1)) with d = 2, T = 5: 2·(1/2) = 1, then 1 + 2·1/(2·7) = 1.142857…
    assertEquals("""
        lineage,generation,model,replicate,gaussian.mean,gaussian.variance,gaussian.variance_law,gaussian.w2,\
        linear.test_error,linear.test_error_law
        gauss,0,,0,0,1,4,0,,
        lin,0,,0,,,,,0,0
        lin,1,,0,,,,,0.25,1
        lin,2,,0,,,,,0.25,1.1428571428571428
        """, MetricsCsv.format(MetricsTable.of(rows)));
  }

  @Test
  void banditGenerationsBecomeRowsOfGoldRewardKlEntropyAndTheBestArm() {
    // rewards 1, 3, 3: the best arm is the first of the two at 3 (arm 1)
    double[] rewards = {1, 3, 3};
    double[] p0 = {0.5, 0.25, 0.25}, p1 = {0, 0.75, 0.25}, opt = {0.1, 0.6, 0.3};
    List<io.priorflow.engine.analytic.BanditWorld.Generation> run = List.of(
        new io.priorflow.engine.analytic.BanditWorld.Generation(0, p0, p0, null, null, 0),
        new io.priorflow.engine.analytic.BanditWorld.Generation(1, p1, p0, new double[] {0.5, 1, 2}, opt, 4));
    TreeMap<String, String> p = new TreeMap<>(Map.of("world.kind", "bandit"));
    List<MetricsRow> rows = AnalyticMetrics.banditRows("L0", 2, p, run, rewards);
    assertEquals(2, rows.size());
    Map<String, Double> g0 = rows.get(0).metrics(), g1 = rows.get(1).metrics();
    assertEquals(0.5 * 1 + 0.25 * 3 + 0.25 * 3, g0.get(MetricNames.BANDIT_GOLD_REWARD));
    assertEquals(0.0, g0.get(MetricNames.BANDIT_KL_BASE));
    assertEquals(-(0.5 * Math.log(0.5) + 0.5 * Math.log(0.25)), g0.get(MetricNames.BANDIT_ENTROPY), 1e-15);
    assertEquals(0.25, g0.get(MetricNames.BANDIT_BEST_ARM));
    assertFalse(g0.containsKey(MetricNames.BANDIT_OPTIMUM_KL), "no optimum before a policy step");
    assertEquals(0.75 * 3 + 0.25 * 3, g1.get(MetricNames.BANDIT_GOLD_REWARD), 1e-15);
    double kl = 0.75 * Math.log(0.75 / 0.25) + 0.25 * Math.log(0.25 / 0.25);
    assertEquals(kl, g1.get(MetricNames.BANDIT_KL_TEACHER), 1e-15);
    assertEquals(kl, g1.get(MetricNames.BANDIT_KL_BASE), 1e-15);
    assertEquals(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), g1.get(MetricNames.BANDIT_ENTROPY), 1e-15,
        "an arm of probability 0 adds nothing");
    assertEquals(0.75, g1.get(MetricNames.BANDIT_BEST_ARM));
    assertEquals(0.75 * Math.log(0.75 / 0.6) + 0.25 * Math.log(0.25 / 0.3), g1.get(MetricNames.BANDIT_OPTIMUM_KL),
        1e-15);
    assertEquals(new MetricsRow("L0", 1, "", 2, p, g1), rows.get(1));
    StringBuilder csv = new StringBuilder();
    AnalyticMetrics.banditCsv(csv, "L0", 2, run.subList(1, 2), rewards);
    assertEquals("L0,1,2,0,1.0,0.5,0.0,0.5,-Infinity\n"
        + "L0,1,2,1,3.0,1.0,0.75,0.25," + Math.log(3.0) + "\n"
        + "L0,1,2,2,3.0,2.0,0.25,0.25,0.0\n", csv.toString());
    StringBuilder first = new StringBuilder();
    AnalyticMetrics.banditCsv(first, "L0", 0, run.subList(0, 1), rewards);
    assertEquals("L0,0,0,0,1.0,,0.5,0.5,0.0\n", first.toString().lines().findFirst().orElseThrow() + "\n",
        "no reward model yet: an empty field");
  }
}
