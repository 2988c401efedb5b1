package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small scenario end to end on the local executor: the documented outputs, and byte-identical re-runs. */
class ScenarioRunTest {
  static final String SCENARIO = """
      name: small
      seed: 11
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 32, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9, biases: { polite: 0.1 } }
        critics: { count: 1, temperature: 0.3 }
      lineages:
        - name: distill
          generations: 2
          base: { pretrainExamples: 600, epochs: 1 }
          data: { policy: replace }
          stages:
            - { kind: generate, samples: 150 }
            - { kind: filter, by: critic, keepFraction: 0.6 }
            - { kind: label, by: humans, sample: 20, task: correct }
            - { kind: train, method: sft, init: scratch }
        - name: gold
          generations: 1
          base: { pretrainExamples: 600, epochs: 1 }
          data: { policy: accumulate, freshFraction: 0.2 }
          stages:
            - { kind: generate, samples: 100, tag: high }
            - { kind: filter, by: gold, keepFraction: 0.5 }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 30, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  static MetricsTable runInto(Path dir, String text) throws Exception {
    return runInto(dir, text, false);
  }

  /** As {@link #runInto(Path, String)}, with provenance/ when asked for. */
  static MetricsTable runInto(Path dir, String text, boolean provenance) throws Exception {
    return runInto(dir, text, provenance, new ScenarioRun.Listener() {});
  }

  /** As {@link #runInto(Path, String, boolean)}, reporting to a listener. */
  static MetricsTable runInto(Path dir, String text, boolean provenance, ScenarioRun.Listener listener)
      throws Exception {
    LoadedScenario loaded = ScenarioLoader.parse(text, "small.yaml", List.of());
    World world = ScenarioRun.world(loaded.scenario());
    try (KernelBackend be = Backends.create("java", 2)) {
      MemoryModelStore store = new MemoryModelStore();
      // the context the director and every worker node build (ScenarioRun.context)
      WorkContext ctx = ScenarioRun.context(loaded.scenario(), store, be);
      RunLineage lineage = RunLineage.current(loaded.sha256(), loaded.scenario().seed(), List.of(), be.name(),
          be.device());
      return new ScenarioRun(loaded, world, store, new LocalExecutor(ctx),
          new RunOutputs(dir).withProvenance(provenance), lineage, listener).run();
    }
  }

  /** The metrics of a lineage's last row. */
  static Map<String, Double> lastMetrics(MetricsTable t, String lineage) {
    return t.rows().stream().filter(r -> r.lineage().equals(lineage)).reduce((a, b) -> b).orElseThrow().metrics();
  }

  /** Fails unless each named file is byte-identical in the two run directories. */
  static void assertSameFiles(Path a, Path b, List<String> files) throws Exception {
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)),
          f + " differs between two runs of the same seed");
    }
  }

  /**
   * metrics.csv written after generation 0 already has every column of the finished run: the methods' measures,
   * each labeller's agreement with gold and each source of ancestry are there, empty, before they have values.
   */
  @Test
  void metricsCsvHasItsColumnsFromTheFirstGeneration() throws Exception {
    Path dir = tmp.resolve("columns");
    String[] first = new String[1];
    runInto(dir, SCENARIO, false, new ScenarioRun.Listener() {
      @Override
      public void stageStarted(String stage, String kind, int items) {
        Path csv = dir.resolve("metrics.csv");
        try {
          if (first[0] == null && Files.exists(csv)) first[0] = Files.readAllLines(csv).get(0);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    List<String> written = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(written.get(0), first[0], "the columns changed after the first generation");
    for (String later : List.of("params.trainable", "labels.gold_agreement.human-0", "labels.seconds_per_label",
        "ancestry.human:human-1", "ancestry.critic:critic")) {
      assertTrue(first[0].contains("," + later), later + " missing from the first header " + first[0]);
    }
    // the first data row (distill, generation 0) leaves what it does not have empty
    assertTrue(written.get(1).startsWith("distill,0,"), written.get(1));
    assertTrue(written.get(1).contains(",,"), written.get(1));
  }

  @Test
  void writesTheDocumentedOutputsAndReRunsByteIdentically() throws Exception {
    MetricsTable t = runInto(tmp.resolve("a"), SCENARIO);
    runInto(tmp.resolve("b"), SCENARIO);
    for (String f : List.of("metrics.csv", "metrics.jsonl", "lineage.json", "scenario.yaml")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)),
          f + " differs between two runs of the same scenario and seed");
    }
    // rows: generation 0..2 of distill, 0..1 of gold
    assertEquals(5, t.rows().size());
    String header = Files.readAllLines(tmp.resolve("a/metrics.csv")).get(0);
    assertTrue(header.startsWith("lineage,generation,model,replicate,trait.toxic,"), header);
    for (String m : List.of("knowledge.accuracy", "diversity.entropy", "loss.world", "kl.base", "reward.gold",
        "reward.proxy", "labels.human", "labels.ai", "cost.human_usd", "time.human_hours", "ancestry.world",
        "ancestry.critic:critic")) {
      assertTrue(header.contains(m), m + " missing from " + header);
    }
    var last = t.rows().stream().filter(r -> r.lineage().equals("distill") && r.generation() == 2).findFirst()
        .orElseThrow();
    assertEquals(40.0, last.metrics().get("labels.human"), "20 human labels per generation, 2 generations");
    assertEquals(300.0, last.metrics().get("labels.ai"), "150 critic scores per generation");
    assertTrue(last.metrics().get("ancestry.world") < 1.0);
    long events = Files.readAllLines(tmp.resolve("a/events.jsonl")).size();
    assertTrue(events >= 10, "events: " + events);
    assertTrue(Files.list(tmp.resolve("a/models")).count() >= 5);
  }

  @Test
  void inContextExamplesConditionTheTeacherButStayOutOfTheData() throws Exception {
    String base = """
        name: incontext
        seed: 3
        model: { context: 32, embedDim: 4, hidden: [32] }
        training: { lr: 0.02, batchSize: 32, epochs: 1 }
        lineages:
          - name: l
            generations: 1
            base: { pretrainExamples: 600, epochs: 1 }
            stages:
              - { kind: generate, samples: 80, examples: EXAMPLES, examplesTag: high }
              - { kind: train, method: sft }
        evaluation: { prompts: 20, samplesPerPrompt: 1 }
        """;
    runInto(tmp.resolve("with"), base.replace("EXAMPLES", "3"));
    runInto(tmp.resolve("again"), base.replace("EXAMPLES", "3"));
    runInto(tmp.resolve("without"), base.replace("EXAMPLES", "0"));
    assertSameFiles(tmp.resolve("with"), tmp.resolve("again"), List.of("metrics.csv", "lineage.json"));
    assertNotEquals(Files.readString(tmp.resolve("with/metrics.csv")), Files.readString(tmp.resolve("without/metrics.csv")),
        "examples within the window should change what the teacher writes");
    // the generated data hold prompt + response only: every datum starts with BOS, as a world prompt does
    var graph = io.priorflow.engine.lineage.LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("with/lineage.json")));
    var data = graph.dataset("l/g1/new");
    assertEquals(80, data.lineage().rows());
    assertTrue(data.tokens() < 80 * 20, "response tokens only, not the examples: " + data.tokens());
  }

  @Test
  void aDifferentSeedGivesDifferentResults() throws Exception {
    runInto(tmp.resolve("a"), SCENARIO);
    runInto(tmp.resolve("c"), SCENARIO.replace("seed: 11", "seed: 12"));
    assertNotEquals(Files.readString(tmp.resolve("a/metrics.csv")), Files.readString(tmp.resolve("c/metrics.csv")));
  }

  @Test
  void aLineageWithoutATrainStageIsRejectedBeforeAnythingRuns() {
    LoadedScenario l = ScenarioLoader.parse(SCENARIO, "x.yaml", List.of());
    var s = l.scenario();
    var first = s.lineages().get(0);
    var noTrain = new io.priorflow.engine.scenario.LineageSpec(first.name(), first.generations(), first.base(),
        first.data(), first.stages().subList(0, 1));
    var bad = new io.priorflow.engine.scenario.Scenario(s.name(), s.description(), s.seed(), s.world(), s.analytic(),
        s.model(), s.training(), s.actors(), List.of(noTrain), s.evaluation());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioRun.checkSupported(bad));
    assertEquals("lineage distill has no train stage, so no generation would make a student", e.getMessage());
  }
}
