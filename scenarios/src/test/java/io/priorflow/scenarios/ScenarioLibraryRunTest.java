package io.priorflow.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.cli.Main;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of the library (and of papers/) runs, at a small size, through the command line: same file, same stages, with
 * generations, data sizes and epochs shrunk by {@code --set} overrides so each finishes in seconds.
 */
class ScenarioLibraryRunTest {
  @TempDir Path tmp;

  static Stream<Path> scenarios() throws Exception {
    Path dir = Path.of(System.getProperty("user.dir"));
    try (Stream<Path> s = Files.walk(dir, 2)) { // the library and papers/
      List<Path> files = s.filter(p -> p.toString().endsWith(".yaml") && !p.startsWith(dir.resolve("src"))
          && !p.startsWith(dir.resolve("target"))).sorted().toList();
      assertFalse(files.isEmpty(), "no scenarios in " + dir);
      return files.stream();
    }
  }

  /** --set overrides that keep the scenario's shape but make it small. */
  static List<String> shrink(Scenario s) {
    List<String> sets = new ArrayList<>();
    sets.add("training.epochs=1");
    sets.add("evaluation.prompts=" + Math.min(20, s.evaluation().prompts()));
    if (s.evaluation().bestOfN() != null) { // best-of-n estimates its KL from a prompt's other samples
      sets.add("evaluation.samplesPerPrompt=2");
      sets.add("evaluation.bestOfN=4");
    } else {
      sets.add("evaluation.samplesPerPrompt=1");
    }
    sets.add("actors.redTeamers.budget=" + Math.min(40, s.actors().redTeamers().budget()));
    for (int i = 0; i < s.lineages().size(); i++) {
      LineageSpec l = s.lineages().get(i);
      String p = "lineages[" + i + "].";
      sets.add(p + "generations=" + Math.min(2, l.generations()));
      sets.add(p + "base.pretrainExamples=" + Math.min(400, l.base().pretrainExamples()));
      sets.add(p + "base.epochs=1");
      for (int j = 0; j < l.stages().size(); j++) {
        StageSpec st = l.stages().get(j);
        String q = p + "stages[" + j + "].";
        if (st instanceof GenerateStage g) sets.add(q + "samples=" + Math.min(120, g.samples()));
        if (st instanceof LabelStage lb) sets.add(q + "sample=" + Math.min(12, lb.sample()));
        if (st instanceof TrainStage t) {
          sets.add(q + "prompts=" + Math.min(16, t.prompts()));
          sets.add(q + "n=" + Math.min(2, t.n()));
          sets.add(q + "samplesPerPrompt=2");
          if (t.epochs() != null) sets.add(q + "epochs=1");
          if (t.rounds() != null) sets.add(q + "rounds=2");
          if (t.ppoEpochs() != null) sets.add(q + "ppoEpochs=1");
        }
      }
    }
    return sets;
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void runsSmall(Path file) throws Exception {
    var loaded = ScenarioLoader.load(file);
    Scenario s = loaded.scenario();
    List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", tmp.resolve("run").toString()));
    for (String set : shrink(s)) {
      args.add("--set");
      args.add(set);
    }
    assertEquals(0, Main.execute(args.toArray(String[]::new)), file + " did not run");
    List<String> csv = Files.readAllLines(tmp.resolve("run/metrics.csv"));
    int rows = 0;
    for (LineageSpec l : s.lineages()) rows += 1 + Math.min(2, l.generations());
    // with counterfactuals: the factual run and one per intervention; with a sweep: each of its points
    int runs = (1 + loaded.counterfactuals().size()) * loaded.sweep().points();
    assertEquals(1 + rows * runs, csv.size(), file + ": one row per lineage and generation of each run");
    assertTrue(Files.isRegularFile(tmp.resolve("run/lineage.json")));
    List<Path> runDirs = new ArrayList<>();
    if (Files.isDirectory(tmp.resolve("run/runs"))) {
      try (Stream<Path> r = Files.list(tmp.resolve("run/runs"))) {
        runDirs.addAll(r.sorted().toList());
      }
    } else {
      runDirs.add(tmp.resolve("run"));
    }
    for (Path dir : runDirs) assertColumnsForeseen(dir, loaded);
  }

  /**
   * Every metric column of a run was foreseen when its first row was written (MetricColumns), so metrics.csv had
   * these columns from its first generation on.
   */
  private static void assertColumnsForeseen(Path dir, io.priorflow.engine.scenario.LoadedScenario loaded)
      throws Exception {
    var table = io.priorflow.engine.metrics.MetricsCsv.read(dir.resolve("metrics.csv"));
    var scenario = io.priorflow.engine.scenario.ScenarioLoader.load(dir.resolve("scenario.yaml")).scenario();
    String firstLineage = scenario.lineages().get(0).name();
    var first = table.rows().stream().filter(r -> r.lineage().equals(firstLineage) && r.generation() == 0)
        .findFirst().orElseThrow();
    var expected = io.priorflow.engine.run.MetricColumns.expected(scenario, first.metrics().keySet());
    List<String> unforeseen = table.metricNames().stream().filter(m -> !expected.contains(m)).toList();
    assertTrue(unforeseen.isEmpty(), dir + ": metrics.csv gained columns after its first generation: " + unforeseen);
    assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(table.metricNames()), dir.toString());
  }
}
