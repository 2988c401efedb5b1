package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The counterfactuals section and --counterfactual: what each form sets, each counterfactual's scenario, the
 * resolved text that reproduces them, and every problem at its place; and the per-labeller fields they rest on.
 */
class CounterfactualTest {
  static final String FILE = """
      name: cf
      seed: 5
      actors:
        humans:
          count: 3
          biases: { polite: 0.1 }
          individuals:
            human-1: { biases: { verbose: 0.8 }, accuracy: 0.7 }
      lineages:
        - name: main
          generations: 2
          data: { freshFraction: 0.1 }
          stages:
            - { kind: generate, samples: 100 }
            - { kind: label, by: humans, sample: 100, task: prefer }
            - { kind: train, method: dpo, init: teacher }
      counterfactuals:
        - remove: human-1
        - neutralise: humans.biases
        - name: perfect
          set: { actors.humans.accuracy: 1 }
        - remove: fresh_data
      """;

  private static LoadedScenario load(String text, String... args) {
    return ScenarioLoader.parse(text, "s.yaml", List.of(), List.of(), List.of(args));
  }

  private static String problems(String text, String... args) {
    return assertThrows(ScenarioException.class, () -> load(text, args)).getMessage();
  }

  private static HumanSpec humans(LoadedScenario base, String counterfactual) {
    return ScenarioLoader.point(base, 0, counterfactual).scenario().actors().humans();
  }

  @Test
  void aLabellerOfThePoolTakesItsOwnFieldsAndThePoolsForTheRest() {
    HumanSpec h = load(FILE).scenario().actors().humans();
    assertEquals(Map.of("polite", 0.1), h.forLabeller(0).biases());
    assertEquals(0.9, h.forLabeller(0).accuracy());
    assertEquals(Map.of("verbose", 0.8), h.forLabeller(1).biases(), "its own map replaces the pool's");
    assertEquals(0.7, h.forLabeller(1).accuracy());
    assertEquals(h.secondsPerLabel(), h.forLabeller(1).secondsPerLabel());
    assertEquals(null, h.forLabeller(1).individuals(), "what a work item carries has no individuals");
    assertFalse(h.absent(1));
  }

  @Test
  void eachFormSetsTheFieldsItSays() {
    LoadedScenario base = load(FILE);
    assertEquals(List.of("without-human-1", "neutral-humans.biases", "perfect", "without-fresh_data"),
        base.counterfactuals().stream().map(Counterfactual::name).toList());
    assertEquals(List.of("remove human-1", "neutralise humans.biases", "set actors.humans.accuracy=1",
        "remove fresh_data"), base.counterfactuals().stream().map(Counterfactual::description).toList());
    assertTrue(humans(base, "without-human-1").absent(1));
    assertFalse(humans(base, "without-human-1").absent(0));
    assertEquals(0.7, humans(base, "without-human-1").forLabeller(1).accuracy(), "only absence changes");
    HumanSpec neutral = humans(base, "neutral-humans.biases");
    assertEquals(Map.of(), neutral.forLabeller(0).biases());
    assertEquals(Map.of(), neutral.forLabeller(1).biases(), "a labeller's own biases go too");
    assertEquals(0.7, neutral.forLabeller(1).accuracy());
    assertEquals(1.0, humans(base, "perfect").accuracy());
    assertEquals(0.0, ScenarioLoader.point(base, 0, "without-fresh_data").scenario().lineages().get(0).data()
        .freshFraction());
    assertEquals(base.scenario().lineages(), ScenarioLoader.point(base, 0, "perfect").scenario().lineages());
  }

  @Test
  void theFactualScenarioIsTheFileWithoutTheSection() {
    LoadedScenario base = load(FILE);
    LoadedScenario factual = ScenarioLoader.point(base, 0, Counterfactual.FACTUAL);
    LoadedScenario without = load(FILE.substring(0, FILE.indexOf("counterfactuals:")));
    assertEquals(without.scenario(), factual.scenario());
    assertEquals(without.resolvedYaml(), factual.resolvedYaml(), "same text, so the same lineage hash");
    assertTrue(factual.counterfactuals().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.point(base, 0, "nope"));
  }

  @Test
  void theResolvedScenarioReproducesTheCounterfactuals() {
    LoadedScenario base = load(FILE, "honest:neutralise=human-1.biases");
    LoadedScenario again = ScenarioLoader.parse(base.resolvedYaml(), "resolved", List.of());
    assertEquals(base.counterfactuals(), again.counterfactuals());
    assertEquals(base.resolvedYaml(), again.resolvedYaml());
    for (Counterfactual c : base.counterfactuals()) {
      assertEquals(ScenarioLoader.point(base, 0, c.name()).scenario(),
          ScenarioLoader.point(again, 0, c.name()).scenario(), c.name());
    }
    assertEquals(Map.of(), humans(base, "honest").forLabeller(1).biases());
    assertEquals(Map.of("polite", 0.1), humans(base, "honest").forLabeller(0).biases());
  }

  @Test
  void argumentsAddCounterfactualsInEveryForm() {
    LoadedScenario base = load(FILE.substring(0, FILE.indexOf("counterfactuals:")), "remove=human-2",
        "calm:set=actors.humans.fatiguePerHour=0", "neutralise=critic.temperature");
    assertEquals(List.of("without-human-2", "calm", "neutral-critic.temperature"),
        base.counterfactuals().stream().map(Counterfactual::name).toList());
    assertTrue(humans(base, "without-human-2").absent(2));
    assertEquals(0.0, humans(base, "calm").fatiguePerHour());
    assertEquals(0.0, ScenarioLoader.point(base, 0, "neutral-critic.temperature").scenario().actors().critics()
        .temperature());
  }

  @Test
  void badInterventionsAreReportedAtTheirPlace() {
    String unknown = problems(FILE.replace("remove: human-1", "remove: critics"));
    assertTrue(unknown.contains("s.yaml:18:13") && unknown.contains("expected a target (human-<i>, critic, "
        + "red_teamers, fresh_data)") && unknown.contains("did you mean \"critic\""), unknown);
    String outOfPool = problems(FILE.replace("remove: human-1", "remove: human-3"));
    assertTrue(outOfPool.contains("s.yaml:18:13") && outOfPool.contains("human-0 … human-2"), outOfPool);
    String two = problems(FILE.replace("- remove: human-1", "- { remove: human-1, neutralise: humans.biases }"));
    assertTrue(two.contains("exactly one of remove, neutralise, drop, set, found remove and neutralise"), two);
    String noName = problems(FILE.replace("name: perfect\n", "description: x\n"));
    assertTrue(noName.contains("expected a name: for a set intervention"), noName);
    String badValue = problems(FILE.replace("actors.humans.accuracy: 1", "actors.humans.accuracy: 2"));
    assertTrue(badValue.contains("s.yaml:21:") && badValue.contains("in counterfactual perfect"), badValue);
    String badPath = problems(FILE.replace("actors.humans.accuracy: 1", "actors.human.accuracy: 1"));
    assertTrue(badPath.contains("s.yaml:21:") && badPath.contains("unknown key"), badPath);
    String twice = problems(FILE, "remove=human-1");
    assertTrue(twice.contains("distinct counterfactual names") && twice.contains("--counterfactual remove=human-1"),
        twice);
    String arg = problems(FILE, "keep=stage");
    assertTrue(arg.contains("--counterfactual keep=stage") && arg.contains("[NAME:]remove=TARGET"), arg);
    String noFresh = problems(FILE.replace("freshFraction: 0.1", "freshFraction: 0"));
    assertTrue(noFresh.contains("no lineage draws fresh world data"), noFresh);
    String unknownKey = problems(FILE.replace("- remove: fresh_data", "- removes: fresh_data"));
    assertTrue(unknownKey.contains("unknown key (did you mean \"remove\"?)"), unknownKey);
  }

  @Test
  void individualsMustBeLabellersOfThePoolWithTraitsOfTheWorld() {
    String e = problems(FILE.replace("human-1: {", "human-5: {"));
    assertTrue(e.contains("actors.humans.individuals.human-5") && e.contains("human-0 … human-2"), e);
    String trait = problems(FILE.replace("verbose: 0.8", "verbos: 0.8"));
    assertTrue(trait.contains("actors.humans.individuals.human-1.biases.verbos") && trait.contains("verbose"), trait);
    String range = problems(FILE.replace("accuracy: 0.7", "accuracy: 1.5"));
    assertTrue(range.contains("actors.humans.individuals.human-1.accuracy"), range);
  }

  @Test
  void shapleyPlayersAddEveryCombinationOnce() {
    String file = FILE + "shapley: [without-human-1, {remove: human-2}, {name: calm, set: {actors.humans.fatiguePerHour: 0}}]\n";
    LoadedScenario base = load(file);
    assertEquals(List.of("without-human-1", "without-human-2", "calm"), base.shapley());
    List<String> names = base.counterfactuals().stream().map(Counterfactual::name).toList();
    assertEquals(List.of("without-human-1", "neutral-humans.biases", "perfect", "without-fresh_data",
        "without-human-2", "without-human-1__without-human-2", "calm", "without-human-1__calm",
        "without-human-2__calm", "without-human-1__without-human-2__calm"), names);
    HumanSpec all = humans(base, "without-human-1__without-human-2__calm");
    assertTrue(all.absent(1) && all.absent(2) && !all.absent(0));
    assertEquals(0.0, all.fatiguePerHour());
    LoadedScenario again = ScenarioLoader.parse(base.resolvedYaml(), "resolved", List.of());
    assertEquals(base.counterfactuals(), again.counterfactuals());
    assertEquals(base.shapley(), again.shapley());
    assertEquals(base.resolvedYaml(), again.resolvedYaml());
    assertFalse(ScenarioLoader.point(base, 0, null).resolvedYaml().contains("shapley"),
        "the factual scenario drops both sections");
    assertEquals(ScenarioLoader.point(load(FILE), 0, null).resolvedYaml(),
        ScenarioLoader.point(base, 0, null).resolvedYaml());
  }

  @Test
  void badShapleySectionsAreReported() {
    String one = problems(FILE + "shapley: [without-human-1]\n");
    assertTrue(one.contains("expected a list of 2 to 6 players"), one);
    String unknown = problems(FILE + "shapley: [without-human-1, nobody]\n");
    assertTrue(unknown.contains("s.yaml:23:") && unknown.contains("expected the name of a counterfactual"), unknown);
    String clash = problems(FILE + "shapley: [perfect, {name: sloppy, set: {actors.humans.accuracy: 0.5}}]\n");
    assertTrue(clash.contains("players that set different fields"), clash);
  }

  static final String AI = """
      name: ai
      seed: 5
      lineages:
        - name: rlaif
          generations: 2
          stages:
            - { kind: generate, samples: 100 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: label, by: critic, sample: 50, task: prefer }
            - { kind: train, method: dpo, init: teacher }
        - name: mixed
          generations: 2
          stages:
            - { kind: generate, samples: 100 }
            - { kind: label, by: humans, sample: 50, task: rate, assisted: true }
            - { kind: redteam, trait: toxic }
            - { kind: train, method: sft, init: teacher }
      """;

  @Test
  void removingTheCriticSwitchesOffWhatItDoesAndWhatHadOnlyItsData() {
    LoadedScenario base = load(AI, "remove=critic", "remove=red_teamers", "drop=lineages[1].stages[2]");
    var without = ScenarioLoader.point(base, 0, "without-critic").scenario().lineages();
    assertEquals(java.util.Arrays.asList(null, 0, 0, 0), without.get(0).stages().stream().map(StageSpec::until)
        .toList(), "filter and label by the critic off, and dpo, which had only the critic's pairs");
    assertFalse(((LabelStage) without.get(1).stages().get(1)).assisted(), "no pre-labels without the critic");
    assertEquals(0, ScenarioLoader.point(base, 0, "without-red_teamers").scenario().lineages().get(1).stages()
        .get(2).until());
    Counterfactual drop = base.counterfactuals().get(2);
    assertEquals("drop-mixed-s2-redteam", drop.name());
    assertEquals("drop lineages[1].stages[2]", drop.description());
    assertEquals(ScenarioLoader.point(base, 0, "without-red_teamers").scenario(),
        ScenarioLoader.point(base, 0, drop.name()).scenario());
  }

  @Test
  void whatCannotDoWithoutTheCriticIsAnError() {
    String rlhf = AI.replace("- { kind: train, method: dpo, init: teacher }",
        "- { kind: train, method: rlhf, init: teacher }");
    String e = problems(rlhf, "remove=critic");
    assertTrue(e.contains("--counterfactual remove=critic") && e.contains("lineages[0].stages[3] (rlhf) rewarded by it"),
        e);
    String none = problems(AI.replace("by: critic", "by: gold").replace("{ kind: label, by: gold, sample: 50, task: "
        + "prefer }", "{ kind: label, by: humans, sample: 50, task: prefer }").replace("assisted: true", "assisted: "
        + "false"), "remove=critic");
    assertTrue(none.contains("expected a stage that uses the critic"), none);
    String stage = problems(AI, "drop=lineages[0].stages[9]");
    assertTrue(stage.contains("expected a stage of the scenario"), stage);
    String orphan = problems(AI, "drop=lineages[0].stages[2]");
    assertTrue(orphan.contains("in counterfactual drop-rlaif-s2-label") && orphan.contains("where dpo runs"), orphan);
  }
}
