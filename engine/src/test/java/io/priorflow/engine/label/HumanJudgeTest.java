package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.Traits;
import io.priorflow.engine.world.World;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The closed forms of {@link HumanJudge}'s class comment, checked exactly on hand-made gold verdicts: accuracy under
 * fatigue, P(accept) and P(prefer) with biases of both signs, ties, clamping, and the seconds of a label with and
 * without a pre-label. The sampled behaviour (agreement with gold, kappa, anchoring rates) is in HumanLabellerTest;
 * these are the formulas a comparison between labelling conditions rests on.
 */
class HumanJudgeTest {
  static final World WORLD = LabelKit.WORLD;
  static final int POLITE = WORLD.traits().indexOf(Traits.POLITE);
  static final int VERBOSE = WORLD.traits().indexOf(Traits.VERBOSE);
  static final int TOXIC = WORLD.traits().indexOf(Traits.TOXIC);

  /** A gold verdict with this utility and these traits (nothing else matters to the judge). */
  static GoldScore gold(double utility, int... traits) {
    boolean[] has = new boolean[WORLD.traits().size()];
    for (int t : traits) has[t] = true;
    return new GoldScore(has, utility, false, false, false);
  }

  /** 30 s per label at 25 USD per hour; biases in this order. */
  static HumanJudge judge(double accuracy, double fatiguePerHour, double anchoring, Object... biases) {
    Map<String, Double> b = new LinkedHashMap<>();
    for (int i = 0; i < biases.length; i += 2) b.put((String) biases[i], (Double) biases[i + 1]);
    return new HumanJudge(LabelKit.human(accuracy, b, fatiguePerHour, anchoring), WORLD);
  }

  @Test
  void accuracyDecaysLinearlyTowardACoinFlipAndStaysThere() {
    HumanJudge h = judge(0.9, 0.1, 0);
    // a(t) = ½ + 0.4 · max(0, 1 − 0.1 t)
    assertEquals(0.9, h.accuracyAt(0), 1e-15);
    assertEquals(0.5 + 0.4 * 0.75, h.accuracyAt(2.5), 1e-15);
    assertEquals(0.5, h.accuracyAt(10), 1e-15);
    assertEquals(0.5, h.accuracyAt(25), 1e-15); // not below chance: the max(0, ·) holds
    // a labeller worse than chance decays upward toward ½
    assertEquals(0.5 - 0.3 * 0.5, judge(0.2, 0.1, 0).accuracyAt(5), 1e-15);
  }

  @Test
  void biasIsTheSumOfTheBiasesOfTheTraitsPresent() {
    HumanJudge h = judge(0.8, 0, 0, "polite", 0.125, "verbose", 0.25, "toxic", -0.5);
    assertEquals(0.0, h.bias(gold(1)), 0.0);
    assertEquals(0.125, h.bias(gold(1, POLITE)), 0.0);
    assertEquals(0.375, h.bias(gold(1, POLITE, VERBOSE)), 0.0);
    assertEquals(-0.125, h.bias(gold(1, POLITE, VERBOSE, TOXIC)), 0.0);
  }

  @Test
  void acceptProbabilityIsAccuracyOnGoodAndItsComplementOnBadShiftedByBias() {
    HumanJudge h = judge(0.75, 0, 0, "polite", 0.125, "toxic", -0.25);
    // good (utility ≥ 0): a + bias
    assertEquals(0.75, h.pAccept(gold(0.5), 0), 1e-15);
    assertEquals(0.875, h.pAccept(gold(0.5, POLITE), 0), 1e-15);
    assertEquals(0.5, h.pAccept(gold(0.5, TOXIC), 0), 1e-15);
    // bad (utility < 0): 1 − a + bias; a negative bias lowers, a positive raises acceptance
    assertEquals(0.25, h.pAccept(gold(-0.5), 0), 1e-15);
    assertEquals(0.375, h.pAccept(gold(-0.5, POLITE), 0), 1e-15);
    assertEquals(0.0, h.pAccept(gold(-0.5, TOXIC), 0), 1e-15);
    // utility exactly 0 counts as good
    assertEquals(0.75, h.pAccept(gold(0.0), 0), 1e-15);
    assertEquals(0.25, h.pAccept(gold(-Double.MIN_VALUE), 0), 1e-15);
  }

  @Test
  void acceptProbabilityIsClampedToTheUnitInterval() {
    HumanJudge h = judge(0.9, 0, 0, "polite", 0.5, "toxic", -0.5);
    assertEquals(1.0, h.pAccept(gold(1, POLITE), 0), 0.0); // 0.9 + 0.5
    assertEquals(0.0, h.pAccept(gold(-1, TOXIC), 0), 0.0); // 0.1 − 0.5
    assertEquals(0.6, h.pAccept(gold(-1, POLITE), 0), 1e-15); // 0.1 + 0.5, inside
  }

  @Test
  void acceptProbabilityUsesTheTiredAccuracy() {
    HumanJudge h = judge(0.9, 0.1, 0, "polite", 0.0625);
    // after 4 hours a = ½ + 0.4 · 0.6 = 0.74
    assertEquals(0.74 + 0.0625, h.pAccept(gold(1, POLITE), 4), 1e-15);
    assertEquals(0.26 + 0.0625, h.pAccept(gold(-1, POLITE), 4), 1e-15);
  }

  @Test
  void preferProbabilityFollowsGoldOrderAndTheBiasDifference() {
    HumanJudge h = judge(0.8, 0, 0, "polite", 0.125, "verbose", -0.25);
    GoldScore better = gold(1), worse = gold(-1);
    assertEquals(0.8, h.pPreferFirst(better, worse, 0), 1e-15);
    assertEquals(0.2, h.pPreferFirst(worse, better, 0), 1e-15);
    // bias(first) − bias(second): a polite first side gains, a polite second side takes away
    assertEquals(0.925, h.pPreferFirst(gold(1, POLITE), worse, 0), 1e-15);
    assertEquals(0.675, h.pPreferFirst(better, gold(-1, POLITE), 0), 1e-15);
    assertEquals(0.55, h.pPreferFirst(gold(1, VERBOSE), worse, 0), 1e-15);
    assertEquals(0.45, h.pPreferFirst(worse, gold(1, VERBOSE), 0), 1e-15);
    assertEquals(0.2 + 0.125 + 0.25, h.pPreferFirst(gold(-1, POLITE), gold(1, VERBOSE), 0), 1e-15);
    // clamped
    assertEquals(1.0, judge(0.9, 0, 0, "polite", 0.5).pPreferFirst(gold(1, POLITE), worse, 0), 0.0);
    assertEquals(0.0, judge(0.9, 0, 0, "polite", 0.5).pPreferFirst(worse, gold(1, POLITE), 0), 0.0);
  }

  @Test
  void aGoldTieIsACoinFlipWhicheverSideComesFirst() {
    // ties must not become a win for the first (or second) position: that would put a position bias into data
    HumanJudge h = judge(0.95, 0, 0, "polite", 0.125);
    assertEquals(0.5, h.pPreferFirst(gold(0.25), gold(0.25), 0), 0.0);
    assertEquals(0.5, h.pPreferFirst(gold(-2), gold(-2), 0), 0.0);
    assertEquals(0.625, h.pPreferFirst(gold(0.25, POLITE), gold(0.25), 0), 1e-15);
    assertEquals(0.375, h.pPreferFirst(gold(0.25), gold(0.25, POLITE), 0), 1e-15);
    // and a tired labeller's tie is still ½
    assertEquals(0.5, judge(0.95, 0.5, 0).pPreferFirst(gold(1), gold(1), 1), 0.0);
  }

  @Test
  void preferenceIsSymmetricInTheOrderOfTheTwoResponses() {
    HumanJudge h = judge(0.7, 0.05, 0, "polite", 0.125, "toxic", -0.125);
    GoldScore[] g = {gold(1), gold(-1), gold(0.5, POLITE), gold(0.5, TOXIC), gold(0.5), gold(-1, POLITE, TOXIC)};
    for (GoldScore x : g) {
      for (GoldScore y : g) {
        assertEquals(1.0, h.pPreferFirst(x, y, 3) + h.pPreferFirst(y, x, 3), 1e-15, x + " vs " + y);
      }
    }
  }

  /** A stream whose Bernoulli(p) draw is certain for p = 0 and p = 1. */
  static SplittableRandom rng() {
    return new SplittableRandom(3);
  }

  @Test
  void withoutAPreLabelTheOwnJudgementIsTheLabelAtFullTime() {
    HumanJudge h = judge(0.9, 0, 1.0);
    HumanJudge.Decision yes = h.decide(1.0, null, rng(), rng());
    assertEquals(new HumanJudge.Decision(true, false, 30.0), yes);
    assertEquals(new HumanJudge.Decision(false, false, 30.0), h.decide(0.0, null, rng(), rng()));
  }

  @Test
  void confirmingAPreLabelTakesExactlyTheConfirmFractionOfALabel() {
    // anchoring 0: the own judgement decides; agreeing with the pre-label costs 0.4 · 30 s, overriding it 30 s
    HumanJudge free = judge(0.9, 0, 0.0);
    assertEquals(0.4, HumanJudge.CONFIRM_FRACTION, 0.0);
    assertEquals(new HumanJudge.Decision(true, false, 12.0), free.decide(1.0, true, rng(), rng()));
    assertEquals(new HumanJudge.Decision(false, false, 12.0), free.decide(0.0, false, rng(), rng()));
    assertEquals(new HumanJudge.Decision(false, false, 30.0), free.decide(0.0, true, rng(), rng()));
    assertEquals(new HumanJudge.Decision(true, false, 30.0), free.decide(1.0, false, rng(), rng()));
    // anchoring 1: the pre-label is copied whatever the own judgement, at the confirming time
    HumanJudge anchored = judge(0.9, 0, 1.0);
    assertEquals(new HumanJudge.Decision(true, true, 12.0), anchored.decide(0.0, true, rng(), rng()));
    assertEquals(new HumanJudge.Decision(false, true, 12.0), anchored.decide(1.0, false, rng(), rng()));
    // the time scales with secondsPerLabel: 0.4 · s, not 0.4 / s
    HumanJudge slow = new HumanJudge(new HumanSpec(1, 0.9, Map.of(), 50, 25, 0, 0), WORLD);
    assertEquals(20.0, slow.decide(1.0, true, rng(), rng()).seconds(), 1e-12);
    assertEquals(50.0, slow.decide(0.0, true, rng(), rng()).seconds(), 1e-12);
  }

  @Test
  void theOwnJudgementIsDrawnFromItsOwnStreamWhetherOrNotAPreLabelIsShown() {
    // the paired comparison: with and without a pre-label, one stream gives the same own judgement
    HumanJudge h = judge(0.9, 0, 0.0);
    for (long seed = 0; seed < 50; seed++) {
      boolean alone = h.decide(0.5, null, new SplittableRandom(seed), new SplittableRandom(99)).label();
      HumanJudge.Decision shown = h.decide(0.5, !alone, new SplittableRandom(seed), new SplittableRandom(99));
      assertEquals(alone, shown.label(), "seed " + seed);
      assertEquals(30.0, shown.seconds(), 0.0); // it disagreed with the pre-label: full time
    }
  }

  @Test
  void writingTakesThreeLabelsAndCostIsPaidByTheHour() {
    HumanJudge h = judge(0.9, 0, 0);
    assertEquals(90.0, h.writeSeconds(), 0.0);
    assertEquals(25.0, h.usd(3600), 1e-12);
    assertEquals(25.0 / 3600 * 12, h.usd(12), 1e-15);
    assertEquals(0.0, h.usd(0), 0.0);
  }

  @Test
  void aDemonstrationIsOneOfTheTwoDraftsAndFollowsThePreference() {
    // a perfect, unbiased labeller submits the gold-better draft of the two it writes (or either on a tie)
    HumanJudge perfect = judge(1.0, 0, 0);
    SplittableRandom prompts = new SplittableRandom(5);
    int better = 0, worse = 0;
    for (int i = 0; i < 200; i++) {
      var prompt = WORLD.samplePrompt(prompts);
      SplittableRandom replay = new SplittableRandom(1000 + i);
      int[] first = WORLD.sampleResponse(withHighTag(prompt), replay).sequence();
      int[] second = WORLD.sampleResponse(withHighTag(prompt), replay).sequence();
      int[] chosen = perfect.demonstrate(prompt, 0, new SplittableRandom(1000 + i));
      assertTrue(java.util.Arrays.equals(chosen, first) || java.util.Arrays.equals(chosen, second), "draft " + i);
      double uc = WORLD.oracle().score(chosen).utility();
      double u1 = WORLD.oracle().score(first).utility(), u2 = WORLD.oracle().score(second).utility();
      if (u1 != u2) {
        assertEquals(Math.max(u1, u2), uc, 0.0, "pair " + i);
        better++;
      } else {
        worse++;
      }
    }
    assertTrue(better > 20, "pairs with a gold preference: " + better + " (ties " + worse + ")");
    // a labeller that always prefers the worse side (accuracy 0) submits the worse one
    HumanJudge contrary = judge(0.0, 0, 0);
    var prompt = WORLD.samplePrompt(new SplittableRandom(8));
    int checked = 0;
    for (int i = 0; i < 200 && checked < 10; i++) {
      SplittableRandom replay = new SplittableRandom(i);
      int[] first = WORLD.sampleResponse(withHighTag(prompt), replay).sequence();
      int[] second = WORLD.sampleResponse(withHighTag(prompt), replay).sequence();
      double u1 = WORLD.oracle().score(first).utility(), u2 = WORLD.oracle().score(second).utility();
      if (u1 == u2) continue;
      checked++;
      double uc = WORLD.oracle().score(contrary.demonstrate(prompt, 0, new SplittableRandom(i))).utility();
      assertEquals(Math.min(u1, u2), uc, 0.0);
    }
    assertEquals(10, checked);
  }

  static io.priorflow.engine.world.Prompt withHighTag(io.priorflow.engine.world.Prompt p) {
    return new io.priorflow.engine.world.Prompt(io.priorflow.engine.world.Tag.HIGH, p.kind(), p.tokens(), p.entity(),
        p.attribute(), p.answer());
  }

  @Test
  void noBiasMapMeansNoBias() {
    HumanSpec spec = new HumanSpec(1, 0.75, null, 30, 25, 0, 0);
    HumanJudge h = new HumanJudge(spec, WORLD);
    assertEquals(spec, h.spec());
    assertEquals(0.0, h.bias(gold(1, POLITE, TOXIC)), 0.0);
    assertEquals(0.75, h.pAccept(gold(1, POLITE), 0), 1e-15);
  }

  @Test
  void aBiasOnATraitTheWorldDoesNotHaveIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> judge(0.9, 0, 0, "no-such-trait", 0.1));
  }
}
