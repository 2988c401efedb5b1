package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages that name another lineage's model ({@code teacher:}, {@code reference:}): the model each stage used is the
 * one named — read back from the data's provenance and the lineage graph, against the model ids of metrics.csv.
 */
class ModelRefRunTest {
  static final String SCENARIO = """
      name: model-refs
      seed: 11
      model: { context: 4, embedDim: 8, hidden: [16] }
      models:
        strong: { context: 4, embedDim: 8, hidden: [48] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      lineages:
        - name: strong
          generations: 2
          base: { model: strong, pretrainExamples: 400, epochs: 1 }
          model: strong
          stages:
            - { kind: generate, samples: 30 }
            - { kind: train, method: sft }
        - name: weak
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 30, teacher: strong@same }
            - { kind: train, method: sft }
        - name: pref
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: label, by: critic, sample: 12, task: prefer }
            - { kind: train, method: dpo, teacher: strong@1, reference: base }
      evaluation: { prompts: 8, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void eachStageUsesTheModelItNames() throws Exception {
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("a"), SCENARIO, true);
    List<String> strong = models(t, "strong"), weak = models(t, "weak"), pref = models(t, "pref");
    assertEquals(3, strong.size());
    assertNotEquals(strong.get(1), strong.get(2));

    // weak's generate stage: generation g's data come from strong's generation g, not from weak's own teacher
    for (int g = 1; g <= 2; g++) {
      List<JsonNode> data = provenance(tmp.resolve("a"), "weak/g" + g + "/new");
      assertEquals(30, data.size());
      for (JsonNode d : data) {
        assertEquals(strong.get(g), d.get("model").asText(), "weak g" + g + " datum " + d.get("id"));
      }
    }

    // pref's dpo: starts from strong's generation 1 in both generations, keeps close to pref's own base
    LineageGraph graph = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("a/lineage.json")));
    for (int g = 1; g <= 2; g++) {
      ModelNode m = graph.model(pref.get(g));
      assertEquals(strong.get(1), m.training().init(), "pref g" + g + " starts from strong@1");
      String params = m.training().trainer().config().get("params");
      assertTrue(params.contains("referenceModelId=" + pref.get(0)), params);
      assertTrue(!params.contains("referenceModelId=" + strong.get(1)), params);
    }
    // naming a lineage changes nothing in it: strong is the same whether or not weak asks it
    assertEquals(models(ScenarioRunTest.runInto(tmp.resolve("b"), SCENARIO.replace(", teacher: strong@same", "")),
        "strong"), strong);
  }

  @Test
  void winRateAgainstAnotherLineagesModelIsMeasuredByTheLineagesAfterIt() throws Exception {
    // twin trains nothing (its train stage is switched off), so its model is its base: weak's base, shared
    MetricsTable t = ScenarioRunTest.runInto(tmp.resolve("w"), """
        name: winrate-model
        seed: 12
        model: { context: 4, embedDim: 8, hidden: [16] }
        training: { lr: 0.02, batchSize: 16, epochs: 1 }
        lineages:
          - name: weak
            generations: 1
            base: { pretrainExamples: 300, epochs: 1 }
            stages:
              - { kind: generate, samples: 30 }
              - { kind: train, method: sft }
          - name: twin
            generations: 1
            base: { pretrainExamples: 300, epochs: 1 }
            stages:
              - { kind: generate, samples: 30 }
              - { kind: train, method: sft, until: 0 }
        evaluation: { prompts: 8, samplesPerPrompt: 2, winRateAgainstModel: weak@0 }
        """);
    List<String> weak = models(t, "weak"), twin = models(t, "twin");
    assertEquals(weak.get(0), twin.get(1)); // the same model on both sides: every pair ties
    assertEquals(0.5, ScenarioRunTest.lastMetrics(t, "twin").get("winrate"));
    // weak names itself, so it measures nothing
    assertTrue(t.rows().stream().filter(r -> r.lineage().equals("weak")).noneMatch(r -> r.metrics().containsKey(
        "winrate")));
  }

  /** The lineage's model id per generation, 0 (its base) first. */
  static List<String> models(MetricsTable t, String lineage) {
    return t.rows().stream().filter(r -> r.lineage().equals(lineage) && r.replicate() == 0).map(MetricsRow::model)
        .toList();
  }

  static List<JsonNode> provenance(Path run, String dataset) throws Exception {
    ObjectMapper json = new ObjectMapper();
    return Files.readAllLines(run.resolve("provenance/" + dataset + ".jsonl")).stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }
}
