package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.MetricsRow;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-context learning at reduced size, through a run: a transformer pretrained on fact-recall documents reads a
 * held-out fact from its context (knowledge.context_accuracy ≥ 0.8) though it never learned it (heldout_accuracy
 * near chance, 1/8), while the window MLP on the same data stays near chance on both. Pretraining on documents
 * alone (every prompt a fact question, every fact question a document about one entity) keeps it to a couple of
 * thousand steps; tagged slow (about a minute on 2 cores), run by CI.
 */
@Tag("slow")
class InContextLearningRunTest {
  static final String SCENARIO = """
      name: icl-small
      seed: 11
      world:
        prompts: { fact: 1, arithmetic: 0, chat: 0 }
        knowledge: { heldOutEntities: 4 }
        documents: { factRecall: 1, statements: 3, freshValues: 0.5, sameEntity: true }
      models:
        gpt: { family: transformer, context: 32, width: 64, layers: 2, heads: 4, mlpWidth: 256 }
        mlp: { family: mlp, context: 8, embedDim: 24, hidden: [256] }
      training: { lr: 0.003, batchSize: 32, epochs: 1, lrSchedule: cosine }
      lineages:
        - name: gpt
          model: gpt
          generations: 1
          base: { model: gpt, pretrainExamples: PRETRAIN, epochs: 3 }
          stages:
            - { kind: generate, samples: 50 }
            - { kind: train, method: sft, init: teacher }
        - name: mlp
          model: mlp
          generations: 1
          base: { model: mlp, pretrainExamples: PRETRAIN, epochs: 3 }
          stages:
            - { kind: generate, samples: 50 }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 96, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void theTransformerReadsAHeldOutFactFromItsContextAndTheWindowModelCannot() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp, SCENARIO.replace("PRETRAIN", "40000"));
    Map<String, Double> gpt = base(t, "gpt"), mlp = base(t, "mlp");
    System.out.printf("context / heldout accuracy: transformer %.3f / %.3f, mlp %.3f / %.3f, chance 0.125%n",
        gpt.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY), gpt.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY),
        mlp.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY), mlp.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY));
    assertTrue(gpt.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY) >= 0.8, gpt.toString());
    assertTrue(gpt.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY) <= 0.25, gpt.toString());
    assertTrue(mlp.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY) <= 0.25, mlp.toString());
    assertTrue(mlp.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY) <= 0.25, mlp.toString());
  }

  /** The metrics of a lineage's generation 0 (its pretrained base). */
  private static Map<String, Double> base(MetricsTable t, String lineage) {
    return t.rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == 0).findFirst()
        .map(MetricsRow::metrics).orElseThrow();
  }
}
