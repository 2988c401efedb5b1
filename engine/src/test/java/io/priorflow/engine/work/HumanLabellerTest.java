package io.priorflow.engine.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.label.Agreement;
import io.priorflow.engine.label.HumanJudge;
import io.priorflow.engine.label.LabelKit;
import io.priorflow.engine.label.Overlap;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.GoldOracle;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Traits;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HumanLabellerTest {
  static final World WORLD = LabelKit.WORLD;
  static final GoldOracle ORACLE = WORLD.oracle();
  static final WorkContext CTX = LabelKit.context(WORLD);
  static final int POLITE = WORLD.traits().indexOf(Traits.POLITE);
  static final int VERBOSE = WORLD.traits().indexOf(Traits.VERBOSE);

  /** n pairs of world responses to one wild prompt each. */
  record Pairs(List<int[]> first, List<int[]> second) {
    static Pairs draw(int n, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Prompt p = WORLD.samplePrompt(rng);
        a.add(WORLD.sampleResponse(p, rng).sequence());
        b.add(WORLD.sampleResponse(p, rng).sequence());
      }
      return new Pairs(a, b);
    }

    Pairs slice(int from, int to) {
      return new Pairs(first.subList(from, to), second.subList(from, to));
    }

    int goldOrder(int i) {
      return Double.compare(ORACLE.score(first.get(i)).utility(), ORACLE.score(second.get(i)).utility());
    }
  }

  static PreferResult prefer(String id, HumanSpec h, double hoursBefore, Pairs pairs, boolean[] pre) {
    return (PreferResult) Actors.perform(new PreferWork(id, "human-0", h, hoursBefore, pairs.first(), pairs.second(),
        pre), CTX);
  }

  /** Share of pairs with a gold preference where the human agreed with it. */
  static double agreementWithGold(Pairs pairs, PreferResult r) {
    int n = 0, agree = 0;
    for (int i = 0; i < pairs.first().size(); i++) {
      int g = pairs.goldOrder(i);
      if (g == 0) continue;
      n++;
      if ((g > 0) == r.preferFirst()[i]) agree++;
    }
    return agree / (double) n;
  }

  @Test
  void aPerfectLabellerPrefersTheGoldBetterResponse() {
    Pairs pairs = Pairs.draw(200, 1);
    PreferResult r = prefer("t/g1/prefer/0", LabelKit.human(1.0, Map.of(), 0, 0), 0, pairs, null);
    assertEquals(1.0, agreementWithGold(pairs, r));
    assertEquals(200 * 30.0, r.seconds(), 1e-9);
    assertEquals(200 * 30.0 / 3600 * 25, r.usd(), 1e-9);
  }

  @Test
  void aPoliteBiasTiltsPreferencesTowardPoliteResponses() {
    Pairs pairs = Pairs.draw(1500, 2);
    // a coin-flipping labeller (accuracy ½) with bias +0.3 prefers the polite side of a mixed pair with p = 0.8
    PreferResult biased = prefer("t/g1/prefer/1", LabelKit.human(0.5, Map.of("polite", 0.3), 0, 0), 0, pairs, null);
    PreferResult fair = prefer("t/g1/prefer/1", LabelKit.human(0.5, Map.of(), 0, 0), 0, pairs, null);
    double[] biasedRate = politeWins(pairs, biased), fairRate = politeWins(pairs, fair);
    System.out.printf("polite side preferred: biased %.3f, unbiased %.3f over %d mixed pairs%n", biasedRate[0],
        fairRate[0], (int) biasedRate[1]);
    assertEquals(0.8, biasedRate[0], 0.06);
    assertEquals(0.5, fairRate[0], 0.08);
  }

  /** {share of mixed pairs (one side polite) won by the polite side, number of mixed pairs}. */
  static double[] politeWins(Pairs pairs, PreferResult r) {
    int n = 0, wins = 0;
    for (int i = 0; i < pairs.first().size(); i++) {
      boolean a = ORACLE.score(pairs.first().get(i)).has(POLITE), b = ORACLE.score(pairs.second().get(i)).has(POLITE);
      if (a == b) continue;
      n++;
      if (a == r.preferFirst()[i]) wins++;
    }
    return new double[] {wins / (double) n, n};
  }

  @Test
  void fatigueLowersAgreementWithGoldOverASession() {
    // 1200 pairs at 30 s each: a 10-hour session; a(t) = ½ + 0.45 · (1 − 0.08 t)
    Pairs pairs = Pairs.draw(1200, 3);
    PreferResult r = prefer("t/g1/prefer/2", LabelKit.human(0.95, Map.of(), 0.08, 0), 0, pairs, null);
    double first = agreementWithGold(pairs.slice(0, 200), slice(r, 0, 200));
    double last = agreementWithGold(pairs.slice(1000, 1200), slice(r, 1000, 1200));
    System.out.printf("agreement with gold: first 200 pairs %.3f, last 200 pairs %.3f%n", first, last);
    assertTrue(first > 0.85, "first " + first);
    assertTrue(last < 0.72, "last " + last);
    // an item that starts later in the session starts tired
    double later = agreementWithGold(pairs.slice(0, 200), prefer("t/g1/prefer/3", LabelKit.human(0.95, Map.of(),
        0.08, 0), 9, pairs.slice(0, 200), null));
    assertTrue(later < 0.72, "after 9 hours " + later);
  }

  static PreferResult slice(PreferResult r, int from, int to) {
    return new PreferResult(r.id(), java.util.Arrays.copyOfRange(r.preferFirst(), from, to), 0, 0);
  }

  @Test
  void overlappedItemsMeasureAgreementAndItFallsWithAccuracy() {
    Pairs pairs = Pairs.draw(600, 4);
    double[] kappa = new double[2];
    double[] accuracy = {0.95, 0.7};
    for (int v = 0; v < 2; v++) {
      Overlap plan = Overlap.assign(600, 3, 0.5, 3, new SplittableRandom(7));
      HumanSpec h = LabelKit.human(accuracy[v], Map.of(), 0, 0);
      // each labeller gets one work item with its share of the pairs, in item order
      int[][] labels = new int[600][];
      for (int who = 0; who < 3; who++) {
        List<Integer> mine = plan.byLabeller().get(who);
        Pairs part = new Pairs(mine.stream().map(pairs.first()::get).toList(),
            mine.stream().map(pairs.second()::get).toList());
        PreferResult r = prefer("t/g1/prefer-overlap/" + who, h, 0, part, null);
        for (int q = 0; q < mine.size(); q++) {
          int j = mine.get(q), slot = plan.byItem().get(j).indexOf(who);
          if (labels[j] == null) labels[j] = new int[plan.byItem().get(j).size()];
          labels[j][slot] = r.preferFirst()[q] ? 1 : 0;
        }
      }
      int[][] overlapped = plan.overlapped().stream().map(j -> labels[j]).toArray(int[][]::new);
      Agreement.Report report = Agreement.of(overlapped, 2);
      assertEquals(300, report.items());
      kappa[v] = report.fleiss();
    }
    System.out.printf("Fleiss kappa of 3 labellers on 300 pairs: accuracy 0.95 -> %.3f, 0.7 -> %.3f%n", kappa[0],
        kappa[1]);
    assertTrue(kappa[0] > 0.5, "accurate labellers agree: " + kappa[0]);
    assertTrue(kappa[1] < kappa[0] - 0.3, "less accurate labellers agree less: " + kappa[1]);
  }

  @Test
  void demonstrationsBeatTheWildAndCarryTheWritersBiases() {
    List<Example> wild = LabelKit.examples(WORLD, 800, 5);
    List<Prompt> prompts = wild.stream().map(Example::prompt).toList();
    DemonstrateResult fair = (DemonstrateResult) Actors.perform(new DemonstrateWork("t/g1/demo/0", "human-0",
        LabelKit.human(0.9, Map.of(), 0, 0), 0, prompts), CTX);
    DemonstrateResult verbose = (DemonstrateResult) Actors.perform(new DemonstrateWork("t/g1/demo/0", "human-0",
        LabelKit.human(0.9, Map.of("verbose", 0.4), 0, 0), 0, prompts), CTX);
    double wildUtility = wild.stream().mapToDouble(e -> ORACLE.score(e.sequence()).utility()).average().orElseThrow();
    double fairUtility = fair.sequences().stream().mapToDouble(s -> ORACLE.score(s).utility()).average().orElseThrow();
    double fairVerbose = fair.sequences().stream().filter(s -> ORACLE.score(s).has(VERBOSE)).count() / 800.0;
    double biasedVerbose = verbose.sequences().stream().filter(s -> ORACLE.score(s).has(VERBOSE)).count() / 800.0;
    System.out.printf("utility: wild %.3f, demonstrations %.3f; verbose: unbiased writer %.3f, favouring long "
        + "answers %.3f%n", wildUtility, fairUtility, fairVerbose, biasedVerbose);
    assertTrue(fairUtility > wildUtility + 0.3);
    assertTrue(biasedVerbose > fairVerbose + 0.02, "a writer who favours long answers writes longer ones");
    for (int i = 0; i < 800; i++) {
      int[] p = prompts.get(i).tokens(), s = fair.sequences().get(i);
      assertArrayEquals(p, java.util.Arrays.copyOf(s, p.length), "the demonstration answers the prompt as asked");
    }
    assertEquals(800 * HumanJudge.WRITE_FACTOR * 30, fair.seconds(), 1e-6);
  }

  /**
   * The defining property of model-assisted labelling, on a fixed set of 1200 world responses whose AI pre-labels
   * are right 80% of the time: time per item falls, and anchoring raises the error rate on wrong pre-labels. Same
   * item ids with and without pre-labels, so the humans' own judgements are the same draws (a paired comparison).
   */
  @Test
  void modelAssistedLabellingIsFasterButAnchorsOnWrongPreLabels() {
    List<Example> ex = LabelKit.examples(WORLD, 1200, 6);
    boolean[] good = new boolean[ex.size()];
    for (int i = 0; i < good.length; i++) good[i] = ORACLE.score(ex.get(i).sequence()).utility() >= 0;
    HumanSpec h = LabelKit.human(0.9, Map.of(), 0, 0.3);
    boolean[] pre80 = preLabels(good, 0.8, 8), pre95 = preLabels(good, 0.95, 8);
    Measured plain = labelAll(ex, h, null, pre80, good);
    Measured assisted = labelAll(ex, h, pre80, pre80, good);
    Measured better = labelAll(ex, h, pre95, pre95, good);
    System.out.printf("seconds per item: unassisted %.1f, pre-labels 80%% right %.1f, 95%% right %.1f%n",
        plain.secondsPerItem, assisted.secondsPerItem, better.secondsPerItem);
    System.out.printf("error on wrong pre-labels: unassisted %.3f, assisted %.3f (expected 0.1 and 0.37)%n",
        plain.errorOnWrong, assisted.errorOnWrong);
    assertEquals(30.0, plain.secondsPerItem, 1e-9);
    assertTrue(assisted.secondsPerItem < 0.6 * plain.secondsPerItem, "assisted is faster");
    assertTrue(better.secondsPerItem < assisted.secondsPerItem, "better pre-labels, faster still");
    assertEquals(0.10, plain.errorOnWrong, 0.05);
    assertEquals(0.37, assisted.errorOnWrong, 0.07);
    assertTrue(assisted.errorOnWrong > plain.errorOnWrong + 0.15, "anchoring copies wrong pre-labels");
  }

  record Measured(double secondsPerItem, double errorOnWrong) {}

  /**
   * Labels the examples in items of 100, showing {@code shown} pre-labels (null: unassisted), and measures the error
   * rate on the items whose pre-label in {@code reference} is wrong.
   */
  static Measured labelAll(List<Example> ex, HumanSpec h, boolean[] shown, boolean[] reference, boolean[] good) {
    double seconds = 0;
    int wrongPre = 0, errors = 0;
    for (int from = 0, k = 0; from < ex.size(); from += 100, k++) {
      List<Example> part = ex.subList(from, from + 100);
      boolean[] prePart = shown == null ? null : java.util.Arrays.copyOfRange(shown, from, from + 100);
      LabelResult r = (LabelResult) Actors.perform(new LabelWork("t/g1/assist/" + k, "human-" + k, h, 0,
          part.stream().map(Example::prompt).toList(), part.stream().map(Example::sequence).toList(), "rate",
          prePart), CTX);
      seconds += r.seconds();
      for (int q = 0; q < 100; q++) {
        int i = from + q;
        if (reference[i] != good[i]) {
          wrongPre++;
          if (r.accepted()[q] != good[i]) errors++;
        }
      }
    }
    return new Measured(seconds / ex.size(), errors / (double) wrongPre);
  }

  /** The gold verdicts, each flipped with probability 1 − quality. */
  static boolean[] preLabels(boolean[] good, double quality, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] pre = new boolean[good.length];
    for (int i = 0; i < good.length; i++) pre[i] = rng.nextDouble() < quality == good[i];
    return pre;
  }

  @Test
  void labellingIsAPureFunctionOfTheItem() {
    Pairs pairs = Pairs.draw(50, 9);
    HumanSpec h = LabelKit.human(0.8, Map.of("polite", 0.1), 0.05, 0.2);
    boolean[] pre = new boolean[50];
    PreferResult a = prefer("t/g2/prefer/0", h, 1, pairs, pre);
    PreferResult b = prefer("t/g2/prefer/0", h, 1, pairs, pre);
    assertArrayEquals(a.preferFirst(), b.preferFirst());
    assertEquals(a.seconds(), b.seconds());
  }

  @Test
  void rejectsMismatchedPreLabels() {
    Pairs pairs = Pairs.draw(3, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prefer("t/g1/prefer/9", LabelKit.human(0.9, Map.of(), 0, 0), 0, pairs, new boolean[2]));
    assertEquals("t/g1/prefer/9: 3 items but 2 pre-labels", e.getMessage());
  }
}
