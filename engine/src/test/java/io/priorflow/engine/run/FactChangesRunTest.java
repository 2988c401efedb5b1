package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing facts through a run: half the facts change at generation 1; a lineage that fine-tunes on fresh world data
 * learns the new values, one that trains on its own teacher's answers keeps the old ones.
 */
class FactChangesRunTest {
  static final String SCENARIO = """
      name: changes
      seed: 5
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        knowledge: { changes: [ { share: 0.5, every: 100, from: 1 } ] }
      model: { context: 6, embedDim: 16, hidden: [64] }
      training: { lr: 0.02, batchSize: 32, epochs: 2 }
      lineages:
        - name: stale
          generations: 1
          base: { pretrainExamples: 4000, epochs: 4 }
          data: { policy: replace }
          stages:
            - { kind: generate, samples: 1500, tag: high }
            - { kind: train, method: sft, init: teacher }
        - name: fresh
          generations: 1
          base: { pretrainExamples: 4000, epochs: 4 }
          data: { policy: replace, freshFraction: 0.9 }
          stages:
            - { kind: generate, samples: 1500, tag: high }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 60, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void freshWorldDataTeachesTheNewValuesAndTheTeachersOwnAnswersKeepTheOldOnes() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    MetricsRow base = t.rows().get(0);
    assertFalse(base.metrics().containsKey(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), "nothing changed at 0");
    String header = Files.readAllLines(tmp.resolve("a/metrics.csv")).get(0);
    assertTrue(header.contains(",knowledge.current_accuracy,knowledge.stale_rate,"), header);
    Map<String, Double> stale = ScenarioRunTest.lastMetrics(t, "stale"), fresh = ScenarioRunTest.lastMetrics(t, "fresh");
    System.out.printf("stale lineage: current %.3f stale %.3f; fresh lineage: current %.3f stale %.3f%n",
        stale.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), stale.get(MetricNames.KNOWLEDGE_STALE_RATE),
        fresh.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), fresh.get(MetricNames.KNOWLEDGE_STALE_RATE));
    assertTrue(stale.get(MetricNames.KNOWLEDGE_STALE_RATE) > fresh.get(MetricNames.KNOWLEDGE_STALE_RATE) + 0.1,
        stale + "\n" + fresh);
    assertTrue(fresh.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY) > stale.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY)
        + 0.1, stale + "\n" + fresh);
    assertTrue(Files.readString(tmp.resolve("a/scenario.yaml")).contains("changes:"));
    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"), List.of("metrics.csv", "lineage.json"));
  }
}
