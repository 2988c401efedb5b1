package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.world.WorldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * provenance/: every dataset a model trained on, datum by datum, agreeing with lineage.json and the world; and the
 * ancestry of an RLHF policy, which now carries the labellers behind its reward model.
 */
class ProvenanceFilesTest {
  static final String SCENARIO = """
      name: provenance
      seed: 4
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, accuracy: 0.9, biases: { polite: 0.3 } }
      lineages:
        - name: rlhf
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 30, task: prefer }
            - { kind: train, method: reward_model, init: teacher }
            - { kind: train, method: rlhf, init: teacher, prompts: 16, samplesPerPrompt: 2 }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  private static List<JsonNode> lines(Path file) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) out.add(json.readTree(line));
    return out;
  }

  @Test
  void everyTrainingDatasetIsWrittenDatumByDatum() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO, true);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));
    Map<String, Double> utility = WorldConfig.DEFAULT_UTILITY;
    int files = 0;
    for (DatasetNode d : g.nodes().stream().filter(n -> n instanceof DatasetNode).map(n -> (DatasetNode) n).toList()) {
      Path f = tmp.resolve("a/provenance/" + d.name() + ".jsonl");
      assertTrue(Files.isRegularFile(f), f + " for " + d.name());
      List<JsonNode> rows = lines(f);
      assertEquals(d.lineage().rows(), rows.size(), d.name());
      for (JsonNode r : rows) {
        assertEquals(d.name(), r.get("dataset").asText());
        assertEquals(r.get("response").asText().isEmpty() ? 0 : r.get("response").asText().split(" ").length,
            r.get("response_tokens").asInt(), r.toString());
        double u = 0;
        for (JsonNode trait : r.get("traits")) u += utility.getOrDefault(trait.asText(), 0.0);
        assertEquals(u, r.get("utility").asDouble(), 1e-9, "the gold utility is the sum of the traits' weights: " + r);
      }
      files++;
    }
    assertTrue(files >= 4, "base data, critic/prompts, preferences, rollouts: " + files);

    // preferences: both sides of each pair, each labelled by a human of the pool with the other side named
    List<JsonNode> prefs = lines(tmp.resolve("a/provenance/rlhf/g1/preferences.jsonl"));
    assertEquals(60, prefs.size());
    for (JsonNode r : prefs) {
      JsonNode l = r.get("labels").get(0);
      assertEquals("preference", l.get("kind").asText());
      assertEquals("human", l.get("labeller").asText());
      assertTrue(l.get("labeller_id").asText().matches("human-[0-2]"), l.toString());
      assertEquals("human:" + l.get("labeller_id").asText(), l.get("origin").asText());
      assertFalse(l.get("pair").isNull());
    }
    // rollouts: rewarded by the reward model, a judgement (origin judge:<its id>)
    List<JsonNode> rollouts = lines(tmp.resolve("a/provenance/rlhf/g1/rollouts.jsonl"));
    assertEquals(16, rollouts.size());
    JsonNode reward = rollouts.get(0).get("labels").get(0);
    assertEquals("reward", reward.get("kind").asText());
    assertEquals("judge:" + reward.get("model").asText(), reward.get("origin").asText());

    // the policy carries the labellers whose preferences trained the reward model (Ancestry steps 5 and 6)
    Map<String, Double> m = ScenarioRunTest.lastMetrics(t, "rlhf");
    double humans = m.entrySet().stream().filter(e -> e.getKey().startsWith("ancestry.human:"))
        .mapToDouble(Map.Entry::getValue).sum();
    assertTrue(humans > 0.05, "the humans' share of an RLHF policy: " + m);

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO, true);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"),
        List.of("provenance/rlhf/g1/preferences.jsonl", "provenance/rlhf/g1/rollouts.jsonl", "lineage.json"));
    ScenarioRunTest.runInto(tmp.resolve("c"), SCENARIO, false);
    assertFalse(Files.exists(tmp.resolve("c/provenance")), "off by default");
  }
}
