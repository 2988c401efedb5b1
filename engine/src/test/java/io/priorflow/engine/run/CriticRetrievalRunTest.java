package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The critic with retrieval ({@code actors.critics.retrieval}) through a run: half the facts change at generation 1,
 * the critic learnt generation 0's world (with one-statement fact-recall documents, so it learnt to judge an answer by
 * a stated fact; short responses, since its scalar head averages over every window of the response), and the teacher — pretrained on generation 0 too — answers changed facts with their old values. The
 * critic judges a sample of its answers; with a fresh index it reads the current value before the question.
 */
class CriticRetrievalRunTest {
  static final String SCENARIO = """
      name: critic-rag
      seed: 11
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        documents: { factRecall: 0.5, statements: 1, freshValues: 1 }
        knowledge: { changes: [ { share: 0.5, every: 100, from: 1 } ] }
        utility: { wrong: -1 }
        length: { min: 1, max: 3 }
      model: { context: 8, embedDim: 16, hidden: [64] }
      training: { lr: 0.02, batchSize: 32, epochs: 3 }
      actors:
        critics: { temperature: 0 CRITIC }
        retrievers: { count: 3, recall: 1, precision: 1, costPerQuery: 0.01 }
      lineages:
        - name: judged
          generations: 1
          base: { pretrainExamples: 12000, epochs: 4 }
          data: { policy: replace }
          stages:
            - { kind: generate, samples: 400, tag: high }
            - { kind: label, task: rate, by: critic, sample: 400 }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 40, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void aCriticWithAFreshIndexJudgesChangedFactsBetterAndPaysForEveryQuery() throws Exception {
    MetricsTable fresh = ScenarioRunTest.runInto(tmp.resolve("fresh"), SCENARIO.replace(" CRITIC",
        ", retrieval: { k: 1, rebuildEvery: 1 }"), true);
    MetricsTable none = ScenarioRunTest.runInto(tmp.resolve("none"), SCENARIO.replace(" CRITIC", ""));
    MetricsTable frozen = ScenarioRunTest.runInto(tmp.resolve("frozen"), SCENARIO.replace(" CRITIC",
        ", retrieval: { k: 1, rebuildEvery: 0 }"));
    Map<String, Double> f = ScenarioRunTest.lastMetrics(fresh, "judged"), n = ScenarioRunTest.lastMetrics(none,
        "judged"), z = ScenarioRunTest.lastMetrics(frozen, "judged");
    String agreement = MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.CRITIC;
    System.out.printf("critic's agreement with gold: fresh index %.3f, frozen index %.3f, none %.3f%n",
        f.get(agreement), z.get(agreement), n.get(agreement));
    assertTrue(f.get(agreement) > n.get(agreement) + 0.05, "a fresh index helps the critic judge changed facts: "
        + f.get(agreement) + " against " + n.get(agreement));
    assertTrue(f.get(agreement) > z.get(agreement) + 0.05, "a frozen index states them stale: " + f.get(agreement)
        + " against " + z.get(agreement));
    // queries: the label stage's 400 sampled items, one query each; no other retrieval in this scenario
    assertEquals(400, f.get(MetricNames.COST_RETRIEVAL_QUERIES));
    assertEquals(0.01 * 400, f.get(MetricNames.COST_RETRIEVAL_USD), 1e-9);
    assertFalse(n.containsKey(MetricNames.COST_RETRIEVAL_QUERIES), "a critic without retrieval asks nothing: " + n);
    // provenance: the data the critic judged with passages name the index of generation 1
    String labelled = Files.readString(tmp.resolve("fresh/provenance/judged/g1/new.jsonl"));
    assertTrue(labelled.contains("\"index@g1\""), labelled.substring(0, Math.min(600, labelled.length())));
    // determinism: the same bytes twice
    ScenarioRunTest.runInto(tmp.resolve("fresh2"), SCENARIO.replace(" CRITIC",
        ", retrieval: { k: 1, rebuildEvery: 1 }"), true);
    ScenarioRunTest.assertSameFiles(tmp.resolve("fresh"), tmp.resolve("fresh2"), List.of("metrics.csv",
        "lineage.json", "provenance/judged/g1/new.jsonl"));
    assertTrue(Files.readString(tmp.resolve("fresh/scenario.yaml")).contains("retrieval:"));
    assertFalse(Files.readString(tmp.resolve("none/scenario.yaml")).contains("retrieval:"));
  }

  @Test
  void aCriticPreferringWithRetrievalAsksOnceAPairAndBothSidesNameTheIndex() throws Exception {
    String prefer = SCENARIO.replace(" CRITIC", ", retrieval: { k: 1, rebuildEvery: 0 }")
        .replace("samples: 400", "samples: 200").replace("pretrainExamples: 12000", "pretrainExamples: 4000")
        .replace("{ kind: label, task: rate, by: critic, sample: 400 }", "{ kind: label, task: prefer, by: critic, "
            + "sample: 100 }");
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("prefer"), prefer, true);
    Map<String, Double> m = ScenarioRunTest.lastMetrics(t, "judged");
    assertEquals(100, m.get(MetricNames.COST_RETRIEVAL_QUERIES), "one query a pair: " + m);
    // the chosen side of a fact-question pair replaces its item: it names the frozen index, of generation 0
    List<String> data = Files.readAllLines(tmp.resolve("prefer/provenance/judged/g1/new.jsonl"));
    long named = data.stream().filter(line -> line.contains("\"index@g0\"")).count();
    long preferred = data.stream().filter(line -> line.contains("\"preference\"")).count();
    long askedFacts = data.stream().filter(line -> line.contains("\"preference\"")
        && line.matches(".*\"prompt\":\"BOS tag_\\w+ what .*")).count();
    assertTrue(askedFacts > 0 && preferred < data.size(), data.size() + " data, " + preferred + " preferred");
    assertEquals(askedFacts, named, "exactly the preferred answers to a bare fact question name the index");
  }
}
