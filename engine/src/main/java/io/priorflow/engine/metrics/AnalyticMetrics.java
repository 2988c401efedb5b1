package io.priorflow.engine.metrics;

import io.priorflow.engine.analytic.GaussianGeneration;
import io.priorflow.engine.analytic.LinearGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Turns the analytic worlds' generations into metrics rows: gaussian.mean, gaussian.variance, gaussian.w2 per
 * Gaussian generation, linear.test_error per linear generation. The values are the generations' own
 * ({@link GaussianGeneration#metrics()}, {@link LinearGeneration#metrics()}); this adapter only keys them. An
 * analytic model has no content hash, so the model column is empty.
 */
public final class AnalyticMetrics {

  private AnalyticMetrics() {}

  /** One row per Gaussian generation of one run (replicate) of a lineage at a sweep point. */
  public static List<MetricsRow> gaussianRows(String lineage, int replicate, SortedMap<String, String> params,
                                              List<GaussianGeneration> run) {
    List<MetricsRow> rows = new ArrayList<>(run.size());
    for (GaussianGeneration g : run) {
      rows.add(new MetricsRow(lineage, g.generation(), "", replicate, params, g.metrics()));
    }
    return rows;
  }

  /** One row per linear generation of one run (replicate) of a lineage at a sweep point. */
  public static List<MetricsRow> linearRows(String lineage, int replicate, SortedMap<String, String> params,
                                            List<LinearGeneration> run) {
    List<MetricsRow> rows = new ArrayList<>(run.size());
    for (LinearGeneration g : run) {
      rows.add(new MetricsRow(lineage, g.generation(), "", replicate, params, g.metrics()));
    }
    return rows;
  }
}
