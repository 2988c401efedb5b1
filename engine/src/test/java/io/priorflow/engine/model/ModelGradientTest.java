package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite-difference checks of the whole model's backward pass (token head and scalar head, two hidden layers):
 * along random directions u, (L(w + εu) − L(w − εu)) / 2ε must match ∇L·u, and for single coordinates of every
 * tensor too.
 */
class ModelGradientTest {
  private final KernelBackend be = new ReferenceBackend();

  private static TokenModelConfig tiny(TokenModelConfig.Head head, TokenModelConfig.Activation act) {
    return new TokenModelConfig(head, 7, 3, 4, List.of(5, 6), act, 0);
  }

  private static List<int[]> sequences(SplittableRandom r, int n, int vocab) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(6)];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(vocab - 1);
      seqs.add(s);
    }
    return seqs;
  }

  @ParameterizedTest
  @EnumSource(TokenModelConfig.Activation.class)
  void tokenHeadGradientsMatchFiniteDifferences(TokenModelConfig.Activation act) {
    SplittableRandom r = new SplittableRandom(11);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.TOKEN, act), r.split());
    List<int[]> seqs = sequences(r, 5, 7);
    List<float[]> weights = new ArrayList<>();
    for (int[] s : seqs) {
      float[] w = new float[s.length];
      for (int t = 1; t < s.length; t++) w[t] = r.nextInt(4) == 0 ? 0f : (float) (0.5 + r.nextDouble());
      weights.add(w);
    }
    SequenceBatch batch = new SequenceBatch(seqs, weights);
    ModelTraining tr = new ModelTraining(model, OptimizerConfig.defaults(), be);
    check(tr, () -> tr.lossAndGradients(batch), r, act == TokenModelConfig.Activation.RELU);
  }

  @ParameterizedTest
  @EnumSource(TokenModelConfig.Activation.class)
  void scalarHeadGradientsMatchFiniteDifferences(TokenModelConfig.Activation act) {
    SplittableRandom r = new SplittableRandom(12);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.SCALAR, act), r.split());
    List<int[]> seqs = sequences(r, 6, 7);
    int[] from = new int[seqs.size()];
    float[] coef = new float[seqs.size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = r.nextInt(seqs.get(i).length);
      coef[i] = (float) (r.nextDouble() * 2 - 1);
    }
    ScoreLoss loss = quadraticScoreLoss(coef);
    ModelTraining tr = new ModelTraining(model, OptimizerConfig.defaults(), be);
    check(tr, () -> tr.scoreLossAndGradients(seqs, from, loss), r, act == TokenModelConfig.Activation.RELU);
  }

  /**
   * The scalar head over more positions than one forward takes (TokenModel.CHUNK_ROWS): the chunks are run forward a
   * second time for the backward, and the gradient is still the loss's. (A batch of one chunk, above, goes back from
   * its first forward.)
   */
  @Test
  void scalarHeadGradientsOverSeveralChunksMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(13);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.SCALAR, TokenModelConfig.Activation.TANH),
        r.split());
    List<int[]> seqs = sequences(r, 3 * TokenModel.CHUNK_ROWS / 5, 7);
    assertTrue(seqs.stream().mapToInt(s -> s.length).sum() > 2 * TokenModel.CHUNK_ROWS, "three chunks or more");
    int[] from = new int[seqs.size()];
    float[] coef = new float[seqs.size()];
    for (int i = 0; i < from.length; i++) coef[i] = (float) (r.nextDouble() * 2 - 1);
    ScoreLoss loss = quadraticScoreLoss(coef);
    ModelTraining tr = new ModelTraining(model, OptimizerConfig.defaults(), be);
    check(tr, () -> tr.scoreLossAndGradients(seqs, from, loss), r, false);
  }

  /** L = Σ c_s · score_s + 0.5 Σ score_s²: exercises a score-dependent dL/dscore. */
  static ScoreLoss quadraticScoreLoss(float[] coef) {
    return (scores, d) -> {
      double l = 0;
      for (int s = 0; s < scores.length; s++) {
        l += coef[s] * scores[s] + 0.5 * scores[s] * scores[s];
        d[s] = coef[s] + scores[s];
      }
      return l;
    };
  }

  static void check(ModelTraining tr, DoubleSupplier lossAndGrad, SplittableRandom r, boolean kinks) {
    lossAndGrad.getAsDouble();
    float[][] w = tr.weights();
    float[][] g = new float[w.length][];
    for (int i = 0; i < w.length; i++) g[i] = tr.gradients()[i].clone();
    double eps = kinks ? 1e-3 : 1e-2;
    // 1. random directions through all tensors at once
    for (int k = 0; k < 4; k++) {
      float[][] u = new float[w.length][];
      double analytic = 0;
      for (int i = 0; i < w.length; i++) {
        u[i] = new float[w[i].length];
        for (int j = 0; j < u[i].length; j++) {
          u[i][j] = (float) (r.nextDouble() * 2 - 1);
          analytic += g[i][j] * u[i][j];
        }
      }
      double numeric = directional(w, u, eps, lossAndGrad);
      assertEquals(analytic, numeric, 2e-3 + 2e-2 * Math.abs(analytic),
          "directional derivative " + k + ": analytic " + analytic + " vs numeric " + numeric);
    }
    // 2. single coordinates of every tensor (the largest gradient entry, so the check is not vacuous)
    for (int i = 0; i < w.length; i++) {
      int j = 0;
      for (int q = 1; q < g[i].length; q++) if (Math.abs(g[i][q]) > Math.abs(g[i][j])) j = q;
      float[][] u = new float[w.length][];
      for (int q = 0; q < w.length; q++) u[q] = new float[w[q].length];
      u[i][j] = 1f;
      double numeric = directional(w, u, eps, lossAndGrad);
      assertTrue(Math.abs(g[i][j]) > 1e-6 || Math.abs(numeric) < 1e-4, "tensor " + i + " has no gradient at all");
      assertEquals(g[i][j], numeric, 1e-3 + 3e-2 * Math.abs(g[i][j]),
          "tensor " + i + " index " + j + ": analytic " + g[i][j] + " vs numeric " + numeric);
    }
  }

  private static double directional(float[][] w, float[][] u, double eps, DoubleSupplier loss) {
    add(w, u, eps);
    double plus = loss.getAsDouble();
    add(w, u, -2 * eps);
    double minus = loss.getAsDouble();
    add(w, u, eps);
    return (plus - minus) / (2 * eps);
  }

  private static void add(float[][] w, float[][] u, double s) {
    for (int i = 0; i < w.length; i++) for (int j = 0; j < w[i].length; j++) w[i][j] += (float) (s * u[i][j]);
  }
}
