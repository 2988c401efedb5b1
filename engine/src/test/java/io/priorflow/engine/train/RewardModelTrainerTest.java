package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A Bradley–Terry fit recovers known rewards up to a constant: the reward of a sequence is a known linear function of
 * its token counts, pairs are labelled by the BT probability σ(r_a − r_b), and the trained scalar head's scores on
 * fresh sequences correlate with the true rewards above 0.95.
 */
class RewardModelTrainerTest {
  static final int VOCAB = 10, LENGTH = 5;
  private final KernelBackend be = new ReferenceBackend();

  static int[] randomSequence(SplittableRandom r) {
    int[] s = new int[LENGTH];
    for (int t = 0; t < LENGTH; t++) s[t] = 1 + r.nextInt(VOCAB - 1);
    return s;
  }

  static double reward(int[] s, double[] theta) {
    double x = 0;
    for (int tok : s) x += theta[tok];
    return x;
  }

  @Test
  void recoversKnownRewardsUpToAConstant() {
    SplittableRandom r = new SplittableRandom(31);
    double[] theta = new double[VOCAB];
    for (int v = 1; v < VOCAB; v++) theta[v] = r.nextDouble() * 2 - 1;
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 300; i++) seqs.add(randomSequence(r));
    int pairs = 3000;
    int[] chosen = new int[pairs], rejected = new int[pairs];
    for (int p = 0; p < pairs; p++) {
      int a = r.nextInt(seqs.size()), b = r.nextInt(seqs.size() - 1);
      if (b >= a) b++;
      double pa = RewardModelTrainer.sigmoid(reward(seqs.get(a), theta) - reward(seqs.get(b), theta));
      boolean aWins = r.nextDouble() < pa;
      chosen[p] = aWins ? a : b;
      rejected[p] = aWins ? b : a;
    }
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.SCALAR, VOCAB, 2, 4, List.of(16),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    TrainSettings s = new TrainSettings(20, 100, 1e-2, "cosine", 0,
        new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0f, 1f), null);
    int[] from = new int[seqs.size()];
    TrainOutcome out = RewardModelTrainer.train(start, seqs, from,
        new TrainParams.RewardBt(new PreferencePairs(chosen, rejected), 0.2), s, be, r.split());

    // correlation of fitted scores with the true rewards on fresh sequences
    List<int[]> fresh = new ArrayList<>();
    for (int i = 0; i < 300; i++) fresh.add(randomSequence(r));
    float[] fit = out.model().scores(be, fresh, new int[fresh.size()]);
    double[] truth = fresh.stream().mapToDouble(x -> reward(x, theta)).toArray();
    double corr = correlation(fit, truth);
    // scale: BT identifies rewards up to a constant only, so compare differences through a least-squares slope
    double slope = slope(fit, truth);
    System.out.printf("reward_bt: corr %.4f, slope %.3f, held-out agreement %.3f, loss %.4f -> %.4f%n", corr, slope,
        out.stats().get(RewardModelTrainer.HELDOUT_AGREEMENT), out.firstLoss(), out.lastLoss());
    assertTrue(corr > 0.95, "correlation " + corr);
    assertEquals(1.0, slope, 0.25, "fitted rewards are on the scale of the true ones (BT fixes the scale)");
    // held-out agreement is near the best possible: the share of pairs the true reward orders right (labels are
    // BT draws, so even the true reward disagrees with some); over all pairs the fit matches it too
    assertEquals(600, out.stats().get(RewardModelTrainer.HELDOUT_PAIRS));
    double agree = out.stats().get(RewardModelTrainer.HELDOUT_AGREEMENT);
    PreferencePairs all = new PreferencePairs(chosen, rejected);
    int[] every = new int[pairs];
    double best = 0;
    for (int p = 0; p < pairs; p++) {
      every[p] = p;
      double d = reward(seqs.get(chosen[p]), theta) - reward(seqs.get(rejected[p]), theta);
      best += d > 0 ? 1 : d == 0 ? 0.5 : 0;
    }
    best /= pairs;
    double fitAll = RewardModelTrainer.agreement(out.model(), seqs, from, all, every, be);
    double chance = 0.5;
    System.out.printf("reward_bt: agreement held-out %.3f, all pairs %.3f, true reward %.3f%n", agree, fitAll, best);
    assertTrue(best > chance + 0.15, "the labels carry signal: " + best);
    assertEquals(best, agree, 0.05, "held-out agreement near the true reward's");
    assertEquals(best, fitAll, 0.02, "agreement over all pairs near the true reward's");
    // the train agreement is over the other 2400 pairs: 600·held-out + 2400·train = 3000·all
    assertEquals(fitAll * pairs, agree * 600 + out.stats().get(RewardModelTrainer.TRAIN_AGREEMENT) * 2400, 1e-6);
    assertTrue(out.lastLoss() < out.firstLoss());
  }

  @Test
  void bradleyTerryLossAndGradient() {
    float[] scores = {2f, 0.5f, -1f, 1f};
    float[] d = new float[4];
    double loss = RewardModelTrainer.bradleyTerry(scores, d);
    double l1 = Math.log1p(Math.exp(-1.5)), l2 = Math.log1p(Math.exp(2));
    assertEquals((l1 + l2) / 2, loss, 1e-6);
    double s1 = 1 / (1 + Math.exp(1.5)), s2 = 1 / (1 + Math.exp(-2));
    assertEquals(-s1 / 2, d[0], 1e-6);
    assertEquals(s1 / 2, d[1], 1e-6);
    assertEquals(-s2 / 2, d[2], 1e-6);
    assertEquals(s2 / 2, d[3], 1e-6);
  }

  @Test
  void badPairsAreClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> new PreferencePairs(new int[] {0}, new int[] {}));
    PreferencePairs p = new PreferencePairs(new int[] {0}, new int[] {3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.checkAgainst(2));
    assertTrue(e.getMessage().contains("pair 0 is (0, 3)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TrainParams.RewardBt(p, 1.0));
  }

  static double correlation(float[] a, double[] b) {
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** Least-squares slope of a on b. */
  static double slope(float[] a, double[] b) {
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0, sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / sbb;
  }
}
