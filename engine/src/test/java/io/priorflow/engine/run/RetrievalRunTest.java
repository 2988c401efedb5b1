package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval-augmented evaluation and generation through a run: the retrievers' passages reach the model, their queries
 * are paid for, and a fresh index answers changed facts that a model trained before the change cannot.
 */
class RetrievalRunTest {
  static final String SCENARIO = """
      name: rag
      seed: 5
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        documents: { factRecall: 0.5, statements: 1, freshValues: 1 }
        knowledge: { changes: [ { share: 0.5, every: 100, from: 1 } ] }
      model: { context: 8, embedDim: 16, hidden: [64] }
      training: { lr: 0.02, batchSize: 32, epochs: 2 }
      actors: { retrievers: { count: 3, recall: 1, precision: 1, costPerQuery: 0.01 } }
      lineages:
        - name: stale
          generations: 1
          base: { pretrainExamples: 4000, epochs: 4 }
          data: { policy: replace }
          stages:
            - { kind: generate, samples: 500, tag: high, retrieval: { k: 1, rebuildEvery: 1 } }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 60, samplesPerPrompt: 1 RETRIEVAL }
      """;

  @TempDir Path tmp;

  @Test
  void aFreshIndexAnswersChangedFactsAndEveryQueryIsPaidFor() throws Exception {
    MetricsTable rag = ScenarioRunTest.runInto(tmp.resolve("rag"), SCENARIO.replace(" RETRIEVAL",
        ", retrieval: { k: 1, rebuildEvery: 1 }"));
    MetricsTable frozen = ScenarioRunTest.runInto(tmp.resolve("frozen"), SCENARIO.replace(" RETRIEVAL",
        ", retrieval: { k: 1, rebuildEvery: 0 }"));
    MetricsTable none = ScenarioRunTest.runInto(tmp.resolve("none"), SCENARIO.replace(" RETRIEVAL", ""));
    Map<String, Double> r = ScenarioRunTest.lastMetrics(rag, "stale"), f = ScenarioRunTest.lastMetrics(frozen, "stale"),
        n = ScenarioRunTest.lastMetrics(none, "stale");
    System.out.printf("current accuracy: fresh index %.3f, frozen index %.3f, none %.3f; stale: %.3f %.3f %.3f%n",
        r.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), f.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY),
        n.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), r.get(MetricNames.KNOWLEDGE_STALE_RATE),
        f.get(MetricNames.KNOWLEDGE_STALE_RATE), n.get(MetricNames.KNOWLEDGE_STALE_RATE));
    assertTrue(r.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY) > f.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY) + 0.1,
        "a fresh index beats a frozen one on changed facts");
    assertTrue(f.get(MetricNames.KNOWLEDGE_STALE_RATE) > r.get(MetricNames.KNOWLEDGE_STALE_RATE) + 0.1,
        "a frozen index states them stale");
    // queries: the base's evaluation (60 prompts), then generation 1's generate stage (500) and evaluation (60
    // prompts + the changed-fact probes: 8 changed facts asked 8 times each = 64)
    assertEquals(60 + 500 + 60 + 64, r.get(MetricNames.COST_RETRIEVAL_QUERIES));
    assertEquals(0.01 * (60 + 500 + 60 + 64), r.get(MetricNames.COST_RETRIEVAL_USD), 1e-9);
    assertEquals(500, n.get(MetricNames.COST_RETRIEVAL_QUERIES), "without an evaluation's retrieval: the stage's only");
    ScenarioRunTest.runInto(tmp.resolve("rag2"), SCENARIO.replace(" RETRIEVAL",
        ", retrieval: { k: 1, rebuildEvery: 1 }"));
    ScenarioRunTest.assertSameFiles(tmp.resolve("rag"), tmp.resolve("rag2"), List.of("metrics.csv", "lineage.json"));
    assertTrue(Files.readString(tmp.resolve("rag/scenario.yaml")).contains("retrieval:"));
  }

  /** Two lineages of one run, the second deployed with retrieval ({@code lineages[].retrieval}). */
  static final String DEPLOYED = """
      name: deployed
      seed: 5
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        documents: { factRecall: 0.5, statements: 1, freshValues: 1 }
        knowledge: { changes: [ { share: 0.5, every: 100, from: 1 } ] }
      model: { context: 8, embedDim: 16, hidden: [64] }
      training: { lr: 0.02, batchSize: 32, epochs: 2 }
      actors: { retrievers: { count: 2, recall: 1, precision: 1 } }
      lineages:
        - name: plain
          generations: 1
          base: { pretrainExamples: 4000, epochs: 4 }
          stages:
            - { kind: generate, samples: 200, tag: high }
            - { kind: train, method: sft, init: teacher }
        - name: deployed
          generations: 1
          base: { pretrainExamples: 4000, epochs: 4 }
          retrieval: { k: 1, rebuildEvery: 1 }
          stages:
            - { kind: generate, samples: 200, tag: high }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 60, samplesPerPrompt: 1 }
      """;

  @Test
  void aLineageDeployedWithRetrievalRetrievesAtEvaluationAndItsNeighbourDoesNot() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("two"), DEPLOYED);
    Map<String, Double> plain = ScenarioRunTest.lastMetrics(t, "plain");
    Map<String, Double> rag = ScenarioRunTest.lastMetrics(t, "deployed");
    System.out.printf("current accuracy: plain %.3f, deployed with retrieval %.3f%n",
        plain.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), rag.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY));
    assertEquals(0.0, plain.get(MetricNames.COST_RETRIEVAL_QUERIES), "this lineage retrieves nowhere");
    // the base's evaluation (60 prompts), generation 1's (60 prompts + 8 changed facts asked 8 times each)
    assertEquals(60 + 60 + 64, rag.get(MetricNames.COST_RETRIEVAL_QUERIES));
    assertTrue(rag.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY) > plain.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY)
        + 0.1, rag + "\n" + plain);
    String resolved = Files.readString(tmp.resolve("two/scenario.yaml"));
    assertEquals(resolved.indexOf("retrieval:"), resolved.lastIndexOf("retrieval:"), "only the deployed lineage:\n"
        + resolved);
  }
}
