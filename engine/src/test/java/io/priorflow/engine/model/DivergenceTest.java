package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The divergences of on-policy distillation: each row's gradient with respect to the logits matches finite
 * differences, the whole step's gradients match finite differences through both model families, forward KL is the
 * soft-target loss at T = 1, every divergence is 0 for the teacher itself, and JSD(β) lies below its bound
 * −β·log β − (1 − β)·log(1 − β) (the entropy of the mixture weight).
 */
class DivergenceTest {
  private final KernelBackend be = new ReferenceBackend();

  private static List<int[]> sequences(SplittableRandom r, int n, int vocab) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(4)];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(vocab - 1);
      seqs.add(s);
    }
    return seqs;
  }

  @ParameterizedTest
  @EnumSource(Divergence.class)
  void rowGradientsMatchFiniteDifferences(Divergence d) {
    SplittableRandom r = new SplittableRandom(71 + d.ordinal());
    int v = 9;
    float[] z = new float[v], lp = new float[v], dz = new float[v], scratch = new float[v];
    for (int j = 0; j < v; j++) z[j] = (float) (3 * r.nextDouble() - 1.5);
    double norm = 0;
    double[] raw = new double[v];
    for (int j = 0; j < v; j++) norm += raw[j] = Math.exp(4 * r.nextDouble() - 2);
    for (int j = 0; j < v; j++) lp[j] = (float) Math.log(raw[j] / norm);
    double value = d.row(z, 0, lp, 0, v, 0.3, dz, 1);
    assertTrue(value > 0, d + " of two different distributions");
    double h = 1e-3;
    for (int j = 0; j < v; j++) {
      float[] up = z.clone(), down = z.clone();
      up[j] += (float) h;
      down[j] -= (float) h;
      double fd = (d.row(up, 0, lp, 0, v, 0.3, scratch, 1) - d.row(down, 0, lp, 0, v, 0.3, scratch, 1)) / (2 * h);
      assertEquals(fd, dz[j], 1e-4 + 1e-3 * Math.abs(fd), d + " ∂D/∂z_" + j);
    }
    // zero for the teacher itself, and the gradient vanishes there
    float[] same = lp.clone();
    assertEquals(0, d.row(same, 0, lp, 0, v, 0.3, dz, 1), 1e-12);
    for (int j = 0; j < v; j++) assertEquals(0, dz[j], 1e-6);
  }

  @Test
  void jsdIsBoundedAndForwardKlIsTheSoftTargetLoss() {
    int v = 4;
    float[] lp = {0f, (float) Math.log(1e-30), (float) Math.log(1e-30), (float) Math.log(1e-30)};
    float[] z = {-30f, 0f, 0f, 0f}; // disjoint supports: JSD reaches its bound
    float[] dz = new float[v];
    for (double beta : new double[] {0.1, 0.5, 0.9}) {
      double bound = -beta * Math.log(beta) - (1 - beta) * Math.log(1 - beta);
      assertEquals(bound, Divergence.JSD.row(z, 0, lp, 0, v, beta, dz, 1), 1e-6, "β " + beta);
    }
    SplittableRandom r = new SplittableRandom(74);
    TokenModelConfig cfg =
        new TokenModelConfig(TokenModelConfig.Head.TOKEN, 7, 3, 4, List.of(6), TokenModelConfig.Activation.TANH, 0);
    TokenModel teacher = TokenModel.initialize(cfg, r.split()), student = TokenModel.initialize(cfg, r.split());
    List<int[]> seqs = sequences(r, 4, 7);
    int[] from = {1, 2, 0, 1};
    List<float[]> targets = List.of(teacher.nextTokenLogProbs(be, seqs, from));
    double soft = new ModelTraining(student, OptimizerConfig.defaults(), be).softLossAndGradients(seqs, from, targets,
        1f);
    double fwd = new ModelTraining(student, OptimizerConfig.defaults(), be).divergenceLossAndGradients(seqs, from,
        targets, Divergence.FORWARD_KL, 0.5);
    assertEquals(soft, fwd, 1e-5);
    for (Divergence d : Divergence.values()) {
      assertEquals(0, new ModelTraining(teacher, OptimizerConfig.defaults(), be).divergenceLossAndGradients(seqs,
          from, targets, d, 0.5), 1e-6, d + " of the teacher itself");
    }
  }

  @ParameterizedTest
  @EnumSource(Divergence.class)
  void stepGradientsMatchFiniteDifferencesInBothFamilies(Divergence d) {
    for (TokenModelConfig cfg : List.of(
        new TokenModelConfig(TokenModelConfig.Head.TOKEN, 7, 3, 4, List.of(6), TokenModelConfig.Activation.TANH, 0),
        TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 7, 6, 8, 2, 2, 12, 0))) {
      SplittableRandom r = new SplittableRandom(75 + d.ordinal());
      TokenModel teacher = TokenModel.initialize(cfg, r.split()), student = TokenModel.initialize(cfg, r.split());
      List<int[]> seqs = sequences(r, 5, 7);
      int[] from = {1, 1, 2, 1, 3};
      List<float[]> targets = List.of(teacher.nextTokenLogProbs(be, seqs, from));
      ModelTraining tr = new ModelTraining(student, OptimizerConfig.defaults(), be);
      // spread the weights (GPT-2's σ 0.02 leaves a transformer nearly uniform) so every path carries a gradient
      for (float[] t : tr.weights()) for (int j = 0; j < t.length; j++) t[j] += (float) ((r.nextDouble() * 2 - 1) * 0.4);
      ModelGradientTest.check(tr, () -> tr.divergenceLossAndGradients(seqs, from, targets, d, 0.3), r, false);
    }
  }
}
