package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.scenario.ScenarioException;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage schedules (every, from, until): which generations run a stage, and what a generation without training keeps. */
class StageScheduleRunTest {
  static final String SCENARIO = """
      name: schedules
      seed: 9
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2 }
      lineages:
        - name: main
          generations: 4
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 10, task: rate, every: 2 }
            - { kind: train, method: sft, init: teacher, from: 2, until: 3 }
      evaluation: { prompts: 10, samplesPerPrompt: 1, winRateAgainst: teacher }
      """;

  @TempDir Path tmp;

  @Test
  void aStageRunsOnlyInItsGenerationsAndAGenerationWithoutTrainingKeepsItsModel() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    List<MetricsRow> rows = t.rows();
    // the label stage runs in generations 1 and 3 (every 2 from 1): labels add up 10, 10, 20, 20
    assertEquals(List.of(0.0, 10.0, 10.0, 20.0, 20.0),
        rows.stream().map(r -> r.metrics().get("labels.human")).toList());
    // sft runs in generations 2 and 3 only: generations 1 and 4 keep the model they started from
    assertEquals(rows.get(0).model(), rows.get(1).model(), "no training in generation 1");
    assertNotEquals(rows.get(1).model(), rows.get(2).model());
    assertNotEquals(rows.get(2).model(), rows.get(3).model());
    assertEquals(rows.get(3).model(), rows.get(4).model(), "until 3: no training in generation 4");
    // against its teacher, an untrained generation draws exactly (every sample ties); generation 0 has no teacher
    assertEquals(null, rows.get(0).metrics().get("winrate"));
    assertEquals(0.5, rows.get(1).metrics().get("winrate"), 0.0);
    assertEquals(0.5, rows.get(4).metrics().get("winrate"), 0.0);
    double trained = rows.get(2).metrics().get("winrate");
    assertTrue(trained >= 0 && trained <= 1 && trained != 0.5, "a trained generation against its teacher: " + trained);
  }

  @Test
  void schedulesThatLeaveATrainerWithoutDataAreValidateErrors() {
    String dpo = SCENARIO.replace("task: rate, every: 2 }", "task: prefer, from: 2 }")
        .replace("method: sft, init: teacher, from: 2, until: 3 }", "method: dpo, init: teacher }");
    String e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(dpo, "s.yaml", List.of()))
        .getMessage();
    assertTrue(e.contains("lineages[0].stages[2].method") && e.contains("run in generation 1, where dpo runs"), e);
    String backwards = SCENARIO.replace("from: 2, until: 3", "from: 3, until: 2");
    String b = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(backwards, "s.yaml", List.of()))
        .getMessage();
    assertTrue(b.contains("lineages[0].stages[2].until") && b.contains("expected until ≥ from = 3"), b);
    ScenarioLoader.parse(dpo.replace("method: dpo, init: teacher }", "method: dpo, init: teacher, from: 2 }"),
        "s.yaml", List.of()); // pairs in every generation dpo runs: valid
  }
}
