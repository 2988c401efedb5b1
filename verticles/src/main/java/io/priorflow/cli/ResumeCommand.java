package io.priorflow.cli;

import io.priorflow.engine.io.AtomicFiles;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.run.CheckpointExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line a run was started with, kept in its directory so that {@code run --resume DIR} continues it
 * exactly: {@code .resume/command.json} (every option that can change results) and {@code .resume/source.yaml}
 * (the scenario file as it was read, so that editing the file afterwards changes nothing). Written before any work;
 * {@code .resume/done} marks the run (or batch) finished. The work itself is replayed from each run's checkpoint
 * ({@link CheckpointExecutor}).
 */
final class ResumeCommand {
  static final String COMMAND = "command.json", SOURCE = "source.yaml";

  private ResumeCommand() {}

  /** What command.json holds: the options of {@link RunCommand} that can change results. */
  record Saved(String scenario, List<String> sets, Long seed, List<String> sweeps, List<String> counterfactuals,
               boolean provenance, Integer replicates, Integer replicate, Integer point, String backend) {}

  /** Keeps {@code r}'s scenario file and result-relevant options in {@code dir}/.resume/. */
  static void save(RunCommand r, Path dir) {
    Path d = dir.resolve(CheckpointExecutor.DIR);
    try {
      AtomicFiles.write(d.resolve(SOURCE), Files.readAllBytes(r.scenarioFile));
      AtomicFiles.write(d.resolve(COMMAND), Json.messages().writeValueAsBytes(new Saved(r.scenarioFile.toString(),
          r.sets, r.seed, r.sweeps, r.counterfactuals, r.provenance, r.replicates, r.replicate, r.point, r.backend)));
    } catch (IOException e) {
      throw new UncheckedIOException(d + ": cannot keep the command for --resume: " + e.getMessage(), e);
    }
  }

  /**
   * The command that started the run in {@code dir}, reading the scenario from its kept copy.
   *
   * @throws IllegalArgumentException when {@code dir} holds no run started by this priorflow, or a finished one
   */
  static RunCommand load(Path dir) {
    Path d = dir.resolve(CheckpointExecutor.DIR);
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such directory; nothing to resume");
    if (!Files.isRegularFile(d.resolve(COMMAND)) || !Files.isRegularFile(d.resolve(SOURCE))) {
      throw new IllegalArgumentException(dir + ": holds no run to resume (no " + CheckpointExecutor.DIR + "/"
          + COMMAND + "); give the directory a priorflow run --out wrote");
    }
    if (CheckpointExecutor.isDone(dir)) {
      throw new IllegalArgumentException(dir + ": its run finished; there is nothing to resume");
    }
    Saved s;
    try {
      s = Json.messages().readValue(Files.readAllBytes(d.resolve(COMMAND)), Saved.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(d.resolve(COMMAND) + ": unreadable (" + e.getMessage() + ")");
    }
    RunCommand r = new RunCommand();
    r.scenarioFile = d.resolve(SOURCE);
    r.sets = new java.util.ArrayList<>(s.sets());
    r.seed = s.seed();
    r.sweeps = new java.util.ArrayList<>(s.sweeps());
    r.counterfactuals = new java.util.ArrayList<>(s.counterfactuals());
    r.provenance = s.provenance();
    r.replicates = s.replicates();
    r.replicate = s.replicate();
    r.point = s.point();
    r.backend = s.backend();
    return r;
  }

  /** Whether {@code dir} holds a run that was started and did not finish. */
  static boolean unfinished(Path dir) {
    return Files.isRegularFile(dir.resolve(CheckpointExecutor.DIR).resolve(COMMAND)) && !CheckpointExecutor.isDone(dir);
  }

  /** Marks the run (or batch) in {@code dir} finished. */
  static void finished(Path dir) {
    try {
      AtomicFiles.write(dir.resolve(CheckpointExecutor.DIR).resolve(CheckpointExecutor.DONE), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot mark the run finished: " + e.getMessage(), e);
    }
  }
}
