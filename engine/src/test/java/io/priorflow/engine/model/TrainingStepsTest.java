package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The steps the training methods are built on: the summed, signed-weight step (policy gradients, DPO) and the
 * soft-target step (token-level distillation) have true gradients, and the soft step returns T²·KL.
 */
class TrainingStepsTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg =
      new TokenModelConfig(TokenModelConfig.Head.TOKEN, 7, 3, 4, List.of(6), TokenModelConfig.Activation.TANH, 0);

  private static List<int[]> sequences(SplittableRandom r, int n) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(4)];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(6);
      seqs.add(s);
    }
    return seqs;
  }

  @Test
  void softTargetGradientsMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(21);
    TokenModel teacher = TokenModel.initialize(cfg, r.split());
    TokenModel student = TokenModel.initialize(cfg, r.split());
    List<int[]> seqs = sequences(r, 5);
    int[] from = {0, 1, 2, 0, 3};
    List<float[]> targets = List.of(teacher.nextTokenLogProbs(be, seqs, from));
    ModelTraining tr = new ModelTraining(student, OptimizerConfig.defaults(), be);
    ModelGradientTest.check(tr, () -> tr.softLossAndGradients(seqs, from, targets, 2f), r, false);
  }

  @Test
  void softLossIsTemperatureSquaredTimesTheKlAndZeroForTheTeacherItself() {
    SplittableRandom r = new SplittableRandom(22);
    TokenModel teacher = TokenModel.initialize(cfg, r.split());
    List<int[]> seqs = sequences(r, 4);
    int[] from = {1, 1, 1, 1};
    List<float[]> targets = List.of(teacher.nextTokenLogProbs(be, seqs, from));
    ModelTraining self = new ModelTraining(teacher, OptimizerConfig.defaults(), be);
    assertEquals(0, self.softLossAndGradients(seqs, from, targets, 1f), 1e-5);
    TokenModel student = TokenModel.initialize(cfg, r.split());
    float[][] q = student.nextTokenLogProbs(be, seqs, from);
    double kl = 0;
    int n = 0;
    for (int i = 0; i < seqs.size(); i++) {
      for (int off = 0; off < q[i].length; off += 7, n++) {
        for (int j = 0; j < 7; j++) {
          double lp = targets.get(i)[off + j];
          kl += Math.exp(lp) * (lp - q[i][off + j]);
        }
      }
    }
    ModelTraining tr = new ModelTraining(student, OptimizerConfig.defaults(), be);
    assertEquals(kl / n, tr.softLossAndGradients(seqs, from, targets, 1f), 1e-5);
    assertTrue(kl > 0.01);
  }

  @Test
  void summedSignedWeightGradientsMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(23);
    TokenModel m = TokenModel.initialize(cfg, r.split());
    List<int[]> seqs = sequences(r, 6);
    List<float[]> w = new ArrayList<>();
    for (int[] s : seqs) {
      float[] row = new float[s.length];
      for (int t = 1; t < s.length; t++) row[t] = (float) (r.nextDouble() * 2 - 1);
      w.add(row);
    }
    SequenceBatch batch = new SequenceBatch(seqs, w);
    ModelTraining tr = new ModelTraining(m, OptimizerConfig.defaults(), be);
    // Σ_t w_t · CE_t = −Σ_t w_t · log p_t
    double expected = 0;
    float[][] lp = m.tokenLogProbs(be, seqs, new int[] {1, 1, 1, 1, 1, 1});
    for (int i = 0; i < seqs.size(); i++) {
      for (int t = 1; t < seqs.get(i).length; t++) expected -= w.get(i)[t] * lp[i][t - 1];
    }
    assertEquals(expected, tr.stepSumLossAndGradients(batch), 1e-5);
    ModelGradientTest.check(tr, () -> tr.stepSumLossAndGradients(batch), r, false);
  }
}
