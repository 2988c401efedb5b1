package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-context examples through a run, on the evaluation and on a generate stage: they reach a transformer (its sampled
 * metrics, or the data it writes, change), not a window model too short to see them, leave the metrics that do not
 * sample alone, and the run stays reproducible.
 */
class EvaluationExamplesRunTest {
  static final String SCENARIO = """
      name: prompted
      seed: 3
      world: { vocabulary: { entities: 8, attributes: 2 } }
      models:
        gpt: { family: transformer, context: 64, width: 16, layers: 1, heads: 2, mlpWidth: 32 }
        mlp: { family: mlp, context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.01, batchSize: 32, epochs: 1 }
      lineages:
        - name: gpt
          model: gpt
          generations: 1
          base: { model: gpt, pretrainExamples: 1500, epochs: 2 }
          stages:
            - { kind: generate, samples: 200 GPTEXAMPLES}
            - { kind: train, method: sft, init: teacher }
        - name: mlp
          model: mlp
          generations: 1
          base: { model: mlp, pretrainExamples: 1500, epochs: 2 }
          stages:
            - { kind: generate, samples: 200 MLPEXAMPLES}
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 40, samplesPerPrompt: 2 EXAMPLES }
      """;

  @TempDir Path tmp;

  /** The scenario with the evaluation's and each lineage's generate stage's examples (empty: none). */
  private static String scenario(String evaluation, String gpt, String mlp) {
    return SCENARIO.replace(" EXAMPLES", evaluation).replace(" GPTEXAMPLES", gpt).replace(" MLPEXAMPLES", mlp);
  }

  @Test
  void examplesReachAModelThatCanSeeThemAndTheRunStaysReproducible() throws Exception {
    MetricsTable shown = ScenarioRunTest.runInto(tmp.resolve("shown"), scenario(", examples: 3, examplesTag: low",
        "", ""));
    MetricsTable plain = ScenarioRunTest.runInto(tmp.resolve("plain"), scenario("", "", ""));
    Map<String, Double> gs = ScenarioRunTest.lastMetrics(shown, "gpt"), gp = ScenarioRunTest.lastMetrics(plain, "gpt");
    Map<String, Double> ms = ScenarioRunTest.lastMetrics(shown, "mlp"), mp = ScenarioRunTest.lastMetrics(plain, "mlp");
    // the same models (the examples change only what is measured, not what is trained: the generate stages have none)
    assertEquals(shown.rows().get(1).model(), plain.rows().get(1).model());
    assertNotEquals(gs.get(MetricNames.DIVERSITY_ENTROPY), gp.get(MetricNames.DIVERSITY_ENTROPY),
        "the transformer reads the examples");
    assertEquals(gp.get(MetricNames.LOSS_WORLD), gs.get(MetricNames.LOSS_WORLD), 0, "loss.world does not sample");
    // the window model's 4 tokens never reach past its prompt: every metric is the same
    assertEquals(mp, ms);
    assertTrue(Files.readString(tmp.resolve("shown/scenario.yaml")).contains("examples: 3"));
    ScenarioRunTest.runInto(tmp.resolve("shown2"), scenario(", examples: 3, examplesTag: low", "", ""));
    ScenarioRunTest.assertSameFiles(tmp.resolve("shown"), tmp.resolve("shown2"), List.of("metrics.csv",
        "lineage.json"));
  }

  @Test
  void aGenerateStagesExamplesReachATransformerTeacherAndNotAWindowTooShortToSeeThem() throws Exception {
    MetricsTable plain = ScenarioRunTest.runInto(tmp.resolve("plain"), scenario("", "", ""));
    MetricsTable prompted = ScenarioRunTest.runInto(tmp.resolve("prompted"), scenario("", ", examples: 2",
        ", examples: 2"));
    // generation 1's students: the transformer teacher wrote other data after the examples, so its student differs;
    // the 4-token window never saw past the prompt, so the MLP's data, and its student, are the same
    assertNotEquals(model(plain, "gpt", 1), model(prompted, "gpt", 1));
    assertEquals(model(plain, "mlp", 1), model(prompted, "mlp", 1));
    assertEquals(model(plain, "gpt", 0), model(prompted, "gpt", 0), "the bases are the same");
  }

  private static String model(MetricsTable t, String lineage, int generation) {
    return t.rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == generation).findFirst()
        .orElseThrow().model();
  }
}
