package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths that name lineages and stages ({@code lineages[beta].stages[distil].epochs}) in --set, --sweep and sweep:
 * mean the element of that name wherever it stands, so inserting a stage does not change what a sweep varies.
 */
class NamedPathTest {
  static final String FILE = """
      name: named
      lineages:
        - name: alpha
          generations: 1
          stages:
            - { kind: generate, samples: 100, name: gen }
            - { kind: train, method: distill_token, name: distil, temperature: 1 }
        - name: beta
          generations: 1
          stages:
            - { kind: generate, samples: 100 }
            - { kind: train, method: sft, name: distil }
      sweep:
        lineages[alpha].stages[distil].temperature: [1, 2]
      """;

  static TrainStage train(Scenario s, int lineage) {
    return (TrainStage) s.lineages().get(lineage).stages().get(1);
  }

  @Test
  void namesResolveInSetSweepAndTheFilesSweep() {
    LoadedScenario l = ScenarioLoader.parse(FILE, "named.yaml", List.of("lineages[beta].stages[distil].epochs=3",
        "lineages[alpha].generations=4"), List.of("lineages[beta].stages[0].samples=5,6"));
    assertEquals(3, train(l.scenario(), 1).epochs());
    assertEquals(null, train(l.scenario(), 0).epochs());
    assertEquals(4, l.scenario().lineages().get(0).generations());
    // the sweep stores each path in index form (its param.* column; two spellings of one field are one dimension)
    assertEquals(List.of("lineages[0].stages[1].temperature", "lineages[1].stages[0].samples"),
        l.sweep().dimensions().stream().map(Sweep.Dimension::path).toList());
    Scenario p3 = ScenarioLoader.point(l, 3).scenario(); // temperature 2, samples 6
    assertEquals(2.0, train(p3, 0).temperature());
    assertEquals(6, ((GenerateStage) p3.lineages().get(1).stages().get(0)).samples());
  }

  @Test
  void aNamedPathFollowsItsStageWhenAStageIsInserted() {
    String inserted = FILE.replace("{ kind: generate, samples: 100, name: gen }\n",
        "{ kind: generate, samples: 100, name: gen }\n      - { kind: filter, keepFraction: 0.5 }\n");
    Scenario s = ScenarioLoader.parse(inserted, "named.yaml", List.of("lineages[alpha].stages[distil].lr=0.5"))
        .scenario();
    assertEquals(0.5, ((TrainStage) s.lineages().get(0).stages().get(2)).lr());
  }

  @Test
  void unknownAndDuplicateNamesAreProblemsAtTheirPlace() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(FILE, "named.yaml",
        List.of("lineages[gamma].generations=2", "lineages[alpha].stages[distill].lr=0.1")));
    assertEquals(List.of(
        "--set lineages[alpha].stages[distill].lr=0.1: lineages[0].stages: expected the name of an element of "
            + "lineages[0].stages (gen, distil) or an index, found \"distill\" (did you mean \"distil\"?)",
        "--set lineages[gamma].generations=2: lineages: expected the name of an element of lineages (alpha, beta) "
            + "or an index, found \"gamma\""),
        e.problems().stream().map(Problem::toString).sorted().toList());
    ScenarioException dup = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(
        FILE.replace("name: gen", "name: distil"), "named.yaml", List.of()));
    assertEquals(List.of("named.yaml:7:53: lineages[0].stages[1].name: expected a name no other stage of this "
        + "lineage has, found \"distil\", the name of lineages[0].stages[0] too", "named.yaml:14:3: "
        + "lineages[0].stages: expected one element named \"distil\" in lineages[0].stages, found two: [0] and [1]; "
        + "give them distinct names or use an index"),
        dup.problems().stream().map(Problem::toString).toList());
  }

  @Test
  void aCounterfactualDropsAStageByName() {
    LoadedScenario l = ScenarioLoader.parse(FILE, "named.yaml", List.of(), List.of(),
        List.of("drop=lineages[beta].stages[distil]"));
    Counterfactual cf = l.counterfactuals().get(0);
    assertEquals("drop-beta-s1-train", cf.name());
    assertEquals(List.of("lineages[1].stages[1].until"),
        cf.assignments().stream().map(Counterfactual.Assignment::path).toList());
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(FILE, "named.yaml",
        List.of(), List.of(), List.of("drop=lineages[beta].stages[distill]")));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).toString().contains("(did you mean \"distil\"?)"), e.problems().toString());
  }
}
