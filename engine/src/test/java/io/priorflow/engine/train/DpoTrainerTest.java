package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * DPO on a contextual bandit — one prompt, four one-token responses with known rewards r, preferences sampled from
 * BT(r) — converges to log(π/π_ref) = r/β + constant. Checked on every pairwise difference, against the true rewards
 * (within the sampling error of 1800 comparisons) and, more tightly, against the Bradley–Terry maximum-likelihood
 * rewards of the very comparisons it saw (the exact optimum of the empirical DPO loss).
 */
class DpoTrainerTest {
  static final int[] RESPONSES = {3, 4, 5, 6};
  static final double[] REWARDS = {0.0, 1.0, -0.5, 2.0};
  private final KernelBackend be = new ReferenceBackend();

  @Test
  void convergesToRewardOverBetaPlusAConstant() {
    SplittableRandom r = new SplittableRandom(41);
    int k = RESPONSES.length;
    List<int[]> seqs = new ArrayList<>();
    for (int y : RESPONSES) seqs.add(new int[] {1, y});
    int[] from = new int[k];
    java.util.Arrays.fill(from, 1);
    // 300 comparisons of every pair, the winner drawn from BT(r)
    int per = 300;
    List<int[]> pairList = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        for (int c = 0; c < per; c++) {
          boolean iWins = r.nextDouble() < RewardModelTrainer.sigmoid(REWARDS[i] - REWARDS[j]);
          pairList.add(iWins ? new int[] {i, j} : new int[] {j, i});
        }
      }
    }
    int[] chosen = pairList.stream().mapToInt(p -> p[0]).toArray();
    int[] rejected = pairList.stream().mapToInt(p -> p[1]).toArray();
    double beta = 0.5;
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 8, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel ref = TokenModel.initialize(cfg, r.split());
    TrainSettings s = new TrainSettings(300, pairList.size(), 5e-2, "cosine", 0,
        new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0f, 0f), null);
    TrainOutcome out = DpoTrainer.train(ref, ref, seqs, from,
        new TrainParams.Dpo(new PreferencePairs(chosen, rejected), null, beta), s, be, r.split());

    float[] lp = out.model().nextTokenLogProbs(be, new int[] {1});
    float[] lq = ref.nextTokenLogProbs(be, new int[] {1});
    double[] h = new double[k];
    for (int i = 0; i < k; i++) h[i] = lp[RESPONSES[i]] - lq[RESPONSES[i]];
    double[] mle = btMle(k, chosen, rejected);
    double worstTruth = 0, worstMle = 0;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        double dpo = beta * (h[i] - h[j]);
        worstTruth = Math.max(worstTruth, Math.abs(dpo - (REWARDS[i] - REWARDS[j])));
        worstMle = Math.max(worstMle, Math.abs(dpo - (mle[i] - mle[j])));
      }
    }
    System.out.printf("dpo: max |β·Δlog(π/π_ref) − Δr| = %.4f, vs BT-MLE %.4f, loss %.4f -> %.4f, accuracy %.3f%n",
        worstTruth, worstMle, out.firstLoss(), out.lastLoss(), out.stats().get(DpoTrainer.ACCURACY));
    assertTrue(worstMle < 0.05, "β·Δlog(π/π_ref) vs the BT maximum-likelihood rewards: " + worstMle);
    assertTrue(worstTruth < 0.3, "β·Δlog(π/π_ref) vs the true rewards: " + worstTruth);
    assertEquals(Math.log(2), out.firstLoss(), 1e-6, "the policy starts at the reference, z = 0");
  }

  @Test
  void oneSmallDpoStepLowersTheDpoLoss() {
    // the signed per-position weights point downhill on the DPO loss itself (their gradient is checked in
    // TrainingStepsTest); the reported first loss is the DPO loss at the start
    SplittableRandom r = new SplittableRandom(42);
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 8, 2, 4, List.of(8),
        TokenModelConfig.Activation.TANH, 0);
    TokenModel ref = TokenModel.initialize(cfg, r.split());
    TokenModel start = TokenModel.initialize(cfg, r.split());
    List<int[]> seqs = List.of(new int[] {1, 2, 3, 4}, new int[] {1, 2, 5, 6}, new int[] {1, 7, 3, 2});
    int[] from = {2, 2, 2};
    PreferencePairs pairs = new PreferencePairs(new int[] {0, 2}, new int[] {1, 1});
    double beta = 0.7;
    TrainSettings s = new TrainSettings(1, 2, 1e-3, "constant", 0, new OptimizerConfig(0f, 0.99f, 1e-8f, 0f, 0f), null);
    TrainOutcome one = DpoTrainer.train(start, ref, seqs, from, new TrainParams.Dpo(pairs, null, beta), s, be,
        new SplittableRandom(1));
    double before = dpoLoss(start, ref, seqs, from, pairs, beta);
    double after = dpoLoss(one.model(), ref, seqs, from, pairs, beta);
    assertEquals(before, one.firstLoss(), 1e-6);
    assertTrue(after < before, "one DPO step lowers the DPO loss: " + before + " -> " + after);
  }

  private double dpoLoss(TokenModel pi, TokenModel ref, List<int[]> seqs, int[] from, PreferencePairs pairs,
                         double beta) {
    double[] a = pi.logProbs(be, seqs, from), b = ref.logProbs(be, seqs, from);
    double loss = 0;
    for (int p = 0; p < pairs.size(); p++) {
      double z = beta * ((a[pairs.chosen(p)] - b[pairs.chosen(p)]) - (a[pairs.rejected(p)] - b[pairs.rejected(p)]));
      loss += Math.log1p(Math.exp(-z));
    }
    return loss / pairs.size();
  }

  /** Bradley–Terry maximum-likelihood rewards of k items from comparisons, by gradient ascent (mean-zero). */
  static double[] btMle(int k, int[] chosen, int[] rejected) {
    double[] s = new double[k];
    for (int it = 0; it < 20_000; it++) {
      double[] g = new double[k];
      for (int p = 0; p < chosen.length; p++) {
        double q = RewardModelTrainer.sigmoid(s[rejected[p]] - s[chosen[p]]);
        g[chosen[p]] += q;
        g[rejected[p]] -= q;
      }
      for (int i = 0; i < k; i++) s[i] += 2.0 * g[i] / chosen.length;
    }
    return s;
  }
}
