package io.priorflow.engine.run;

import io.priorflow.engine.io.AtomicFiles;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsJsonl;
import io.priorflow.engine.metrics.MetricsTable;
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
 */
public final class RunOutputs {
  public static final String SCENARIO = "scenario.yaml", LINEAGE = "lineage.json", EVENTS = "events.jsonl",
      MODELS = "models";

  private final Path dir;

  public RunOutputs(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve(MODELS));
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot create the run directory: " + e.getMessage(), e);
    }
  }

  public Path dir() { return dir; }

  public void writeScenario(String resolvedYaml) { atomically(SCENARIO, resolvedYaml.getBytes(StandardCharsets.UTF_8)); }

  public void writeMetrics(MetricsTable table) {
    atomically(MetricsCsv.FILE_NAME, MetricsCsv.format(table).getBytes(StandardCharsets.UTF_8));
    atomically(MetricsJsonl.FILE_NAME, MetricsJsonl.format(table).getBytes(StandardCharsets.UTF_8));
  }

  public void writeLineage(LineageGraph graph) { atomically(LINEAGE, graph.toJson()); }

  /** models/&lt;id&gt;.pfm, unless it is already there (same id, same bytes). */
  public void writeModel(TokenModel model) {
    Path f = dir.resolve(MODELS).resolve(model.id() + ".pfm");
    if (Files.exists(f)) return;
    try {
      ModelFile.write(model, f);
    } catch (IOException e) {
      throw new UncheckedIOException(f + ": cannot write the model: " + e.getMessage(), e);
    }
  }

  public synchronized void appendEvent(StageEvent event) {
    try {
      byte[] line = (new String(Json.messages().writeValueAsBytes(event), StandardCharsets.UTF_8) + "\n")
          .getBytes(StandardCharsets.UTF_8);
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
