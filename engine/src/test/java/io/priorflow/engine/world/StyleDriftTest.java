package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Style drift ({@code world.drift}): generation g's world opens responses polite or toxic at the drifted rates, its
 * exact prevalences follow them, sampling agrees with them, and a world without drift is the world it was.
 */
class StyleDriftTest {
  private static final TagProfiles BASE = TagProfiles.defaults();

  /** Politeness up 0.1 every 2 generations for every tag; the low tag's toxicity down 0.05 every generation from 3. */
  private static WorldConfig drifting() {
    WorldConfig d = WorldConfig.defaults();
    return new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.documents(), d.tags(), d.register(),
        d.length(), d.extraTraits(), d.utility(), List.of(StyleDrift.of("polite", 2, 0.1, null, null),
        StyleDrift.of("toxic", 1, -0.05, 3, "low")));
  }

  @Test
  void theDriftedProfilesArePureFunctionsOfTheConfigAndTheGeneration() {
    World w = new World(drifting());
    assertSame(w, w.at(0));
    assertEquals(BASE, w.at(1).config().tags(), "the first polite step is at generation 2");
    TagProfiles g2 = w.at(2).config().tags(), g4 = w.at(4).config().tags(), g7 = w.at(7).config().tags();
    assertEquals(0.60 + 0.1, g2.high().polite(), 1e-12);
    assertEquals(0.15 + 0.1, g2.low().polite(), 1e-12);
    assertEquals(0.20, g2.low().toxic(), 1e-12, "toxicity starts to fall at generation 3");
    assertEquals(0.60 + 0.2, g4.high().polite(), 1e-12);
    assertEquals(0.20 - 2 * 0.05, g4.low().toxic(), 1e-12);
    assertEquals(0.05, g4.mid().toxic(), 1e-12, "the toxic drift moves the low tag only");
    // generation 7: three polite steps (0.9 for high, clipped to 1 − toxic = 0.99 only later), low toxicity 0
    assertEquals(0.60 + 0.3, g7.high().polite(), 1e-12);
    assertEquals(0.0, g7.low().toxic(), 0, "clipped at 0 after 5 steps of −0.05 from 0.20");
    assertEquals(0.99, w.at(20).config().tags().high().polite(), 1e-12, "clipped at 1 − toxic(high) = 0.99");
    // everything else stays: weights, correctness, hedging, length
    assertEquals(BASE.high().correct(), g7.high().correct());
    assertEquals(BASE.low().lengthP(), g7.low().lengthP());
    assertEquals(BASE.mid().weight(), g7.mid().weight());
    assertSame(w.at(4), w.at(7).at(4), "one world per generation, whichever generation asks");
    assertEquals(g4, new World(drifting()).at(4).config().tags(), "the same config gives the same profiles");
  }

  @Test
  void exactPrevalencesFollowTheDrift() {
    World w = new World(drifting());
    for (int g : new int[] {2, 4, 7}) {
      World at = w.at(g);
      World direct = new World(WorldConfig.defaults().withTags(at.config().tags())); // the drifted profiles, written
      for (Tag t : Tag.values()) {
        for (String trait : List.of(Traits.POLITE, Traits.TOXIC, Traits.VERBOSE)) {
          assertEquals(direct.truePrevalence(direct.traits().get(trait), t),
              at.truePrevalence(at.traits().get(trait), t), 0, g + " " + t + " " + trait);
        }
      }
      assertEquals(direct.trueUtility(), at.trueUtility(), 0);
    }
    Trait polite = w.traits().get(Traits.POLITE), toxic = w.traits().get(Traits.TOXIC);
    assertTrue(w.at(4).truePrevalence(w.at(4).traits().get(Traits.POLITE), Tag.HIGH)
        > w.truePrevalence(polite, Tag.HIGH) + 0.1);
    assertTrue(w.at(4).truePrevalence(w.at(4).traits().get(Traits.TOXIC), Tag.LOW)
        < w.truePrevalence(toxic, Tag.LOW) - 0.05);
  }

  @Test
  void samplesOfADriftedGenerationMatchItsExactPrevalences() {
    World w = new World(drifting());
    int n = 40_000;
    for (Tag tag : new Tag[] {Tag.LOW, Tag.HIGH}) {
      World at = w.at(4);
      SplittableRandom rng = new RandomStreams(17).forItem("drift/" + tag.key());
      long polite = 0, toxic = 0;
      int ip = at.traits().indexOf(Traits.POLITE), it = at.traits().indexOf(Traits.TOXIC);
      for (int i = 0; i < n; i++) {
        GoldScore s = at.oracle().score(at.sampleWithTag(tag, rng).sequence());
        polite += s.has(ip) ? 1 : 0;
        toxic += s.has(it) ? 1 : 0;
      }
      assertWithin(at.truePrevalence(at.traits().get(ip), tag), polite, n, "polite | " + tag + " at g4");
      assertWithin(at.truePrevalence(at.traits().get(it), tag), toxic, n, "toxic | " + tag + " at g4");
      double before = w.truePrevalence(w.traits().get(ip), tag);
      assertTrue(Math.abs(polite / (double) n - before) > 8 * Math.sqrt(before * (1 - before) / n),
          "generation 4 samples are not generation 0's: " + polite / (double) n + " against " + before);
    }
  }

  private static void assertWithin(double exact, long hits, int n, String what) {
    double observed = hits / (double) n, se = Math.sqrt(exact * (1 - exact) / n);
    System.out.printf("%s: sampled %.4f, exact %.4f, SE %.4f%n", what, observed, exact, se);
    assertTrue(Math.abs(observed - exact) <= 4 * se, what + ": sampled " + observed + ", exact " + exact);
  }

  @Test
  void withoutDriftEveryGenerationIsTheWorldItWas() {
    World plain = World.defaults();
    assertSame(plain, plain.at(5));
    WorldConfig still = WorldConfig.defaults();
    assertSame(still, still.at(9));
    // facts that change and no drift: the profiles stay, and the same stream draws the same style
    WorldConfig d = WorldConfig.defaults();
    World changing = new World(d.withKnowledge(new KnowledgeConfig(d.knowledge().zipfExponent(),
        d.knowledge().rareHeadMass(), d.knowledge().factSeed(), d.knowledge().maxOperand(), 0,
        List.of(FactChange.of(0.5, 1, null)))));
    assertEquals(d.tags(), changing.at(3).config().tags());
    World drifted = new World(drifting());
    SplittableRandom a = new SplittableRandom(3), b = new SplittableRandom(3);
    boolean differs = false;
    for (int i = 0; i < 200; i++) {
      int[] x = plain.sampleWithTag(Tag.MID, a).sequence(), y = drifted.sampleWithTag(Tag.MID, b).sequence();
      assertEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(y), "generation 0 of a drifting world");
    }
    SplittableRandom c = new SplittableRandom(3), e = new SplittableRandom(3);
    for (int i = 0; i < 200 && !differs; i++) {
      differs = !java.util.Arrays.equals(plain.sampleWithTag(Tag.MID, c).sequence(),
          drifted.at(6).sampleWithTag(Tag.MID, e).sequence());
    }
    assertTrue(differs, "generation 6 of a drifting world writes another style");
  }

  @Test
  void badDriftsAreReportedEachWithItsPath() {
    WorldConfig d = WorldConfig.defaults();
    WorldConfig bad = new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.documents(), d.tags(),
        d.register(), d.length(), d.extraTraits(), d.utility(), List.of(StyleDrift.of("verbose", 0, 0.0, null, "top"),
        StyleDrift.of("polite", 2, 1.5, 2000, null)));
    List<String> problems = bad.problems();
    String all = String.join("\n", problems);
    for (String path : List.of("drift[0].trait", "drift[0].every", "drift[0].by", "drift[0].tag", "drift[1].by",
        "drift[1].from")) {
      assertTrue(all.contains(path), path + " in\n" + all);
    }
    assertEquals(6, problems.size(), all);
  }
}
