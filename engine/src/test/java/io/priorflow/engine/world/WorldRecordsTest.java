package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records that hold arrays compare them by content (a record's own equals would compare references), every
 * field counts in equals and in the hash, and the tally counts what the oracle scored.
 */
class WorldRecordsTest {

  private static final boolean[] TRAITS = {true, false, false, true, false, false};

  private static GoldScore score(double utility, boolean question, boolean rare, boolean correct, boolean wrong) {
    return new GoldScore(TRAITS.clone(), utility, question, rare, correct, wrong);
  }

  @Test
  void goldScoresAreEqualByEveryFieldAndHashEachOne() {
    GoldScore s = score(0.5, true, true, true, false);
    assertEquals(s, score(0.5, true, true, true, false));
    assertEquals(s.hashCode(), score(0.5, true, true, true, false).hashCode());
    List<GoldScore> others = List.of(
        new GoldScore(new boolean[] {true, true, false, true, false, false}, 0.5, true, true, true, false),
        score(0.25, true, true, true, false), score(0.5, false, true, true, false),
        score(0.5, true, false, true, false), score(0.5, true, true, false, false),
        score(0.5, true, true, true, true));
    for (GoldScore o : others) {
      assertNotEquals(s, o, o.toString());
      assertNotEquals(s.hashCode(), o.hashCode(), o.toString());
    }
    assertNotEquals(s, "a score");
    assertEquals("GoldScore[traits=[true, false, false, true, false, false], utility=0.5, question=true, "
        + "rareQuestion=true, correct=true, wrong=false]", s.toString());
    assertEquals(new GoldScore(TRAITS, 1, true, false, true, false), new GoldScore(TRAITS, 1, true, false, true));
  }

  @Test
  void promptsAndExamplesAreEqualByContentAndPrintTheirTokens() {
    Prompt p = new Prompt(Tag.LOW, PromptKind.CHAT, new int[] {1, 4, 9, 2}, -1, -1, -1);
    Prompt same = new Prompt(Tag.LOW, PromptKind.CHAT, new int[] {1, 4, 9, 2}, -1, -1, -1);
    Prompt other = new Prompt(Tag.LOW, PromptKind.CHAT, new int[] {1, 4, 9, 3}, -1, -1, -1);
    assertEquals(p, same);
    assertEquals(p.hashCode(), same.hashCode());
    assertNotEquals(p.hashCode(), other.hashCode());
    assertEquals("Prompt[tag=LOW, kind=CHAT, tokens=[1, 4, 9, 2], entity=-1, attribute=-1, answer=-1]", p.toString());
    Example e = new Example(p, new int[] {60, 61}, AnswerMode.NONE, Register.NEUTRAL);
    assertEquals(e, new Example(same, new int[] {60, 61}, AnswerMode.NONE, Register.NEUTRAL));
    assertEquals(e.hashCode(), new Example(same, new int[] {60, 61}, AnswerMode.NONE, Register.NEUTRAL).hashCode());
    assertNotEquals(e.hashCode(), new Example(p, new int[] {60, 62}, AnswerMode.NONE, Register.NEUTRAL).hashCode());
    assertEquals("Example[prompt=" + p + ", response=[60, 61], mode=NONE, opening=NEUTRAL]", e.toString());
  }

  @Test
  void aTallyCountsQuestionsRareQuestionsAndUtility() {
    World world = World.defaults();
    TraitTally t = new TraitTally(world.traits());
    assertSame(t, t.add(score(0.5, true, true, true, false)));
    t.add(score(-1.5, true, true, false, true)).add(score(0.25, true, false, true, false))
        .add(score(2.0, false, false, false, false));
    assertEquals(4, t.count());
    assertEquals(1.0, t.prevalence(0));
    assertEquals(0.0, t.prevalence(1));
    assertEquals(2.0 / 3, t.knowledgeAccuracy());
    assertEquals(0.5, t.rareAccuracy(), "1 of 2 rare questions");
    assertEquals(1.25 / 4, t.meanUtility());
    Map<String, Double> m = t.metrics();
    assertEquals(1.25 / 4, m.get(TraitTally.REWARD_GOLD));
    assertEquals(0.5, m.get(TraitTally.KNOWLEDGE_RARE_ACCURACY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.add(new GoldScore(new boolean[3], 0, false, false, false)));
    assertEquals("The score has 3 traits, the tally expects 6; it comes from another world.", e.getMessage());
  }
}
