package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.priorflow.engine.metrics.BestOfNCurve;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Best-of-n at inference through a run (Gao et al.'s setup): a lineage that trains only a reward model keeps its
 * model, its evaluation is the base as best-of-n under that reward model, best-of-n.csv holds the curve of every
 * evaluation and metrics.csv the fit of exactly that curve; a second run gives the same bytes.
 */
class BestOfNRunTest {
  static final String SCENARIO = """
      name: bon-curve
      seed: 7
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9 }
      lineages:
        - name: rm
          generations: 2
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 40, task: prefer }
            - { kind: train, method: reward_model }
      evaluation: { prompts: 12, samplesPerPrompt: 2, bestOfN: 6 }
      """;

  @Test
  void theCurveOfEveryEvaluationIsWrittenAndItsFitIsInTheMetrics(@TempDir Path tmp) throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    List<MetricsRow> rows = t.rows();
    assertEquals(3, rows.size());
    // only a reward model trains: every generation's model is the base
    assertEquals(rows.get(0).model(), rows.get(1).model());
    assertEquals(rows.get(0).model(), rows.get(2).model());

    List<String> lines = Files.readAllLines(tmp.resolve("a").resolve(RunOutputs.BEST_OF_N_CURVE));
    assertEquals("lineage,generation,replicate,n,kl_bound,proxy_reward,gold_reward", lines.get(0));
    assertEquals(1 + 3 * 4, lines.size(), "m = 1, 2, 4, 6 for generations 0, 1 and 2: " + lines);
    for (int g = 0; g <= 2; g++) {
      List<BestOfNCurve.Point> curve = new ArrayList<>();
      for (String line : lines.subList(1 + 4 * g, 5 + 4 * g)) {
        String[] f = line.split(",");
        assertEquals("rm," + g + ",0", f[0] + "," + f[1] + "," + f[2]);
        curve.add(new BestOfNCurve.Point(Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
            Double.parseDouble(f[6])));
      }
      assertEquals(List.of(1, 2, 4, 6), curve.stream().map(BestOfNCurve.Point::n).toList());
      assertEquals(BestOfNCurve.klBound(6), curve.get(3).klBound(), 0);
      Map<String, Double> m = rows.get(g).metrics();
      Map<String, Double> fit = BestOfNCurve.fitMetrics(curve);
      for (String name : List.of(MetricNames.EVAL_BON_FIT_ALPHA, MetricNames.EVAL_BON_FIT_BETA,
          MetricNames.EVAL_BON_FIT_R2)) {
        assertEquals(fit.get(name), m.get(name), 1e-12, name + " of generation " + g);
      }
      assertFalse(Double.isNaN(m.get(MetricNames.EVAL_BON_FIT_ALPHA)));
      // choosing by the proxy raises it: best-of-6 over best-of-1
      assertEquals(true, curve.get(3).proxyReward() > curve.get(0).proxyReward(), lines.toString());
    }

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"),
        List.of("metrics.csv", "lineage.json", RunOutputs.BEST_OF_N_CURVE));
  }
}
