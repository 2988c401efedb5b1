package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.run.CheckpointExecutor;
import io.priorflow.verticles.cluster.JavaCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The director killed with SIGKILL at random moments (no shutdown hook, files possibly mid-write), then
 * {@code run --resume}: every file a run's results are (metrics.csv, metrics.jsonl, summary.csv, lineage.json,
 * scenario.yaml, every model) is byte-identical to an uninterrupted run's. Ten kills on one JVM (tagged slow), one on
 * a {@code --nodes 3} cluster (tagged cluster). Real JVMs: the same java, flags and class path as this one.
 */
class ResumeIT {
  private static final String MAIN = "io.priorflow.cli.Main";
  /** tiny.yaml with four generations a lineage and bigger generate stages: about 15 s, so kills land mid-run. */
  private static final List<String> SCENARIO = List.of(
      Path.of(System.getProperty("user.dir")).resolve("../scenarios/tiny.yaml").normalize().toString(),
      "--set", "lineages[0].generations=4", "--set", "lineages[1].generations=4",
      "--set", "lineages[0].stages[0].samples=1200", "--set", "lineages[1].stages[0].samples=600");
  private static final List<String> FILES = List.of("metrics.csv", "metrics.jsonl", "summary.csv", "lineage.json",
      "scenario.yaml");

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process start(List<String> args, Path log) throws IOException {
    Process p = new ProcessBuilder(JavaCommand.of(MAIN, args)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  private Process run(Path out, List<String> extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(SCENARIO);
    args.addAll(List.of("--out", out.toString()));
    args.addAll(extra);
    return start(args, tmp.resolve(out.getFileName() + ".log"));
  }

  private int exit(Process p, Path log) throws Exception {
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "still running:\n" + Files.readString(log));
    return p.exitValue();
  }

  private static void assertSameRun(Path ref, Path dir) throws IOException {
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(dir.resolve(f)),
          f + " of " + dir.getFileName() + " differs from the uninterrupted run's");
    }
    if (!Files.isDirectory(ref.resolve("models"))) return; // a batch's top: each run has its own
    List<String> models = names(ref.resolve("models"));
    assertEquals(models, names(dir.resolve("models")), "models of " + dir.getFileName());
    for (String m : models) {
      assertArrayEquals(Files.readAllBytes(ref.resolve("models").resolve(m)),
          Files.readAllBytes(dir.resolve("models").resolve(m)), m);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Stages in the checkpoints of a run, or of a batch's runs, and how many of a batch's runs finished. */
  private static long entries(Path dir) throws IOException {
    long n = stages(dir);
    if (Files.isDirectory(dir.resolve("runs"))) {
      for (String r : names(dir.resolve("runs"))) {
        n += stages(dir.resolve("runs").resolve(r));
        if (CheckpointExecutor.isDone(dir.resolve("runs").resolve(r))) {
          System.out.println("ResumeIT: run " + r + " had finished");
        }
      }
    }
    return n;
  }

  private static long stages(Path dir) throws IOException {
    Path cp = dir.resolve(CheckpointExecutor.DIR);
    if (!Files.isDirectory(cp)) return 0;
    try (Stream<Path> s = Files.list(cp)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{6}\\.json")).count();
    }
  }

  /**
   * Kills the run {@code millis} after it kept its command (before that there is no run to resume: a run killed
   * while its JVM starts is simply started again), unless it ended before; resumes it; compares it with {@code ref}.
   */
  private void killAndResume(Path ref, Path dir, long millis, List<String> extra) throws Exception {
    killAndResume(ref, dir, millis, extra, List.of());
  }

  private void killAndResume(Path ref, Path dir, long millis, List<String> extra, List<String> alsoSame)
      throws Exception {
    Process p = run(dir, extra);
    Path command = dir.resolve(CheckpointExecutor.DIR).resolve(ResumeCommand.COMMAND);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(command) && p.isAlive() && System.nanoTime() < end) Thread.sleep(5);
    assertTrue(Files.exists(command), "the run never started: " + dir);
    boolean ended = p.waitFor(millis, TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    long kept = entries(dir);
    if (ended || CheckpointExecutor.isDone(dir)) {
      System.out.printf("ResumeIT: %s ended before its kill at %d ms%n", dir.getFileName(), millis);
    } else {
      List<String> args = new ArrayList<>(List.of("run", "--resume", dir.toString()));
      Path log = tmp.resolve(dir.getFileName() + "-resume.log");
      assertEquals(0, exit(start(args, log), log), Files.readString(log));
      assertTrue(Files.readString(log).contains("priorflow: resuming the run in " + dir), Files.readString(log));
      System.out.printf("ResumeIT: %s killed %d ms into its work with %d stages in its checkpoint; resumed%n",
          dir.getFileName(), millis, kept);
    }
    assertSameRun(ref, dir);
    for (String f : alsoSame) {
      assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
    }
  }

  @Test
  @Tag("slow")
  @Timeout(1500)
  void tenKillsAtRandomMomentsResumeToTheSameBytes() throws Exception {
    Path ref = tmp.resolve("ref");
    Path refLog = tmp.resolve("ref.log");
    long t0 = System.nanoTime();
    assertEquals(0, exit(run(ref, List.of()), refLog), Files.readString(refLog));
    long whole = (System.nanoTime() - t0) / 1_000_000;
    Random moments = new Random(16);
    for (int i = 0; i < 10; i++) {
      killAndResume(ref, tmp.resolve("kill-" + i), (long) (moments.nextDouble() * whole), List.of());
    }
  }

  /**
   * A batch (three replicates, two at a time) killed mid-way: resuming reads back the runs that finished, resumes the
   * interrupted ones from their checkpoints, runs the pending ones, and the top files and every run match.
   */
  @Test
  @Tag("slow")
  @Timeout(900)
  void aKilledBatchResumesToTheSameBytes() throws Exception {
    List<String> batch = List.of("--replicates", "3", "--parallel", "2", "--set", "lineages[0].generations=2",
        "--set", "lineages[1].generations=2");
    Path ref = tmp.resolve("batch-ref");
    Path refLog = tmp.resolve("batch-ref.log");
    long t0 = System.nanoTime();
    assertEquals(0, exit(run(ref, batch), refLog), Files.readString(refLog));
    long whole = (System.nanoTime() - t0) / 1_000_000;
    Path dir = tmp.resolve("batch");
    killAndResume(ref, dir, whole / 2, batch, List.of("runs.csv"));
    for (String r : names(ref.resolve("runs"))) {
      assertSameRun(ref.resolve("runs").resolve(r), dir.resolve("runs").resolve(r));
    }
  }

  @Test
  @Tag("cluster")
  @Timeout(900)
  void aKilledClusterRunResumesToTheBytesOfOneJvm() throws Exception {
    Path ref = tmp.resolve("ref");
    Path refLog = tmp.resolve("ref.log");
    assertEquals(0, exit(run(ref, List.of()), refLog), Files.readString(refLog));
    // the cluster forms in 7-16 s on a busy 2-core machine (README, Cluster): kill once it has done some work
    Path dir = tmp.resolve("nodes");
    Process p = run(dir, List.of("--nodes", "3"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (entries(dir) < 4 && p.isAlive() && System.nanoTime() < end) Thread.sleep(50);
    assertTrue(p.isAlive(), "the run ended before it could be killed");
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Path log = tmp.resolve("nodes-resume.log");
    assertEquals(0, exit(start(List.of("run", "--resume", dir.toString(), "--nodes", "3"), log), log),
        Files.readString(log));
    assertSameRun(ref, dir);
  }
}
