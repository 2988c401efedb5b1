package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label quality against the gold oracle, where the labellers' parameters fix it exactly: a perfect labeller agrees
 * always, a labeller of accuracy 0 never, a labeller who always copies the pre-label copies every wrong one.
 */
class LabelQualityRunTest {
  static final String SCENARIO = """
      name: quality
      seed: 13
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans:
          count: 2
          accuracy: 1
          fatiguePerHour: 0
          anchoring: 0
          secondsPerLabel: 30
          individuals: { human-1: { accuracy: 0 } }
        critics: { temperature: 0.5 }
      lineages:
        - name: rate
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 40, task: rate }
            - { kind: train, method: sft, init: teacher }
        - name: prefer
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 40, task: prefer }
            - { kind: train, method: dpo, init: teacher }
        - name: anchored
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 40 }
            - { kind: label, by: humans, sample: 40, task: rate, assisted: true }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 10, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void agreementWithGoldIsExactWhereTheLabellersMakeItSo() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO);
    Map<String, Double> rate = ScenarioRunTest.lastMetrics(t, "rate");
    assertEquals(1.0, rate.get("labels.gold_agreement.human-0"), "accuracy 1: " + rate);
    assertEquals(0.0, rate.get("labels.gold_agreement.human-1"), "accuracy 0: " + rate);
    assertEquals(0.5, rate.get("labels.gold_agreement.humans"), 1e-12, "20 items each: " + rate);
    assertEquals(30.0, rate.get("labels.seconds_per_label"), 1e-9);
    assertEquals(null, rate.get("labels.anchored_error"), "no pre-labels, no anchoring measure");

    Map<String, Double> prefer = ScenarioRunTest.lastMetrics(t, "prefer");
    assertEquals(1.0, prefer.get("labels.gold_agreement.human-0"), prefer.toString());
    assertEquals(0.0, prefer.get("labels.gold_agreement.human-1"), prefer.toString());

    // the critic pre-labels all 40 items, some wrongly
    Map<String, Double> anchored = ScenarioRunTest.lastMetrics(t, "anchored");
    double critic = anchored.get("labels.gold_agreement.critic");
    assertTrue(critic > 0 && critic < 1, "a noisy critic: " + anchored);
    double wrongPreLabels = 40 * (1 - critic);
    assertTrue(wrongPreLabels >= 1, anchored.toString());
    assertTrue(anchored.containsKey("labels.anchored_error"), anchored.toString());
    double seconds = anchored.get("labels.seconds_per_label");
    assertTrue(seconds < 30, "assisted labels are faster: " + seconds);

    // anchoring 1 with perfect labellers: every wrong pre-label is copied
    MetricsTable copied = ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO.replace("anchoring: 0", "anchoring: 1")
        .replace("individuals: { human-1: { accuracy: 0 } }", "individuals: {}"));
    Map<String, Double> c = ScenarioRunTest.lastMetrics(copied, "anchored");
    assertEquals(1.0, c.get("labels.anchored_error"), c.toString());
    assertEquals(c.get("labels.gold_agreement.critic"), c.get("labels.gold_agreement.humans"), 1e-12,
        "copying every pre-label, the humans agree with gold exactly as often as the critic: " + c);
  }
}
