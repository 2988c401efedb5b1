package io.priorflow.report;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.lineage.TrainerLineage;
import io.priorflow.engine.lineage.Training;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small run directory made with the engine's own writers: two lineages × 4 generations × 3 replicates, a
 * lineage graph of world data, generated data filtered by a rule-based critic or rated by a human, and the models
 * trained on them. One lineage's name and the critic's id contain '&lt;' and '&amp;', to check escaping.
 */
public final class SyntheticRun {

  /** The lineages, in metrics.csv order. */
  public static final List<String> LINEAGES = List.of("a<b&c", "replace");
  public static final int GENERATIONS = 4;
  public static final int REPLICATES = 3;
  public static final String CRITIC = "C&<x>";
  public static final String SCENARIO = """
      name: tiny
      description: Two lineages & a <test> of escaping.
      seed: 7
      lineages:
        - name: replace
      """;

  private SyntheticRun() {}

  /** Writes the run and its report into args[0], for looking at (bin/check-report, a browser). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    write(dir);
    System.out.println(ReportWriter.write(dir).file());
  }

  /** Model id of (lineage index, replicate, generation): a SHA-256, as real ids are. */
  public static String modelId(int lineage, int replicate, int generation) {
    return Json.sha256Hex((lineage + "/" + replicate + "/" + generation).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes scenario.yaml, metrics.csv, summary.csv, lineage.json and events.jsonl into dir (created). */
  public static MetricsTable write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
    String sha = Json.sha256Hex(SCENARIO.getBytes(StandardCharsets.UTF_8));
    RunLineage run = new RunLineage(sha, 7, List.of("run", "tiny.yaml"), "java", "cpu", "Test 21", "Linux amd64",
        "dev");
    LineageGraph.Builder b = LineageGraph.builder(run)
        .addActor(CRITIC, "critic", Map.of("threshold", "0.5"))
        .addActor("h1", "human", Map.of("accuracy", "0.85"));
    for (int li = 0; li < LINEAGES.size(); li++) {
      for (int r = 0; r < REPLICATES; r++) {
        String prefix = LINEAGES.get(li) + "/r" + r + "/";
        for (int g = 0; g < GENERATIONS; g++) {
          String name = prefix + "g" + g + (g == 0 ? "/world" : "/train");
          List<Datum> data = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            int[] tokens = {1, 2 + i, 3, 4, 5 + g, 6};
            if (g == 0) {
              data.add(new Datum(name + "/" + i, tokens, 2, Provenance.world(0)));
            } else {
              Datum d = new Datum(name + "/" + i, tokens, 2, Provenance.generated("gen", modelId(li, r, g - 1), g));
              data.add(d.withLabel(li == 0 ? Label.human(LabelKind.RATING, 5, "h1")
                  : Label.ai(LabelKind.KEEP, 1, CRITIC, null)));
            }
          }
          b.addDataset(Dataset.of(name, g == 0 ? "world" : prefix + "g" + g + "/generate", data));
          TrainerLineage trainer = new TrainerLineage(g == 0 ? "pretrain" : "sft", Map.of("lr", "0.02"), 7, g);
          String init = li == 0 && g > 0 ? modelId(li, r, g - 1) : null;
          b.addTrainedModel(modelId(li, r, g), "TokenModel", new Training(init, List.of(name), trainer));
        }
      }
    }
    LineageGraph graph = b.build();
    List<MetricsRow> rows = new ArrayList<>();
    for (int li = 0; li < LINEAGES.size(); li++) {
      for (int r = 0; r < REPLICATES; r++) {
        for (int g = 0; g < GENERATIONS; g++) {
          Map<String, Double> m = new LinkedHashMap<>();
          m.put("trait.polite", 0.2 + 0.1 * g * (li + 1) + 0.01 * r);
          m.put("trait.toxic", 0.1 - 0.02 * g + 0.005 * r * li);
          m.put("knowledge.accuracy", 0.6 - 0.05 * g * li + 0.02 * r);
          m.put("loss.world", 2.5 + 0.1 * g + 0.03 * r);
          m.put("labels.human", li == 0 ? 40.0 * g : 0.0);
          m.put("cost.human_usd", li == 0 ? 6.5 * g : 0.0);
          String model = modelId(li, r, g);
          rows.add(MetricsRow.of(LINEAGES.get(li), g, model, r, m).withMetrics(graph.ancestryMetrics(model)));
        }
      }
    }
    MetricsTable table = MetricsTable.of(rows);
    MetricsCsv.write(table, dir.resolve(MetricsCsv.FILE_NAME));
    SummaryTable.of(table).write(dir.resolve(SummaryTable.FILE_NAME));
    Files.write(dir.resolve("lineage.json"), graph.toJson());
    StringBuilder events = new StringBuilder();
    for (String lineage : LINEAGES) {
      for (int g = 1; g < GENERATIONS; g++) {
        for (String kind : List.of("generate", "label", "train")) {
          events.append(String.format(Locale.ROOT, "{\"stage\":\"%s/g%d/%s\",\"lineage\":\"%s\",\"generation\":%d,"
                  + "\"kind\":\"%s\",\"items\":%d,\"data\":12,\"retries\":%d,\"wallMillis\":%d,\"humanHours\":%s,"
                  + "\"costUsd\":%s,\"finishedAt\":\"2025-01-01T00:00:%02dZ\",\"node\":{\"name\":\"n1\"}}%n",
              lineage, g, kind, lineage, g, kind, 3, kind.equals("train") ? 1 : 0, 250 * g,
              kind.equals("label") ? "0.25" : "0", kind.equals("label") ? "7.5" : "0", g));
        }
      }
    }
    Files.writeString(dir.resolve("events.jsonl"), events);
    return table;
  }
}
