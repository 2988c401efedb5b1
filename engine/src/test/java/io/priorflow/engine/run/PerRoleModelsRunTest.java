package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.Architecture;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLPs of different sizes in different roles, end to end: two lineages with different bases (each pretrained once),
 * small students of a big teacher, a critic and a reward model of their own sizes. The model files really have the
 * sizes the scenario gives, lineage.json says so, and a re-run is byte-identical.
 */
class PerRoleModelsRunTest {
  static final String SCENARIO = """
      name: roles
      seed: 17
      model: { context: 4, embedDim: 8, hidden: [32] }
      models:
        big: { family: mlp, context: 6, embedDim: 12, hidden: [64, 48] }
        small: { context: 3, embedDim: 6, hidden: [16] }
        critic: { context: 5, embedDim: 4, hidden: [24], activation: tanh }
        rm: { context: 4, embedDim: 10, hidden: [40] }
      training: { lr: 0.02, batchSize: 32, epochs: 1 }
      actors:
        critics: { count: 1, temperature: 0.3, model: critic }
      lineages:
        - name: gap
          model: small
          generations: 2
          base: { model: big, pretrainExamples: 500, epochs: 1 }
          stages:
            - { kind: generate, samples: 80 }
            - { kind: label, by: critic, task: prefer, sample: 40 }
            - { kind: train, method: reward_model, model: rm }
            - { kind: train, method: distill_token, init: scratch }
        - name: control
          model: small
          generations: 1
          base: { model: small, pretrainExamples: 500, epochs: 1 }
          stages:
            - { kind: generate, samples: 80 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: train, method: sft, init: teacher }
        - name: shared
          generations: 1
          base: { model: big, pretrainExamples: 500, epochs: 1 }
          stages:
            - { kind: generate, samples: 80 }
            - { kind: train, method: distill_sequence }
      evaluation: { prompts: 20, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  private static TokenModel model(Path run, String id) throws Exception {
    return ModelFile.read(run.resolve("models").resolve(id + ".pfm"), id);
  }

  private static String row(MetricsTable t, String lineage, int generation) {
    return t.rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == generation)
        .map(MetricsRow::model).findFirst().orElseThrow();
  }

  @Test
  void eachRoleHasItsOwnSizeAndTheRunIsDeterministic() throws Exception {
    Path a = tmp.resolve("a");
    MetricsTable t = ScenarioRunTest.runInto(a, SCENARIO);
    ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO);
    ScenarioRunTest.assertSameFiles(a, tmp.resolve("b"), List.of("metrics.csv", "metrics.jsonl", "lineage.json"));

    // two distinct bases: gap and shared share the big one, control has the small one
    String bigBase = row(t, "gap", 0), smallBase = row(t, "control", 0);
    assertEquals(bigBase, row(t, "shared", 0), "one base per distinct (model, pretraining) pair");
    assertNotEquals(bigBase, smallBase);
    assertEquals(List.of(64, 48), model(a, bigBase).config().hidden());
    assertEquals(6, model(a, bigBase).config().context());
    assertEquals(List.of(16), model(a, smallBase).config().hidden());
    // small students of the big teacher; the control's init-teacher student keeps the small size
    TokenModelConfig student = model(a, row(t, "gap", 2)).config();
    assertEquals(3, student.context());
    assertEquals(6, student.embedDim());
    assertEquals(List.of(16), student.hidden());
    assertEquals(List.of(16), model(a, row(t, "control", 1)).config().hidden());
    // the shorthand sizes the lineage that names no model
    assertEquals(List.of(32), model(a, row(t, "shared", 1)).config().hidden());

    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(a.resolve("lineage.json")));
    Map<String, Architecture> byId = new java.util.TreeMap<>();
    for (var n : g.nodes()) {
      if (n instanceof ModelNode m) {
        assertTrue(m.architecture() != null, m.id() + " has no architecture in lineage.json");
        byId.put(m.modelId(), m.architecture());
        TokenModel file = model(a, m.modelId());
        assertEquals(file.parameterCount(), m.architecture().params(), m.id());
        assertEquals(file.config().hidden(), m.architecture().shape().get("hidden"), m.id());
      }
    }
    Architecture big = byId.get(bigBase);
    assertEquals("mlp", big.family());
    assertEquals("token", big.head());
    assertEquals(Map.of("activation", "gelu", "context", 6, "embedDim", 12, "hidden", List.of(64, 48)), big.shape());
    assertTrue(big.params() > 5 * byId.get(smallBase).params(), big + " vs " + byId.get(smallBase));
    // the critic and the reward model: scalar heads of their own sizes
    long critics = byId.values().stream().filter(x -> x.head().equals("scalar")
        && x.shape().equals(Map.of("activation", "tanh", "context", 5, "embedDim", 4, "hidden", List.of(24)))).count();
    long rewardModels = byId.values().stream().filter(x -> x.head().equals("scalar")
        && x.shape().get("hidden").equals(List.of(40))).count();
    assertEquals(1, critics, byId.toString());
    assertEquals(2, rewardModels, "one reward model per generation of gap: " + byId);

  }
}
