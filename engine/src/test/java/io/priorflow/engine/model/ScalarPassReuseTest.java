package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training session keeps the scalar head's buffers from step to step ({@link ScalarPass#reuse}): every step after
 * the first must give, bit for bit, the loss and gradients a fresh session with the same weights gives — batches of
 * other sizes and lengths in between, shorter ones after longer ones (no row of an earlier chunk may leak in), and
 * batches of several chunks.
 */
class ScalarPassReuseTest {
  private static final ScoreLoss LOSS = (sc, d) -> {
    double l = 0;
    for (int i = 0; i < sc.length; i++) {
      l += 0.5 * (sc[i] - 0.25 * i) * (sc[i] - 0.25 * i);
      d[i] = (float) ((sc[i] - 0.25 * i) / sc.length);
    }
    return l / sc.length;
  };

  private static List<int[]> batch(SplittableRandom r, int n, int minLen, int maxLen, int vocab) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[minLen + r.nextInt(maxLen - minLen + 1)];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(vocab - 1);
      seqs.add(s);
    }
    return seqs;
  }

  private static int[] starts(SplittableRandom r, List<int[]> seqs) {
    int[] from = new int[seqs.size()];
    for (int i = 0; i < from.length; i++) from[i] = r.nextInt(seqs.get(i).length);
    return from;
  }

  @Test
  void aKeptPassGivesTheBitsOfAFreshOne() {
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.SCALAR, 11, 4, 6, List.of(16, 8),
        TokenModelConfig.Activation.GELU, 0);
    SplittableRandom r = new SplittableRandom(21);
    List<List<int[]>> batches = List.of(batch(r, 40, 12, 20, 11), batch(r, 7, 3, 5, 11),
        batch(r, 3 * TokenModel.CHUNK_ROWS / 10, 8, 12, 11), batch(r, 5, 2, 4, 11), batch(r, 33, 10, 30, 11));
    List<int[]> froms = batches.stream().map(b -> starts(r, b)).toList();
    try (KernelBackend be = Backends.create(Backends.DEFAULT, 2);
         ModelTraining kept = new ModelTraining(TokenModel.initialize(cfg, r.split()), OptimizerConfig.defaults(),
             be)) {
      for (int k = 0; k < batches.size(); k++) {
        // a fresh session at the kept one's current weights
        try (ModelTraining fresh = new ModelTraining(kept.toModel(), OptimizerConfig.defaults(), be)) {
          double expected = fresh.scoreLossAndGradients(batches.get(k), froms.get(k), LOSS);
          double loss = kept.scoreLossAndGradients(batches.get(k), froms.get(k), LOSS);
          assertEquals(expected, loss, 0.0, "loss of batch " + k);
          for (int i = 0; i < fresh.gradients().length; i++) {
            assertArrayEquals(fresh.gradients()[i], kept.gradients()[i], 0f, "gradient " + i + " of batch " + k);
          }
        }
        kept.stepScores(batches.get(k), froms.get(k), LOSS, 0.05f); // move the weights on, as training does
      }
    }
  }
}
