package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.analytic.GaussianGeneration;
import io.priorflow.engine.analytic.GaussianModel;
import io.priorflow.engine.analytic.LinearGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AnalyticMetricsTest {

  @Test
  void gaussianGenerationsBecomeRowsWithTheirMetrics() {
    List<GaussianGeneration> run = List.of(new GaussianGeneration(0, new GaussianModel(0, 1), 0),
        new GaussianGeneration(1, new GaussianModel(0.5, 0.25), Math.sqrt(0.5)));
    TreeMap<String, String> p = new TreeMap<>(Map.of("world.policy", "replace"));
    List<MetricsRow> rows = AnalyticMetrics.gaussianRows("gauss", 3, p, run);
    assertEquals(2, rows.size());
    assertEquals(new MetricsRow("gauss", 1, "", 3, p,
        Map.of("gaussian.mean", 0.5, "gaussian.variance", 0.25, "gaussian.w2", Math.sqrt(0.5))), rows.get(1));
    assertEquals(List.of("gaussian.mean", "gaussian.variance", "gaussian.w2"),
        List.copyOf(rows.get(0).metrics().keySet()));
  }

  @Test
  void linearGenerationsShareATableWithGaussianOnes() {
    List<MetricsRow> rows = new ArrayList<>(AnalyticMetrics.linearRows("lin", 0, new TreeMap<>(),
        List.of(new LinearGeneration(0, new double[] {1}, 0), new LinearGeneration(1, new double[] {0.5}, 0.25))));
    rows.addAll(AnalyticMetrics.gaussianRows("gauss", 0, new TreeMap<>(),
        List.of(new GaussianGeneration(0, new GaussianModel(0, 1), 0))));
    assertEquals("""
        lineage,generation,model,replicate,gaussian.mean,gaussian.variance,gaussian.w2,linear.test_error
        gauss,0,,0,0,1,0,
        lin,0,,0,,,,0
        lin,1,,0,,,,0.25
        """, MetricsCsv.format(MetricsTable.of(rows)));
  }
}
