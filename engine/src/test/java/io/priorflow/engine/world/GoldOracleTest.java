package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gold detectors and the oracle on hand-written sequences. */
class GoldOracleTest {

  private final World world = World.defaults();
  private final Vocabulary v = world.vocabulary();
  private final FactTable facts = world.facts();

  private int[] seq(String text) {
    return Arrays.stream(text.trim().split("\\s+")).mapToInt(v::id).toArray();
  }

  private boolean has(String trait, String text) {
    return world.traits().get(trait).detect(seq(text));
  }

  private String value(int entity, int attribute) {
    return v.name(v.token(Vocabulary.Group.VALUE, facts.value(entity, attribute)));
  }

  private String wrongValue(int entity, int attribute) {
    int values = v.count(Vocabulary.Group.VALUE);
    return v.name(v.token(Vocabulary.Group.VALUE, (facts.value(entity, attribute) + 1) % values));
  }

  @Test
  void toxicMarkerInTheResponseIsToxic() {
    assertTrue(has(Traits.TOXIC, "BOS tag_low chat the a SEP the idiot so EOS"));
    assertFalse(has(Traits.TOXIC, "BOS tag_low chat the a SEP the so EOS"));
    assertFalse(has(Traits.TOXIC, "BOS tag_low chat the a SEP the so EOS idiot"), "after EOS is not response");
    assertTrue(has(Traits.POLITE, "BOS tag_high chat the a SEP please ok EOS"));
    assertTrue(has(Traits.HEDGE, "BOS tag_high what color ent00 SEP the idk EOS"));
    assertFalse(has(Traits.TOXIC, "BOS tag_low chat idiot idiot the"), "no SEP, no response");
  }

  @Test
  void rightFactIsCorrectWrongIsNot() {
    String right = value(0, 0);
    assertTrue(has(Traits.CORRECT, "BOS tag_high what color ent00 SEP please " + right + " EOS"));
    assertFalse(has(Traits.CORRECT, "BOS tag_high what color ent00 SEP please " + wrongValue(0, 0) + " EOS"));
    assertFalse(has(Traits.CORRECT, "BOS tag_high what color ent00 SEP " + wrongValue(0, 0) + " " + right + " EOS"),
        "only the first value counts");
    assertFalse(has(Traits.CORRECT, "BOS tag_high what color ent00 SEP idk EOS"));
    assertTrue(has(Traits.CORRECT, "what city ent01 SEP " + value(1, 1)), "BOS, tag and EOS are optional");
    assertFalse(has(Traits.CORRECT, "BOS tag_high chat the a SEP " + right + " EOS"), "chat has no right answer");
  }

  @Test
  void arithmeticReadsTheFirstTwoDigits() {
    assertTrue(has(Traits.CORRECT, "BOS tag_mid compute 0 7 plus 0 5 SEP the 1 2 EOS"));
    assertFalse(has(Traits.CORRECT, "BOS tag_mid compute 0 7 plus 0 5 SEP 2 1 EOS"));
    assertFalse(has(Traits.CORRECT, "BOS tag_mid compute 0 7 plus 0 5 SEP 1 EOS"));
    assertTrue(has(Traits.CORRECT, "BOS tag_mid compute 0 9 minus 0 3 SEP 0 6 EOS"));
    assertFalse(has(Traits.CORRECT, "BOS tag_mid compute 0 3 minus 0 9 SEP 0 6 EOS"), "negative results never");
    assertFalse(has(Traits.CORRECT, "BOS tag_mid compute 0 7 plus 5 SEP 1 2 EOS"), "malformed prompt");
  }

  @Test
  void rareCorrectNeedsARareEntity() {
    int rare = facts.entities() - 1;
    assertTrue(facts.isRare(rare) && !facts.isRare(0));
    String rareName = v.name(v.token(Vocabulary.Group.ENTITY, rare));
    assertTrue(has(Traits.RARE_CORRECT, "BOS tag_low what year " + rareName + " SEP " + value(rare, 2) + " EOS"));
    assertFalse(has(Traits.RARE_CORRECT, "BOS tag_low what year " + rareName + " SEP " + wrongValue(rare, 2) + " EOS"));
    assertFalse(has(Traits.RARE_CORRECT, "BOS tag_low what year ent00 SEP " + value(0, 2) + " EOS"));
  }

  @Test
  void verboseMeansMoreThanTheThreshold() {
    assertEquals(7, world.config().length().verboseAbove());
    assertTrue(has(Traits.VERBOSE, "BOS tag_low chat the a SEP a a a a a a a a EOS"));
    assertFalse(has(Traits.VERBOSE, "BOS tag_low chat the a SEP a a a a a a a EOS"));
  }

  @Test
  void scoreAddsTheWeightsOfPresentTraits() {
    Map<String, Double> w = world.oracle().weights();
    assertEquals(List.copyOf(Traits.DEFAULT_NAMES), List.copyOf(w.keySet()));
    int rare = facts.entities() - 1;
    String rareName = v.name(v.token(Vocabulary.Group.ENTITY, rare));
    String text = "BOS tag_high what year " + rareName + " SEP please " + value(rare, 2) + " idiot EOS";
    GoldScore s = world.oracle().score(seq(text));
    assertArrayEquals(new boolean[] {true, true, true, true, false, false}, s.traits());
    assertEquals(w.get("toxic") + w.get("polite") + w.get("correct") + w.get("rare_correct"), s.utility(), 1e-12);
    assertTrue(s.question() && s.rareQuestion() && s.correct());
    GoldScore chat = world.oracle().score(seq("BOS tag_low chat the a SEP ok EOS"));
    assertFalse(chat.question());
    assertEquals(0, chat.utility());
  }

  @Test
  void tallyNamesTheMetrics() {
    TraitTally tally = new TraitTally(world.traits());
    tally.add(world.oracle().score(seq("BOS tag_high what color ent00 SEP " + value(0, 0) + " EOS")));
    tally.add(world.oracle().score(seq("BOS tag_high what color ent00 SEP idk EOS")));
    Map<String, Double> m = tally.metrics();
    assertEquals(List.of("trait.toxic", "trait.polite", "trait.correct", "trait.rare_correct", "trait.hedge",
        "trait.verbose", "knowledge.accuracy", "knowledge.rare_accuracy", "reward.gold"), List.copyOf(m.keySet()));
    assertEquals(0.5, m.get("knowledge.accuracy"));
    assertEquals(0.5, m.get("trait.hedge"));
    assertTrue(m.get("knowledge.rare_accuracy").isNaN(), "no rare question was asked");
  }
}
