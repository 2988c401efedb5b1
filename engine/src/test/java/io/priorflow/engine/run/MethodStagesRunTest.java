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
 * Issue 5's stages through the runner on the local executor: what data, labels and provenance each produces, the
 * method metrics and costs it reports, and byte-identical results on a second run.
 */
class MethodStagesRunTest {
  static final String SCENARIO = """
      name: methods
      seed: 3
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, accuracy: 0.9, biases: { polite: 0.1 } }
        critics: { count: 1, temperature: 0.3, costPerLabel: 0.01 }
      lineages:
        - name: rlhf
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 30, task: prefer, overlap: 0.5, raters: 3 }
            - { kind: train, method: reward_model, init: teacher }
            - { kind: train, method: rlhf, init: teacher, prompts: 16, samplesPerPrompt: 2 }
        - name: dpo
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: critic, sample: 20, task: prefer }
            - { kind: train, method: dpo, init: teacher }
        - name: lora
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 10, task: rate, assisted: true }
            - { kind: train, method: lora, init: teacher, loraRank: 2 }
        - name: token
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: train, method: distill_token, init: scratch }
        - name: bon
          generations: 1
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: train, method: best_of_n, n: 3, prompts: 16 }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;


  @Test
  void eachMethodProducesItsDataLabelsAndMetricsAndReRunsByteIdentically() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));

    // prefer by humans: 30 pairs, both sides in the preference data, judged by humans; half overlapped → kappa
    DatasetNode prefs = g.dataset("rlhf/g1/preferences");
    assertEquals(60, prefs.lineage().rows());
    assertTrue(prefs.signal().keySet().stream().anyMatch(o -> o.startsWith("human:")), prefs.signal().toString());
    Map<String, Double> rlhf = ScenarioRunTest.lastMetrics(t, "rlhf");
    assertBetween(-1, 1, rlhf.get("labels.kappa"), "labels.kappa");
    assertBetween(0, 1, rlhf.get("labels.agreement"), "labels.agreement");
    // 30 pairs, 15 of them (overlap ½) labelled by 3 humans: 15 + 45 labels at 30 s and 25 USD per hour
    assertEquals(60.0, rlhf.get("labels.human"), "overlapped pairs are labelled by 3 humans: " + rlhf);
    assertEquals(60 * 30 / 3600.0, rlhf.get("time.human_hours"), 1e-12);
    assertEquals(60 * 30 / 3600.0 * 25, rlhf.get("cost.human_usd"), 1e-9);
    assertBetween(0, 1, rlhf.get("reward.heldout_agreement"), "reward.heldout_agreement");
    List<String> trace = Files.readAllLines(tmp.resolve("a/rlhf-trace.csv"));
    assertEquals("lineage,generation,replicate,step,proxy_reward,gold_reward,kl,objective,algorithm", trace.get(0));
    assertTrue(trace.size() > 1 && trace.get(1).startsWith("rlhf,1,0,0,"), trace.toString());
    assertTrue(trace.get(1).endsWith(",rloo"), "a stage that names no algorithm runs rloo: " + trace.get(1));
    // rlhf.kl is the last step's KL, the trace's last row
    String[] lastStep = trace.get(trace.size() - 1).split(",");
    assertEquals(Double.parseDouble(lastStep[6]), rlhf.get("rlhf.kl"), 1e-9 * Math.abs(rlhf.get("rlhf.kl")));
    assertTrue(rlhf.get("rlhf.kl") >= 0, "an exact KL is never negative");

    // prefer by the critic: AI labels, charged per label; dpo on the pairs
    Map<String, Double> dpo = ScenarioRunTest.lastMetrics(t, "dpo");
    assertEquals(20.0, dpo.get("labels.ai"));
    assertEquals(0.2, dpo.get("cost.ai_usd"), 1e-12);
    assertEquals(0.0, dpo.get("labels.human"));
    assertBetween(0, 1, dpo.get("dpo.accuracy"), "dpo.accuracy");
    Map<String, Double> signal = g.dataset("dpo/g1/preferences").signal();
    assertEquals(List.of("judge:", "model:"), signal.keySet().stream().map(o -> o.substring(0, 6)).sorted().toList(),
        "the teacher's responses and the critic model's labels, its judgements: " + signal);

    // assisted rating: pre-labels count as AI labels beside the human ones; lora trains a small share
    Map<String, Double> lora = ScenarioRunTest.lastMetrics(t, "lora");
    assertEquals(10.0, lora.get("labels.ai"));
    assertEquals(10.0, lora.get("labels.human"));
    assertTrue(lora.get("params.trainable") < lora.get("params.full"), lora.toString());
    assertTrue(g.modelLineage(t.rows().stream().filter(r -> r.lineage().equals("lora")).reduce((a, b) -> b)
        .orElseThrow().model()).toString().contains("LoraConfig[rank=2"));

    // token distillation and best-of-n report their own measures and their training tokens
    double distillKl = ScenarioRunTest.lastMetrics(t, "token").get("distill.kl");
    assertTrue(distillKl > 0 && Double.isFinite(distillKl), "a student trained from scratch differs: " + distillKl);
    Map<String, Double> bon = ScenarioRunTest.lastMetrics(t, "bon");
    assertEquals(Math.log(3) - 2.0 / 3, bon.get("best_of_n.kl_bound"), 1e-12);
    assertTrue(bon.get("cost.train_tokens") > 0);
    assertTrue(Files.readString(tmp.resolve("a/events.jsonl")).contains("\"trainTokens\""));

    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"), List.of("metrics.csv", "lineage.json", "rlhf-trace.csv"));
  }

  static void assertBetween(double lo, double hi, Double value, String what) {
    assertTrue(value != null && value >= lo && value <= hi, what + " in [" + lo + ", " + hi + "], was " + value);
  }
}
