package io.priorflow.engine.metrics;

import io.priorflow.engine.analytic.BanditWorld;
import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.GaussianCollapseLaws;
import io.priorflow.engine.analytic.GaussianGeneration;
import io.priorflow.engine.analytic.GaussianWorldConfig;
import io.priorflow.engine.analytic.LinearCollapseLaws;
import io.priorflow.engine.analytic.LinearGeneration;
import io.priorflow.engine.analytic.LinearWorldConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Turns the analytic worlds' generations into metrics rows: gaussian.mean, gaussian.variance, gaussian.w2 per
 * Gaussian generation, linear.test_error per linear generation, each with its closed form where one exists
 * (gaussian.variance_law, linear.test_error_law). The values are the generations' own
 * ({@link GaussianGeneration#metrics()}, {@link LinearGeneration#metrics()}); this adapter only keys them. An
 * analytic model has no content hash, so the model column is empty.
 */
public final class AnalyticMetrics {

  private AnalyticMetrics() {}

  /**
   * One row per Gaussian generation of one run (replicate) of a lineage at a sweep point, with
   * gaussian.variance_law under the replace policy.
   */
  public static List<MetricsRow> gaussianRows(String lineage, int replicate, SortedMap<String, String> params,
                                              List<GaussianGeneration> run, GaussianWorldConfig config) {
    List<MetricsRow> rows = new ArrayList<>(run.size());
    for (GaussianGeneration g : run) {
      Map<String, Double> m = new LinkedHashMap<>(g.metrics());
      if (config.policy() == DataPolicy.REPLACE) {
        m.put(MetricNames.GAUSSIAN_VARIANCE_LAW, GaussianCollapseLaws.expectedVariance(config.sd(), config.samples(),
            config.estimator(), g.generation()));
      }
      rows.add(new MetricsRow(lineage, g.generation(), "", replicate, params, m));
    }
    return rows;
  }

  /** One row per linear generation of one run (replicate) of a lineage at a sweep point, with linear.test_error_law. */
  public static List<MetricsRow> linearRows(String lineage, int replicate, SortedMap<String, String> params,
                                            List<LinearGeneration> run, LinearWorldConfig config) {
    List<MetricsRow> rows = new ArrayList<>(run.size());
    for (LinearGeneration g : run) {
      Map<String, Double> m = new LinkedHashMap<>(g.metrics());
      m.put(MetricNames.LINEAR_TEST_ERROR_LAW, LinearCollapseLaws.expectedTestError(config, g.generation()));
      rows.add(new MetricsRow(lineage, g.generation(), "", replicate, params, m));
    }
    return rows;
  }

  /** One row per bandit generation of one run (replicate) of a lineage at a sweep point (see bandit.* metrics). */
  public static List<MetricsRow> banditRows(String lineage, int replicate, SortedMap<String, String> params,
                                            List<BanditWorld.Generation> run, double[] rewards) {
    List<MetricsRow> rows = new ArrayList<>(run.size());
    double[] base = run.get(0).pi();
    int best = 0;
    for (int k = 1; k < rewards.length; k++) if (rewards[k] > rewards[best]) best = k;
    for (BanditWorld.Generation g : run) {
      Map<String, Double> m = new LinkedHashMap<>();
      double gold = 0, entropy = 0;
      for (int k = 0; k < rewards.length; k++) {
        gold += g.pi()[k] * rewards[k];
        if (g.pi()[k] > 0) entropy -= g.pi()[k] * Math.log(g.pi()[k]);
      }
      m.put(MetricNames.BANDIT_GOLD_REWARD, gold);
      m.put(MetricNames.BANDIT_KL_TEACHER, BanditWorld.kl(g.pi(), g.teacher()));
      m.put(MetricNames.BANDIT_KL_BASE, BanditWorld.kl(g.pi(), base));
      m.put(MetricNames.BANDIT_ENTROPY, entropy);
      m.put(MetricNames.BANDIT_BEST_ARM, g.pi()[best]);
      if (g.optimum() != null) m.put(MetricNames.BANDIT_OPTIMUM_KL, BanditWorld.kl(g.pi(), g.optimum()));
      rows.add(new MetricsRow(lineage, g.generation(), "", replicate, params, m));
    }
    return rows;
  }

  /** The header of bandit.csv. */
  public static final String BANDIT_CSV_HEADER = "lineage,generation,replicate,arm,reward,reward_model,pi,pi_ref,"
      + "log_ratio\n";

  /**
   * bandit.csv's rows of one run of a lineage: per generation and arm, the gold reward, the lineage's reward model
   * (empty before it has one), π, π_ref (the teacher) and log(π/π_ref) — so that β·log_ratio − reward, constant
   * over arms at DPO's optimum, can be read off.
   */
  public static void banditCsv(StringBuilder out, String lineage, int replicate, List<BanditWorld.Generation> run,
                               double[] rewards) {
    for (BanditWorld.Generation g : run) {
      for (int k = 0; k < rewards.length; k++) {
        Csv.appendRecord(out, List.of(lineage, Integer.toString(g.generation()), Integer.toString(replicate),
            Integer.toString(k), Double.toString(rewards[k]),
            g.rewardModel() == null ? "" : Double.toString(g.rewardModel()[k]), Double.toString(g.pi()[k]),
            Double.toString(g.teacher()[k]), Double.toString(Math.log(g.pi()[k] / g.teacher()[k]))));
      }
    }
  }
}
