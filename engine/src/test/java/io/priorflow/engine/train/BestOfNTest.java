package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Best-of-n's KL from the base never exceeds log n − (n−1)/n (checked on the exact best-of-n distribution of many
 * small discrete cases), the bound is nearly reached when no outcome has much mass, and the sampled implementation
 * draws from that exact distribution.
 */
class BestOfNTest {
  private final KernelBackend be = new ReferenceBackend();

  @Test
  void exactKlNeverExceedsTheBound() {
    SplittableRandom r = new SplittableRandom(61);
    double worstSlack = Double.POSITIVE_INFINITY;
    for (int c = 0; c < 200; c++) {
      int k = 2 + r.nextInt(8);
      double[] p = new double[k], reward = new double[k];
      double z = 0;
      for (int i = 0; i < k; i++) {
        z += p[i] = Math.pow(r.nextDouble(), 1 + 4 * r.nextDouble());
        reward[i] = r.nextDouble();
      }
      for (int i = 0; i < k; i++) p[i] /= z;
      for (int n : new int[] {1, 2, 3, 4, 8, 16, 64}) {
        double[] q = BestOfN.exactDistribution(p, reward, n);
        double total = 0;
        for (double x : q) total += x;
        assertEquals(1, total, 1e-12);
        double kl = BestOfN.kl(q, p);
        assertTrue(kl <= BestOfN.klBound(n) + 1e-12, "KL " + kl + " > bound " + BestOfN.klBound(n) + " at n = " + n);
        worstSlack = Math.min(worstSlack, BestOfN.klBound(n) - kl);
      }
    }
    assertEquals(0, BestOfN.klBound(1));
    // many outcomes of tiny mass: the bound is (nearly) attained
    double[] uniform = new double[5000], reward = new double[5000];
    for (int i = 0; i < uniform.length; i++) {
      uniform[i] = 1.0 / uniform.length;
      reward[i] = i;
    }
    double kl4 = BestOfN.kl(BestOfN.exactDistribution(uniform, reward, 4), uniform);
    System.out.printf("best-of-n: bound(4) %.4f, uniform-5000 KL %.4f, smallest slack over random cases %.2e%n",
        BestOfN.klBound(4), kl4, worstSlack);
    assertEquals(BestOfN.klBound(4), kl4, 2e-3);
  }

  @Test
  void sampledBestOfNMatchesTheExactDistribution() {
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 6, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel m = TokenModel.initialize(cfg, new SplittableRandom(62));
    float[] lp = m.nextTokenLogProbs(be, new int[] {1});
    double[] p = new double[lp.length];
    for (int j = 0; j < p.length; j++) p[j] = Math.exp(lp[j]);
    double[] reward = {0.3, -1, 2, 0.1, 1.5, -0.2};
    int n = 4, prompts = 6000;
    SequenceScorer scorer = SequenceScorer.ofSequence(s -> reward[s[s.length - 1]]);
    BestOfN.Selection sel = BestOfN.select(be, m, Collections.nCopies(prompts, new int[] {1}), n,
        new SamplingConfig(1f, 0, 1, -1), scorer, 99);
    int[] counts = new int[p.length];
    for (int[] s : sel.best()) counts[s[1]]++;
    double[] q = BestOfN.exactDistribution(p, reward, n);
    for (int j = 0; j < p.length; j++) {
      double f = counts[j] / (double) prompts, se = Math.sqrt(q[j] * (1 - q[j]) / prompts);
      assertEquals(q[j], f, 4 * se + 1e-3, "token " + j + ": sampled " + f + ", exact " + q[j]);
    }
    for (int i = 0; i < prompts; i++) assertTrue(sel.bestScores()[i] >= sel.meanScores()[i]);
    // one prompt's result does not depend on the others in the call
    BestOfN.Selection alone = BestOfN.select(be, m, List.of(new int[] {1}), n, new SamplingConfig(1f, 0, 1, -1),
        scorer, 99);
    assertEquals(sel.best().get(0)[1], alone.best().get(0)[1]);
  }

  @Test
  void tiesGoToTheEarliestDrawSoTheyKeepTheBaseProportions() {
    double[] p = {0.2, 0.3, 0.5}, reward = {1, 1, 0};
    double[] q = BestOfN.exactDistribution(p, reward, 2);
    // the tied group {0, 1} wins unless both draws are outcome 2: 1 − 0.25 = 0.75, split 2:3
    assertEquals(0.3, q[0], 1e-12);
    assertEquals(0.45, q[1], 1e-12);
    assertEquals(0.25, q[2], 1e-12);
  }
}
