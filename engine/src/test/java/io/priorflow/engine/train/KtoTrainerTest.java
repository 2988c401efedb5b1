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
 * KTO on a one-prompt bandit (prompt [BOS], one-token responses) with unpaired labels: desirable responses end above
 * the reference point z₀ and undesirable ones below it, the ordering its loss implies; λ_U weighs how far the
 * undesirable side moves; the loss's coefficients are its exact gradient (finite differences); and the loss at the
 * reference is λ/2 per example.
 */
class KtoTrainerTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 10, 2, 4, List.of(8),
      TokenModelConfig.Activation.GELU, 0);

  /** 30 × token 3 and 10 × token 4 desirable, 30 × token 6 and 10 × token 7 undesirable; 5, 8, 9 unlabelled. */
  private record Bandit(List<int[]> seqs, int[] from, boolean[] desirable) {}

  private static Bandit bandit() {
    List<int[]> seqs = new ArrayList<>();
    List<Boolean> good = new ArrayList<>();
    int[][] counts = {{3, 30, 1}, {4, 10, 1}, {6, 30, 0}, {7, 10, 0}};
    for (int[] c : counts) {
      for (int k = 0; k < c[1]; k++) {
        seqs.add(new int[] {1, c[0]});
        good.add(c[2] == 1);
      }
    }
    boolean[] d = new boolean[good.size()];
    for (int i = 0; i < d.length; i++) d[i] = good.get(i);
    int[] from = new int[seqs.size()];
    java.util.Arrays.fill(from, 1);
    return new Bandit(seqs, from, d);
  }

  private TrainOutcome train(TokenModel ref, Bandit b, double lambdaU, int epochs) {
    TrainSettings s = new TrainSettings(epochs, 20, 2e-2, "constant", 0, OptimizerConfig.defaults(), null);
    return KtoTrainer.train(ref, ref, b.seqs(), b.from(), new TrainParams.Kto(b.desirable(), null, 0.5, 1.0, lambdaU),
        s, be, new SplittableRandom(3));
  }

  private double logRatio(TokenModel m, TokenModel ref, int token) {
    return m.nextTokenLogProbs(be, new int[] {1})[token] - ref.nextTokenLogProbs(be, new int[] {1})[token];
  }

  @Test
  void desirableEndAboveTheReferencePointAndUndesirableBelow() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(61));
    Bandit b = bandit();
    TrainOutcome out = train(ref, b, 1.0, 60);
    TokenModel m = out.model();
    double z0 = out.stats().get(KtoTrainer.KL);
    System.out.printf("kto: r(3) %.3f r(4) %.3f | z0 %.3f | r(6) %.3f r(7) %.3f; r(5) %.3f; loss %.4f -> %.4f%n",
        logRatio(m, ref, 3), logRatio(m, ref, 4), z0, logRatio(m, ref, 6), logRatio(m, ref, 7),
        logRatio(m, ref, 5), out.firstLoss(), out.lastLoss());
    for (int y : new int[] {3, 4}) assertTrue(logRatio(m, ref, y) > z0 + 0.5, "desirable " + y + " above z0");
    for (int y : new int[] {6, 7}) assertTrue(logRatio(m, ref, y) < z0 - 0.5, "undesirable " + y + " below z0");
    assertTrue(z0 >= 0, "the reference point is a KL estimate, clamped at 0");
    assertEquals(1.0, out.stats().get(KtoTrainer.ACCURACY), 0);
    assertTrue(out.stats().get(KtoTrainer.MARGIN) > 1);
    assertTrue(out.lastLoss() < out.firstLoss());
  }

  @Test
  void theUndesirableWeightSetsHowFarTheUndesirableSideMoves() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(62));
    Bandit b = bandit();
    TokenModel light = train(ref, b, 0.05, 8).model(), heavy = train(ref, b, 3.0, 8).model();
    double lightDrop = logRatio(light, ref, 6), heavyDrop = logRatio(heavy, ref, 6);
    System.out.printf("kto: r(6) with λU 0.05 %.3f, with λU 3 %.3f%n", lightDrop, heavyDrop);
    assertTrue(heavyDrop < lightDrop - 0.3, "a larger λ_U pushes undesirable examples further down");
  }

  @Test
  void theLossAtTheReferenceIsHalfOfEachWeight() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(63));
    Bandit b = bandit();
    TrainSettings s = new TrainSettings(1, b.seqs().size(), 1e-3, "constant", 0, OptimizerConfig.defaults(), null);
    TrainOutcome out = KtoTrainer.train(ref, ref, b.seqs(), b.from(),
        new TrainParams.Kto(b.desirable(), null, 0.5, 2.0, 0.7), s, be, new SplittableRandom(4));
    // r = z0 = 0 for every example: σ(0) = ½, so the loss is mean of λ/2: (40·2 + 40·0.7) / 80 / 2
    assertEquals((40 * 2.0 + 40 * 0.7) / 80 / 2, out.firstLoss(), 1e-9);
  }

  @Test
  void coefficientsAreTheGradientOfTheLoss() {
    double[] r = {0.4, -0.3, 1.7, -2.2, 0.05};
    boolean[] d = {true, true, false, false, true};
    TrainParams.Kto p = new TrainParams.Kto(d, null, 0.8, 1.3, 0.6);
    double z0 = 0.25, h = 1e-6;
    double[] grad = new double[r.length];
    KtoTrainer.loss(r, d, z0, p, grad);
    for (int i = 0; i < r.length; i++) {
      double[] up = r.clone(), down = r.clone();
      up[i] += h;
      down[i] -= h;
      double fd = (KtoTrainer.loss(up, d, z0, p, new double[r.length])
          - KtoTrainer.loss(down, d, z0, p, new double[r.length])) / (2 * h);
      assertEquals(fd, grad[i], 1e-8, "∂loss/∂r_" + i);
      // desirable examples are pulled up (∂loss/∂r < 0), undesirable pushed down
      assertTrue(d[i] ? grad[i] < 0 : grad[i] > 0);
    }
  }

  @Test
  void theReferencePointIsTheMismatchedKlAndZeroAtTheReference() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(64));
    TokenModel other = TokenModel.initialize(cfg, new SplittableRandom(65));
    List<int[]> seqs = List.of(new int[] {1, 2, 3}, new int[] {1, 5, 6, 7}, new int[] {1, 4});
    int[] from = {2, 1, 1};
    int[] all = {0, 1, 2};
    assertEquals(0, KtoTrainer.referencePoint(ref, ref, seqs, from, all, be), 0);
    // by hand: prompt of 0 ([1, 2]) + response of 1 ([5, 6, 7]); prompt of 1 ([1]) + response of 2 ([4]); prompt of
    // 2 ([1]) + response of 0 ([3])
    List<int[]> mism = List.of(new int[] {1, 2, 5, 6, 7}, new int[] {1, 4}, new int[] {1, 3});
    int[] mf = {2, 1, 1};
    double[] a = other.logProbs(be, mism, mf), q = ref.logProbs(be, mism, mf);
    double kl = ((a[0] - q[0]) + (a[1] - q[1]) + (a[2] - q[2])) / 3;
    assertEquals(Math.max(0, kl), KtoTrainer.referencePoint(other, ref, seqs, from, all, be), 1e-9);
  }
}
