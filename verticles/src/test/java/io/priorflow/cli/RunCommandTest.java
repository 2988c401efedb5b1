package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the command line: the quickstart at a reduced size. */
class RunCommandTest {
  /** The quickstart, shrunk so a run takes seconds. */
  static final List<String> SMALL = List.of(
      "--set", "lineages[0].generations=2",
      "--set", "lineages[0].base.pretrainExamples=800",
      "--set", "lineages[0].base.epochs=1",
      "--set", "lineages[0].stages[0].samples=300",
      "--set", "lineages[0].stages[2].sample=30",
      "--set", "training.epochs=1",
      "--set", "evaluation.prompts=40");

  @TempDir Path tmp;
  @RegisterExtension final CapturedOutput io = new CapturedOutput();


  static Path quickstart() { return Path.of(System.getProperty("user.dir")).resolve("../scenarios/quickstart.yaml"); }

  private int run(Path dir, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("run", quickstart().toString(), "--out", dir.toString()));
    args.addAll(SMALL);
    args.addAll(extra);
    return Main.execute(args.toArray(String[]::new));
  }

  @Test
  void quickstartWritesTheDocumentedFilesAndReRunsByteIdentically() throws Exception {
    assertEquals(0, run(tmp.resolve("a"), List.of()), io.err());
    assertEquals(0, run(tmp.resolve("b"), List.of("--threads", "1")), io.err());
    for (String f : List.of("scenario.yaml", "metrics.csv", "metrics.jsonl", "lineage.json", "events.jsonl")) {
      assertTrue(Files.isRegularFile(tmp.resolve("a").resolve(f)), f);
    }
    for (String f : List.of("metrics.csv", "metrics.jsonl", "lineage.json", "scenario.yaml")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)),
          f + " differs between runs with 2 threads and with 1");
    }
    List<String> csv = Files.readAllLines(tmp.resolve("a/metrics.csv"));
    assertTrue(csv.get(0).startsWith("lineage,generation,model,replicate,trait."), csv.get(0));
    assertEquals(1 + 3, csv.size(), "a header and generations 0, 1, 2");
    String summary = io.out();
    assertTrue(summary.contains("lineage distill: generation 0 (base) -> generation 2"), summary);
    assertTrue(summary.contains("trait.toxic"), summary);
  }

  @Test
  void moreActorInstancesGiveByteIdenticalResults() throws Exception {
    assertEquals(0, run(tmp.resolve("one"), List.of("--set", "actors.generators.count=1", "--set",
        "actors.critics.count=1", "--set", "actors.evaluators.count=1")), io.err());
    assertEquals(0, run(tmp.resolve("many"), List.of("--set", "actors.generators.count=4", "--set",
        "actors.critics.count=3", "--set", "actors.evaluators.count=2", "--set", "actors.trainers.count=3")),
        io.err());
    for (String f : List.of("metrics.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(f)),
          Files.readAllBytes(tmp.resolve("many").resolve(f)), f + " depends on the number of actor instances");
    }
  }

  @Test
  void theLocalExecutorGivesTheActorsResults() throws Exception {
    assertEquals(0, run(tmp.resolve("actors"), List.of()), io.err());
    assertEquals(0, run(tmp.resolve("local"), List.of("--local")), io.err());
    for (String f : List.of("metrics.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("actors").resolve(f)),
          Files.readAllBytes(tmp.resolve("local").resolve(f)), f + " differs between actors and --local");
    }
  }

  @Test
  void anInvalidOverrideIsExitTwoWithFileLineColumn() {
    assertEquals(2, run(tmp.resolve("x"), List.of("--set", "lineages[0].generations=0")));
    String e = io.err();
    assertTrue(e.contains("lineages[0].generations"), e);
    assertTrue(!e.contains("\tat "), e);
  }

  @Test
  void aRunNeverOverwritesAnother() throws Exception {
    Files.createDirectories(tmp.resolve("used"));
    Files.writeString(tmp.resolve("used/metrics.csv"), "precious");
    assertEquals(2, run(tmp.resolve("used"), List.of()));
    assertEquals("precious", Files.readString(tmp.resolve("used/metrics.csv")));
    assertTrue(io.err().contains("already holds files"), io.err());
  }

  @Test
  void aMissingScenarioFileIsExitTwo() {
    assertEquals(2, Main.execute("run", tmp.resolve("nope.yaml").toString()));
    assertTrue(io.err().contains("nope.yaml"), io.err());
  }

  @Test
  void anOutUnderARegularFileIsExitTwoBeforeAnyWork() throws Exception {
    Files.writeString(tmp.resolve("file"), "x");
    long t0 = System.nanoTime();
    assertEquals(2, run(tmp.resolve("file/run"), List.of()));
    String e = io.err();
    assertEquals(1, e.strip().lines().count(), e);
    assertTrue(e.startsWith("priorflow: " + tmp.resolve("file/run") + ": cannot create or write the run directory"),
        e);
    assertTrue((System.nanoTime() - t0) / 1e9 < 20, "it took long enough to have done work");
    assertEquals("x", Files.readString(tmp.resolve("file")));
  }

  @Test
  void aRunWhoseModelsCannotFitTheHeapIsRefusedBeforeAnyWork() {
    Path tiny = quickstart().resolveSibling("tiny.yaml");
    assertEquals(2, Main.execute("run", tiny.toString(), "--out", tmp.resolve("big").toString(),
        "--set", "model.hidden=[16384,16384,16384,16384,16384,16384,16384,16384]"), io.err());
    List<String> lines = io.err().strip().lines().toList();
    assertEquals(3, lines.size(), io.err());
    assertTrue(lines.get(0).startsWith("budget: about "), io.err());
    assertTrue(lines.get(2).startsWith("priorflow: the run needs about "), io.err());
    assertTrue(lines.get(2).contains("lower the largest model"), io.err());
    assertTrue(!Files.exists(tmp.resolve("big/scenario.yaml")), "no work before the refusal");
  }

  /** Found after the run directory was made, a bad backend left what looked like an interrupted run there. */
  @Test
  void anUnknownBackendIsExitTwoAndWritesNothing() {
    assertEquals(2, run(tmp.resolve("nope"), List.of("--backend", "nope")));
    assertTrue(io.err().contains("priorflow: Unknown kernel backend 'nope'; available: reference, java"), io.err());
    assertTrue(!Files.exists(tmp.resolve("nope")), "a refused run may leave no directory to --resume");
  }

  @Test
  void anOutInProcIsExitTwo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
    assertEquals(2, run(Path.of("/proc/priorflow-run"), List.of()));
    String e = io.err();
    assertEquals(1, e.strip().lines().count(), e);
    assertTrue(e.startsWith("priorflow: /proc/priorflow-run: cannot create or write the run directory"), e);
  }

  /**
   * The hang: a model that cannot fit in the heap, trained by an actor. The actor answers with the error, so
   * the run ends at once (not after the trainer's 30-minute time-out) with one line, exit 1, and no stack trace.
   */
  @Test
  void anActorRunningOutOfMemoryEndsTheRunAtOnceWithOneLine() throws Exception {
    // 7 layers of 16384² floats are 7.5 GB: one allocation that fails at once wherever the heap is smaller
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 7L << 30,
        "a heap this big fits it");
    Path tiny = quickstart().resolveSibling("tiny.yaml");
    long t0 = System.nanoTime();
    assertEquals(1, Main.execute("run", tiny.toString(), "--out", tmp.resolve("oom").toString(), "--ignore-budget",
        "--set", "model.hidden=[16384,16384,16384,16384,16384,16384,16384,16384]"), io.err());
    assertTrue((System.nanoTime() - t0) / 1e9 < 60, "the run did not end promptly");
    String e = io.err();
    // the budget (2 lines), its warning that the run goes on anyway, then the failure in one line
    List<String> lines = e.strip().lines().toList();
    assertEquals(4, lines.size(), e);
    assertTrue(lines.get(2).endsWith("running it anyway (--ignore-budget)"), e);
    assertTrue(lines.get(3).startsWith("priorflow: the run failed: critic/train: out of memory (Java heap space"), e);
    assertTrue(!e.contains("\tat "), e);
    assertTrue(Files.isRegularFile(tmp.resolve("oom/scenario.yaml")));
  }

  @Test
  void aDirectoryWithAnUnfinishedRunPointsToResume() throws Exception {
    Path dir = tmp.resolve("unfinished");
    Files.createDirectories(dir.resolve(".resume"));
    Files.writeString(dir.resolve(".resume/command.json"), "{}");
    Files.writeString(dir.resolve("scenario.yaml"), "name: x");
    assertEquals(2, run(dir, List.of()));
    assertTrue(io.err().contains(dir + ": holds a run that did not finish; continue it with priorflow run --resume "
        + dir), io.err());
  }

  @Test
  void resumeWantsARunThatDidNotFinishAndNoScenario() throws Exception {
    Path none = tmp.resolve("none");
    Files.createDirectories(none);
    assertEquals(2, Main.execute("run", "--resume", none.toString()));
    assertTrue(io.err().contains(none + ": holds no run to resume"), io.err());
    assertEquals(2, Main.execute("run", "--resume", none.toString(), quickstart().toString()));
    assertTrue(io.err().contains("give no SCENARIO"), io.err());
    assertEquals(2, Main.execute("run", "--resume", none.toString(), "--set", "seed=3"));
    assertTrue(io.err().contains("--resume takes the run's own"), io.err());
    assertEquals(2, Main.execute("run"));
    assertTrue(io.err().contains("give a SCENARIO file to run, or --resume DIR"), io.err());
    Path done = tmp.resolve("done");
    Files.createDirectories(done.resolve(".resume"));
    for (String f : List.of("command.json", "source.yaml", "done")) Files.writeString(done.resolve(".resume/" + f), "");
    assertEquals(2, Main.execute("run", "--resume", done.toString()));
    assertTrue(io.err().contains(done + ": its run finished; there is nothing to resume"), io.err());
  }
}
