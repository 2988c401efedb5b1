package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.analytic.BanditWorld;
import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.GaussianWorld;
import io.priorflow.engine.analytic.LinearWorld;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.metrics.AnalyticMetrics;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.AnalyticSpec;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AnalyticRun against its Javadoc: each lineage's rows are the world's run from the stream of item
 * {@code <lineage>/analytic} under the lineage's policy; one event per lineage with the points it drew; the listener
 * told of each; an empty lineage graph; the bandit's stages as its steps; an interruption between lineages.
 */
class AnalyticRunTest {
  @TempDir Path tmp;

  static LoadedScenario load(String yaml) { return ScenarioLoader.parse(yaml, "a.yaml", List.of()); }

  static final String GAUSSIAN = """
      name: g
      seed: 9
      analytic: { kind: gaussian, samples: 12, estimator: mle }
      lineages:
        - { name: replace, generations: 3, data: { policy: replace } }
        - { name: accumulate, generations: 2, data: { policy: accumulate } }
      """;

  /** Events and listener calls, recorded. */
  static final class Recording implements ScenarioRun.Listener {
    final List<String> calls = new ArrayList<>();

    @Override public void stageStarted(String stage, String kind, int items) {
      calls.add("started " + stage + " " + kind + " " + items);
    }

    @Override public void stageFinished(StageEvent e) { calls.add("finished " + e.stage()); }

    @Override public void generationFinished(String lineage, int generation, int generations) {
      calls.add("generation " + lineage + " " + generation + "/" + generations);
    }
  }

  @Test
  void gaussianLineagesAreTheWorldsRunsFromTheirStreams() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    Recording listener = new Recording();
    TreeMap<String, String> params = new TreeMap<>(java.util.Map.of("param.x", "1"));
    long t0 = System.nanoTime();
    MetricsTable t = AnalyticRun.run(l, new RunOutputs(tmp), BatchTest.lineage(l), listener, 2, params);
    long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
    var g = (AnalyticSpec.Gaussian) l.scenario().analytic();
    RandomStreams streams = new RandomStreams(9);
    List<MetricsRow> expected = new ArrayList<>();
    for (LineageSpec lin : l.scenario().lineages()) {
      var config = g.toConfig(lin.data().toAnalytic());
      expected.addAll(AnalyticMetrics.gaussianRows(lin.name(), 2, params,
          new GaussianWorld(config).run(lin.generations(), streams.forItem(lin.name() + "/analytic")), config));
    }
    assertEquals(MetricsTable.of(expected).rows(), t.rows());
    assertEquals(DataPolicy.ACCUMULATE, l.scenario().lineages().get(1).data().toAnalytic());
    assertEquals(List.of("started replace/analytic analytic 1", "finished replace/analytic",
        "generation replace 3/3", "started accumulate/analytic analytic 1", "finished accumulate/analytic",
        "generation accumulate 2/2"), listener.calls);
    List<String> lines = Files.readAllLines(tmp.resolve("events.jsonl"));
    assertEquals(2, lines.size());
    JsonNode e = Json.messages().readTree(lines.get(1));
    assertEquals("accumulate/analytic", e.get("stage").asText());
    assertEquals("accumulate", e.get("lineage").asText());
    assertEquals(2, e.get("generation").asInt());
    assertEquals("analytic", e.get("kind").asText());
    assertEquals(1, e.get("items").asInt());
    assertEquals(2 * 12, e.get("data").asInt(), "generations × samples points drawn");
    assertEquals(3 * 12, Json.messages().readTree(lines.get(0)).get("data").asInt());
    for (String line : lines) {
      long wall = Json.messages().readTree(line).get("wallMillis").asLong();
      assertTrue(wall >= 0 && wall <= elapsedMillis, "the lineage's wall time, within the call's: " + line);
    }
    assertEquals(l.resolvedYaml(), Files.readString(tmp.resolve("scenario.yaml")));
    assertArrayEquals(LineageGraph.builder(BatchTest.lineage(l)).build().toJson(),
        Files.readAllBytes(tmp.resolve("lineage.json")));
    assertEquals(io.priorflow.engine.metrics.MetricsCsv.format(MetricsTable.of(expected,
        MetricColumns.expected(l.scenario(), expected.get(0).metrics().keySet()))),
        Files.readString(tmp.resolve("metrics.csv")), "the columns of the first lineage's first row");
  }

  @Test
  void linearLineagesToo() throws Exception {
    LoadedScenario l = load("""
        name: lin
        seed: 5
        analytic: { kind: linear, dimension: 3, samples: 8 }
        lineages:
          - { name: a, generations: 2 }
        """);
    MetricsTable t = AnalyticRun.run(l, new RunOutputs(tmp), BatchTest.lineage(l), new ScenarioRun.Listener() {});
    var lin = (AnalyticSpec.Linear) l.scenario().analytic();
    var config = lin.toConfig(DataPolicy.REPLACE);
    assertEquals(AnalyticMetrics.linearRows("a", 0, new TreeMap<>(),
        new LinearWorld(config).run(2, new RandomStreams(5).forItem("a/analytic")), config), t.rows());
    assertEquals(2 * 8, Json.messages().readTree(Files.readAllLines(tmp.resolve("events.jsonl")).get(0))
        .get("data").asInt());
  }

  /** A bandit lineage's stages become the world's steps, field by field, each with its stage's schedule. */
  @Test
  void aBanditsStagesAreItsSteps() throws Exception {
    LoadedScenario l = load("""
        name: b
        seed: 4
        analytic: { kind: bandit, arms: 3 }
        training: { lr: 0.5, epochs: 7 }
        lineages:
          - name: x
            generations: 3
            stages:
              - { kind: label, by: critic, task: prefer, sample: 40, every: 2 }   # generations 1 and 3
              - { kind: train, method: sft }
              - { kind: train, method: reward_model, epochs: 3, lr: 0.25 }
              - { kind: train, method: dpo, klCoef: 0.5, from: 2 }
              - { kind: train, method: rlhf, klCoef: 0.3, until: 1 }
              - { kind: train, method: best_of_n, n: 5, prompts: 9 }
        """);
    var training = l.scenario().training();
    List<BanditWorld.Step> steps = AnalyticRun.steps(l.scenario().lineages().get(0), training);
    assertEquals(List.of(BanditWorld.Kind.LABEL, BanditWorld.Kind.SFT, BanditWorld.Kind.REWARD_MODEL,
        BanditWorld.Kind.DPO, BanditWorld.Kind.RLHF, BanditWorld.Kind.BEST_OF_N),
        steps.stream().map(BanditWorld.Step::kind).toList());
    assertEquals(40, steps.get(0).pairs());
    assertEquals(List.of(true, false, true, true), List.of(steps.get(0).runsIn().test(1),
        steps.get(0).runsIn().test(2), steps.get(0).runsIn().test(3), steps.get(1).runsIn().test(3)));
    BanditWorld.Step rm = steps.get(2), dpo = steps.get(3), rlhf = steps.get(4), bon = steps.get(5);
    assertEquals(List.of(3, 7), List.of(rm.epochs(), dpo.epochs()), "a stage's epochs, else training's");
    assertEquals(List.of(0.25, 0.5), List.of(rm.lr(), dpo.lr()), "a stage's lr, else training's");
    assertEquals(0.5, dpo.beta());
    assertEquals(0.3, rlhf.beta());
    assertEquals(List.of(false, true), List.of(dpo.runsIn().test(1), dpo.runsIn().test(2)));
    assertEquals(List.of(true, false), List.of(rlhf.runsIn().test(1), rlhf.runsIn().test(2)));
    assertEquals(5, bon.n());
    assertEquals(9, bon.pairs(), "best-of-n's prompts");
    var stage = (io.priorflow.engine.scenario.TrainStage) l.scenario().lineages().get(0).stages().get(5);
    assertEquals(stage.klCoef(), bon.beta());

    // the run: its rows and bandit.csv from the world's run on the rewards' stream; data = the pairs drawn
    MetricsTable t = AnalyticRun.run(l, new RunOutputs(tmp), BatchTest.lineage(l), new ScenarioRun.Listener() {});
    var b = (AnalyticSpec.Bandit) l.scenario().analytic();
    RandomStreams streams = new RandomStreams(4);
    double[] rewards = b.rewards(streams.forItem(AnalyticRun.BANDIT_REWARDS));
    List<BanditWorld.Generation> run = new BanditWorld(rewards, b.priorPolicy(), steps)
        .run(3, streams.forItem("x/analytic"));
    List<MetricsRow> rows = AnalyticMetrics.banditRows("x", 0, new TreeMap<>(), run, rewards);
    assertEquals(MetricsTable.of(rows).rows(), t.rows());
    assertEquals(io.priorflow.engine.metrics.MetricsCsv.format(MetricsTable.of(rows,
        MetricColumns.expected(l.scenario(), rows.get(0).metrics().keySet()))),
        Files.readString(tmp.resolve("metrics.csv")), "bandit.optimum_kl's column from the first row on");
    StringBuilder csv = new StringBuilder(AnalyticMetrics.BANDIT_CSV_HEADER);
    AnalyticMetrics.banditCsv(csv, "x", 0, run, rewards);
    assertEquals(csv.toString(), Files.readString(tmp.resolve(AnalyticRun.BANDIT_CSV)));
    long pairs = run.stream().mapToLong(BanditWorld.Generation::pairs).sum();
    assertTrue(pairs > 0);
    assertEquals(pairs, Json.messages().readTree(Files.readAllLines(tmp.resolve("events.jsonl")).get(0))
        .get("data").asLong());
  }

  @Test
  void anInterruptionStopsBetweenLineagesAndATokenWorldIsNotAnalytic() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    Thread.currentThread().interrupt();
    var e = assertThrows(InterruptedException.class,
        () -> AnalyticRun.run(l, new RunOutputs(tmp), BatchTest.lineage(l), new ScenarioRun.Listener() {}));
    assertEquals("interrupted before lineage replace", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("events.jsonl")));
    LoadedScenario token = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of());
    var a = assertThrows(IllegalArgumentException.class,
        () -> AnalyticRun.run(token, new RunOutputs(tmp), BatchTest.lineage(token), new ScenarioRun.Listener() {}));
    assertEquals("scenario small has no analytic world; ScenarioRun runs it", a.getMessage());
  }
}
