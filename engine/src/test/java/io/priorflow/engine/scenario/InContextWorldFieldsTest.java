package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.world.DocumentConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The world's in-context fields reach a scenario from a file and from --set, are validated, and round-trip. */
class InContextWorldFieldsTest {

  private static final String FILE = """
      name: icl
      world:
        knowledge: { heldOutEntities: 4 }
        documents: { factRecall: 0.5 }
      """;

  @Test
  void theFieldsLoadWithDefaultsForTheRestAndRoundTrip() {
    LoadedScenario l = ScenarioLoader.read(FILE.getBytes(StandardCharsets.UTF_8), "icl.yaml", List.of());
    assertEquals(4, l.scenario().world().knowledge().heldOutEntities());
    assertEquals(new DocumentConfig(0.5, 3, 0.5), l.scenario().world().documents());
    assertTrue(l.resolvedYaml().contains("heldOutEntities: 4"), l.resolvedYaml());
    assertTrue(l.resolvedYaml().contains("factRecall: 0.5"), l.resolvedYaml());
    assertEquals(l.scenario(), ScenarioLoader.parse(l.resolvedYaml(), "resolved", List.of()).scenario());
    LoadedScenario set = ScenarioLoader.read("name: x\n".getBytes(StandardCharsets.UTF_8), "x.yaml",
        List.of("world.documents.statements=5", "world.documents.factRecall=1"));
    assertEquals(new DocumentConfig(1, 5, 0.5), set.scenario().world().documents());
    LoadedScenario off = ScenarioLoader.read("name: x\n".getBytes(StandardCharsets.UTF_8), "x.yaml", List.of());
    assertFalse(off.resolvedYaml().contains("documents"), off.resolvedYaml());
    assertFalse(off.resolvedYaml().contains("heldOutEntities"), off.resolvedYaml());
  }

  @Test
  void badValuesAreReportedAtTheirLineAndColumn() {
    String bad = """
        name: icl
        world:
          knowledge: { heldOutEntities: 23 }
          documents: { factRecall: 1.5, statements: 9 }
        """;
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.read(bad.getBytes(StandardCharsets.UTF_8), "icl.yaml", List.of()));
    String m = e.getMessage();
    assertTrue(m.contains("icl.yaml:4:28: world.documents.factRecall: expected a number in [0, 1], found 1.5"), m);
    assertTrue(m.contains("icl.yaml:4:45: world.documents.statements: expected an integer in [1, 8], found 9"), m);
    assertTrue(m.contains("icl.yaml:3:33: world.knowledge.heldOutEntities: expected to leave at least 2 of the 24"
        + " entities trainable, found 23"), m);
  }

  @Test
  void sameEntityDocumentsAndEvaluationExamplesLoadRoundTripAndAreCheckedWhereWritten() {
    String file = """
        name: icl
        world:
          documents: { factRecall: 1, sameEntity: true }
        evaluation: { examples: 4, examplesTag: mid }
        """;
    LoadedScenario l = ScenarioLoader.read(file.getBytes(StandardCharsets.UTF_8), "icl.yaml", List.of());
    assertEquals(new DocumentConfig(1, 3, 0.5, true), l.scenario().world().documents());
    assertEquals(4, l.scenario().evaluation().exampleCount());
    assertEquals(GenerateStage.PromptTag.MID, l.scenario().evaluation().examplesTagOrDefault());
    assertTrue(l.resolvedYaml().contains("sameEntity: true"), l.resolvedYaml());
    assertEquals(l.scenario(), ScenarioLoader.parse(l.resolvedYaml(), "resolved", List.of()).scenario());
    // off: neither appears in a resolved scenario, and the examples' tag defaults to high
    LoadedScenario off = ScenarioLoader.read("name: x\nworld: { documents: { factRecall: 1 } }\n"
        .getBytes(StandardCharsets.UTF_8), "x.yaml", List.of());
    assertFalse(off.resolvedYaml().contains("sameEntity"), off.resolvedYaml());
    assertEquals(null, off.scenario().evaluation().examples());
    String evaluation = off.resolvedYaml().substring(off.resolvedYaml().indexOf("\nevaluation:"));
    assertFalse(evaluation.substring(0, evaluation.indexOf("\n", 1 + evaluation.indexOf("\n", 1)) + 1)
        .contains("examples"), evaluation);
    assertEquals(GenerateStage.PromptTag.HIGH, off.scenario().evaluation().examplesTagOrDefault());
    String bad = """
        name: icl
        world:
          documents: { factRecall: 1, statements: 4, sameEntity: true }
        evaluation: { examples: 65, examplesTag: best }
        """;
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.read(bad.getBytes(StandardCharsets.UTF_8), "icl.yaml", List.of()));
    String m = e.getMessage();
    assertTrue(m.contains("icl.yaml:3:43: world.documents.statements: expected at most attributes = 3 with "
        + "sameEntity (a document states each of its entity's facts once), found 4"), m);
    assertTrue(m.contains("icl.yaml:4:25: evaluation.examples: expected an integer in [0, 64] or null, found 65"), m);
    assertTrue(m.contains("icl.yaml:4:42: evaluation.examplesTag: expected one of none, low, mid, high or null, "
        + "found \"best\""), m);
  }
}
