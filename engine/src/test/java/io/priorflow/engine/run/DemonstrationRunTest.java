package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human demonstrations through the runner: label task demonstrate adds one human-written datum per prompt to the
 * generation's data, with human provenance and human cost; a second run of the same seed is byte-identical.
 */
class DemonstrationRunTest {
  static final String SCENARIO = """
      name: demos
      seed: 11
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, accuracy: 0.9 }
      lineages:
        - name: mixed
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: label, by: humans, task: demonstrate, sample: 10 }
            - { kind: train, method: sft, init: teacher }
        - name: only
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: label, by: humans, task: demonstrate, sample: 8 }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void demonstrationsJoinTheDataWithHumanProvenanceAndCost() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));
    DatasetNode mixed = g.dataset("mixed/g1/new");
    assertEquals(30, mixed.lineage().rows());
    assertTrue(mixed.signal().keySet().stream().anyMatch(o -> o.startsWith("human:")), mixed.signal().toString());
    DatasetNode only = g.dataset("only/g1/new");
    assertEquals(8, only.lineage().rows());
    assertTrue(!only.signal().isEmpty() && only.signal().keySet().stream().allMatch(o -> o.startsWith("human:")),
        "every signal of demonstrations alone is human: " + only.signal());
    Map<String, Double> m = t.rows().get(t.rows().size() - 1).metrics();
    assertEquals(8.0, m.get("labels.human"));
    assertTrue(m.get("cost.human_usd") > 0 && m.get("time.human_hours") > 0, m.toString());

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"), List.of("metrics.csv", "lineage.json"));
  }
}
