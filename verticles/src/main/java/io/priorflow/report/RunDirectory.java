package io.priorflow.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import io.priorflow.engine.metrics.Csv;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryTable;
import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The files of a run directory (DESIGN §7), read and checked for the report.
 *
 * <p>metrics.csv and lineage.json are required: without them there is nothing to report, so a missing or
 * invalid one is an {@link IllegalArgumentException} whose one-line message names the file and what is wrong.
 * Everything else is optional and tolerated: a missing or unreadable scenario.yaml, a missing summary.csv or
 * events.jsonl, a bad line in events.jsonl, or files that disagree become {@link #notes()} shown in the report.
 *
 * @param dir      the run directory, as given
 * @param scenario what the report shows of scenario.yaml
 * @param metrics  metrics.csv
 * @param summary  the replicate statistics, computed from metrics.csv (the same numbers as summary.csv)
 * @param lineage  lineage.json
 * @param events   events.jsonl, empty when absent
 * @param notes    problems with the optional files, one sentence each
 * @param batch    for a batch of runs (runs.csv, runs/), what the report says of it; null for one run
 * @param parts    for several run directories side by side ({@link #combine}), each of them under its name; empty for
 *                 one directory
 */
record RunDirectory(Path dir, ScenarioInfo scenario, MetricsTable metrics, SummaryTable summary, LineageGraph lineage,
                    StageEvents events, List<String> notes, Batch batch, Map<String, RunDirectory> parts) {

  /**
   * Several run directories as one, side by side: every lineage is renamed {@code <name>/<lineage>}, with a
   * directory's name its last path element (with {@code #2}, {@code #3}… should two be alike), so each directory's
   * lineages are their own series with their own colours; swept parameters are the union of theirs; the stages are
   * listed with a {@code run} column first; the lineage graphs are every directory's. The scenario, seed and build
   * facts are the parts' own, shown per part.
   */
  static RunDirectory combine(List<RunDirectory> dirs) {
    Map<String, RunDirectory> parts = new LinkedHashMap<>();
    for (RunDirectory d : dirs) {
      Path f = d.dir().toAbsolutePath().normalize().getFileName();
      String base = f == null ? "run" : f.toString();
      String name = base;
      for (int i = 2; parts.containsKey(name); i++) {
        name = base + "#" + i;
      }
      parts.put(name, d);
    }
    List<MetricsRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> columns = new ArrayList<>(List.of("run"));
    List<Map<String, com.fasterxml.jackson.databind.JsonNode>> events = new ArrayList<>();
    parts.forEach((name, d) -> {
      d.metrics().rows().forEach(r -> rows.add(new MetricsRow(name + "/" + r.lineage(), r.generation(), r.model(),
          r.replicate(), r.params(), r.metrics())));
      d.notes().forEach(n -> notes.add(name + ": " + n));
      d.events().columns().forEach(c -> {
        if (!columns.contains(c)) {
          columns.add(c);
        }
      });
      d.events().rows().forEach(e -> {
        Map<String, com.fasterxml.jackson.databind.JsonNode> row = new LinkedHashMap<>();
        row.put("run", com.fasterxml.jackson.databind.node.TextNode.valueOf(name));
        row.putAll(e);
        events.add(row);
      });
    });
    MetricsTable metrics = MetricsTable.of(rows);
    RunDirectory first = dirs.get(0);
    ScenarioInfo info = new ScenarioInfo("comparison of " + parts.size() + " runs", String.join(" · ", parts.entrySet()
        .stream().map(e -> e.getKey() + ": " + e.getValue().scenario().name()).toList()), null, null, null);
    return new RunDirectory(first.dir(), info, metrics, SummaryTable.of(metrics), first.lineage(),
        new StageEvents(List.copyOf(columns), List.copyOf(events)), List.copyOf(notes), null, parts);
  }

  /**
   * A batch of replicates and sweep points (runs.csv): lineage.json at the top is one run's.
   *
   * @param runs        the runs of runs.csv
   * @param done        those whose status is done
   * @param lineageRun  the run whose lineage.json the top one is (the first done), or null when none is done
   * @param doneRuns    the names of the runs that are done, in runs.csv's order
   */
  record Batch(int runs, int done, String lineageRun, List<String> doneRuns) {}

  static final String RUNS_CSV = "runs.csv";
  /** A batch's graphs stop being added to the page once they hold this many nodes together. */
  static final int MAX_GRAPH_NODES = 6000;

  static final String SCENARIO = "scenario.yaml";
  static final String LINEAGE = "lineage.json";
  static final String EVENTS = "events.jsonl";
  private static final String WRITTEN_BY = "every run directory has one (priorflow run writes it)";

  /**
   * What the report shows of scenario.yaml.
   *
   * @param name        the scenario's name, or the directory's name when unknown
   * @param description its description, or empty
   * @param seed        its seed as written, or null when unknown
   * @param text        the file's text, or null when absent
   * @param sha256      SHA-256 of the file's bytes, or null when absent
   * @param counterfactuals the names of its counterfactuals → their descriptions, in the file's order (empty for none)
   */
  record ScenarioInfo(String name, String description, String seed, String text, String sha256,
                      Map<String, String> counterfactuals) {
    ScenarioInfo(String name, String description, String seed, String text, String sha256) {
      this(name, description, seed, text, sha256, Map.of());
    }
  }

  /**
   * The hash lineage.json records for this scenario text ({@link ScenarioRun#resultSha256}); for a file this build
   * cannot load (another version's), the SHA-256 of its bytes.
   */
  private static String resultSha256(String text, Path file) {
    try {
      return ScenarioRun.resultSha256(ScenarioLoader.parse(text, file.toString(), java.util.List.of()).scenario());
    } catch (IllegalArgumentException e) {
      return Json.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Reads a run directory.
   *
   * @throws IllegalArgumentException one line naming the file and what is wrong, when the directory, metrics.csv
   *                                  or lineage.json is missing or invalid
   */
  static RunDirectory read(Path dir) {
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException(dir + ": no such directory; give the directory that priorflow run --out wrote.");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": not a directory; give the directory that priorflow run --out wrote.");
    }
    List<String> notes = new ArrayList<>();
    MetricsTable metrics = readMetrics(dir.resolve(MetricsCsv.FILE_NAME));
    LineageGraph lineage = readLineage(dir.resolve(LINEAGE));
    ScenarioInfo scenario = readScenario(dir, notes);
    Batch batch = readBatch(dir);
    // A batch's lineage.json is one run's: check it against that run's own scenario.yaml.
    Path runDir = batch == null || batch.lineageRun() == null ? dir : dir.resolve("runs").resolve(batch.lineageRun());
    ScenarioInfo lineageScenario = batch == null ? scenario : readScenario(runDir, new ArrayList<>());
    String which = batch == null ? SCENARIO : "runs/" + batch.lineageRun() + "/" + SCENARIO;
    if (lineageScenario.sha256() != null && !lineageScenario.sha256().equals(lineage.run().scenarioSha256())) {
      notes.add(which + " has SHA-256 " + lineageScenario.sha256() + " but " + LINEAGE + " records "
          + lineage.run().scenarioSha256() + ": the scenario file was changed after the run.");
    }
    if (lineageScenario.seed() != null && !lineageScenario.seed().equals(Long.toString(lineage.run().seed()))) {
      notes.add(which + " has seed " + lineageScenario.seed() + " but " + LINEAGE + " records seed "
          + lineage.run().seed() + ".");
    }
    if (!Files.exists(dir.resolve(SummaryTable.FILE_NAME))) {
      notes.add(SummaryTable.FILE_NAME + " is absent (a single-replicate run); means and intervals below are"
          + " computed from " + MetricsCsv.FILE_NAME + ".");
    }
    Set<String> graphModels = new TreeSet<>();
    for (Node n : lineage.nodes()) {
      if (n instanceof ModelNode m) {
        graphModels.add(m.modelId());
      }
    }
    Set<String> missing = metrics.rows().stream().map(MetricsRow::model)
        .filter(m -> !m.isEmpty() && !graphModels.contains(m)).collect(Collectors.toCollection(TreeSet::new));
    if (!missing.isEmpty() && batch == null) {
      notes.add(missing.size() + " model id(s) of " + MetricsCsv.FILE_NAME + " are not in " + LINEAGE + ", e.g. "
          + missing.iterator().next() + ".");
    }
    StageEvents events = StageEvents.read(dir.resolve(EVENTS), notes);
    return new RunDirectory(dir, scenario, metrics, SummaryTable.of(metrics), lineage, events, List.copyOf(notes),
        batch, Map.of());
  }

  /**
   * runs.csv's runs and statuses (first field the run, last the status), or null without a readable runs.csv (the
   * report of a batch is then drawn as one run's).
   */
  private static Batch readBatch(Path dir) {
    List<List<String>> records;
    try {
      records = Csv.parse(Files.readString(dir.resolve(RUNS_CSV), StandardCharsets.UTF_8), RUNS_CSV);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    int runs = 0;
    int done = 0;
    String first = null;
    List<String> names = new ArrayList<>();
    for (List<String> record : records.subList(Math.min(1, records.size()), records.size())) {
      if (record.size() < 2) {
        continue;
      }
      runs++;
      if (record.get(record.size() - 1).equals("done")) {
        done++;
        names.add(record.get(0));
        if (first == null) {
          first = record.get(0);
        }
      }
    }
    return new Batch(runs, done, first, List.copyOf(names));
  }

  /**
   * The lineage graphs the report shows: this run's, or for a batch those of its first {@code max} finished runs
   * (runs/&lt;run&gt;/lineage.json, in runs.csv's order), until they hold {@link #MAX_GRAPH_NODES} nodes together;
   * a run whose file is missing or unreadable is left out.
   */
  List<LineageView.RunGraph> graphs(int max) {
    if (!parts.isEmpty()) {
      List<LineageView.RunGraph> out = new ArrayList<>();
      parts.forEach((name, d) -> d.graphs(max).forEach(g -> {
        if (out.size() < max) {
          out.add(new LineageView.RunGraph(g.run().isEmpty() ? name : name + "/" + g.run(), g.graph()));
        }
      }));
      return out;
    }
    if (batch == null || batch.doneRuns().isEmpty()) {
      return List.of(new LineageView.RunGraph(batch == null ? "" : "top", lineage));
    }
    List<LineageView.RunGraph> out = new ArrayList<>();
    int nodes = 0;
    for (String name : batch.doneRuns()) {
      if (out.size() == max || nodes > MAX_GRAPH_NODES) {
        break; // the page carries each graph's JSON: keep it a page, not a data dump
      }
      try {
        LineageGraph g = name.equals(batch.lineageRun()) ? lineage
            : readLineage(dir.resolve("runs").resolve(name).resolve(LINEAGE));
        out.add(new LineageView.RunGraph(name, g));
        nodes += g.nodes().size();
      } catch (IllegalArgumentException e) {
        // left out: the top files and that run's own directory still hold what there is
      }
    }
    return out;
  }

  private static MetricsTable readMetrics(Path file) {
    String text = readRequired(file);
    MetricsTable table;
    try {
      table = MetricsCsv.parse(text, file.toString());
    } catch (IllegalArgumentException e) {
      String m = oneLine(e.getMessage());
      throw new IllegalArgumentException(m.startsWith(file.toString()) ? m : file + ": " + m, e);
    }
    if (table.rows().isEmpty()) {
      throw new IllegalArgumentException(file + ": no rows after the header, so there is nothing to report.");
    }
    return table;
  }

  private static LineageGraph readLineage(Path file) {
    String text = readRequired(file);
    try {
      return LineageGraph.fromJson(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + lineageProblem(e), e);
    }
  }

  /** ":line:column: what" from Jackson's exception, preferring our own validation message when there is one. */
  private static String lineageProblem(IllegalArgumentException e) {
    JsonProcessingException json = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j && json == null) {
        json = j;
      }
      root = t;
    }
    if (json == null) {
      return ": " + oneLine(e.getMessage());
    }
    if (root != json && !(root instanceof JsonProcessingException) && root.getMessage() != null) {
      // Our own check in a record's constructor: Jackson's location is then the end of the object, which misleads.
      return ": not a valid lineage graph: " + oneLine(root.getMessage());
    }
    JsonLocation at = json.getLocation();
    String where = at != null && at.getLineNr() > 0 ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "";
    return where + ": not a valid lineage graph: " + oneLine(json.getOriginalMessage());
  }

  private static String readRequired(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": missing; " + WRITTEN_BY + ".", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + oneLine(String.valueOf(e.getMessage())) + ".", e);
    }
  }

  private static ScenarioInfo readScenario(Path dir, List<String> notes) {
    Path file = dir.resolve(SCENARIO);
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String fallback = name == null ? "run" : name.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      notes.add(SCENARIO + " is absent; the scenario's name and description are unknown.");
      return new ScenarioInfo(fallback, "", null, null, null);
    } catch (IOException e) {
      notes.add(SCENARIO + " cannot be read: " + oneLine(String.valueOf(e.getMessage())) + ".");
      return new ScenarioInfo(fallback, "", null, null, null);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String sha = resultSha256(text, file);
    try {
      // A tree, not the Scenario record: the report must open runs written by older and newer versions.
      JsonNode tree = ScenarioLoader.mapper().readTree(text);
      if (tree == null || !tree.isObject()) {
        notes.add(SCENARIO + " is not a mapping of scenario fields.");
        return new ScenarioInfo(fallback, "", null, text, sha);
      }
      Map<String, String> counterfactuals = new java.util.LinkedHashMap<>();
      for (JsonNode c : tree.path("counterfactuals")) {
        if (c.path("name").isTextual()) {
          counterfactuals.put(c.path("name").asText(), text(c, "description", c.path("name").asText()));
        }
      }
      return new ScenarioInfo(text(tree, "name", fallback), text(tree, "description", ""),
          tree.path("seed").isValueNode() ? tree.path("seed").asText() : null, text, sha,
          java.util.Collections.unmodifiableMap(counterfactuals));
    } catch (IOException e) {
      String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      notes.add(SCENARIO + " is not valid YAML: " + oneLine(String.valueOf(m)) + ".");
      return new ScenarioInfo(fallback, "", null, text, sha);
    }
  }

  private static String text(JsonNode tree, String field, String fallback) {
    JsonNode n = tree.path(field);
    return n.isValueNode() && !n.isNull() && !n.asText().isBlank() ? n.asText() : fallback;
  }

  /** The message on one line: line breaks and the whitespace around them become one space. */
  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
