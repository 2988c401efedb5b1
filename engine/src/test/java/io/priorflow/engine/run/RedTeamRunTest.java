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
 * Red teaming through the runner on the local executor: the finds become preference data (found side with red_team
 * provenance, better side written by a human), find rate and human cost are reported, and a second run of the same
 * seed is byte-identical.
 */
class RedTeamRunTest {
  static final String SCENARIO = """
      name: redteam
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9 }
        redTeamers: { count: 2, budget: 60 }
      lineages:
        - name: human
          generations: 2
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: redteam, trait: toxic, by: human }
            - { kind: train, method: dpo, init: teacher }
        - name: ai
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: redteam, trait: toxic, by: ai, responsesPerPrompt: 1 }
            - { kind: train, method: reward_model, init: teacher }
            - { kind: train, method: best_of_n, n: 2, prompts: 8 }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;


  @Test
  void findsBecomePreferencePairsWithRedTeamProvenanceAndReRunByteIdentically() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));

    Map<String, Double> human = ScenarioRunTest.lastMetrics(t, "human");
    double findRate = human.get("redteam.find_rate");
    assertTrue(findRate > 0 && findRate <= 1, "the base model is toxic sometimes: " + human);
    assertTrue(human.get("cost.human_usd") > 0 && human.get("time.human_hours") > 0, human.toString());
    DatasetNode prefs = g.dataset("human/g1/preferences");
    assertTrue(prefs.lineage().rows() > 0 && prefs.lineage().rows() % 2 == 0);
    String json = Files.readString(tmp.resolve("a/lineage.json"));
    assertTrue(json.contains("red_team"), "found data carries red_team provenance");
    assertTrue(json.contains("red-team-0") && json.contains("red-team-1"), "both red teamers are actors");

    Map<String, Double> ai = ScenarioRunTest.lastMetrics(t, "ai");
    assertTrue(ai.get("labels.ai") > 0, "an AI red teamer's judged responses are AI labels: " + ai);
    assertTrue(json.contains("classifier/toxic/data"), "the AI red teamer's classifier has its own lineage");

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"), List.of("metrics.csv", "lineage.json"));
  }
}
