package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose runs share work results ({@link SharedResults}) writes the same bytes as one whose runs perform all
 * their own work; an unswept lineage is performed once, while a lineage the swept field reaches — directly, or
 * through another lineage's model it names as its teacher — is performed at every sweep point.
 */
class SharedResultsTest {
  // a: swept (its generate stage's samples); b: untouched; c: its teacher is a's model of the same generation
  static final String SCENARIO = """
      name: shared
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        critics: { count: 1, temperature: 0.5 }
      lineages:
        - name: a
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: train, method: sft }
        - name: b
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 24 }
            - { kind: train, method: sft }
        - name: c
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 24, teacher: a@same }
            - { kind: train, method: sft }
      evaluation: { prompts: 8, samplesPerPrompt: 1 }
      sweep:
        lineages[a].stages[0].samples: [30, 40]
      """;

  @TempDir Path tmp;

  /** The item ids each run performed itself, by run name. */
  final Map<String, Set<String>> performed = new ConcurrentHashMap<>();

  /** A batch of 2 points × 2 replicates, 2 lanes at once, sharing through {@code shared} (null: none). */
  void batch(Path dir, SharedResults shared) throws Exception {
    LoadedScenario l = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of());
    List<RunSpec> runs = RunSpec.grid(l.sweep(), List.of(0, 1), List.of(0, 1), true);
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      try (KernelBackend be = Backends.create("java", 1)) {
        MemoryModelStore store = new MemoryModelStore();
        WorkContext ctx = ScenarioRun.context(scenario.scenario(), store, be);
        Set<String> mine = performed.computeIfAbsent(spec.name(), k -> ConcurrentHashMap.newKeySet());
        LocalExecutor local = new LocalExecutor(ctx);
        WorkExecutor counting = (stage, items) -> {
          items.forEach(i -> mine.add(i.id()));
          return local.execute(stage, items);
        };
        WorkExecutor executor = shared == null ? counting
            : shared.over(counting, SharedResults.context(scenario.scenario(), be.name(), be.device()), store, outputs);
        CheckpointExecutor checkpoint = new CheckpointExecutor(outputs, executor, store);
        RunLineage lineage = RunLineage.current(ScenarioRun.resultSha256(scenario.scenario()),
            scenario.scenario().seed(), List.of(), be.name(), be.device());
        var t = new ScenarioRun(scenario, ctx.world(), store, checkpoint, outputs, lineage, listener,
            spec.replicate(), spec.params()).run();
        checkpoint.finish();
        return t;
      }
    };
    new Batch(l, runs, dir, 2, runner, new Batch.Listener() {}).run();
  }

  @Test
  void sharingChangesNoByteAndPerformsAnUnsweptLineageOnce() throws Exception {
    batch(tmp.resolve("alone"), null);
    Map<String, Set<String>> alone = Map.copyOf(performed);
    performed.clear();
    SharedResults shared = new SharedResults();
    batch(tmp.resolve("shared"), shared);

    // every file of the batch and of each run the same, but the events (wall times)
    Map<String, byte[]> a = files(tmp.resolve("alone")), s = files(tmp.resolve("shared"));
    assertEquals(a.keySet(), s.keySet());
    assertTrue(a.keySet().containsAll(List.of("metrics.csv", "summary.csv", "lineage.json", "runs/p1-r1/metrics.csv",
        "runs/p1-r1/lineage.json")), a.keySet().toString());
    assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("runs/p1-r0/models/")), "the models are compared too");
    a.forEach((f, bytes) -> assertArrayEquals(bytes, s.get(f), f));

    for (String replicate : List.of("r0", "r1")) {
      // the two points of a replicate run at once: either may perform an item the other takes
      Set<String> first = performed.get("p0-" + replicate), second = performed.get("p1-" + replicate);
      Set<String> alone0 = alone.get("p0-" + replicate), alone1 = alone.get("p1-" + replicate);
      Set<String> twice = new java.util.HashSet<>(first);
      twice.retainAll(second);
      // an id performed at both points is an item the sweep changed: of a or c, never of the untouched
      assertEquals(Set.of("a", "c"), prefixes(twice), twice.toString());
      // without sharing, each point performs the base, the critic, a, b and c
      assertTrue(prefixes(alone1).containsAll(Set.of("a", "b", "c", "base", "critic")), prefixes(alone1).toString());
      // the base, the critic and b are untouched by the sweep: performed once for both points
      for (String untouched : List.of("base", "critic", "b")) {
        assertEquals(count(alone0, untouched), count(first, untouched) + count(second, untouched), untouched);
        assertEquals(count(alone0, untouched), count(alone1, untouched), untouched);
      }
      // c's generate names a's model of the same generation, so the sweep reaches all of c through a: performed at
      // both points; a itself from its first swept stage on
      assertEquals(count(alone0, "c/") + count(alone1, "c/"), count(first, "c/") + count(second, "c/"));
      assertEquals(count(alone0, "a/g2/") + count(alone1, "a/g2/"), count(first, "a/g2/") + count(second, "a/g2/"));
      assertTrue(count(second, "a/g1/s2-train") + count(first, "a/g1/s2-train") == 2);
    }
    long all = alone.values().stream().mapToLong(Set::size).sum();
    assertEquals(all, shared.performed() + shared.reused());
    assertTrue(shared.reused() > 0);
  }

  @Test
  void anotherSeedOrWorldIsAnotherContext() throws Exception {
    LoadedScenario l = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of());
    LoadedScenario seeded = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of("seed=6"));
    LoadedScenario world = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of("world.vocabulary.entities=13"));
    LoadedScenario stage = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of("lineages[b].stages[0].samples=9"));
    String c = SharedResults.context(l.scenario(), "java", "cpu");
    assertEquals(c, SharedResults.context(stage.scenario(), "java", "cpu"), "a stage is in the items, not the context");
    assertFalse(c.equals(SharedResults.context(seeded.scenario(), "java", "cpu")));
    assertFalse(c.equals(SharedResults.context(world.scenario(), "java", "cpu")));
    assertFalse(c.equals(SharedResults.context(l.scenario(), "reference", "cpu")));
  }

  @Test
  void aFailedItemIsPerformedAgainByTheNextRunThatNeedsIt() throws Exception {
    LoadedScenario l = ScenarioLoader.parse(SCENARIO, "shared.yaml", List.of());
    SharedResults shared = new SharedResults();
    String context = SharedResults.context(l.scenario(), "java", "cpu");
    try (KernelBackend be = Backends.create("java", 1)) {
      MemoryModelStore store = new MemoryModelStore();
      WorkContext ctx = ScenarioRun.context(l.scenario(), store, be);
      var item = new io.priorflow.engine.work.SampleWork("x/g1/s0-generate/000000", "missing-model",
          List.of(new int[] {1, 2}), new io.priorflow.engine.model.SamplingConfig(1.0f, 0, 4, 0));
      WorkExecutor failing = shared.over(new LocalExecutor(ctx), context, store, new RunOutputs(tmp.resolve("f")));
      assertThrows(RuntimeException.class, () -> failing.execute("s", List.of(item)));
      List<String> asked = new ArrayList<>();
      WorkExecutor answering = shared.over((stage, items) -> {
        items.forEach(i -> asked.add(i.id()));
        return items.stream().<WorkResult>map(i -> new io.priorflow.engine.work.ScoreResult(i.id(), new double[0]))
            .toList();
      }, context, store, new RunOutputs(tmp.resolve("g")));
      assertEquals(1, answering.execute("s", List.<WorkItem>of(item)).size());
      assertEquals(List.of(item.id()), asked, "the failure was not kept as a result");
      assertEquals(0, shared.reused());
    }
  }

  @Test
  void overTheBudgetTheOldestResultsAreDropped() throws Exception {
    SharedResults shared = new SharedResults(0); // keeps nothing once performed
    List<String> asked = new ArrayList<>();
    WorkExecutor e = shared.over((stage, items) -> {
      items.forEach(i -> asked.add(i.id()));
      return items.stream().<WorkResult>map(i -> new io.priorflow.engine.work.ScoreResult(i.id(), new double[] {1}))
          .toList();
    }, "ctx", null, new RunOutputs(tmp.resolve("h")));
    var item = new io.priorflow.engine.work.ScoreWork("x/g1/s1-filter/000000", "critic", "m",
        List.of(new int[] {1}), new int[] {0}, 0.0);
    e.execute("s", List.of(item));
    e.execute("s", List.of(item));
    assertEquals(List.of(item.id(), item.id()), asked);
    assertThrows(IllegalArgumentException.class, () -> new SharedResults(-1));
  }

  static long count(Set<String> ids, String prefix) {
    return ids.stream().filter(id -> id.startsWith(prefix.endsWith("/") || prefix.contains("/") ? prefix
        : prefix + "/")).count();
  }

  static Set<String> prefixes(Set<String> ids) {
    return ids.stream().map(id -> id.substring(0, id.indexOf('/'))).collect(Collectors.toSet());
  }

  /** Every file under dir by relative path, but events.jsonl (wall times) and the checkpoint directory. */
  static Map<String, byte[]> files(Path dir) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!rel.endsWith("events.jsonl")) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }
}
