package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * Issue 18's methods through the runner on the local executor: rlhf with each algorithm (the trace says which ran;
 * ppo here with its value head),
 * kto on a rating stage's accepted and rejected examples, online_dpo's rounds with their labels and costs, gkd's
 * metrics — and byte-identical results on a second run.
 */
class PreferenceMethodsRunTest {
  static final String SCENARIO = """
      name: preference-methods
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, accuracy: 0.8, biases: { polite: 0.1 } }
        critics: { count: 1, temperature: 0.3, costPerLabel: 0.01 }
      lineages:
        - name: ppo
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: train, method: rlhf, algorithm: ppo, clip: 0.1, ppoEpochs: 3, prompts: 16, samplesPerPrompt: 2,
                baseline: value, gaeLambda: 0.9 }
        - name: grpo
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: train, method: rlhf, algorithm: grpo, prompts: 16, samplesPerPrompt: 4 }
        - name: kto
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 30, task: rate }
            - { kind: train, method: kto, undesirableWeight: 1.5 }
        - name: online
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: train, method: online_dpo, by: humans, rounds: 3, prompts: 8 }
        - name: gkd
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: train, method: gkd, init: scratch, divergence: reverse_kl, onPolicyFraction: 0.5 }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void eachMethodRunsWithItsDataCostsAndMetricsAndReRunsByteIdentically() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));

    // rlhf: one trace row per step, each naming its algorithm; PPO trains ppoEpochs steps per batch of samples
    List<String> trace = Files.readAllLines(tmp.resolve("a/rlhf-trace.csv"));
    assertTrue(trace.stream().anyMatch(l -> l.startsWith("ppo,1,0,0,") && l.endsWith(",ppo")), trace.toString());
    assertTrue(trace.stream().anyMatch(l -> l.startsWith("grpo,1,0,0,") && l.endsWith(",grpo")), trace.toString());
    Map<String, Double> ppo = ScenarioRunTest.lastMetrics(t, "ppo"), grpo = ScenarioRunTest.lastMetrics(t, "grpo");
    assertTrue(ppo.containsKey("rlhf.kl") && grpo.containsKey("rlhf.kl"));

    // kto: every rated response is an example — accepted (desirable) and rejected (undesirable) — by human labellers
    Map<String, Double> kto = ScenarioRunTest.lastMetrics(t, "kto");
    DatasetNode ratings = g.dataset("kto/g1/ratings");
    assertEquals(30, ratings.lineage().rows(), "all 30 rated responses, the rejected ones too");
    assertTrue(ratings.signal().keySet().stream().anyMatch(o -> o.startsWith("human:")), ratings.signal().toString());
    assertEquals(30.0, kto.get("labels.human"));
    for (String k : List.of("kto.accuracy", "kto.margin", "kto.kl")) assertNotNull(kto.get(k), k);
    assertTrue(kto.get("kto.kl") >= 0);

    // online_dpo: 3 rounds of 8 pairs, judged by humans and paid for; the last round's DPO metrics
    Map<String, Double> online = ScenarioRunTest.lastMetrics(t, "online");
    assertEquals(24.0, online.get("labels.human"), "3 rounds × 8 pairs");
    assertTrue(online.get("cost.human_usd") > 0 && online.get("cost.train_tokens") > 0);
    assertNotNull(online.get("dpo.accuracy"));
    for (int r = 0; r < 3; r++) assertEquals(16, g.dataset("online/g1/online/r" + r).lineage().rows());
    List<String> events = Files.readAllLines(tmp.resolve("a/events.jsonl"));
    for (String sub : List.of("r0-generate", "r1-label", "r2-train")) {
      assertTrue(events.stream().anyMatch(e -> e.contains("online/g1/s0-train/" + sub)), sub + " in " + events);
    }

    // gkd: its divergence and on-policy share
    Map<String, Double> gkd = ScenarioRunTest.lastMetrics(t, "gkd");
    assertTrue(gkd.get("gkd.divergence") >= 0);
    assertTrue(gkd.get("gkd.on_policy") > 0.2 && gkd.get("gkd.on_policy") < 0.8, gkd.toString());

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"),
        List.of("metrics.csv", "lineage.json", "rlhf-trace.csv"));
  }

  /** The same methods with every model a small transformer: the trainers never ask which family they hold. */
  @Test
  void theMethodsRunOnTheTransformerFamily() throws Exception {
    String gpt = SCENARIO.replace("model: { context: 4, embedDim: 8, hidden: [32] }",
            "models:\n  gpt: { family: transformer, context: 24, width: 16, layers: 1, heads: 2, mlpWidth: 32 }")
        .replace("    base: { pretrainExamples: 400, epochs: 1 }",
            "    model: gpt\n    base: { model: gpt, pretrainExamples: 400, epochs: 1 }");
    assertTrue(gpt.contains("model: gpt") && !gpt.contains("hidden: [32]"), gpt);
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("gpt"), gpt);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("gpt/lineage.json")));
    for (String lineage : List.of("ppo", "grpo", "kto", "online", "gkd")) {
      Map<String, Double> m = ScenarioRunTest.lastMetrics(t, lineage);
      assertTrue(m.get("kl.base") > 0 && Double.isFinite(m.get("kl.base")), lineage + " moved: " + m);
    }
    assertTrue(Files.readString(tmp.resolve("gpt/lineage.json")).contains("\"transformer\""),
        "the models are transformers");
    assertNotNull(ScenarioRunTest.lastMetrics(t, "kto").get("kto.margin"));
    assertEquals(24.0, ScenarioRunTest.lastMetrics(t, "online").get("labels.human"));
    assertNotNull(g.dataset("kto/g1/ratings"));
  }
}
