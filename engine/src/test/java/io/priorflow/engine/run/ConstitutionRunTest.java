package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A constitution critic through the runner: one trait classifier per rule, each with its own lineage, and every
 * critic judgement (filter, prefer) a label per classifier; a second run of the same seed is byte-identical.
 */
class ConstitutionRunTest {
  static final String SCENARIO = """
      name: constitution
      seed: 7
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        critics:
          temperature: 0.2
          constitution:
            rules: [ { trait: toxic, weight: 2, rule: forbids }, { trait: correct, weight: 1, rule: asks } ]
            labelNoise: 0.1
            trainingExamples: 300
      lineages:
        - name: rlaif
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: label, by: critic, sample: 10, task: prefer }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void everyCriticJudgementIsOneLabelPerClassifierAndReRunsByteIdentically() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));
    String json = Files.readString(tmp.resolve("a/lineage.json"));
    assertTrue(json.contains("classifier/toxic/data") && json.contains("classifier/correct/data"),
        "each classifier has its own training data in lineage");
    assertTrue(!json.contains("critic/data"), "no utility critic is trained when a constitution judges");

    Map<String, Double> signal = g.dataset("rlaif/g1/preferences").signal();
    // the teacher's responses (model:) and the two classifiers' labels, judgements of theirs (judge:, Ancestry step 5)
    assertEquals(1, signal.keySet().stream().filter(o -> o.startsWith("model:")).count(), signal.toString());
    assertEquals(2, signal.keySet().stream().filter(o -> o.startsWith("judge:")).count(), signal.toString());
    Map<String, Double> m = t.rows().get(t.rows().size() - 1).metrics();
    assertEquals(50.0, m.get("labels.ai"), "40 filter scores + 10 preference labels: " + m);

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"), List.of("metrics.csv", "lineage.json"));
  }
}
