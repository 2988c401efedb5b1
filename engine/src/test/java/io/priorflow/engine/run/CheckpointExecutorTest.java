package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted after any stage and resumed from its checkpoint ends byte-identical to an uninterrupted run; a
 * damaged checkpoint entry, or a model it names, is performed again, never trusted.
 */
class CheckpointExecutorTest {
  static final List<String> FILES = List.of("metrics.csv", "metrics.jsonl", "summary.csv", "lineage.json",
      "scenario.yaml");

  @TempDir Path tmp;

  /** Runs ScenarioRunTest's scenario into dir through a checkpoint, interrupted before stage {@code stopAt}. */
  private static CheckpointExecutor run(Path dir, int stopAt) throws Exception {
    LoadedScenario loaded = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of());
    World world = ScenarioRun.world(loaded.scenario());
    try (KernelBackend be = Backends.create("java", 2)) {
      MemoryModelStore store = new MemoryModelStore(); // a fresh store, as a new process has
      WorkContext ctx = ScenarioRun.context(loaded.scenario(), store, be); // as the director builds it
      LocalExecutor local = new LocalExecutor(ctx);
      int[] calls = {0};
      WorkExecutor stopping = new WorkExecutor() {
        @Override
        public List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException {
          if (calls[0]++ == stopAt) throw new InterruptedException("stopped before " + stage);
          return local.execute(stage, items);
        }
      };
      RunOutputs outputs = new RunOutputs(dir);
      CheckpointExecutor cp = new CheckpointExecutor(outputs, stopping, store);
      RunLineage lineage = RunLineage.current(loaded.sha256(), loaded.scenario().seed(), List.of(), be.name(),
          be.device());
      new ScenarioRun(loaded, world, store, cp, outputs, lineage, new ScenarioRun.Listener() {}).run();
      cp.finish();
      return cp;
    }
  }

  private static void assertSameRun(Path ref, Path dir) throws Exception {
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(dir.resolve(f)), f + " differs");
    }
    try (Stream<Path> a = Files.list(ref.resolve("models")); Stream<Path> b = Files.list(dir.resolve("models"))) {
      List<String> x = a.map(p -> p.getFileName().toString()).sorted().toList();
      List<String> y = b.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(x, y, "models differ");
      for (String m : x) {
        assertArrayEquals(Files.readAllBytes(ref.resolve("models").resolve(m)),
            Files.readAllBytes(dir.resolve("models").resolve(m)), m);
      }
    }
  }

  private static List<Path> entries(Path dir) throws Exception {
    if (!Files.isDirectory(dir.resolve(CheckpointExecutor.DIR))) return List.of();
    try (Stream<Path> s = Files.list(dir.resolve(CheckpointExecutor.DIR))) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{6}\\.json")).sorted().toList();
    }
  }

  @Test
  void aRunInterruptedAfterAnyStageResumesByteIdentically() throws Exception {
    Path ref = tmp.resolve("ref");
    int stages = run(ref, Integer.MAX_VALUE).replayed();
    assertEquals(0, stages);
    assertTrue(CheckpointExecutor.isDone(ref));
    assertTrue(entries(ref).isEmpty(), "a finished run keeps no journal");
    int total = (int) Files.readAllLines(ref.resolve("events.jsonl")).size();
    for (int stop : List.of(0, 1, 4, 9, total - 1)) {
      Path dir = tmp.resolve("stop-" + stop);
      assertThrows(InterruptedException.class, () -> run(dir, stop));
      assertEquals(stop, entries(dir).size());
      assertTrue(!CheckpointExecutor.isDone(dir));
      CheckpointExecutor resumed = run(dir, Integer.MAX_VALUE);
      assertEquals(stop, resumed.replayed(), "stages answered from the checkpoint");
      assertSameRun(ref, dir);
      assertEquals(Files.readAllLines(ref.resolve("events.jsonl")).size(),
          Files.readAllLines(dir.resolve("events.jsonl")).size(), "one events.jsonl line per stage, none twice");
    }
  }

  @Test
  void aDamagedEntryOrModelIsPerformedAgainNotTrusted() throws Exception {
    Path ref = tmp.resolve("ref");
    run(ref, Integer.MAX_VALUE);
    // a flipped byte in entry 3 of 8: entries 0..2 are replayed, 3 onwards performed again
    Path torn = tmp.resolve("torn");
    assertThrows(InterruptedException.class, () -> run(torn, 8));
    Path third = entries(torn).get(3);
    byte[] b = Files.readAllBytes(third);
    b[b.length / 2] ^= 1;
    Files.write(third, b);
    assertEquals(3, run(torn, Integer.MAX_VALUE).replayed());
    assertSameRun(ref, torn);
    // half an entry (a write cut short without the atomic rename) is no better
    Path cut = tmp.resolve("cut");
    assertThrows(InterruptedException.class, () -> run(cut, 8));
    Path fifth = entries(cut).get(5);
    byte[] c = Files.readAllBytes(fifth);
    Files.write(fifth, java.util.Arrays.copyOf(c, c.length / 2));
    assertEquals(5, run(cut, Integer.MAX_VALUE).replayed());
    assertSameRun(ref, cut);
    // a model file an entry names, damaged: that entry (the first training: the critic, entry 0) is redone
    Path model = tmp.resolve("model");
    assertThrows(InterruptedException.class, () -> run(model, 8));
    try (Stream<Path> s = Files.list(model.resolve("models"))) {
      for (Path m : s.toList()) Files.write(m, new byte[] {1, 2, 3});
    }
    assertEquals(0, run(model, Integer.MAX_VALUE).replayed());
    assertSameRun(ref, model);
  }
}
