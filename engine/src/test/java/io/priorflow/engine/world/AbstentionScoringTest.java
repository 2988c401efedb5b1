package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.label.HumanJudge;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Vocabulary.Group;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** utility.wrong: a confident wrong answer, and scorings (world, critic, humans) that credit abstention. */
class AbstentionScoringTest {
  static final World PLAIN = World.defaults();
  static final Map<String, Double> AWARE = Map.of(Traits.HEDGE, 0.0, WorldConfig.WRONG, -1.0);

  static World withUtility(Map<String, Double> utility) {
    WorldConfig d = WorldConfig.defaults();
    Map<String, Double> u = new LinkedHashMap<>(d.utility());
    u.putAll(utility);
    return new World(new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.tags(), d.register(), d.length(),
        d.extraTraits(), u));
  }

  /** A fact question about the most popular entity's first attribute, answered with the given response tokens. */
  static int[] answer(World w, int... response) {
    Vocabulary v = w.vocabulary();
    int[] p = {Vocabulary.BOS, v.token(Tag.MID), v.token(Group.QUESTION, PromptKind.FACT.ordinal()),
        v.token(Group.ATTRIBUTE, 0), v.token(Group.ENTITY, 0), Vocabulary.SEP};
    int[] s = java.util.Arrays.copyOf(p, p.length + response.length + 1);
    System.arraycopy(response, 0, s, p.length, response.length);
    s[s.length - 1] = Vocabulary.EOS;
    return s;
  }

  static int value(World w, int v) { return w.vocabulary().token(Group.VALUE, v); }

  static int filler(World w) { return w.vocabulary().token(Group.FILLER, 0); }

  static int hedge(World w) { return w.vocabulary().token(Group.HEDGE, 0); }

  @Test
  void aConfidentWrongAnswerIsAWrongValueWithoutAHedge() {
    World w = PLAIN;
    int right = w.facts().value(0, 0), wrong = (right + 1) % 8;
    assertFalse(w.oracle().score(answer(w, filler(w), value(w, right))).wrong());
    assertTrue(w.oracle().score(answer(w, filler(w), value(w, wrong))).wrong());
    assertFalse(w.oracle().score(answer(w, filler(w), hedge(w))).wrong(), "a hedge is no answer");
    assertFalse(w.oracle().score(answer(w, hedge(w), value(w, wrong))).wrong(), "a hedged guess is not confident");
    assertFalse(w.oracle().score(answer(w, filler(w), filler(w))).wrong(), "no value, no answer");
  }

  @Test
  void theDefaultScoringRewardsGuessingAndTheAbstentionAwareOneRewardsAbstaining() {
    int right = PLAIN.facts().value(0, 0), wrong = (right + 1) % 8;
    // default weights: a wrong guess 0, a hedge −0.1 — the world prefers the guess
    double guessed = PLAIN.oracle().score(answer(PLAIN, filler(PLAIN), value(PLAIN, wrong))).utility();
    double hedged = PLAIN.oracle().score(answer(PLAIN, filler(PLAIN), hedge(PLAIN))).utility();
    assertEquals(0.0, guessed, 1e-12);
    assertEquals(-0.1, hedged, 1e-12);
    // right +1, hedge 0, wrong −1
    World aware = withUtility(AWARE);
    assertEquals(1.0, aware.oracle().score(answer(aware, filler(aware), value(aware, right))).utility(), 1e-12);
    assertEquals(0.0, aware.oracle().score(answer(aware, filler(aware), hedge(aware))).utility(), 1e-12);
    assertEquals(-1.0, aware.oracle().score(answer(aware, filler(aware), value(aware, wrong))).utility(), 1e-12);
    // the same verdicts under another scoring, as a critic or labellers with their own weights see them
    GoldOracle theirs = PLAIN.oracle().withUtility(AWARE);
    assertEquals(-1.0, theirs.score(answer(PLAIN, filler(PLAIN), value(PLAIN, wrong))).utility(), 1e-12);
    assertEquals(0.0, theirs.score(answer(PLAIN, filler(PLAIN), hedge(PLAIN))).utility(), 1e-12);
    for (String t : Traits.DEFAULT_NAMES) {
      double expected = t.equals(Traits.HEDGE) ? 0.0 : PLAIN.oracle().weights().get(t);
      assertEquals(expected, theirs.weights().get(t), 0.0, "weights the scoring does not name stay: " + t);
    }
    assertThrows(IllegalArgumentException.class, () -> PLAIN.oracle().withUtility(Map.of("wrongg", -1.0)));
  }

  @Test
  void theExactUtilityOfTheWorldIncludesItsWrongAnswers() {
    World aware = withUtility(AWARE);
    SplittableRandom rng = new RandomStreams(3).forItem("abstention/world");
    for (Tag tag : Tag.values()) {
      int n = 40_000;
      double sum = 0, sq = 0;
      for (int i = 0; i < n; i++) {
        double u = aware.oracle().score(aware.sampleWithTag(tag, rng).sequence()).utility();
        sum += u;
        sq += u * u;
      }
      double mean = sum / n, sd = Math.sqrt(sq / n - mean * mean);
      assertEquals(aware.trueUtility(tag), mean, 4 * sd / Math.sqrt(n), tag.toString());
      assertTrue(aware.trueUtility(tag) < PLAIN.trueUtility(tag), "wrong answers now cost: " + tag);
    }
  }

  @Test
  void labellersWithTheirOwnScoringPreferAHedgeToAWrongGuess() {
    int wrong = (PLAIN.facts().value(0, 0) + 1) % 8;
    int[] guess = answer(PLAIN, filler(PLAIN), value(PLAIN, wrong)), hedge = answer(PLAIN, filler(PLAIN), hedge(PLAIN));
    HumanSpec gold = new HumanSpec(1, 0.9, Map.of(), 30, 25, 0, 0);
    HumanSpec aware = new HumanSpec(1, 0.9, Map.of(), 30, 25, 0, 0, null, AWARE);
    HumanJudge g = new HumanJudge(gold, PLAIN), a = new HumanJudge(aware, PLAIN);
    assertEquals(0.1, g.pPreferFirst(g.oracle().score(hedge), g.oracle().score(guess), 0), 1e-12);
    assertEquals(0.9, a.pPreferFirst(a.oracle().score(hedge), a.oracle().score(guess), 0), 1e-12);
    assertEquals(0.9, g.pAccept(g.oracle().score(guess), 0), 1e-12, "the world accepts a guess (utility 0)");
    assertEquals(0.1, a.pAccept(a.oracle().score(guess), 0), 1e-12, "abstention-aware labellers reject it");
    assertEquals(0.9, a.pAccept(a.oracle().score(hedge), 0), 1e-12, "and accept the hedge (utility 0)");
    assertEquals(aware.utility(), aware.forLabeller(0).utility(), "each labeller keeps the pool's scoring");
  }

  @Test
  void anUnknownUtilityNameIsAProblemOfTheWorld() {
    List<String> p = withUtilityUnchecked(Map.of("wrongg", -1.0)).problems();
    assertTrue(p.get(0).startsWith("utility.wrongg is not a default trait or wrong"), p.toString());
  }

  static WorldConfig withUtilityUnchecked(Map<String, Double> utility) {
    WorldConfig d = WorldConfig.defaults();
    return new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.tags(), d.register(), d.length(),
        d.extraTraits(), utility);
  }
}
