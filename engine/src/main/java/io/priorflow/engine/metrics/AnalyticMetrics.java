package io.priorflow.engine.metrics;

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
}
