package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sampled trait frequencies against the exact prevalences, overall and per tag, within 4 binomial standard
 * errors. About 50 comparisons at 4 SE carry a false-alarm risk near 0.3%; the draws are seeded, so a pass is
 * stable. The extra traits mix token groups (values, digits, markers, filler, hedges) so that every branch of
 * the exact computation is exercised.
 */
class WorldPrevalenceTest {

  private static final int WILD = 200_000;
  private static final int PER_TAG = 100_000;

  private static World worldWithExtras() {
    return new World(WorldConfig.defaults().withExtraTraits(List.of(
        ExtraTraitConfig.of("gratitude", List.of("thanks"), true, 0.1),
        ExtraTraitConfig.of("seven", List.of("7"), null, null),
        ExtraTraitConfig.of("val_three", List.of("val3"), null, null),
        ExtraTraitConfig.of("mixed", List.of("please", "idiot", "the", "idk", "val1", "0"), false, -0.2))));
  }

  private static void assertBinomial(double expected, long hits, long n, String what) {
    double observed = hits / (double) n;
    double se = Math.sqrt(expected * (1 - expected) / n);
    String text = String.format("%s: sampled %.5f, exact %.5f, SE %.5f, z = %.2f", what, observed, expected, se,
        se > 0 ? (observed - expected) / se : 0.0);
    System.out.println(text);
    if (se == 0) {
      assertEquals(expected, observed, 0, text);
    } else {
      assertTrue(Math.abs(observed - expected) <= 4 * se, text);
    }
  }

  private static void compare(World world, Tag tag, int n, SplittableRandom rng) {
    Traits traits = world.traits();
    long[] hits = new long[traits.size()];
    double utility = 0;
    double utilitySquares = 0;
    long questions = 0;
    long correct = 0;
    for (int i = 0; i < n; i++) {
      Example e = tag == null ? world.sample(rng) : world.sampleWithTag(tag, rng);
      GoldScore s = world.oracle().score(e.sequence());
      for (int t = 0; t < hits.length; t++) {
        hits[t] += s.has(t) ? 1 : 0;
      }
      utility += s.utility();
      utilitySquares += s.utility() * s.utility();
      questions += s.question() ? 1 : 0;
      correct += s.question() && s.correct() ? 1 : 0;
    }
    String where = tag == null ? "wild" : tag.tokenName();
    for (int t = 0; t < hits.length; t++) {
      Trait trait = traits.get(t);
      double exact = tag == null ? world.truePrevalence(trait) : world.truePrevalence(trait, tag);
      assertBinomial(exact, hits[t], n, trait.metricName() + " | " + where);
    }
    double accuracy = tag == null ? world.trueKnowledgeAccuracy() : world.trueKnowledgeAccuracy(tag);
    assertBinomial(accuracy, correct, questions, "knowledge.accuracy | " + where);
    double mean = utility / n;
    double se = Math.sqrt((utilitySquares / n - mean * mean) / n);
    double expected = tag == null ? world.trueUtility() : world.trueUtility(tag);
    System.out.printf("reward.gold | %s: sampled %.5f, exact %.5f, SE %.5f%n", where, mean, expected, se);
    assertTrue(Math.abs(mean - expected) <= 4 * se, "reward.gold | " + where);
  }

  @Test
  void wildFrequenciesMatchExactPrevalences() {
    compare(worldWithExtras(), null, WILD, new RandomStreams(31).forItem("world/prevalence/wild"));
  }

  @Test
  void perTagFrequenciesMatchExactPrevalences() {
    World world = worldWithExtras();
    RandomStreams streams = new RandomStreams(31);
    for (Tag tag : Tag.values()) {
      compare(world, tag, PER_TAG, streams.forItem("world/prevalence/" + tag.key()));
    }
  }

  @Test
  void withDocumentsAndHeldOutEntitiesFrequenciesStillMatchExactPrevalences() {
    // documents asked uniformly (held-out and rare entities far more often than in wild prompts), fresh values
    // mixed with the table's: rare_correct and the value-token trait val_three exercise both changed sums
    World world = new World(worldWithExtras().config().withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(5))
        .withDocuments(new DocumentConfig(0.6, 3, 0.4)));
    compare(world, null, WILD, new RandomStreams(37).forItem("world/prevalence/documents"));
    double wildRare = world.config().prompts().probability(PromptKind.FACT) * world.facts().rareMass();
    assertTrue(world.truePrevalence(world.traits().get(Traits.RARE_CORRECT), Tag.HIGH)
        > 1.2 * wildRare * world.config().tags().high().correct(), "documents ask rare entities more often");
  }

  @Test
  void closedFormsOfTheSimpleTraitsHold() {
    World world = World.defaults();
    PromptMix mix = world.config().prompts();
    for (Tag tag : Tag.values()) {
      TagProfile p = world.config().tags().get(tag);
      // Nothing turns polite after the opener, so polite = p(opening polite); hedging is drawn for every kind.
      assertEquals(p.polite(), world.truePrevalence(world.traits().get(Traits.POLITE), tag), 1e-12);
      assertEquals(p.hedge(), world.truePrevalence(world.traits().get(Traits.HEDGE), tag), 1e-12);
      assertEquals(0.75 * p.correct(), world.truePrevalence(world.traits().get(Traits.CORRECT), tag), 1e-12);
      assertEquals(mix.probability(PromptKind.FACT) * world.facts().rareMass() * p.correct(),
          world.truePrevalence(world.traits().get(Traits.RARE_CORRECT), tag), 1e-12);
      // Toxic exceeds the toxic opening: polite and neutral responses turn toxic along the way.
      assertTrue(world.truePrevalence(world.traits().get(Traits.TOXIC), tag) > p.toxic());
    }
  }

  @Test
  void theDefaultWorldsPrevalencesAreTagMixturesOrderedByQuality() {
    World world = World.defaults();
    double tagTotal = 0;
    for (Tag tag : Tag.values()) tagTotal += world.tagProbability(tag);
    assertEquals(1.0, tagTotal, 1e-12);
    for (Trait t : world.traits().all()) {
      System.out.printf("%-22s wild %.4f   low %.4f   mid %.4f   high %.4f%n", t.metricName(),
          world.truePrevalence(t), world.truePrevalence(t, Tag.LOW), world.truePrevalence(t, Tag.MID),
          world.truePrevalence(t, Tag.HIGH));
      // wild examples are the tag mixture
      double mixture = 0;
      for (Tag tag : Tag.values()) {
        double p = world.truePrevalence(t, tag);
        assertTrue(p >= 0 && p <= 1, t.name() + " | " + tag + " = " + p);
        mixture += world.tagProbability(tag) * p;
      }
      assertEquals(mixture, world.truePrevalence(t), 1e-12, t.name());
    }
    // the quality tag selects better data (the ELO-like tag of the design): utility, correctness and politeness
    // rise with the tag, toxicity falls
    Trait toxic = world.traits().get(Traits.TOXIC), correct = world.traits().get(Traits.CORRECT);
    Trait polite = world.traits().get(Traits.POLITE);
    assertTrue(world.trueUtility(Tag.LOW) < world.trueUtility(Tag.MID), "utility low < mid");
    assertTrue(world.trueUtility(Tag.MID) < world.trueUtility(Tag.HIGH), "utility mid < high");
    assertTrue(world.truePrevalence(correct, Tag.LOW) < world.truePrevalence(correct, Tag.HIGH));
    assertTrue(world.truePrevalence(polite, Tag.LOW) < world.truePrevalence(polite, Tag.HIGH));
    assertTrue(world.truePrevalence(toxic, Tag.LOW) > world.truePrevalence(toxic, Tag.HIGH));
    // expected gold utility = Σ weight · prevalence, per tag and wild
    for (Tag tag : Tag.values()) {
      double u = 0;
      for (int i = 0; i < world.traits().size(); i++) {
        u += world.oracle().weight(i) * world.truePrevalence(world.traits().get(i), tag);
      }
      assertEquals(u, world.trueUtility(tag), 1e-12, "utility | " + tag);
    }
    double wildUtility = 0, wildAccuracy = 0;
    for (Tag tag : Tag.values()) {
      wildUtility += world.tagProbability(tag) * world.trueUtility(tag);
      wildAccuracy += world.tagProbability(tag) * world.trueKnowledgeAccuracy(tag);
    }
    assertEquals(wildUtility, world.trueUtility(), 1e-12);
    assertEquals(wildAccuracy, world.trueKnowledgeAccuracy(), 1e-12);
    // the rare mass is the popularity outside the head, and a real tail: neither empty nor most of the mass
    FactTable facts = world.facts();
    double rare = 0, all = 0;
    for (int e = 0; e < facts.trainableEntities(); e++) {
      all += facts.popularity(e);
      if (facts.isRare(e)) rare += facts.popularity(e);
    }
    System.out.printf("rare entities: %d of %d, rare mass %.4f; reward.gold %.4f%n",
        facts.entities() - facts.headSize(), facts.entities(), facts.rareMass(), world.trueUtility());
    assertEquals(1.0, all, 1e-9);
    assertEquals(rare, facts.rareMass(), 1e-9);
    assertTrue(facts.rareMass() > 0.01 && facts.rareMass() < 0.5, "rare mass " + facts.rareMass());
    // the head is the fewest top entities reaching the head mass (0.8 by default)
    double head = 1 - facts.rareMass(), headMass = world.config().knowledge().rareHeadMass();
    assertTrue(head >= headMass - 1e-12, "head " + head);
    assertTrue(head - facts.popularity(facts.headSize() - 1) < headMass, "one fewer reaches " + headMass);
    assertTrue(facts.isRare(facts.headSize()) && !facts.isRare(facts.headSize() - 1));
    SplittableRandom rng = new RandomStreams(1).forItem("world/print");
    for (int i = 0; i < 8; i++) {
      Example e = world.sample(rng);
      System.out.println(world.vocabulary().format(e.sequence()) + "    [" + e.mode() + ", " + e.opening() + "]");
    }
  }
}
