package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Supervised training on tiny models, checked against what the loss definitions give by hand: at learning rate 0
 * the reported loss is the start model's own (mean cross-entropy per position; mean ½(score − target)²), the tokens
 * are the positions trained on, and the steps are batches × epochs.
 */
class SupervisedTrainerTest {

  private final KernelBackend be = new ReferenceBackend();
  private static final OptimizerConfig OPT = OptimizerConfig.defaults();
  private static final List<int[]> SEQS = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {2, 3, 4, 5, 6, 7});

  private static TokenModel model(TokenModelConfig.Head head) {
    return TokenModel.initialize(new TokenModelConfig(head, 9, 2, 4, List.of(8), TokenModelConfig.Activation.GELU,
        0), new SplittableRandom(5));
  }

  private static TrainSettings settings(int epochs, int batchSize, double lr) {
    return new TrainSettings(epochs, batchSize, lr, "constant", 0, OPT, null);
  }

  /** Mean −log p over a sequence's positions from max(1, from). */
  private double meanNll(TokenModel m, int[] seq, int from) {
    float[] lp = m.tokenLogProbs(be, List.of(seq), new int[] {Math.max(1, from)})[0];
    double s = 0;
    for (float x : lp) s -= x;
    return s / lp.length;
  }

  @Test
  void atLearningRateZeroTheLossIsTheStartModelsMeanCrossEntropyPerBatch() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN);
    int[] from = {2, 0};
    // batches of one sequence: each batch's loss is that sequence's mean NLL; the epoch's loss their mean
    TrainOutcome out = SupervisedTrainer.lm(start, SEQS, from, settings(3, 1, 0), be, new SplittableRandom(1));
    double expected = (meanNll(start, SEQS.get(0), 2) + meanNll(start, SEQS.get(1), 0)) / 2;
    assertEquals(expected, out.firstLoss(), 1e-5);
    assertEquals(expected, out.lastLoss(), 1e-5);
    assertEquals(6, out.steps(), "2 batches × 3 epochs");
    assertEquals(3 * ((5 - 2) + (6 - 1)), out.tokens(), "positions from max(1, from), every epoch");
    assertEquals(start.parameterCount(), out.stats().get(TrainOutcome.PARAMS_TRAINABLE));
  }

  @Test
  void aBatchWithNothingToPredictIsSkippedAndCountsAsZero() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN);
    TrainOutcome none = SupervisedTrainer.lm(start, SEQS, new int[] {5, 6}, settings(2, 1, 0.1), be,
        new SplittableRandom(1));
    assertEquals(0, none.steps());
    assertEquals(0, none.tokens());
    assertEquals(0.0, none.firstLoss());
    assertEquals(start, none.model(), "no step, no change");
    // one sequence with positions, one without: only the first is trained on, and the empty batch counts 0
    TrainOutcome half = SupervisedTrainer.lm(start, SEQS, new int[] {2, 6}, settings(1, 1, 0), be,
        new SplittableRandom(1));
    assertEquals(1, half.steps());
    assertEquals(3, half.tokens());
    assertEquals(meanNll(start, SEQS.get(0), 2) / 2, half.firstLoss(), 1e-5);
  }

  @Test
  void trainingLowersTheLossAndZeroEpochsLeaveTheModel() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN);
    TrainOutcome out = SupervisedTrainer.lm(start, SEQS, new int[] {1, 1}, settings(30, 2, 0.05), be,
        new SplittableRandom(2));
    assertTrue(out.lastLoss() < out.firstLoss() - 0.5, out.firstLoss() + " -> " + out.lastLoss());
    TrainOutcome zero = SupervisedTrainer.lm(start, SEQS, new int[] {1, 1}, settings(0, 2, 0.05), be,
        new SplittableRandom(2));
    assertEquals(0, zero.steps());
    assertTrue(Double.isNaN(zero.firstLoss()));
    assertEquals(start, zero.model());
  }

  @Test
  void sizesAreCheckedBeforeTraining() {
    TokenModel start = model(TokenModelConfig.Head.TOKEN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SupervisedTrainer.lm(start, List.of(), new int[0], settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("nothing to train on (the dataset is empty)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SupervisedTrainer.lm(start, SEQS, new int[] {1}, settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("2 sequences but 1 start positions", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SupervisedTrainer.lm(start, SEQS, null, settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("2 sequences but no start positions", e.getMessage());
    TokenModel scalar = model(TokenModelConfig.Head.SCALAR);
    e = assertThrows(IllegalArgumentException.class, () -> SupervisedTrainer.scoreRegression(scalar, SEQS,
        new int[] {0, 0}, new double[] {1}, settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("score_regression needs one target per sequence: 2 sequences, 1 targets", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SupervisedTrainer.scoreRegression(scalar, SEQS,
        new int[] {0, 0}, null, settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("score_regression needs one target per sequence: 2 sequences, no targets", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SupervisedTrainer.scoreRegression(scalar, SEQS,
        new int[] {0}, new double[] {1, 2}, settings(1, 1, 0), be, new SplittableRandom(1)));
    assertEquals("2 sequences but 1 start positions", e.getMessage());
    TrainSettings lora = new TrainSettings(1, 1, 0, "constant", 0, OPT, new LoraConfig(2, 4));
    e = assertThrows(IllegalArgumentException.class, () -> SupervisedTrainer.scoreRegression(scalar, SEQS,
        new int[] {0, 0}, new double[] {1, 2}, lora, be, new SplittableRandom(1)));
    assertEquals("LoRA trains token-head models only, not score_regression", e.getMessage());
  }

  @Test
  void regressionReportsHalfTheMeanSquaredErrorOfTheStartScores() {
    TokenModel start = model(TokenModelConfig.Head.SCALAR);
    int[] from = {1, 3};
    double[] y = {2.0, -1.5};
    float[] s = start.scores(be, SEQS, from);
    double expected = (0.5 * (s[0] - y[0]) * (s[0] - y[0]) + 0.5 * (s[1] - y[1]) * (s[1] - y[1])) / 2;
    TrainOutcome out = SupervisedTrainer.scoreRegression(start, SEQS, from, y, settings(2, 2, 0), be,
        new SplittableRandom(1));
    assertEquals(expected, out.firstLoss(), 1e-6);
    assertEquals(expected, out.lastLoss(), 1e-6);
    assertEquals(2, out.steps());
    assertEquals(2 * ((5 - 1) + (6 - 3)), out.tokens(), "the scored positions from each start, every epoch");
    TrainOutcome trained = SupervisedTrainer.scoreRegression(start, SEQS, from, y, settings(200, 2, 0.05), be,
        new SplittableRandom(1));
    float[] fit = trained.model().scores(be, SEQS, from);
    assertEquals(2.0, fit[0], 0.05);
    assertEquals(-1.5, fit[1], 0.05);
  }

  @Test
  void theRegressionGradientIsThatOfTheMeanSoCopiesOfAnItemTrainLikeTheItem() {
    // With β1 = β2 = 0 and ε far above |g|, AdamW's step is lr·g/(|g| + ε) ≈ (lr/ε)·g: plain gradient descent. The
    // gradient of the batch mean ½(s − y)² over 4 copies of one item is that of the item alone, so one step on the
    // copies moves the model exactly as one step on the item.
    OptimizerConfig sgd = new OptimizerConfig(0f, 0f, 100f, 0f, 0f);
    TokenModel start = model(TokenModelConfig.Head.SCALAR);
    List<int[]> one = List.of(SEQS.get(0));
    List<int[]> four = new ArrayList<>(Collections.nCopies(4, SEQS.get(0)));
    TrainSettings step = new TrainSettings(1, 4, 10, "constant", 0, sgd, null);
    TokenModel a = SupervisedTrainer.scoreRegression(start, one, new int[] {1}, new double[] {3}, step, be,
        new SplittableRandom(1)).model();
    TokenModel b = SupervisedTrainer.scoreRegression(start, four, new int[] {1, 1, 1, 1}, new double[] {3, 3, 3, 3},
        step, be, new SplittableRandom(1)).model();
    float s0 = start.scores(be, one, new int[] {1})[0];
    float sa = a.scores(be, one, new int[] {1})[0], sb = b.scores(be, one, new int[] {1})[0];
    assertTrue(Math.abs(sa - s0) > 1e-3, "the step moved the score: " + s0 + " -> " + sa);
    assertEquals(sa, sb, 1e-5 * Math.abs(sa - s0) + 1e-7);
  }

  @Test
  void aRewardScorerIsTheScalarHeadsScores() {
    TokenModel scalar = model(TokenModelConfig.Head.SCALAR);
    int[] from = {1, 2};
    float[] s = scalar.scores(be, SEQS, from);
    double[] got = SequenceScorer.of(scalar, be).score(SEQS, from);
    assertArrayEquals(new double[] {s[0], s[1]}, got);
    TokenModel token = model(TokenModelConfig.Head.TOKEN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceScorer.of(token, be));
    assertTrue(e.getMessage().startsWith("a reward model needs the SCALAR head, but "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" has the TOKEN head"), e.getMessage());
  }
}
