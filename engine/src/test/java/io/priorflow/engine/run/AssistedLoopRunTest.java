package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-engine loop of model-assisted labelling ({@code assistant: classifier}): the critic pre-labels the first
 * round, then before each assisted round a classifier is trained afresh on every human verdict so far, and its
 * pre-labels are the ones shown, recorded and scored against gold.
 */
class AssistedLoopRunTest {
  static final String SCENARIO = """
      name: loop
      seed: 3
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9, anchoring: 0.3 }
        critics: { count: 1, temperature: 0.5 }
      lineages:
        - name: loop
          generations: 3
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: humans, sample: 20, task: rate, assisted: true, assistant: classifier }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 8, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void theClassifierRetrainsOnEveryVerdictSoFarAndPreLabelsFromRoundTwo() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO, true);
    LineageGraph graph = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));
    List<Map<String, Double>> rows = t.rows().stream().map(MetricsRow::metrics).toList();

    // round 1: no human verdict yet, so the critic pre-labels and no assistant is trained
    assertTrue(rows.get(1).containsKey("labels.gold_agreement.critic"));
    assertFalse(rows.get(1).containsKey("labels.gold_agreement.assistant"));
    assertFalse(Files.exists(tmp.resolve("a/provenance/loop/g1/s1-label/assistant-data.jsonl")));
    String previous = null;
    for (int g = 2; g <= 3; g++) {
      // round g: the assistant is trained on the 20 verdicts of each earlier round, and pre-labels every item
      assertTrue(rows.get(g).containsKey("labels.gold_agreement.assistant"), "generation " + g);
      assertFalse(rows.get(g).containsKey("labels.gold_agreement.critic"), "generation " + g);
      String data = "loop/g" + g + "/s1-label/assistant-data";
      assertEquals(20 * (g - 1), graph.dataset(data).lineage().rows(), data);
      List<JsonNode> verdicts = ModelRefRunTest.provenance(tmp.resolve("a"), data);
      for (JsonNode v : verdicts) {
        JsonNode labels = v.get("labels");
        assertEquals(1, labels.size(), v.toString()); // the human's verdict alone, not the pre-label it saw
        assertEquals("human", labels.get(0).get("labeller").asText());
        assertEquals("rating", labels.get(0).get("kind").asText());
      }
      String classifier = null;
      for (JsonNode d : ModelRefRunTest.provenance(tmp.resolve("a"), "loop/g" + g + "/new")) {
        for (JsonNode l : d.get("labels")) {
          if (l.get("labeller_id").asText().equals("assistant")) {
            if (classifier == null) classifier = l.get("model").asText();
            assertEquals(classifier, l.get("model").asText());
          }
          assertNotEquals("critic", l.get("labeller_id").asText(), "round " + g + " shows no critic pre-label");
        }
      }
      ModelNode m = graph.model(classifier);
      assertNull(m.training().init()); // trained afresh each round
      assertEquals(List.of(data), m.training().datasets());
      assertEquals("score_regression", m.training().trainer().method());
      assertNotEquals(previous, classifier);
      previous = classifier;
    }
  }
}
