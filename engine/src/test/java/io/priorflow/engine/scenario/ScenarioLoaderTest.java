package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.DesignPolicy;
import io.priorflow.engine.analytic.VarianceEstimator;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.world.WorldConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: defaults, deep merge, round trips, overrides, and the file-level failures. */
class ScenarioLoaderTest {

  private static Scenario parse(String yaml, String... sets) {
    return ScenarioLoader.parse(yaml, "t.yaml", List.of(sets)).scenario();
  }

  private static String problems(String yaml, String... sets) {
    return assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(yaml, "t.yaml", List.of(sets)))
        .getMessage();
  }

  /** Loads its own resolved YAML back, and that is a fixed point. */
  private static void assertReproduces(LoadedScenario loaded) {
    LoadedScenario again = ScenarioLoader.parse(loaded.resolvedYaml(), "resolved.yaml", List.of());
    assertEquals(loaded.scenario(), again.scenario());
    assertEquals(loaded.resolvedYaml(), again.resolvedYaml());
    assertEquals(loaded.sha256(), again.sha256());
  }

  @Test
  void anEmptyMappingIsTheDefaultScenario() {
    LoadedScenario l = ScenarioLoader.parse("{}\n", "t.yaml", List.of());
    assertEquals(Scenario.defaults(), l.scenario());
    assertEquals(WorldConfig.defaults(), l.scenario().world());
    assertNull(l.scenario().analytic());
    assertEquals(64, l.sha256().length());
    assertReproduces(l);
  }

  @Test
  void aFileStatesOnlyWhatItChanges() {
    Scenario s = parse("""
        name: small
        world: { tags: { high: { correct: 0.93 } } }
        actors: { humans: { accuracy: 0.7 } }
        lineages:
          - name: a
            stages: [ { kind: generate, samples: 10 }, { kind: train } ]
          - name: b
        """);
    Scenario d = Scenario.defaults();
    assertEquals(0.93, s.world().tags().high().correct());
    assertEquals(d.world().tags().high().polite(), s.world().tags().high().polite());
    assertEquals(d.world().tags().low(), s.world().tags().low());
    assertEquals(0.7, s.actors().humans().accuracy());
    assertEquals(d.actors().humans().count(), s.actors().humans().count());
    assertEquals(d.actors().critics(), s.actors().critics());
    LineageSpec a = s.lineages().get(0), b = s.lineages().get(1);
    assertEquals(new GenerateStage(10, 1.0, 0, 16, GenerateStage.PromptTag.NONE, 0, GenerateStage.PromptTag.HIGH), a.stages().get(0));
    assertEquals(TrainStage.defaults(), a.stages().get(1));
    assertEquals(LineageSpec.defaults().generations(), a.generations());
    assertEquals(new LineageSpec("b", 5, BaseSpec.defaults(), DataPolicySpec.defaults(),
        LineageSpec.defaults().stages()), b);
  }

  @Test
  void everyFieldAndStageKindRoundTripsThroughYaml() throws Exception {
    Scenario s = new Scenario("full-1", "every: kind\nof \"stage\" — yes", -42, WorldConfig.defaults(),
        new AnalyticSpec.Linear(4, 20, 0.5, DesignPolicy.FRESH),
        new ModelSpec(4, 16, List.of(64, 32), TokenModelConfig.Activation.TANH),
        new TrainingSpec(1e-3, 8, 2, TrainingSpec.Schedule.CONSTANT, 10, new OptimizerSpec(0.8, 0.95, 1e-6, 0, 0)),
        new ActorsSpec(new HumanSpec(3, 0.8, Map.of("polite", 0.2, "verbose", -0.1), 12.5, 40, 0.1, 0.5),
            new CriticSpec(2, 0.3, 0.5, 0.002), new RoleSpec(1), new RoleSpec(3), new RoleSpec(1),
            new RedTeamSpec(2, 0)),
        List.of(new LineageSpec("x", 2, new BaseSpec(100, 1),
            new DataPolicySpec(DataPolicySpec.Policy.SUBSAMPLE, 500, 0.25),
            List.of(new GenerateStage(100, 0.7, 5, 8, GenerateStage.PromptTag.HIGH, 0, GenerateStage.PromptTag.HIGH),
                new FilterStage(FilterStage.By.GOLD, 0.3),
                LabelStage.of(LabelStage.By.CRITIC, 50, LabelStage.Task.RATE),
                new TrainStage(TrainStage.Method.LORA, TrainStage.Init.TEACHER, 3, 0.5, 4, 0, 4, 4, 256, 1.0)))),
        new EvaluationSpec(10, 2, 0, 4));
    var mapper = ScenarioLoader.mapper();
    String yaml = ScenarioLoader.toYaml(s);
    assertEquals(s, mapper.readValue(yaml, Scenario.class), yaml);
    assertTrue(yaml.contains("kind: lora") || yaml.contains("method: lora"), yaml);
    assertTrue(yaml.contains("kind: linear"), yaml);
    // the loader reads it too (the analytic world then rejects the subsample policy: checked elsewhere)
    Scenario viaLoader = parse(yaml, "lineages[0].data.policy=accumulate", "lineages[0].data.subsampleSize=null",
        "lineages[0].data.freshFraction=0");
    assertEquals(DataPolicySpec.Policy.ACCUMULATE, viaLoader.lineages().get(0).data().policy());
    assertEquals(s.description(), viaLoader.description());
  }

  @Test
  void awkwardStringsSurviveTheResolvedYaml() {
    for (String d : List.of("yes", "no", "on", "null", "~", "123", "1e6", "0x1F", ".nan", "true", "- item", "a: b",
        "# not a comment", "'quoted'", "\"double\"", "multi\nline\n", "trailing space ", " leading", "tab\there",
        "unicode: é ✓ 😀", "{flow}", "[list]", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "")) {
      Scenario s = new Scenario("scenario", d, 1, WorldConfig.defaults(), null, ModelSpec.defaults(),
          TrainingSpec.defaults(), ActorsSpec.defaults(), List.of(LineageSpec.defaults()), EvaluationSpec.defaults());
      String yaml = ScenarioLoader.toYaml(s);
      assertEquals(s, ScenarioLoader.parse(yaml, "t.yaml", List.of()).scenario(), yaml);
    }
  }

  @Test
  void numbersMayBeWrittenAsYamlAllows() {
    Scenario s = parse("""
        seed: 0012
        lineages: [ { stages: [ { kind: generate, samples: 1e6 }, { kind: train, lr: 5e-3, epochs: 2.0 } ] } ]
        evaluation: { prompts: 1_000 }
        """);
    assertEquals(12, s.seed());
    assertEquals(1_000_000, ((GenerateStage) s.lineages().get(0).stages().get(0)).samples());
    TrainStage t = (TrainStage) s.lineages().get(0).stages().get(1);
    assertEquals(0.005, t.lr());
    assertEquals(2, t.epochs());
    assertEquals(1000, s.evaluation().prompts());
    assertEquals(0.005, t.lr(s.training()));
    assertEquals(s.training().epochs(), TrainStage.defaults().epochs(s.training()));
  }

  @Test
  void stringFieldsTakeAnyScalarAsWritten() {
    assertEquals("2024", parse("name: 2024\n").name());
    assertEquals("1.50", parse("description: 1.50\n").description());
    assertEquals("true", parse("description: true\n").description());
  }

  @Test
  void overridesApplyInOrderAndAreValidatedLikeTheFile() {
    Scenario s = parse("name: x\n", "lineages[0].generations=3", "world.tags.high.correct=0.93",
        "model.hidden=[64, 64]", "lineages[0].stages[2]={kind: filter, keepFraction: 0.25}",
        "actors.humans.biases.polite=0.3", "seed=9", "seed=10", "description=a: b c");
    assertEquals(3, s.lineages().get(0).generations());
    assertEquals(0.93, s.world().tags().high().correct());
    assertEquals(List.of(64, 64), s.model().hidden());
    assertEquals(new FilterStage(FilterStage.By.CRITIC, 0.25), s.lineages().get(0).stages().get(2));
    assertEquals(Map.of("polite", 0.3), s.actors().humans().biases());
    assertEquals(10, s.seed());
    assertEquals("a: b c", s.description());
    assertEquals(LineageSpec.defaults().stages().get(0), s.lineages().get(0).stages().get(0));

    Scenario analytic = parse("{}", "analytic={kind: gaussian, samples: 50}", "analytic.sd=2");
    assertEquals(new AnalyticSpec.Gaussian(0, 2, 50, VarianceEstimator.UNBIASED), analytic.analytic());
    assertNull(parse("analytic: {kind: linear}\n", "analytic=").analytic());
    assertEquals(3, parse("lineages: [ { name: a }, { name: b } ]\n", "lineages[1].generations=3")
        .lineages().get(1).generations());
  }

  @Test
  void overrideProblemsNameTheArgument() {
    assertEquals(String.join("\n",
        "--set lineages[0].generationz=3: lineages[0].generationz: unknown key (did you mean \"generations\"?); "
            + "expected one of name, model, generations, base, data, stages, retrieval",
        "--set lineages[0].generations=0: lineages[0].generations: expected an integer in [1, 1000], found 0",
        "--set lineages[5].generations=2: lineages[5]: expected an index in [0, 1] (1 to append), found 5",
        "--set seed: expected PATH=VALUE with a path like lineages[0].stages[1].samples, found \"seed\"",
        "--set model..context=3: expected PATH=VALUE with a path like lineages[0].stages[1].samples, found "
            + "\"model..context\"",
        "--set model.context.x=3: model.context: expected no key after model.context (it is an integer), found .x",
        "--set seed=[1: seed: expected a YAML value after '=', found invalid YAML: expected ',' or ']', but got "
            + "<stream end> (while parsing a flow sequence started at line 1, column 1)"),
        problems("{}", "lineages[0].generationz=3", "lineages[0].generations=0", "lineages[5].generations=2", "seed",
            "model..context=3", "model.context.x=3", "seed=[1"));
  }

  @Test
  void analyticWorldsTakeTheirPolicyFromEachLineage() {
    Scenario s = parse("""
        analytic: { kind: gaussian, samples: 200 }
        lineages:
          - { name: replace, generations: 100, data: { policy: replace } }
          - { name: accumulate, generations: 100, data: { policy: accumulate } }
        """);
    AnalyticSpec.Gaussian g = (AnalyticSpec.Gaussian) s.analytic();
    assertEquals(200, g.samples());
    assertEquals(DataPolicy.ACCUMULATE, g.toConfig(s.lineages().get(1).data().toAnalytic()).policy());
    assertEquals(List.of(), g.toConfig(DataPolicy.REPLACE).problems());
  }

  @Test
  void conversionsToTheEngineConfigs() {
    Scenario d = Scenario.defaults();
    assertEquals(OptimizerConfig.defaults(), d.training().optimizer().toConfig());
    assertEquals(TokenModelConfig.defaults(77, 0), d.model().toConfig(77, 0));
    assertEquals(List.of("generate", "filter", "label", "train", "redteam"), StageSpec.kinds());
    assertEquals("train", TrainStage.defaults().kind());
    assertEquals(new io.priorflow.engine.model.SamplingConfig(1f, 0, 16, 3),
        ((GenerateStage) d.lineages().get(0).stages().get(0)).sampling(3));
    assertEquals(16, d.evaluation().sampling(3).maxNewTokens());
    assertTrue(d.lineage("main").isPresent());
  }

  @Test
  void fileProblemsAreOneLineEach(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertEquals(missing + ": cannot read: no such file",
        assertThrows(ScenarioException.class, () -> ScenarioLoader.load(missing)).getMessage());
    assertEquals(dir + ": cannot read: it is a directory",
        assertThrows(ScenarioException.class, () -> ScenarioLoader.load(dir)).getMessage());
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[ScenarioLoader.MAX_BYTES + 1]);
    assertEquals(big + ": cannot read: 1048577 bytes is more than a scenario may have (1 MiB)",
        assertThrows(ScenarioException.class, () -> ScenarioLoader.load(big)).getMessage());
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "\uFEFFname: bom\n", StandardCharsets.UTF_8);
    assertEquals("bom", ScenarioLoader.load(ok).scenario().name());
  }

  @Test
  void theDigestFollowsTheResolvedText() {
    LoadedScenario a = ScenarioLoader.parse("seed: 1\n", "a.yaml", List.of());
    LoadedScenario b = ScenarioLoader.parse("# same scenario, other text\nseed: 1\nname: scenario\n", "b.yaml",
        List.of());
    LoadedScenario c = ScenarioLoader.parse("seed: 2\n", "c.yaml", List.of());
    assertEquals(a.sha256(), b.sha256());
    assertNotEquals(a.sha256(), c.sha256());
    assertEquals(ScenarioLoader.sha256(a.resolvedYaml()), a.sha256());
  }
}
