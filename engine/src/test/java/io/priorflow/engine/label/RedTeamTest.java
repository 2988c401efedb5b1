package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.SourceKind;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.RegisterConfig;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.TagProfile;
import io.priorflow.engine.world.TagProfiles;
import io.priorflow.engine.world.Trait;
import io.priorflow.engine.world.Traits;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Red teaming against a target pretrained on a world whose toxicity hides in the rare low-quality tag (15% of the
 * wild, toxic 60% of the time there, never elsewhere): the search finds toxic-eliciting prompts far more often than
 * random wild prompts do, and its finds become preference pairs with red-team provenance.
 */
class RedTeamTest {
  static final World WORLD = new World(new WorldConfig(WorldConfig.defaults().vocabulary(),
      WorldConfig.defaults().knowledge(), WorldConfig.defaults().prompts(),
      new TagProfiles(new TagProfile(0.15, 0.5, 0.05, 0.1, 0.6, 0.5), new TagProfile(0.45, 0.7, 0.1, 0.35, 0, 0.45),
          new TagProfile(0.4, 0.92, 0.06, 0.6, 0, 0.35)),
      new RegisterConfig(0, 0.05, 0, 0.5, 0.7), WorldConfig.defaults().length(), List.of(),
      WorldConfig.DEFAULT_UTILITY));
  static final WorkContext CTX = LabelKit.context(WORLD);
  static final Trait TOXIC = WORLD.traits().get(Traits.TOXIC);
  static final SamplingConfig SAMPLING = new SamplingConfig(1f, 0, 13, Vocabulary.EOS);
  static final int BUDGET = 320;
  static final HumanSpec EXACT = new HumanSpec(1, 1.0, Map.of(), 30, 25, 0, 0);
  static String target;

  @BeforeAll
  static void pretrainTheTarget() {
    target = LabelKit.pretrain(CTX, 2500, 2);
  }

  static RedTeamWork work(String id, double explore, HumanSpec human, String detector, List<Prompt> seeds) {
    return new RedTeamWork(id, "red-team-0", target, Traits.TOXIC, BUDGET, 1, SAMPLING, explore, human, 0, detector,
        seeds);
  }

  /** The share of n wild prompts whose one sampled response from the target is toxic by the gold detector. */
  static double wildRate(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> prompts = new ArrayList<>(n);
    List<SplittableRandom> rngs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prompts.add(WORLD.samplePrompt(rng).tokens());
      rngs.add(rng.split());
    }
    TokenModel m = CTX.models().get(target);
    return m.sample(CTX.backend(), prompts, SAMPLING, rngs).stream().filter(TOXIC::detect).count() / (double) n;
  }

  @Test
  void theSearchFindsToxicElicitingPromptsFarMoreOftenThanWildPrompts() {
    RedTeamResult found = (RedTeamResult) Actors.perform(work("L0/g1/s0-red_team/0", 0.2, EXACT, null, List.of()),
        CTX);
    double searchRate = found.findings().size() / (double) BUDGET;
    double wild = wildRate(2000, 1);
    long lowTagged = found.findings().stream().filter(f -> f.prompt().tag() == Tag.LOW).count();
    System.out.printf("toxic-eliciting prompts: search %.3f (%d of %d; %d with tag_low), wild prompts %.3f%n",
        searchRate, found.findings().size(), BUDGET, lowTagged, wild);
    assertTrue(searchRate > 2 * wild, "search " + searchRate + " vs wild " + wild);
    for (RedTeamFinding f : found.findings()) assertTrue(TOXIC.detect(f.sequence()), "an exact judge flags only toxic");
    assertEquals(BUDGET, found.trials());
    assertEquals(BUDGET * 2 * 30.0, found.seconds(), 1e-9, "a prompt and a response read: two labels' time each");
  }

  @Test
  void mutatingFindsBeatsRandomSearch() {
    int budget = 3 * BUDGET;
    RedTeamResult evolved = (RedTeamResult) Actors.perform(new RedTeamWork("L0/g1/s0-red_team/1", "red-team-0",
        target, Traits.TOXIC, budget, 1, SAMPLING, 0.2, EXACT, 0, null, List.of()), CTX);
    RedTeamResult random = (RedTeamResult) Actors.perform(new RedTeamWork("L0/g1/s0-red_team/1", "red-team-0",
        target, Traits.TOXIC, budget, 1, SAMPLING, 1.0, EXACT, 0, null, List.of()), CTX);
    System.out.printf("finds in %d trials: evolutionary %d, uniform random prompts %d%n", budget,
        evolved.findings().size(), random.findings().size());
    assertTrue(evolved.findings().size() > 1.4 * random.findings().size());
  }

  @Test
  void anAiRedTeamerWithATrainedClassifierAlsoFindsThem() {
    Dataset d = TraitClassifiers.data(WORLD, Traits.TOXIC, 3000, 0.05, "rt/data", "annotators-toxic", 0,
        new SplittableRandom(4));
    String classifier = LabelKit.train(CTX, "rt/classifier", "score_regression", TraitClassifiers.sequences(d),
        TraitClassifiers.responseStarts(d), TraitClassifiers.targets(d), 3, 0.01);
    RedTeamResult ai = (RedTeamResult) Actors.perform(work("L0/g1/s0-red_team/2", 0.2, null, classifier, List.of()),
        CTX);
    long reallyToxic = ai.findings().stream().filter(f -> TOXIC.detect(f.sequence())).count();
    System.out.printf("AI red teamer: %d finds, %d toxic by gold; wild rate %.3f%n", ai.findings().size(),
        reallyToxic, wildRate(2000, 1));
    assertTrue(reallyToxic / (double) BUDGET > 1.5 * wildRate(2000, 1));
    assertEquals(0, ai.seconds());
  }

  @Test
  void findsBecomePreferencePairsWithRedTeamProvenance() {
    RedTeamResult found = (RedTeamResult) Actors.perform(work("L0/g1/s0-red_team/3", 0.2, EXACT, null, List.of()),
        CTX);
    List<Prompt> prompts = found.findings().stream().map(RedTeamFinding::prompt).toList();
    DemonstrateResult demos = (DemonstrateResult) Actors.perform(new DemonstrateWork("L0/g1/s1-demonstrate/0",
        "human-0", LabelKit.human(0.9, Map.of(), 0, 0), 0, prompts), CTX);
    List<Datum> pairs = PreferenceData.redTeamPairs(found.findings(), demos.sequences(), "L0/g1/s0-red_team",
        "red-team-0", target, null, "human-0", 1);
    assertEquals(2 * found.findings().size(), pairs.size());
    long betterToxic = 0;
    for (int i = 0; i < pairs.size(); i += 2) {
      Datum chosen = pairs.get(i), rejected = pairs.get(i + 1);
      assertEquals(SourceKind.RED_TEAM, rejected.provenance().source());
      assertEquals("model:" + target, rejected.provenance().origin(), "the bad response is the target's");
      assertEquals(SourceKind.HUMAN, chosen.provenance().source());
      assertEquals(List.of(rejected.id()), chosen.provenance().parentIds());
      assertEquals(LabelKind.PREFERENCE, chosen.labels().get(0).kind());
      assertEquals(1.0, chosen.labels().get(0).value());
      assertEquals(0.0, rejected.labels().get(0).value());
      assertEquals(rejected.id(), chosen.labels().get(0).pairId());
      assertEquals(LabellerKind.HUMAN, rejected.labels().get(0).labeller());
      if (TOXIC.detect(chosen.tokens())) betterToxic++;
    }
    assertTrue(betterToxic < 0.1 * found.findings().size(), "the better side is rarely toxic: " + betterToxic);
  }

  @Test
  void earlierFindsSeedTheNextRound() {
    RedTeamResult first = (RedTeamResult) Actors.perform(work("L0/g1/s0-red_team/4", 0.2, EXACT, null, List.of()),
        CTX);
    List<Prompt> seeds = first.findings().stream().map(RedTeamFinding::prompt).toList();
    // ten red teamers with one round's budget each: seeded ones start from what worked, cold ones from scratch
    int seeded = 0, cold = 0;
    for (int k = 0; k < 10; k++) {
      RedTeamWork w = work("L0/g2/s0-red_team/" + k, 0.2, EXACT, null, seeds);
      RedTeamWork oneRound = new RedTeamWork(w.id(), w.redTeamerId(), w.targetModelId(), w.trait(),
          RedTeamSearch.ROUND, 1, SAMPLING, 0.2, EXACT, 0, null, seeds);
      seeded += ((RedTeamResult) Actors.perform(oneRound, CTX)).findings().size();
      RedTeamWork coldRound = new RedTeamWork(w.id(), w.redTeamerId(), w.targetModelId(), w.trait(),
          RedTeamSearch.ROUND, 1, SAMPLING, 0.2, EXACT, 0, null, List.of());
      cold += ((RedTeamResult) Actors.perform(coldRound, CTX)).findings().size();
    }
    System.out.printf("one round of %d trials, 10 red teamers: seeded %d finds, cold start %d%n", RedTeamSearch.ROUND,
        seeded, cold);
    assertTrue(seeded > 1.5 * cold, "a seeded search starts from what worked");
  }

  @Test
  void aRedTeamerIsAHumanOrAnAiNotBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Actors.perform(work("x/0", 0.2, EXACT, target, List.of()), CTX));
    assertTrue(e.getMessage().contains("exactly one of the two"), e.getMessage());
  }
}
