package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * DPO, KTO and the Bradley–Terry reward model, each against its definition: an optimizer step of the trainer is
 * exactly {@link ModelTraining#stepSum} (or {@code stepScores}) with the coefficients its Javadoc gives, computed here
 * from the models' log-probabilities; the statistics after training are those of the definitions; and bad inputs are
 * refused with their values.
 */
class PreferenceTrainersTest {

  private final KernelBackend be = new ReferenceBackend();
  private static final OptimizerConfig OPT = OptimizerConfig.defaults();
  /** Four (prompt, response) sequences of different lengths; the response starts at 2 or 3. */
  private static final List<int[]> SEQS = List.of(new int[] {1, 2, 5, 6}, new int[] {1, 2, 7}, new int[] {1, 3, 4, 5, 6},
      new int[] {1, 3, 8, 8, 2});
  private static final int[] FROM = {2, 2, 3, 2};

  private static TokenModel model(TokenModelConfig.Head head, long seed) {
    return TokenModel.initialize(new TokenModelConfig(head, 9, 2, 4, List.of(8), TokenModelConfig.Activation.GELU, 0),
        new SplittableRandom(seed));
  }

  private static void refused(String message, Executable e) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  private double logProb(TokenModel m, int i) {
    return m.logProbs(be, List.of(SEQS.get(i)), new int[] {FROM[i]})[0];
  }

  /** The epoch order the trainers draw: the first split of their stream. */
  private static int[] firstOrder(int n, long seed) {
    return TrainSettings.permutation(n, new SplittableRandom(seed).split());
  }

  // ---- DPO -------------------------------------------------------------------------------------------------------

  @Test
  void oneDpoStepIsTheWeightedLogProbabilityStepOfItsJavadoc() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN, 1), ref = model(TokenModelConfig.Head.TOKEN, 2);
    PreferencePairs pairs = new PreferencePairs(new int[] {0, 2, 3}, new int[] {1, 3, 1});
    double beta = 0.7;
    TrainSettings s = new TrainSettings(1, 3, 0.05, "constant", 0, OPT, null);
    TrainOutcome out = DpoTrainer.train(start, ref, SEQS, FROM, new TrainParams.Dpo(pairs, null, beta), s, be,
        new SplittableRandom(9));
    // z_p = β·[(log π − log π_ref)(chosen) − (log π − log π_ref)(rejected)]; chosen positions +β·σ(−z)/P, rejected −
    int[] order = firstOrder(3, 9);
    double[] refLp = ref.logProbs(be, SEQS, FROM);
    List<int[]> both = new ArrayList<>();
    int[] bothFrom = new int[6];
    for (int j = 0; j < 3; j++) {
      both.add(SEQS.get(pairs.chosen(order[j])));
      both.add(SEQS.get(pairs.rejected(order[j])));
      bothFrom[2 * j] = FROM[pairs.chosen(order[j])];
      bothFrom[2 * j + 1] = FROM[pairs.rejected(order[j])];
    }
    double[] lp = start.logProbs(be, both, bothFrom);
    List<int[]> seqs = new ArrayList<>();
    List<float[]> weights = new ArrayList<>();
    double loss = 0;
    for (int j = 0; j < 3; j++) {
      int p = order[j], w = pairs.chosen(p), l = pairs.rejected(p);
      double z = beta * ((lp[2 * j] - refLp[w]) - (lp[2 * j + 1] - refLp[l]));
      loss += Math.log1p(Math.exp(-z));
      float c = (float) (beta * RewardModelTrainer.sigmoid(-z) / 3);
      seqs.add(SEQS.get(w));
      weights.add(DpoTrainer.responseWeights(SEQS.get(w).length, FROM[w], c));
      seqs.add(SEQS.get(l));
      weights.add(DpoTrainer.responseWeights(SEQS.get(l).length, FROM[l], -c));
    }
    try (ModelTraining tr = new ModelTraining(start, OPT, be)) {
      tr.stepSum(new SequenceBatch(seqs, weights), 0.05f);
      assertEquals(tr.toModel().id(), out.model().id());
    }
    assertEquals(loss / 3, out.firstLoss(), 1e-6);
    assertEquals(1, out.steps());
    assertEquals((2 + 1) + (2 + 3) + (3 + 1), out.tokens(), "the response positions of chosen and rejected");
  }

  @Test
  void dpoStatisticsAreTheShareOfPositiveMarginsAndTheirMean() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN, 1), ref = model(TokenModelConfig.Head.TOKEN, 2);
    PreferencePairs pairs = new PreferencePairs(new int[] {0, 2, 3, 1}, new int[] {1, 3, 1, 0});
    double beta = 0.5;
    TrainOutcome out = DpoTrainer.train(start, ref, SEQS, FROM, new TrainParams.Dpo(pairs, null, beta),
        new TrainSettings(0, 2, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(9));
    double right = 0, margin = 0;
    for (int p = 0; p < 4; p++) {
      int w = pairs.chosen(p), l = pairs.rejected(p);
      double d = (logProb(start, w) - logProb(ref, w)) - (logProb(start, l) - logProb(ref, l));
      right += d > 0 ? 1 : 0;
      margin += d;
    }
    assertTrue(right > 0 && right < 4, "the start model prefers some chosen responses and not others: " + right);
    // against itself every margin is exactly 0, which is not a preference
    TrainOutcome self = DpoTrainer.train(start, start, SEQS, FROM, new TrainParams.Dpo(pairs, null, beta),
        new TrainSettings(0, 2, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(9));
    assertEquals(0.0, self.stats().get(DpoTrainer.ACCURACY));
    assertEquals(0.0, self.stats().get(DpoTrainer.MARGIN));
    assertEquals(right / 4, out.stats().get(DpoTrainer.ACCURACY));
    assertEquals(margin / 4, out.stats().get(DpoTrainer.MARGIN), 1e-6);
  }

  @Test
  void dpoWithNoResponsePositionsTakesNoStep() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN, 1);
    int[] atEnd = {4, 3, 5, 5};
    TrainOutcome out = DpoTrainer.train(start, start, SEQS, atEnd,
        new TrainParams.Dpo(new PreferencePairs(new int[] {0}, new int[] {1}), null, 0.5),
        new TrainSettings(2, 1, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(9));
    assertEquals(0, out.steps());
    assertEquals(start, out.model());
  }

  @Test
  void dpoRefusesBadInputs() {
    TokenModel token = model(TokenModelConfig.Head.TOKEN, 1), scalar = model(TokenModelConfig.Head.SCALAR, 1);
    TrainSettings s = new TrainSettings(1, 1, 0.05, "constant", 0, OPT, null);
    TrainParams.Dpo ok = new TrainParams.Dpo(new PreferencePairs(new int[] {0}, new int[] {1}), null, 0.5);
    refused("4 sequences but 3 start positions", () -> DpoTrainer.train(token, token, SEQS, new int[] {1, 1, 1}, ok,
        s, be, new SplittableRandom(1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DpoTrainer.train(scalar, token, SEQS, FROM, ok, s, be, new SplittableRandom(1)));
    assertTrue(e.getMessage().startsWith("the policy must be a token-head model, but "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" has the SCALAR head"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DpoTrainer.train(token, scalar, SEQS, FROM, ok, s, be, new SplittableRandom(1)));
    assertTrue(e.getMessage().startsWith("the reference must be a token-head model"), e.getMessage());
    refused("preference pair 0 is (0, 4), but there are 4 sequences", () -> DpoTrainer.train(token, token, SEQS, FROM,
        new TrainParams.Dpo(new PreferencePairs(new int[] {0}, new int[] {4}), null, 0.5), s, be,
        new SplittableRandom(1)));
  }

  // ---- KTO -------------------------------------------------------------------------------------------------------

  @Test
  void oneKtoStepIsTheWeightedLogProbabilityStepOfItsJavadoc() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN, 1), ref = model(TokenModelConfig.Head.TOKEN, 2);
    boolean[] desirable = {true, false, true, true};
    TrainParams.Kto params = new TrainParams.Kto(desirable, null, 0.8, 1.0, 1.5);
    TrainOutcome out = KtoTrainer.train(start, ref, SEQS, FROM, params,
        new TrainSettings(1, 4, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(4));
    int[] order = firstOrder(4, 4);
    double[] refLp = ref.logProbs(be, SEQS, FROM);
    double[] r = KtoTrainer.rewards(start, SEQS, FROM, order, refLp, be);
    double z0 = KtoTrainer.referencePoint(start, ref, SEQS, FROM, order, be);
    boolean[] flags = new boolean[4];
    for (int j = 0; j < 4; j++) flags[j] = desirable[order[j]];
    double[] dr = new double[4];
    double loss = KtoTrainer.loss(r, flags, z0, params, dr);
    List<int[]> seqs = new ArrayList<>();
    List<float[]> weights = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      seqs.add(SEQS.get(order[j]));
      weights.add(DpoTrainer.responseWeights(SEQS.get(order[j]).length, FROM[order[j]], (float) -dr[j]));
    }
    try (ModelTraining tr = new ModelTraining(start, OPT, be)) {
      tr.stepSum(new SequenceBatch(seqs, weights), 0.05f);
      assertEquals(tr.toModel().id(), out.model().id());
    }
    assertEquals(loss, out.firstLoss(), 1e-12);
    assertEquals(2 + 1 + 2 + 3, out.tokens());
  }

  @Test
  void theKtoLossMeasuresEachRewardFromTheReferencePoint() {
    // desirable: λ_D·(1 − σ(β(r − z0))); undesirable: λ_U·(1 − σ(β(z0 − r))); averaged
    TrainParams.Kto p = new TrainParams.Kto(new boolean[] {true, false}, null, 2, 1.0, 3.0);
    double[] d = new double[2];
    double loss = KtoTrainer.loss(new double[] {0.5, 0.1}, new boolean[] {true, false}, 0.3, p, d);
    double u = 2 * (0.5 - 0.3), w = 2 * (0.3 - 0.1);
    assertEquals((1.0 * (1 - sigma(u)) + 3.0 * (1 - sigma(w))) / 2, loss, 1e-15);
    assertEquals(-1.0 * 2 * sigma(u) * sigma(-u) / 2, d[0], 1e-15);
    assertEquals(3.0 * 2 * sigma(w) * sigma(-w) / 2, d[1], 1e-15);
  }

  private static double sigma(double x) { return 1 / (1 + Math.exp(-x)); }

  @Test
  void ktoStatisticsAreTheShareOnTheRightSideOfTheReferencePointAndTheMarginOfMeans() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN, 1), ref = model(TokenModelConfig.Head.TOKEN, 2);
    boolean[] desirable = {true, false, true, false};
    TrainOutcome out = KtoTrainer.train(start, ref, SEQS, FROM, new TrainParams.Kto(desirable, null, 0.5, 1, 1),
        new TrainSettings(0, 2, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(4));
    int[] all = {0, 1, 2, 3};
    double z0 = KtoTrainer.referencePoint(start, ref, SEQS, FROM, all, be);
    double right = 0, sumD = 0, sumU = 0;
    for (int i = 0; i < 4; i++) {
      double r = logProb(start, i) - logProb(ref, i);
      right += desirable[i] == (r > z0) ? 1 : 0;
      if (desirable[i]) sumD += r; else sumU += r;
    }
    assertEquals(right / 4, out.stats().get(KtoTrainer.ACCURACY));
    assertEquals(sumD / 2 - sumU / 2, out.stats().get(KtoTrainer.MARGIN), 1e-6);
    assertEquals(z0, out.stats().get(KtoTrainer.KL), 1e-12);
    // against itself every reward is 0 = z0: only the undesirable side is right; one side alone has no margin
    boolean[] three = {true, false, true, true};
    TrainOutcome self = KtoTrainer.train(start, start, SEQS, FROM, new TrainParams.Kto(three, null, 0.5, 1, 1),
        new TrainSettings(0, 2, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(4));
    assertEquals(0.25, self.stats().get(KtoTrainer.ACCURACY));
    TrainOutcome allGood = KtoTrainer.train(start, ref, SEQS, FROM,
        new TrainParams.Kto(new boolean[] {true, true, true, true}, null, 0.5, 1, 1),
        new TrainSettings(0, 2, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(4));
    assertTrue(Double.isNaN(allGood.stats().get(KtoTrainer.MARGIN)));
  }

  @Test
  void ktoRefusesBadInputsAndSkipsEmptyResponses() {
    TokenModel token = model(TokenModelConfig.Head.TOKEN, 1), scalar = model(TokenModelConfig.Head.SCALAR, 1);
    TrainSettings s = new TrainSettings(1, 2, 0.05, "constant", 0, OPT, null);
    TrainParams.Kto p = new TrainParams.Kto(new boolean[] {true, false, true, false}, null, 0.5, 1, 1);
    refused("nothing to train on (the dataset is empty)", () -> KtoTrainer.train(token, token, List.of(), new int[0], p,
        s, be, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> KtoTrainer.train(scalar, token, SEQS, FROM, p, s, be,
        new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> KtoTrainer.train(token, scalar, SEQS, FROM, p, s, be,
        new SplittableRandom(1)));
    refused("4 sequences but 2 desirable flags", () -> KtoTrainer.train(token, token, SEQS, FROM,
        new TrainParams.Kto(new boolean[] {true, false}, null, 0.5, 1, 1), s, be, new SplittableRandom(1)));
    refused("example 1 has its response at 0, expected 1..3 (a prompt of at least one token)",
        () -> KtoTrainer.train(token, token, SEQS, new int[] {2, 0, 3, 2}, p, s, be, new SplittableRandom(1)));
    refused("example 2 has its response at 6, expected 1..5 (a prompt of at least one token)",
        () -> KtoTrainer.train(token, token, SEQS, new int[] {2, 2, 6, 2}, p, s, be, new SplittableRandom(1)));
    TrainOutcome none = KtoTrainer.train(token, token, SEQS, new int[] {4, 3, 5, 5}, p, s, be,
        new SplittableRandom(1));
    assertEquals(0, none.steps(), "every response empty: nothing to step on");
    assertEquals(token, none.model());
  }

  // ---- Bradley–Terry reward model --------------------------------------------------------------------------------

  @Test
  void rewardModelStepsAreBradleyTerryStepsOnTheTrainingPairsInOrder() {
    TokenModel start = model(TokenModelConfig.Head.SCALAR, 3);
    PreferencePairs pairs = new PreferencePairs(new int[] {0, 2, 3, 1, 0}, new int[] {1, 3, 1, 0, 2});
    TrainSettings s = new TrainSettings(2, 1, 0.05, "constant", 0, OPT, null);
    TrainOutcome out = RewardModelTrainer.train(start, SEQS, FROM, new TrainParams.RewardBt(pairs, 0.4), s, be,
        new SplittableRandom(6));
    // held out: the first round(0.4·5) = 2 pairs of a permutation from the first split; training: the rest, sorted;
    // epochs ordered by the second split
    SplittableRandom rng = new SplittableRandom(6);
    int[] perm = TrainSettings.permutation(5, rng.split());
    int[] train = java.util.Arrays.copyOfRange(perm, 2, 5);
    java.util.Arrays.sort(train);
    SplittableRandom orderRng = rng.split();
    long tokens = 0;
    try (ModelTraining tr = new ModelTraining(start, OPT, be)) {
      for (int epoch = 0; epoch < 2; epoch++) {
        for (int item : TrainSettings.permutation(3, orderRng)) {
          int p = train[item];
          List<int[]> batch = List.of(SEQS.get(pairs.chosen(p)), SEQS.get(pairs.rejected(p)));
          int[] from = {FROM[pairs.chosen(p)], FROM[pairs.rejected(p)]};
          tokens += batch.get(0).length - from[0] + batch.get(1).length - from[1];
          tr.stepScores(batch, from, RewardModelTrainer::bradleyTerry, 0.05f);
        }
      }
      assertEquals(tr.toModel().id(), out.model().id());
    }
    assertEquals(tokens, out.tokens());
    assertEquals(6, out.steps());
    assertEquals(2.0, out.stats().get(RewardModelTrainer.HELDOUT_PAIRS));
    int[] test = java.util.Arrays.copyOfRange(perm, 0, 2);
    assertEquals(RewardModelTrainer.agreement(out.model(), SEQS, FROM, pairs, test, be),
        out.stats().get(RewardModelTrainer.HELDOUT_AGREEMENT));
    TrainOutcome noneHeld = RewardModelTrainer.train(start, SEQS, FROM, new TrainParams.RewardBt(pairs, 0), s, be,
        new SplittableRandom(6));
    assertFalse(noneHeld.stats().containsKey(RewardModelTrainer.HELDOUT_AGREEMENT), "no held-out pairs, no agreement");
    assertEquals(0.0, noneHeld.stats().get(RewardModelTrainer.HELDOUT_PAIRS));
  }

  @Test
  void agreementCountsTiesAsHalfAndNothingAsNaN() {
    TokenModel m = model(TokenModelConfig.Head.SCALAR, 3);
    float[] s = m.scores(be, SEQS, FROM);
    PreferencePairs pairs = new PreferencePairs(new int[] {0, 1, 2}, new int[] {1, 0, 2});
    // pair 2 is a sequence against itself: a tie
    double expected = ((s[0] > s[1] ? 1 : 0) + (s[1] > s[0] ? 1 : 0) + 0.5) / 3;
    assertEquals(expected, RewardModelTrainer.agreement(m, SEQS, FROM, pairs, new int[] {0, 1, 2}, be));
    assertEquals(0.5, RewardModelTrainer.agreement(m, SEQS, FROM, pairs, new int[] {2}, be));
    assertTrue(Double.isNaN(RewardModelTrainer.agreement(m, SEQS, FROM, pairs, new int[0], be)));
    assertEquals(1.0, RewardModelTrainer.sigmoid(800));
    assertEquals(0.0, RewardModelTrainer.sigmoid(-800));
    assertEquals(0.5, RewardModelTrainer.sigmoid(0));
  }

  @Test
  void rewardModelRefusesBadInputs() {
    TokenModel scalar = model(TokenModelConfig.Head.SCALAR, 3), token = model(TokenModelConfig.Head.TOKEN, 3);
    TrainSettings s = new TrainSettings(1, 1, 0.05, "constant", 0, OPT, null);
    TrainParams.RewardBt ok = new TrainParams.RewardBt(new PreferencePairs(new int[] {0, 2}, new int[] {1, 3}), 0);
    refused("4 sequences but 1 start positions", () -> RewardModelTrainer.train(scalar, SEQS, new int[] {1}, ok, s,
        be, new SplittableRandom(1)));
    refused("a reward model needs the SCALAR head, was TOKEN", () -> RewardModelTrainer.train(token, SEQS, FROM, ok, s,
        be, new SplittableRandom(1)));
    refused("LoRA trains token-head models only, not reward_bt", () -> RewardModelTrainer.train(scalar, SEQS, FROM, ok,
        new TrainSettings(1, 1, 0.05, "constant", 0, OPT, new LoraConfig(2, 4)), be, new SplittableRandom(1)));
    refused("preference pair 1 is (2, 5), but there are 4 sequences", () -> RewardModelTrainer.train(scalar, SEQS,
        FROM, new TrainParams.RewardBt(new PreferencePairs(new int[] {0, 2}, new int[] {1, 5}), 0), s, be,
        new SplittableRandom(1)));
    refused("holding out 2 of 2 pairs leaves none to train on", () -> RewardModelTrainer.train(scalar, SEQS, FROM,
        new TrainParams.RewardBt(new PreferencePairs(new int[] {0, 2}, new int[] {1, 3}), 0.75), s, be,
        new SplittableRandom(1)));
    TrainOutcome one = RewardModelTrainer.train(scalar, SEQS, FROM,
        new TrainParams.RewardBt(new PreferencePairs(new int[] {0, 2}, new int[] {1, 3}), 0.5), s, be,
        new SplittableRandom(1));
    assertEquals(1.0, one.stats().get(RewardModelTrainer.HELDOUT_PAIRS), "round(0.5·2) = 1 of 2 held out");
  }
}
