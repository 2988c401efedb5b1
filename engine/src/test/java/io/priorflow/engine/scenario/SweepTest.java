package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sweep section and --sweep: the grid, each point's scenario, and every problem at its place. */
class SweepTest {
  static final String FILE = """
      name: swept
      seed: 5
      actors:
        critics: { temperature: 0.2 }
      lineages:
        - name: main
          generations: 2
          data: { policy: replace }
          stages:
            - { kind: generate, samples: 100 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: train }
      sweep:
        actors.critics.temperature: [0.0, 0.50, 1]
        lineages[0].data.freshFraction: [0, 0.1]
      """;

  private static LoadedScenario load(String text, String... sweeps) {
    return ScenarioLoader.parse(text, "s.yaml", List.of(), List.of(sweeps));
  }

  private static String problems(String text, List<String> sets, String... sweeps) {
    return assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(text, "s.yaml", sets,
        List.of(sweeps))).getMessage();
  }

  @Test
  void theGridIsRowMajorWithTheValuesAsWritten() {
    Sweep s = load(FILE).sweep();
    assertEquals(List.of("actors.critics.temperature", "lineages[0].data.freshFraction"), s.paths());
    assertEquals(6, s.points());
    assertEquals(new TreeMap<>(Map.of("actors.critics.temperature", "0.0", "lineages[0].data.freshFraction", "0.1")),
        s.params(1));
    assertEquals(new TreeMap<>(Map.of("actors.critics.temperature", "0.50", "lineages[0].data.freshFraction", "0")),
        s.params(2));
    assertEquals(List.of("actors.critics.temperature=1", "lineages[0].data.freshFraction=0.1"), s.assignments(5));
    assertThrows(IllegalArgumentException.class, () -> s.params(6));
  }

  @Test
  void eachPointIsTheScenarioWithItsValuesSet() {
    LoadedScenario base = load(FILE);
    assertEquals(0.2, base.scenario().actors().critics().temperature(), "the base keeps its own values");
    for (int i = 0; i < base.sweep().points(); i++) {
      LoadedScenario p = ScenarioLoader.point(base, i);
      List<String> sets = new ArrayList<>();
      base.sweep().assignments(i).forEach(sets::add);
      LoadedScenario bySet = ScenarioLoader.parse(FILE.substring(0, FILE.indexOf("sweep:")), "s.yaml", sets);
      assertEquals(bySet.scenario(), p.scenario(), "point " + i);
      assertEquals(bySet.resolvedYaml(), p.resolvedYaml(), "point " + i);
      assertTrue(p.sweep().isEmpty());
    }
    assertEquals(1.0, ScenarioLoader.point(base, 4).scenario().actors().critics().temperature());
    assertEquals(0.1, ScenarioLoader.point(base, 5).scenario().lineages().get(0).data().freshFraction());
  }

  @Test
  void theResolvedScenarioCarriesTheSweepAndReproducesIt() {
    LoadedScenario base = load(FILE, "lineages[0].generations=1,3");
    assertTrue(base.resolvedYaml().endsWith("""
        sweep:
          "actors.critics.temperature": [0.0, 0.50, 1]
          "lineages[0].data.freshFraction": [0, 0.1]
          "lineages[0].generations": [1, 3]
        """), base.resolvedYaml());
    LoadedScenario again = load(base.resolvedYaml());
    assertEquals(base, again);
    for (int i = 0; i < base.sweep().points(); i++) {
      assertEquals(ScenarioLoader.point(base, i), ScenarioLoader.point(again, i));
    }
  }

  @Test
  void withoutASweepPointZeroIsTheScenarioItself() {
    LoadedScenario l = ScenarioLoader.parse("name: plain\n", "p.yaml", List.of());
    assertSame(l, ScenarioLoader.point(l, 0));
    assertEquals(1, l.sweep().points());
    assertEquals(Map.of(), l.sweep().params(0));
    assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.point(l, 1));
    assertTrue(!l.resolvedYaml().contains("sweep"));
  }

  @Test
  void aSweepArgumentReplacesTheFilesDimensionOrAddsOne() {
    assertEquals(12, load(FILE, "lineages[0].stages[0].samples=50,60").sweep().points());
    LoadedScenario hidden = load(FILE, "model.hidden=[32],[64, 64]");
    assertEquals(List.of("[32]", "[64,64]"), hidden.sweep().dimensions().get(2).values());
    assertEquals(List.of(64, 64), ScenarioLoader.point(hidden, 1).scenario().model().hidden());
    LoadedScenario l = load(FILE, "actors.critics.temperature=0.3", "description=a,'b, c'");
    Sweep s = l.sweep();
    assertEquals(List.of("actors.critics.temperature", "lineages[0].data.freshFraction", "description"), s.paths());
    assertEquals(List.of("0.3"), s.dimensions().get(0).values());
    assertEquals(List.of("a", "b, c"), s.dimensions().get(2).values());
    assertEquals("b, c", ScenarioLoader.point(l, 3).scenario().description());
    assertEquals(l, load(l.resolvedYaml()));
  }

  @Test
  void aBadValueIsReportedAtItsPlaceInTheSweep() {
    String bad = FILE.replace("[0, 0.1]", "[0, 1.5, 0.1]");
    String e = problems(bad, List.of());
    assertEquals("s.yaml:15:39: lineages[0].data.freshFraction: expected a number in [0, 1), found 1.5", e);
    String arg = problems(FILE, List.of(), "lineages[0].generations=2,0");
    assertTrue(arg.startsWith("--sweep lineages[0].generations=2,0: lineages[0].generations: expected an integer in "
        + "[1, 1000], found 0"), arg);
  }

  @Test
  void aCombinationThatBreaksARuleIsReportedAtTheSweptValue() {
    String e = problems(FILE.replace("[0, 0.1]", "[0]").replace("sweep:\n", "sweep:\n  lineages[0].data.policy: "
        + "[replace, subsample]\n"), List.of());
    assertEquals("s.yaml:8:5: lineages[0].data.subsampleSize: expected an integer in [1, 10000000] with policy "
        + "subsample, found nothing (with the sweep's lineages[0].data.policy=subsample, "
        + "actors.critics.temperature=0.0, lineages[0].data.freshFraction=0)", e.lines().findFirst().orElseThrow());
  }

  @Test
  void pathsMustNameFieldsOnceAndListsMustHoldDistinctValues() {
    String unknown = problems(FILE.replace("actors.critics.temperature:", "actors.critic.temperature:"), List.of());
    assertTrue(unknown.startsWith("s.yaml:14:3: actors.critic: unknown key (did you mean \"critics\"?)"), unknown);
    String twice = problems(FILE.replace("[0, 0.1]", "[0, 0.1, 0.10]"), List.of());
    assertTrue(twice.startsWith("s.yaml:15:44: lineages[0].data.freshFraction: expected each value once in a sweep, "
        + "found 0.10 again (as 0.1)"), twice);
    String empty = problems(FILE.replace("[0, 0.1]", "[]"), List.of());
    assertTrue(empty.contains("15:35: lineages[0].data.freshFraction: expected a non-empty list"), empty);
    String overlap = problems(FILE, List.of(), "lineages[0].data={policy: accumulate}");
    assertTrue(overlap.contains("expected a field or its parts swept, not both"), overlap);
    String notMap = problems("sweep: [1, 2]\n", List.of());
    assertTrue(notMap.startsWith("s.yaml:1:8: sweep: expected a mapping of field paths"), notMap);
    String arg = problems(FILE, List.of(), "name");
    assertTrue(arg.startsWith("--sweep name: expected PATH=V1,V2,..."), arg);
  }

  @Test
  void moreRunsThanTheBoundIsAClearError() {
    StringBuilder values = new StringBuilder();
    for (int i = 1; i <= 101; i++) values.append(i == 1 ? "" : ",").append(i);
    String e = problems(FILE, List.of(), "lineages[0].generations=" + values, "evaluation.prompts=" + values);
    assertTrue(e.contains("sweep: expected at most 10000 runs (sweep points × replicates), found 3 × 2 × 101 × 101 = "
        + "61206 points; sweep fewer values"), e);
  }

  @Test
  void problemsOfTheFileAndOfTheSweepComeTogether() {
    String e = problems(FILE.replace("seed: 5", "seed: x").replace("actors.critics.temperature:", "actors.nope:"),
        List.of());
    assertTrue(e.contains("seed:") && e.contains("actors.nope: unknown key"), e);
  }
}
