package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The columns MetricColumns foresees, feature by feature of its Javadoc table: each scenario below has one feature,
 * and the test names the exact columns, in order, that it adds after the first row's (here the one column "first").
 * Nothing here runs a scenario.
 */
class MetricColumnsTest {
  static final String HEAD = """
      name: columns
      seed: 1
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      """;
  static final String ACTORS = """
      actors:
        humans: { count: 3, individuals: { human-1: { absent: true } } }
        critics: { count: 1 }
        redTeamers: { count: 3, budget: 2 }
      """;
  static final String PARAMS = "params.trainable, params.full, optimizer.bytes, optimizer.bytes_full";

  static Scenario parse(String yaml) {
    return ScenarioLoader.parse(yaml, "columns.yaml", List.of()).scenario();
  }

  /**
   * A one-generation lineage with a generate stage, then {@code stages}, then a train stage (every lineage has one:
   * its parameter columns come last unless an earlier train stage added them).
   */
  static String lineage(String stages) {
    return HEAD + ACTORS + """
        lineages:
          - name: a
            generations: 1
            base: { pretrainExamples: 300, epochs: 1 }
            stages:
              - { kind: generate, samples: 40 }
        """ + stages + "      - { kind: train, method: sft, init: scratch }\n"
        + "evaluation: { prompts: 10, samplesPerPrompt: 1 }\n";
  }

  /** The columns added after "first", in order. */
  static List<String> added(Scenario s) {
    List<String> all = new ArrayList<>(MetricColumns.expected(s, List.of("first")));
    assertEquals("first", all.get(0), "the first row's columns come first");
    return all.subList(1, all.size());
  }

  /** The columns, then the final sft stage's parameter columns. */
  static List<String> thenParams(List<String> columns) {
    List<String> out = new ArrayList<>(columns);
    out.addAll(List.of(PARAMS.split(", ")));
    return out;
  }

  static void assertAdds(String columns, String stages) {
    String all = columns.contains(PARAMS) ? columns : columns.isEmpty() ? PARAMS : columns + ", " + PARAMS;
    List<String> expected = List.of(all.split(", "));
    assertEquals(expected, added(parse(lineage(stages))), stages);
  }

  @Test
  void aGenerateStageAndSftAddTheParameterColumnsOnly() {
    assertAdds("", "");
  }

  @Test
  void eachTrainMethodAddsTheParameterColumnsAndItsOwn() {
    assertAdds(PARAMS, "      - { kind: train, method: sft, init: scratch }\n");
    assertAdds(PARAMS, "      - { kind: train, method: distill_sequence, init: scratch }\n");
    assertAdds(PARAMS, "      - { kind: train, method: lora, init: teacher }\n");
    assertAdds(PARAMS + ", distill.kl", "      - { kind: train, method: distill_token, init: scratch }\n");
    assertAdds(PARAMS + ", gkd.divergence, gkd.on_policy", "      - { kind: train, method: gkd, init: scratch }\n");
    assertAdds("labels.gold_agreement.critic, ancestry.critic:critic, " + PARAMS + ", reward.train_agreement, "
        + "reward.heldout_pairs, reward.heldout_agreement, reward.proxy, dpo.accuracy, dpo.margin", """
              - { kind: label, by: critic, task: prefer, sample: 20 }
              - { kind: train, method: reward_model, init: teacher }
              - { kind: train, method: dpo, init: teacher }
        """);
    assertAdds("labels.gold_agreement.critic, ancestry.critic:critic, " + PARAMS + ", kto.accuracy, kto.margin, "
        + "kto.kl", """
              - { kind: label, by: critic, task: rate, sample: 20 }
              - { kind: train, method: kto, init: teacher }
        """);
    assertAdds(PARAMS + ", rlhf.proxy_reward, rlhf.gold_reward, rlhf.kl, ancestry.critic:critic",
        "      - { kind: train, method: rlhf, init: teacher }\n");
    assertAdds(PARAMS + ", rlhf.proxy_reward, rlhf.gold_reward, rlhf.kl, rlhf.value_loss, ancestry.critic:critic",
        "      - { kind: train, method: rlhf, init: teacher, algorithm: ppo, baseline: value }\n");
    assertAdds(PARAMS + ", best_of_n.reward_best, best_of_n.reward_mean, best_of_n.kl_bound, ancestry.critic:critic",
        "      - { kind: train, method: best_of_n, n: 3, prompts: 8 }\n");
  }

  /** online_dpo judged by the critic, or by the humans: every present labeller, however small the sample. */
  @Test
  void onlineDpoAddsItsJudgesColumns() {
    assertAdds(PARAMS + ", dpo.accuracy, dpo.margin, ancestry.critic:critic, labels.gold_agreement.critic",
        "      - { kind: train, method: online_dpo, init: teacher }\n");
    assertAdds(PARAMS + ", dpo.accuracy, dpo.margin, labels.seconds_per_label, labels.gold_agreement.humans, "
        + "labels.gold_agreement.human-0, ancestry.human:human-0, labels.gold_agreement.human-2, "
        + "ancestry.human:human-2", "      - { kind: train, method: online_dpo, init: teacher, by: humans, prompts: 1 }\n");
  }

  /** Humans label up to their sample's count (human-1 is absent); demonstrations are not judged against gold. */
  @Test
  void humanLabelsAddTheLabellersTheSampleReaches() {
    assertAdds("labels.seconds_per_label, labels.gold_agreement.humans, labels.gold_agreement.human-0, "
        + "ancestry.human:human-0", "      - { kind: label, by: humans, task: rate, sample: 1 }\n");
    assertAdds("labels.seconds_per_label, labels.gold_agreement.humans, labels.gold_agreement.human-0, "
        + "ancestry.human:human-0", "      - { kind: label, by: humans, task: correct, sample: 2 }\n");
    assertAdds("labels.seconds_per_label, labels.gold_agreement.humans, labels.gold_agreement.human-0, "
        + "ancestry.human:human-0, labels.gold_agreement.human-2, ancestry.human:human-2",
        "      - { kind: label, by: humans, task: rate, sample: 3 }\n");
    assertAdds("labels.seconds_per_label, ancestry.human:human-0, ancestry.human:human-2",
        "      - { kind: label, by: humans, task: demonstrate, sample: 30 }\n");
  }

  @Test
  void preferencesWithOverlapAddKappaAndAgreement() {
    String humans = "labels.seconds_per_label, labels.gold_agreement.humans, labels.gold_agreement.human-0, "
        + "ancestry.human:human-0, labels.gold_agreement.human-2, ancestry.human:human-2";
    assertAdds(humans + ", labels.kappa, labels.agreement",
        "      - { kind: label, by: humans, task: prefer, sample: 20, overlap: 0.5 }\n");
    assertAdds(humans, "      - { kind: label, by: humans, task: prefer, sample: 20 }\n");
    assertAdds(humans, "      - { kind: label, by: humans, task: rate, sample: 20 }\n");
  }

  @Test
  void assistedLabelsAddTheAnchoredErrorAndTheAssistant() {
    String humans = "labels.seconds_per_label, labels.gold_agreement.humans, labels.gold_agreement.human-0, "
        + "ancestry.human:human-0";
    assertAdds(humans + ", labels.anchored_error, labels.gold_agreement.critic, ancestry.critic:critic",
        "      - { kind: label, by: humans, task: rate, sample: 1, assisted: true }\n");
    assertAdds(humans + ", labels.anchored_error, labels.gold_agreement.assistant",
        "      - { kind: label, by: humans, task: rate, sample: 1, assisted: true, assistant: classifier }\n");
  }

  @Test
  void theCriticJudgingAddsItsSources() {
    assertAdds("labels.gold_agreement.critic, ancestry.critic:critic",
        "      - { kind: label, by: critic, task: rate, sample: 10 }\n");
    assertAdds("ancestry.critic:critic", "      - { kind: filter, by: critic, keepFraction: 0.5 }\n");
    assertAdds("ancestry.critic:gold", "      - { kind: filter, by: gold, keepFraction: 0.5 }\n");
    // with a constitution: each rule's classifier, labelled by annotators-<trait>, in the rules' order
    String constitution = lineage("""
              - { kind: filter, by: critic, keepFraction: 0.5 }
              - { kind: label, by: critic, task: prefer, sample: 10 }
        """).replace("  critics: { count: 1 }\n", """
          critics:
            constitution:
              rules: [ { trait: toxic, weight: 2, rule: forbids }, { trait: correct, weight: 1, rule: asks } ]
              trainingExamples: 300
        """);
    assertEquals(thenParams(List.of("ancestry.critic:annotators-toxic", "ancestry.critic:annotators-correct",
        "labels.gold_agreement.critic")), added(parse(constitution)));
  }

  /**
   * Human red teamers up to min(count, budget) = 2 of 3; an AI red team's trait classifier; either way the present
   * writers of better responses among the first min(humans, budget).
   */
  @Test
  void redTeamsAddTheirFindRateAndTheirSources() {
    // the writers of better responses: humans 0 and 1 reach the budget of 2, and human-1 is absent
    assertAdds("redteam.find_rate, labels.seconds_per_label, ancestry.human:red-team-0, ancestry.human:red-team-1, "
        + "ancestry.human:human-0", "      - { kind: redteam, trait: toxic, by: human }\n");
    assertAdds("redteam.find_rate, ancestry.critic:annotators-toxic, ancestry.human:human-0",
        "      - { kind: redteam, trait: toxic, by: ai }\n");
    String budget = lineage("      - { kind: redteam, trait: toxic, by: human }\n")
        .replace("redTeamers: { count: 3, budget: 2 }", "redTeamers: { count: 2, budget: 3 }");
    assertEquals(thenParams(List.of("redteam.find_rate", "labels.seconds_per_label", "ancestry.human:red-team-0",
        "ancestry.human:red-team-1", "ancestry.human:human-0", "ancestry.human:human-2")), added(parse(budget)));
  }

  @Test
  void aWinRateAddsItsColumn() {
    String s = lineage("").replace("samplesPerPrompt: 1 }", "samplesPerPrompt: 1, winRateAgainst: base }");
    assertEquals(thenParams(List.of("winrate")), added(parse(s)));
  }

  /** Changing facts: eight columns; with slices of two or more rates also fast and slow. */
  @Test
  void changingFactsAddTheirColumnsAndFastAndSlowWithTwoRates() {
    List<String> eight = List.of("knowledge.current_accuracy", "knowledge.stale_rate",
        "knowledge.current_accuracy_head", "knowledge.current_accuracy_torso", "knowledge.current_accuracy_tail",
        "knowledge.stale_rate_head", "knowledge.stale_rate_torso", "knowledge.stale_rate_tail");
    String world = "world:\n  knowledge: { changes: [ %s ] }\n";
    assertEquals(thenParams(eight), added(parse(lineage("").replace("training:", world.formatted(
        "{ share: 0.25, every: 2 }") + "training:"))));
    assertEquals(thenParams(eight), added(parse(lineage("").replace("training:", world.formatted(
        "{ share: 0.25, every: 2 }, { share: 0.25, every: 2, from: 1 }") + "training:"))), "one rate");
    List<String> twelve = new ArrayList<>(eight);
    twelve.addAll(List.of("knowledge.current_accuracy_fast", "knowledge.current_accuracy_slow",
        "knowledge.stale_rate_fast", "knowledge.stale_rate_slow"));
    assertEquals(thenParams(twelve), added(parse(lineage("").replace("training:", world.formatted(
        "{ share: 0.25, every: 1 }, { share: 0.25, every: 4, from: 1 }") + "training:"))));
  }

  /** Any one source of retrieval adds the three retrieval columns. */
  @Test
  void anySourceOfRetrievalAddsItsCosts() {
    String plain = lineage("").replace("actors:\n", "actors:\n  retrievers: { count: 1 }\n");
    String rag = "retrieval: { k: 1, rebuildEvery: 1 }";
    List<String> costs = List.of("cost.retrieval_queries", "cost.retrieval_usd", "time.retrieval_hours");
    assertEquals(thenParams(List.of()), added(parse(plain)));
    assertEquals(false, MetricColumns.retrieves(parse(plain)));
    List<String> sources = List.of(
        plain.replace("samplesPerPrompt: 1 }", "samplesPerPrompt: 1, " + rag + " }"),
        plain.replace("critics: { count: 1 }", "critics: { count: 1, " + rag + " }"),
        plain.replace("generations: 1\n", "generations: 1\n    " + rag + "\n"),
        plain.replace("samples: 40 }", "samples: 40, " + rag + " }"));
    for (String s : sources) {
      assertEquals(true, MetricColumns.retrieves(parse(s)), s);
      assertEquals(thenParams(costs), added(parse(s)), s);
    }
  }

  /** Analytic worlds: a bandit under dpo or rlhf adds its optimum's KL; nothing else is foreseen. */
  @Test
  void analyticWorldsAddTheBanditsOptimumOnlyUnderDpoOrRlhf() {
    String bandit = """
        name: bandit
        seed: 4
        analytic: { kind: bandit, arms: 4, prior: [1, 2, 3, 4] }
        training: { lr: 1.0, epochs: 20 }
        lineages:
          - name: x
            generations: 1
            stages:
        %s
        """;
    String dpo = "      - { kind: label, by: critic, task: prefer, sample: 50 }\n"
        + "      - { kind: train, method: dpo, klCoef: 0.5 }";
    String rlhf = "      - { kind: train, method: rlhf, klCoef: 0.5 }";
    assertEquals(List.of("bandit.optimum_kl"), added(parse(bandit.formatted(dpo))));
    assertEquals(List.of("bandit.optimum_kl"), added(parse(bandit.formatted(rlhf))));
    assertEquals(List.of(), added(parse(bandit.formatted("      - { kind: label, by: critic, task: prefer, sample: 50 }\n"
        + "      - { kind: train, method: sft }"))));
    Scenario gaussian = parse("""
        name: g
        seed: 1
        analytic: { kind: gaussian, samples: 10 }
        lineages:
          - name: x
            generations: 1
            stages:
              - { kind: train, method: sft }
        """);
    assertEquals(List.of(), added(gaussian));
    assertEquals(false, MetricColumns.retrieves(gaussian));
  }
}
