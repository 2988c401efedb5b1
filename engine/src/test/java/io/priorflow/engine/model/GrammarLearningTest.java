package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The token model learns: on sequences from a random second-order Markov grammar, its held-out cross-entropy
 * comes within 3% of the grammar's own (the true model's negative log-likelihood on the same held-out tokens,
 * which is the entropy the data actually has).
 */
class GrammarLearningTest {
  static final int SYMBOLS = 10, PAD = 10, BOS = 11, VOCAB = 12, LENGTH = 20;

  /** p[a][b][c] = P(next = c | previous two = a, b), over contexts that include PAD and BOS. */
  private static double[][][] grammar(SplittableRandom r) {
    double[][][] p = new double[VOCAB][VOCAB][SYMBOLS];
    for (double[][] pa : p) {
      for (double[] row : pa) {
        double z = 0;
        for (int c = 0; c < SYMBOLS; c++) z += row[c] = Math.pow(r.nextDouble(), 3); // peaked, Dirichlet-like
        for (int c = 0; c < SYMBOLS; c++) row[c] /= z;
      }
    }
    return p;
  }

  private static int[] sequence(double[][][] p, SplittableRandom r) {
    int[] s = new int[LENGTH + 1];
    s[0] = BOS;
    for (int t = 1; t <= LENGTH; t++) {
      double[] row = p[t >= 2 ? s[t - 2] : PAD][s[t - 1]];
      double u = r.nextDouble(), cum = 0;
      int c = SYMBOLS - 1;
      for (int j = 0; j < SYMBOLS; j++) if (u < (cum += row[j])) { c = j; break; }
      s[t] = c;
    }
    return s;
  }

  @Test
  void heldOutLossComesWithinThreePercentOfTheGrammarsEntropy() {
    SplittableRandom r = new SplittableRandom(2024);
    double[][][] p = grammar(r);
    List<int[]> train = new ArrayList<>(), test = new ArrayList<>();
    for (int i = 0; i < 4000; i++) train.add(sequence(p, r));
    for (int i = 0; i < 600; i++) test.add(sequence(p, r));
    double trueNll = 0;
    int tokens = 0;
    for (int[] s : test) {
      for (int t = 1; t < s.length; t++, tokens++) trueNll -= Math.log(p[t >= 2 ? s[t - 2] : PAD][s[t - 1]][s[t]]);
    }
    trueNll /= tokens;

    KernelBackend be = Backends.create("java", 2);
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, VOCAB, 3, 12, List.of(128),
        TokenModelConfig.Activation.GELU, PAD);
    ModelTraining tr = new ModelTraining(TokenModel.initialize(cfg, r.split()), OptimizerConfig.defaults(), be);
    int batch = 50, epochs = 10, steps = epochs * train.size() / batch;
    for (int step = 0; step < steps; step++) {
      float lr = (float) (1e-2 * 0.5 * (1 + Math.cos(Math.PI * step / steps))); // cosine decay
      int start = (step * batch) % train.size();
      tr.step(SequenceBatch.allTokens(train.subList(start, start + batch)), lr);
    }
    TokenModel m = tr.toModel();
    int[] from = new int[test.size()];
    java.util.Arrays.fill(from, 1);
    double nll = 0;
    for (double lp : m.logProbs(be, test, from)) nll -= lp;
    nll /= tokens;
    assertTrue(nll < 1.03 * trueNll,
        String.format("held-out loss %.4f nats vs the grammar's %.4f (uniform would be %.4f)", nll, trueNll,
            Math.log(SYMBOLS)));
  }
}
