package io.priorflow.engine.run;

import io.priorflow.engine.io.AtomicFiles;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsJsonl;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryTable;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.TokenModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The files of a run directory (DESIGN.md §7). Every whole-file write goes to a temporary file first and is then
 * renamed into place, so an interrupted run leaves each file either at its previous complete version or at the
 * new one, never half-written. events.jsonl is appended one whole line at a time.
 *
 * <p>A batch of runs ({@link Batch}) has one such directory per run under {@code runs/}, and at its top the same
 * files over all finished runs, written by {@link #forBatch} outputs: no models there, and each event line names
 * its run.
 */
public final class RunOutputs {
  public static final String SCENARIO = "scenario.yaml", LINEAGE = "lineage.json", EVENTS = "events.jsonl",
      MODELS = "models", RUNS = "runs", RUNS_CSV = "runs.csv";
  /** Every RLHF step's proxy reward, gold reward and KL (over-optimisation shows as proxy up, gold flat or down). */
  public static final String RLHF_TRACE = "rlhf-trace.csv";
  /** Runs with {@code evaluation.bestOfN}: the best-of-m curve of every evaluation ({@code BestOfNCurve}). */
  public static final String BEST_OF_N_CURVE = "best-of-n.csv";

  private final Path dir;
  /** Models this process wrote or verified in models/: not read back again. */
  private final java.util.Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public RunOutputs(Path dir) {
    this(dir, true);
  }

  private RunOutputs(Path dir, boolean models) {
    this.dir = dir;
    try {
      Files.createDirectories(models ? dir.resolve(MODELS) : dir);
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot create the run directory: " + e.getMessage(), e);
    }
  }

  /** The top of a batch's directory: the files over all its runs, no models/ (each run has its own). */
  public static RunOutputs forBatch(Path dir) {
    return new RunOutputs(dir, false);
  }

  public Path dir() { return dir; }

  private volatile boolean provenance;

  /** Asks for provenance/ (every training dataset datum by datum, {@link ProvenanceFiles}); returns this. */
  public RunOutputs withProvenance(boolean on) {
    provenance = on;
    return this;
  }

  /** True when provenance/ is asked for. */
  public boolean provenance() { return provenance; }

  public void writeScenario(String resolvedYaml) { atomically(SCENARIO, resolvedYaml.getBytes(StandardCharsets.UTF_8)); }

  /** metrics.csv, metrics.jsonl, then summary.csv (the replicate statistics of the same table). */
  public void writeMetrics(MetricsTable table) {
    atomically(MetricsCsv.FILE_NAME, MetricsCsv.format(table).getBytes(StandardCharsets.UTF_8));
    atomically(MetricsJsonl.FILE_NAME, MetricsJsonl.format(table).getBytes(StandardCharsets.UTF_8));
    atomically(SummaryTable.FILE_NAME, SummaryTable.of(table).format().getBytes(StandardCharsets.UTF_8));
  }

  public void writeLineage(LineageGraph graph) { atomically(LINEAGE, graph.toJson()); }

  /** lineage.json as the bytes of another run's (a batch's top shows its first run's graph). */
  public void copyLineage(Path from) {
    try {
      atomically(LINEAGE, Files.readAllBytes(from));
    } catch (IOException e) {
      throw new UncheckedIOException(from + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A small text file of the run directory (e.g. {@link #RLHF_TRACE}), replaced whole. */
  public void writeText(String name, String text) { atomically(name, text.getBytes(StandardCharsets.UTF_8)); }

  /** runs.csv of a batch: its text. */
  public void writeRuns(String csv) { atomically(RUNS_CSV, csv.getBytes(StandardCharsets.UTF_8)); }

  /**
   * models/&lt;id&gt;.pfm, unless it is already there intact (its bytes hash to its id: the same model). A file of
   * that name that does not (damaged while a run was interrupted) is replaced.
   */
  public void writeModel(TokenModel model) {
    Path f = dir.resolve(MODELS).resolve(model.id() + ".pfm");
    if (written.contains(model.id())) return; // this process wrote it, atomically
    if (Files.exists(f)) {
      try {
        ModelFile.read(f, model.id());
        written.add(model.id());
        return;
      } catch (IOException | RuntimeException damaged) {
        // written again below
      }
    }
    try {
      ModelFile.write(model, f);
      written.add(model.id());
    } catch (IOException e) {
      throw new UncheckedIOException(f + ": cannot write the model: " + e.getMessage(), e);
    }
  }

  public synchronized void appendEvent(StageEvent event) {
    appendEvent(event, null);
  }

  /** Appends the event; with a run name (a batch's top), the line's first key is {@code "run"}. */
  public synchronized void appendEvent(StageEvent event, String run) {
    try {
      String json = new String(Json.messages().writeValueAsBytes(event), StandardCharsets.UTF_8);
      if (run != null) {
        json = "{\"run\":" + Json.messages().writeValueAsString(run) + (json.length() > 2 ? "," : "")
            + json.substring(1);
      }
      byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(dir.resolve(EVENTS), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(dir.resolve(EVENTS) + ": cannot append: " + e.getMessage(), e);
    }
  }

  private void atomically(String name, byte[] bytes) {
    Path target = dir.resolve(name);
    try {
      AtomicFiles.write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot write: " + e.getMessage(), e);
    }
  }
}
