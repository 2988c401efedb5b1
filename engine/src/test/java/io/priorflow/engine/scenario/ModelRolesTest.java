package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.TokenModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named models and per-role references: parsing, the resolved scenario, the config mapping, and every new error. */
class ModelRolesTest {
  static final String ROLES = """
      name: roles
      model: { context: 4, embedDim: 8, hidden: [32] }
      models:
        small: { context: 4, embedDim: 8, hidden: [16] }
        big: { family: mlp, context: 6, embedDim: 12, hidden: [64, 32], activation: relu }
        gpt: { family: transformer, context: 64, width: 64, layers: 2, heads: 4, mlpWidth: 256 }
      actors:
        critics: { model: big, constitution: { rules: [ { trait: toxic } ], model: gpt } }
        redTeamers: { model: small }
      lineages:
        - name: a
          model: small
          base: { model: gpt, pretrainExamples: 100, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: label, by: critic, task: prefer, sample: 5 }
            - { kind: train, method: reward_model, model: big }
            - { kind: train, method: distill_token, init: scratch }
        - name: b
          stages:
            - { kind: generate, samples: 10 }
            - { kind: train, method: sft, init: teacher }
      """;

  private static Scenario parse(String text) {
    return ScenarioLoader.parse(text, "r.yaml", List.of()).scenario();
  }

  private static String problems(String text) {
    return assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(text, "r.yaml", List.of()))
        .getMessage();
  }

  @Test
  void eachRoleGetsTheModelItNamesAndTheShorthandOtherwise() {
    Scenario s = parse(ROLES);
    LineageSpec a = s.lineages().get(0), b = s.lineages().get(1);
    assertEquals(List.of(16), ModelRoles.student(s, a).hidden());
    assertEquals(TokenModelConfig.Family.TRANSFORMER, ModelRoles.base(s, a).family());
    assertEquals(List.of(64, 32), ModelRoles.critic(s).hidden());
    assertEquals(TokenModelConfig.Family.TRANSFORMER, ModelRoles.constitution(s).family());
    assertEquals(List.of(16), ModelRoles.redTeam(s).hidden());
    assertEquals(List.of(64, 32), ModelRoles.rewardModel(s, (TrainStage) a.stages().get(2)).hidden());
    assertEquals(s.model(), ModelRoles.student(s, b));
    assertEquals(s.model(), ModelRoles.base(s, b));
  }

  @Test
  void aTransformerSpecStartsFromTheTransformerDefaultsAndMapsToItsConfig() {
    Scenario s = parse("models:\n  t: { family: transformer, width: 32, heads: 2 }\n");
    ModelSpec t = s.models().get("t");
    assertEquals(ModelSpec.transformer(64, 32, 2, 2, 256), t);
    TokenModelConfig c = t.toConfig(77, 0);
    assertEquals(TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 77, 64, 32, 2, 2, 256, 0), c);
    assertEquals(TokenModelConfig.Family.TRANSFORMER, c.family());
    assertEquals(2, c.heads());
    assertEquals(List.of(256, 256), c.hidden());
    TokenModelConfig mlp = ModelSpec.defaults().toConfig(77, 0);
    assertEquals(TokenModelConfig.defaults(77, 0), mlp);
  }

  @Test
  void theResolvedScenarioWritesEachFamilysFieldsOnlyAndLoadsAgain() {
    LoadedScenario l = ScenarioLoader.parse(ROLES, "r.yaml", List.of());
    String yaml = l.resolvedYaml();
    assertTrue(yaml.contains("gpt:\n    family: transformer\n    context: 64\n    width: 64\n    layers: 2\n"
        + "    heads: 4\n    mlpWidth: 256\n"), yaml);
    LoadedScenario again = ScenarioLoader.parse(yaml, "scenario.yaml", List.of());
    assertEquals(l.scenario(), again.scenario());
    assertEquals(yaml, again.resolvedYaml());
  }

  @Test
  void theShorthandAloneResolvesAsBefore() {
    String yaml = ScenarioLoader.parse("model: { context: 4 }\n", "r.yaml", List.of()).resolvedYaml();
    assertTrue(yaml.contains("\nmodel:\n  context: 4\n  embedDim: 24\n  hidden:\n"), yaml);
    assertTrue(yaml.contains("  activation: gelu\ntraining:\n"), yaml);
    assertFalse(yaml.contains("family") || yaml.contains("models") || yaml.contains("width"), yaml);
  }

  @Test
  void aReferenceToAModelThatIsNotThereNamesTheModels() {
    assertEquals("r.yaml:5:12: lineages[0].model: expected one of small, gpt, found \"smal\" (did you mean "
        + "\"small\"?)", problems("""
        models:
          small: { context: 4, embedDim: 8, hidden: [16] }
          gpt: { family: transformer }
        lineages:
          - model: smal
            stages: [ { kind: train } ]
        """));
    assertEquals("r.yaml:1:39: actors.critics.model: expected the name of an entry of models (this scenario has "
        + "none; add models: { big: { ... } }), found \"big\"", problems("actors: { critics: { count: 1, model: big } }\n"));
  }

  @Test
  void fieldsOfTheOtherFamilyAreErrors() {
    assertEquals(String.join("\n",
        "r.yaml:2:29: models.t.hidden: expected no hidden with family transformer (hidden sizes an mlp; a "
            + "transformer has context, width, layers, heads, mlpWidth), found [64]",
        "r.yaml:3:21: models.m.heads: expected no heads with family mlp (heads sizes a transformer; an mlp has "
            + "context, embedDim, hidden, activation), found 4"), problems("""
        models:
          t: { family: transformer, hidden: [64] }
          m: { family: mlp, heads: 4 }
        """));
    assertEquals("r.yaml:1:31: model.activation: expected no activation with family transformer (activation sizes "
        + "an mlp; a transformer has context, width, layers, heads, mlpWidth), found tanh",
        problems("model: { family: transformer, activation: tanh }\n"));
  }

  @Test
  void aTransformersWidthMustBeAMultipleOfItsHeadsAndFieldsHaveRanges() {
    assertEquals("r.yaml:1:49: model.heads: expected a divisor of width 64 (each head reads width / heads "
        + "dimensions), found 5", problems("model: { family: transformer, width: 64, heads: 5 }\n"));
    assertEquals("r.yaml:2:37: models.t.layers: expected an integer in [1, 16] or null, found 17",
        problems("models:\n  t: { family: transformer, layers: 17 }\n"));
    assertEquals("r.yaml:2:3: models.Big: expected a model name of 1 to 64 characters of [a-z0-9_-], starting with "
        + "a letter or digit, found \"Big\"", problems("models:\n  Big: { context: 4 }\n"));
  }

  static final String GAP = """
      models:
        small: { context: 4, embedDim: 8, hidden: [16] }
        big: { context: 4, embedDim: 8, hidden: [64] }
      lineages:
        - model: small
          base: { model: big }
          stages:
            - { kind: generate }
            - STAGE
      """;

  @Test
  void aStudentCopiedFromATeacherOfAnotherShapeIsAnError() {
    assertEquals("r.yaml:9:43: lineages[0].stages[1].init: expected scratch: init teacher copies the teacher into "
        + "a student of another architecture, lineages[0].model \"small\" (mlp context 4, embedDim 8, hidden [16], "
        + "gelu) and lineages[0].base.model \"big\" (mlp context 4, embedDim 8, hidden [64], gelu); use init: "
        + "scratch, or give both one model",
        problems(GAP.replace("STAGE", "{ kind: train, method: sft, init: teacher }")));
    assertEquals("r.yaml:9:32: lineages[0].stages[1].method: expected one architecture for the students and the "
        + "base with method lora (the adapter trains on the teacher, whose size its student keeps), found "
        + "lineages[0].model \"small\" (mlp context 4, embedDim 8, hidden [16], gelu) and lineages[0].base.model "
        + "\"big\" (mlp context 4, embedDim 8, hidden [64], gelu)",
        problems(GAP.replace("STAGE", "{ kind: train, method: lora, init: teacher }")));
  }

  @Test
  void distillationAcrossSizesAndFamiliesIsFine() {
    parse(GAP.replace("STAGE", "{ kind: train, method: distill_token, init: scratch }"));
    parse(GAP.replace("STAGE", "{ kind: train, method: distill_sequence }")
        .replace("big: { context: 4, embedDim: 8, hidden: [64] }", "big: { family: transformer }"));
    parse(GAP.replace("STAGE", "{ kind: train, method: sft, init: teacher }").replace("model: small", "model: big"));
  }

  @Test
  void onlyARewardModelStageNamesAModelAndWithInitTeacherItMustBeTheTeachers() {
    String pairs = GAP.replace("STAGE", "{ kind: label, by: critic, task: prefer }\n      - RM\n"
        + "      - { kind: train, method: sft }");
    assertEquals("r.yaml:10:44: lineages[0].stages[2].model: expected no model with method sft (a lineage's "
        + "students have lineages[0].model; only reward_model trains a model of its own), found \"big\"",
        problems(pairs.replace("RM", "{ kind: train, method: sft, model: big }")));
    assertEquals("r.yaml:10:68: lineages[0].stages[2].model: expected the teacher's model with init teacher (the "
        + "reward model takes the teacher's body), found \"big\" (mlp context 4, embedDim 8, hidden [64], gelu) "
        + "beside lineages[0].model \"small\" (mlp context 4, embedDim 8, hidden [16], gelu) and "
        + "lineages[0].base.model \"big\" (mlp context 4, embedDim 8, hidden [64], gelu); use init: scratch, or "
        + "leave model out", problems(pairs.replace("RM", "{ kind: train, method: reward_model, init: teacher, "
        + "model: big }")));
    parse(pairs.replace("RM", "{ kind: train, method: reward_model, model: big }"));
  }
}
