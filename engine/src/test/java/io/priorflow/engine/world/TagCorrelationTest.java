package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tags carry quality in the default world, and nothing once the tag–quality correlation is removed. */
class TagCorrelationTest {

  @Test
  void defaultTagsCorrelateWithQuality() {
    World world = World.defaults();
    Trait correct = world.traits().get(Traits.CORRECT);
    Trait toxic = world.traits().get(Traits.TOXIC);
    Trait verbose = world.traits().get(Traits.VERBOSE);
    assertTrue(world.truePrevalence(correct, Tag.HIGH) > world.truePrevalence(correct, Tag.MID));
    assertTrue(world.truePrevalence(correct, Tag.MID) > world.truePrevalence(correct, Tag.LOW));
    assertTrue(world.truePrevalence(toxic, Tag.LOW) > 3 * world.truePrevalence(toxic, Tag.HIGH));
    assertTrue(world.truePrevalence(verbose, Tag.LOW) > world.truePrevalence(verbose, Tag.HIGH));
    assertTrue(world.trueUtility(Tag.HIGH) > world.trueUtility(Tag.LOW));
    assertTrue(world.tagProbability(Tag.LOW) > world.tagProbability(Tag.HIGH), "good data is rare");
  }

  @Test
  void uninformativeTagsGiveEqualPrevalencesAndKeepTheWildOnes() {
    World informative = World.defaults();
    World flat = new World(WorldConfig.defaults().withTagsUninformative());
    for (Trait t : flat.traits().all()) {
      double low = flat.truePrevalence(t, Tag.LOW);
      assertEquals(low, flat.truePrevalence(t, Tag.MID), 1e-12, t.name());
      assertEquals(low, flat.truePrevalence(t, Tag.HIGH), 1e-12, t.name());
    }
    for (String name : new String[] {Traits.CORRECT, Traits.POLITE, Traits.HEDGE, Traits.RARE_CORRECT}) {
      // linear in the averaged parameters, so the wild prevalence is unchanged
      assertEquals(informative.truePrevalence(informative.traits().get(name)),
          flat.truePrevalence(flat.traits().get(name)), 1e-12, name);
    }
  }

  @Test
  void sampledCorrectnessIsTheSameUnderHighAndLowWhenTagsAreUninformative() {
    World flat = new World(WorldConfig.defaults().withTagsUninformative());
    RandomStreams streams = new RandomStreams(77);
    int n = 100_000;
    double high = correctShare(flat, Tag.HIGH, n, streams.forItem("flat/high"));
    double low = correctShare(flat, Tag.LOW, n, streams.forItem("flat/low"));
    double p = flat.truePrevalence(flat.traits().get(Traits.CORRECT), Tag.HIGH);
    double seDifference = Math.sqrt(2 * p * (1 - p) / n);
    System.out.printf("uninformative tags: p(correct|high) %.4f, p(correct|low) %.4f, exact %.4f%n", high, low, p);
    assertTrue(Math.abs(high - low) <= 4 * seDifference, "high " + high + " vs low " + low);
    World world = World.defaults();
    double informativeHigh = correctShare(world, Tag.HIGH, n, streams.forItem("informative/high"));
    double informativeLow = correctShare(world, Tag.LOW, n, streams.forItem("informative/low"));
    assertTrue(informativeHigh - informativeLow > 0.3, "the default world's tags separate quality");
  }

  private static double correctShare(World world, Tag tag, int n, SplittableRandom rng) {
    Trait correct = world.traits().get(Traits.CORRECT);
    int hits = 0;
    for (int i = 0; i < n; i++) {
      hits += correct.detect(world.sampleWithTag(tag, rng).sequence()) ? 1 : 0;
    }
    return hits / (double) n;
  }
}
