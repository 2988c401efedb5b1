package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.SequenceBatch;
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
 * RLHF's defining properties on a one-token bandit (prompt [BOS], responses are single tokens): with β = 0 and a
 * reward that favours one token, that token's probability rises; with a very large KL coefficient the policy stays at
 * the reference; and with a proxy that disagrees with gold (it pays most for a token gold penalises), proxy reward
 * rises while gold rises and then falls as the KL to the reference grows — over-optimisation. The trace logs proxy
 * reward, gold reward and KL at every step. PPO's clip bounds how far many steps on one batch move the sampled
 * tokens' probability ratios; GRPO's advantages are zero-mean and unit-scale in each group, its update moves
 * probability toward the group's best, its KL term holds the policy near the reference, and its per-token
 * coefficients are the exact gradient of its loss (finite differences).
 */
class RlhfTrainerTest {
  static final int FAVOURED = 5;
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 8, 2, 4, List.of(8),
      TokenModelConfig.Activation.GELU, 0);
  private final SamplingConfig oneToken = new SamplingConfig(1f, 0, 1, -1);
  /** Proxy: 1 for the favoured token. Gold: half of it (the trace must log the gold scorer, not the proxy). */
  private final SequenceScorer proxy = SequenceScorer.ofSequence(s -> s[s.length - 1] == FAVOURED ? 1 : 0);
  private final SequenceScorer gold = SequenceScorer.ofSequence(s -> s[s.length - 1] == FAVOURED ? 0.5 : 0);

  private TrainOutcome run(TokenModel ref, double klCoef, String algorithm, int epochs) {
    return run(ref, proxy, klCoef, algorithm, epochs, algorithm.equals("rloo") ? 1 : 4, 0.2, 2e-2);
  }

  private TrainOutcome run(TokenModel ref, SequenceScorer reward, double klCoef, String algorithm, int epochs,
                           int ppoEpochs, double clip, double lr) {
    List<int[]> prompts = Collections.nCopies(16, new int[] {1});
    TrainSettings s = new TrainSettings(epochs, 16, lr, "constant", 0, OptimizerConfig.defaults(), null);
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, klCoef, 4, oneToken, algorithm, ppoEpochs, clip);
    return RlhfTrainer.train(ref, ref, reward, gold, prompts, p, s, be, new SplittableRandom(7));
  }

  private double prob(TokenModel m, int token) { return Math.exp(m.nextTokenLogProbs(be, new int[] {1})[token]); }

  private double kl(TokenModel p, TokenModel q) {
    float[] a = p.nextTokenLogProbs(be, new int[] {1}), b = q.nextTokenLogProbs(be, new int[] {1});
    return RlhfTrainer.rowKl(a, b, 0, a.length);
  }

  @Test
  void withoutKlTheFavouredTokenRises() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(51));
    for (String algorithm : List.of("rloo", "ppo")) {
      TrainOutcome out = run(ref, 0, algorithm, 40);
      double before = prob(ref, FAVOURED), after = prob(out.model(), FAVOURED);
      System.out.printf("rlhf %s β=0: p(favoured) %.3f -> %.3f, KL %.3f, proxy %.3f -> %.3f%n", algorithm, before,
          after, kl(out.model(), ref), out.trace().get(0).proxyReward(), out.trace().get(39).proxyReward());
      assertTrue(after > 0.9 && after > before + 0.5, algorithm + ": p(favoured) " + before + " -> " + after);
      assertEquals(40, out.trace().size());
      assertEquals(0, out.trace().get(0).kl(), 1e-12, "the first samples come from the reference itself");
      assertTrue(out.trace().get(39).kl() > 0.5, "moving toward one token costs KL");
      assertEquals(0.5 * out.trace().get(39).proxyReward(), out.trace().get(39).goldReward(), 1e-12);
    }
  }

  @Test
  void aVeryLargeKlCoefficientKeepsThePolicyAtTheReference() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(52));
    TrainOutcome free = run(ref, 0, "rloo", 40);
    TrainOutcome held = run(ref, 1e4, "rloo", 40);
    double klFree = kl(free.model(), ref), klHeld = kl(held.model(), ref);
    System.out.printf("rlhf β=1e4: KL %.2e (β=0: %.3f), p(favoured) %.4f -> %.4f%n", klHeld, klFree,
        prob(ref, FAVOURED), prob(held.model(), FAVOURED));
    assertTrue(klHeld < 1e-3, "KL to the reference with β = 1e4: " + klHeld);
    assertTrue(klFree > 100 * klHeld);
    assertEquals(prob(ref, FAVOURED), prob(held.model(), FAVOURED), 0.02);
  }

  @Test
  void leaveOneOutBaselineAndDeterminism() {
    double[] a = RlhfTrainer.leaveOneOut(new double[] {1, 2, 3, 10, 10, 10}, 3);
    assertEquals(1 - 2.5, a[0], 1e-12);
    assertEquals(3 - 1.5, a[2], 1e-12);
    assertEquals(0, a[4], 1e-12);
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(53));
    assertEquals(run(ref, 0.1, "ppo", 3).model().id(), run(ref, 0.1, "ppo", 3).model().id());
    List<RlhfStep> t = new ArrayList<>(run(ref, 0.1, "ppo", 3).trace());
    assertEquals(List.of(0, 1, 2), t.stream().map(RlhfStep::step).toList());
  }

  @Test
  void ppoClipBoundsTheRatioOfEverySampledTokenAfterManyStepsOnOneBatch() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(54));
    double eps = 0.2;
    // one batch of 64 samples (epochs 1, batch 16 prompts × 4), 60 small optimizer steps on it
    TrainOutcome clipped = run(ref, proxy, 0, "ppo", 1, 60, eps, 3e-3);
    TrainOutcome unclipped = run(ref, proxy, 0, "ppo", 1, 60, 1e6, 3e-3);
    float[] p0 = ref.nextTokenLogProbs(be, new int[] {1});
    float[] pc = clipped.model().nextTokenLogProbs(be, new int[] {1});
    float[] pu = unclipped.model().nextTokenLogProbs(be, new int[] {1});
    double rc = Math.exp(pc[FAVOURED] - p0[FAVOURED]), ru = Math.exp(pu[FAVOURED] - p0[FAVOURED]);
    // every other token is sampled with A < 0 (or not at all): its gradient stops once its ratio is below 1 − ε
    double minClipped = Double.POSITIVE_INFINITY, minUnclipped = Double.POSITIVE_INFINITY;
    for (int y = 2; y < p0.length; y++) {
      if (y == FAVOURED) continue;
      minClipped = Math.min(minClipped, Math.exp(pc[y] - p0[y]));
      minUnclipped = Math.min(minUnclipped, Math.exp(pu[y] - p0[y]));
    }
    System.out.printf("ppo 60 steps on one batch (ε = %.1f): lowest ratio of a disfavoured token %.3f (unclipped "
        + "%.3f), ratio of the favoured token %.3f (unclipped %.3f)%n", eps, minClipped, minUnclipped, rc, ru);
    // one step's overshoot past the clip (AdamW's momentum keeps moving a little after the gradient stops) is small
    assertTrue(minClipped >= 1 - eps - 0.1, "a disfavoured token's ratio fell to " + minClipped);
    assertTrue(minUnclipped < 0.5 * (1 - eps), "without the clip the same steps push it far lower: " + minUnclipped);
    // the favoured token rises only as far as the others' clipped losses make room (softmax normalisation) …
    double room = (1 - (1 - eps - 0.1) * (1 - Math.exp(p0[FAVOURED]))) / Math.exp(p0[FAVOURED]);
    assertTrue(rc > 1 && rc <= room, "favoured ratio " + rc + ", at most " + room);
    assertTrue(ru > rc + 1, "… while the unclipped steps move it much further: " + ru + " vs " + rc);
  }

  @Test
  void grpoAdvantagesAreZeroMeanAndUnitScaleWithinEachGroup() {
    double[] r = {1, 2, 3, 10, 0.5, 0.5, 0.5, 0.5, -4, 7, 7, 1};
    double[] a = RlhfTrainer.groupNormalised(r, 4);
    for (int g = 0; g < 12; g += 4) {
      double mean = 0, ss = 0;
      for (int i = g; i < g + 4; i++) mean += a[i] / 4;
      for (int i = g; i < g + 4; i++) ss += (a[i] - mean) * (a[i] - mean);
      assertEquals(0, mean, 1e-12, "group " + g / 4 + " mean");
      double sd = Math.sqrt(ss / 3);
      if (g == 4) assertEquals(0, sd, 0, "equal rewards: no signal");
      else assertEquals(1, sd, 1e-3, "group " + g / 4 + " sd");
    }
    // the order within a group is the rewards' order, and scaling or shifting the rewards changes nothing
    assertTrue(a[3] > a[2] && a[2] > a[1] && a[1] > a[0]);
    double[] b = RlhfTrainer.groupNormalised(new double[] {12, 22, 32, 102}, 4);
    for (int i = 0; i < 4; i++) assertEquals(a[i], b[i], 1e-4); // up to the 1e-4 guard
  }

  @Test
  void grpoMovesProbabilityTowardTheGroupsBest() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(55));
    // graded rewards: token 7 best, then 6, 5 …: GRPO's group normalisation ranks within the group
    SequenceScorer graded = SequenceScorer.ofSequence(s -> s[s.length - 1] / 7.0);
    TrainOutcome out = run(ref, graded, 0, "grpo", 40, 1, 0.2, 2e-2);
    double before = prob(ref, 7), after = prob(out.model(), 7);
    System.out.printf("grpo β=0: p(best) %.3f -> %.3f, proxy %.3f -> %.3f%n", before, after,
        out.trace().get(0).proxyReward(), out.trace().get(39).proxyReward());
    assertTrue(after > 0.8 && after > before + 0.5, "p(best) " + before + " -> " + after);
    assertEquals("grpo", out.trace().get(0).algorithm());
    // one step: the best sample of the first group gains log-probability, the worst loses it
    TrainOutcome one = run(ref, graded, 0, "grpo", 1, 1, 0.2, 2e-2);
    float[] lp0 = ref.nextTokenLogProbs(be, new int[] {1}), lp1 = one.model().nextTokenLogProbs(be, new int[] {1});
    assertTrue(lp1[7] - lp0[7] > 0, "the best token's log-probability rises");
    assertTrue(lp1[2] - lp0[2] < 0, "the worst token's log-probability falls");
  }

  @Test
  void grpoKlTermHoldsThePolicyNearTheReference() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(56));
    TrainOutcome free = run(ref, proxy, 0, "grpo", 40, 1, 0.2, 2e-2);
    TrainOutcome held = run(ref, proxy, 2, "grpo", 40, 1, 0.2, 2e-2);
    double klFree = kl(free.model(), ref), klHeld = kl(held.model(), ref);
    System.out.printf("grpo: KL to the reference β=0 %.3f, β=2 %.3f%n", klFree, klHeld);
    assertTrue(klHeld < 0.25 * klFree, "β = 2 KL " + klHeld + " vs β = 0 " + klFree);
    assertTrue(klHeld > 0, "the reward still moves it");
  }

  @Test
  void grpoCoefficientsAreTheGradientOfItsLoss() {
    // two samples of 3 response tokens (prompt length 1) in one group, after one update: ρ ≠ 1
    List<int[]> samples = List.of(new int[] {1, 3, 4, 5}, new int[] {1, 6, 2, 7});
    int[] from = {1, 1};
    double[] adv = {0.8, -0.8};
    float[][] old = {{-1.2f, -0.7f, -2.0f}, {-1.5f, -0.4f, -1.1f}};
    float[][] ref = {{-1.0f, -0.9f, -1.6f}, {-1.4f, -0.6f, -1.3f}};
    double[] now = {-1.1, -0.75, -1.95, -1.45, -0.5, -1.08}; // ratios within 1 ± ε, away from the corners
    double clip = 0.2, beta = 0.3;
    int m = 2;
    SequenceBatch b = RlhfTrainer.grpoBatch(samples, from, adv, ratios(now, old), toRows(now), ref, clip, beta, m);
    double h = 1e-6;
    for (int k = 0; k < now.length; k++) {
      double[] up = now.clone(), down = now.clone();
      up[k] += h;
      down[k] -= h;
      double fd = (grpoLoss(up, old, ref, adv, clip, beta, m) - grpoLoss(down, old, ref, adv, clip, beta, m)) / (2 * h);
      double c = b.weights().get(k / 3)[1 + k % 3];
      // stepSum's gradient is −Σ c_t ∇log p_t, so c_t must be −∂loss/∂log p_t
      assertEquals(-fd, c, 1e-6 + 1e-4 * Math.abs(fd), "token " + k);
    }
    // a token whose ratio left the clip range in its advantage's direction has only the KL term
    double[] far = now.clone();
    far[0] = old[0][0] + Math.log(1.5);
    SequenceBatch bf = RlhfTrainer.grpoBatch(samples, from, adv, ratios(far, old), toRows(far), ref, clip, beta, m);
    double klOnly = -beta * (1 - Math.exp(ref[0][0] - far[0])) / (m * 3);
    assertEquals(klOnly, bf.weights().get(0)[1], 1e-7);
  }

  @Test
  void aRatioExactlyOnTheClipBoundKeepsItsCoefficient() {
    // min(ρA, clamp(ρ, 1 − ε, 1 + ε)·A) is flat in ρ only strictly outside [1 − ε, 1 + ε] in A's direction: at
    // ρ = 1 + ε (A > 0) or 1 − ε (A < 0) exactly the token keeps A·ρ, as in PyTorch, whose clamp passes the gradient
    // on its closed interval; one float further out it is clipped to 0. ε = 1/4, so 1.25 and 0.75 are exact floats,
    // and every coefficient below is exact.
    List<int[]> samples = List.of(new int[] {1, 3, 4}, new int[] {1, 5, 6});
    int[] from = {1, 1};
    double clip = 0.25;
    int m = 2;
    float up = 1.25f, down = 0.75f, pastUp = Math.nextUp(up), pastDown = Math.nextDown(down);
    // sample 0 has A = ½ (clipped above 1 + ε only), sample 1 A = −½ (clipped below 1 − ε only)
    float[][] onBound = {{up, down}, {down, up}};
    float[][] past = {{pastUp, pastDown}, {pastDown, pastUp}};
    double[] adv = {0.5, -0.5};
    double[][] tokenAdv = {{0.5, 0.5}, {-0.5, -0.5}};
    // per sample: c·ρ with c = A/m (rloo/ppo) or A/(m·|y|) (grpo, |y| = 2)
    float[][] onBoundPpo = {{0, 0.25f * up, 0.25f * down}, {0, -0.25f * down, -0.25f * up}};
    float[][] pastPpo = {{0, 0, 0.25f * pastDown}, {0, 0, -0.25f * pastUp}};
    assertRows(onBoundPpo, RlhfTrainer.policyBatch(samples, from, adv, onBound, clip, m), "policyBatch on the bound");
    assertRows(pastPpo, RlhfTrainer.policyBatch(samples, from, adv, past, clip, m), "policyBatch past it");
    assertRows(onBoundPpo, RlhfTrainer.tokenPolicyBatch(samples, from, tokenAdv, onBound, clip, m),
        "tokenPolicyBatch on the bound");
    assertRows(pastPpo, RlhfTrainer.tokenPolicyBatch(samples, from, tokenAdv, past, clip, m),
        "tokenPolicyBatch past it");
    // grpo with π = π_ref, so its KL term 1 − π_ref/π is 0 and only A·ρ/(m·|y|) is left
    float[][] lp = {{-1f, -2f}, {-1.5f, -0.5f}};
    float[][] onBoundGrpo = {{0, 0.125f * up, 0.125f * down}, {0, -0.125f * down, -0.125f * up}};
    float[][] pastGrpo = {{0, 0, 0.125f * pastDown}, {0, 0, -0.125f * pastUp}};
    assertRows(onBoundGrpo, RlhfTrainer.grpoBatch(samples, from, adv, onBound, lp, lp, clip, 0.3, m),
        "grpoBatch on the bound");
    assertRows(pastGrpo, RlhfTrainer.grpoBatch(samples, from, adv, past, lp, lp, clip, 0.3, m), "grpoBatch past it");
  }

  private static void assertRows(float[][] expected, SequenceBatch batch, String what) {
    assertEquals(expected.length, batch.weights().size(), what);
    for (int i = 0; i < expected.length; i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], batch.weights().get(i), 0f, what + ", sample " + i);
    }
  }

  /** GRPO's loss (6c in RlhfTrainer) as a function of the current per-token log-probabilities. */
  private static double grpoLoss(double[] now, float[][] old, float[][] ref, double[] adv, double clip, double beta,
                                 int m) {
    double loss = 0;
    for (int i = 0; i < 2; i++) {
      for (int t = 0; t < 3; t++) {
        double lp = now[3 * i + t], rho = Math.exp(lp - old[i][t]);
        double surrogate = Math.min(rho * adv[i], Math.max(1 - clip, Math.min(1 + clip, rho)) * adv[i]);
        double lr = ref[i][t] - lp, d = Math.exp(lr) - lr - 1;
        loss -= (surrogate - beta * d) / (m * 3.0);
      }
    }
    return loss;
  }

  private static float[][] toRows(double[] x) {
    float[][] r = new float[2][3];
    for (int k = 0; k < 6; k++) r[k / 3][k % 3] = (float) x[k];
    return r;
  }

  private static float[][] ratios(double[] now, float[][] old) {
    float[][] r = new float[2][3];
    for (int k = 0; k < 6; k++) r[k / 3][k % 3] = (float) Math.exp(now[k] - old[k / 3][k % 3]);
    return r;
  }

  @Test
  void gaeIsTheLambdaWeightedSumOfTemporalDifferences() {
    // one sample: prompt [1], three response tokens; values of the three states, proxy reward 2 at the end
    List<int[]> samples = List.of(new int[] {1, 4, 5, 6});
    float[][] old = {{-1.0f, -0.5f, -2.0f}}, ref = {{-1.5f, -0.5f, -1.0f}};
    float[] v = {0.3f, 0.8f, 1.1f};
    double beta = 0.2;
    double[] r = {-beta * 0.5, 0, -beta * -1.0 + 2}; // −β·(log π_old − log π_ref), + proxy at the last token
    // λ = 1: A_t = Σ_{k ≥ t} r_k − V(s_t) (Monte Carlo return minus the value)
    double[][] a1 = RlhfTrainer.gae(samples, new int[] {1}, new double[] {2}, old, ref, beta, 1, v);
    for (int t = 0; t < 3; t++) {
      double g = 0;
      for (int k = t; k < 3; k++) g += r[k];
      assertEquals(g - v[t], a1[0][t], 1e-6, "λ = 1, t = " + t);
    }
    // λ = 0: A_t = δ_t = r_t + V(s_{t+1}) − V(s_t), with V = 0 after the last token
    double[][] a0 = RlhfTrainer.gae(samples, new int[] {1}, new double[] {2}, old, ref, beta, 0, v);
    for (int t = 0; t < 3; t++) {
      assertEquals(r[t] + (t < 2 ? v[t + 1] : 0) - v[t], a0[0][t], 1e-6, "λ = 0, t = " + t);
    }
    double[][] w = {{1, 2, 3}, {4}};
    RlhfTrainer.whiten(w);
    assertEquals(0, w[0][0] + w[0][1] + w[0][2] + w[1][0], 1e-9);
  }

  @Test
  void ppoWithAValueHeadLearnsTheReturnAndRaisesTheFavouredToken() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(57));
    List<int[]> prompts = Collections.nCopies(16, new int[] {1});
    TrainSettings s = new TrainSettings(40, 16, 2e-2, "constant", 0, OptimizerConfig.defaults(), null);
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, 0, 4, oneToken, "ppo", 4, 0.2, "value", 0.95);
    TrainOutcome out = RlhfTrainer.train(ref, ref, proxy, gold, prompts, p, s, be, new SplittableRandom(8));
    double before = prob(ref, FAVOURED), after = prob(out.model(), FAVOURED);
    double valueLoss = out.stats().get(RlhfTrainer.VALUE_LOSS);
    System.out.printf("ppo with a value head: p(favoured) %.3f -> %.3f, last value loss %.4f%n", before, after,
        valueLoss);
    assertTrue(after > 0.9 && after > before + 0.5, "p(favoured) " + before + " -> " + after);
    // the return is now nearly always 1: the value head has learnt it
    assertTrue(valueLoss < 0.02, "value loss " + valueLoss);
    assertEquals(out.model().id(), RlhfTrainer.train(ref, ref, proxy, gold, prompts, p, s, be,
        new SplittableRandom(8)).model().id(), "deterministic");
  }

  /**
   * The over-optimisation bandit: gold values token 3 (+1) and penalises token {@link #FAVOURED} (−1) and every
   * other token (−½); the proxy pays 0.8 for token 3 and 1 for the favoured token, nothing for the rest.
   */
  static final double[] GOLD = {-0.5, -0.5, -0.5, 1, -0.5, -1, -0.5, -0.5};
  static final double[] PROXY = {0, 0, 0, 0.8, 0, 1, 0, 0};

  /** The exact expectation of a per-token value under the policy's one-token distribution. */
  private double expected(TokenModel m, double[] value) {
    double e = 0;
    for (int t = 0; t < value.length; t++) e += prob(m, t) * value[t];
    return e;
  }

  @Test
  void aProxyThatDisagreesWithGoldIsOverOptimisedPastAKl() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(54));
    SequenceScorer proxyHack = SequenceScorer.ofSequence(x -> PROXY[x[x.length - 1]]);
    SequenceScorer goldHack = SequenceScorer.ofSequence(x -> GOLD[x[x.length - 1]]);
    int[] steps = {0, 4, 8, 20, 60};
    double[] proxy = new double[steps.length], gold = new double[steps.length], kl = new double[steps.length];
    TrainOutcome last = null;
    for (int c = 0; c < steps.length; c++) {
      TokenModel m = ref;
      if (steps[c] > 0) {
        List<int[]> prompts = Collections.nCopies(16, new int[] {1});
        TrainSettings s = new TrainSettings(steps[c], 16, 2e-2, "constant", 0, OptimizerConfig.defaults(), null);
        TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, 0, 4, oneToken, "rloo", 1, 0.2);
        last = RlhfTrainer.train(ref, ref, proxyHack, goldHack, prompts, p, s, be, new SplittableRandom(7));
        m = last.model();
      }
      proxy[c] = expected(m, PROXY);
      gold[c] = expected(m, GOLD);
      kl[c] = kl(m, ref);
      System.out.printf("rlhf over-optimisation: %3d steps  proxy %.3f  gold %+.3f  KL %.3f  p(3) %.3f p(%d) %.3f%n",
          steps[c], proxy[c], gold[c], kl[c], prob(m, 3), FAVOURED, prob(m, FAVOURED));
    }
    int peak = 0;
    for (int c = 1; c < steps.length; c++) {
      assertTrue(proxy[c] > proxy[c - 1], "proxy rises: " + java.util.Arrays.toString(proxy));
      assertTrue(kl[c] > kl[c - 1], "KL to the reference grows: " + java.util.Arrays.toString(kl));
      if (gold[c] > gold[peak]) peak = c;
    }
    // gold first rises (the tokens both scorers dislike go), then falls (the proxy's favourite crowds out token 3)
    assertTrue(peak > 0 && peak < steps.length - 1, "gold peaks inside the run: " + java.util.Arrays.toString(gold));
    assertTrue(gold[peak] > gold[0] + 0.2, "gold rises first: " + java.util.Arrays.toString(gold));
    assertTrue(gold[steps.length - 1] < gold[peak] - 0.3, "then falls: " + java.util.Arrays.toString(gold));
    assertTrue(gold[steps.length - 1] < gold[0], "and ends below the reference: " + java.util.Arrays.toString(gold));
    // the trace shows the same divergence on the samples it logs: proxy up, gold down over the last steps
    List<RlhfStep> t = last.trace();
    assertEquals(60, t.size());
    assertTrue(mean(t, 50, 60, RlhfStep::proxyReward) > mean(t, 0, 10, RlhfStep::proxyReward) + 0.3);
    assertTrue(mean(t, 50, 60, RlhfStep::goldReward) < mean(t, 4, 14, RlhfStep::goldReward) - 0.3);
    assertTrue(mean(t, 50, 60, RlhfStep::kl) > mean(t, 4, 14, RlhfStep::kl) + 0.3);
  }

  @Test
  void aKlPenaltyStopsShortOfTheOverOptimisedPolicy() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(54));
    SequenceScorer proxyHack = SequenceScorer.ofSequence(x -> PROXY[x[x.length - 1]]);
    SequenceScorer goldHack = SequenceScorer.ofSequence(x -> GOLD[x[x.length - 1]]);
    double[] beta = {0, 0.3};
    double[] gold = new double[2], kl = new double[2], proxy = new double[2];
    for (int c = 0; c < 2; c++) {
      List<int[]> prompts = Collections.nCopies(16, new int[] {1});
      TrainSettings s = new TrainSettings(200, 16, 2e-2, "constant", 0, OptimizerConfig.defaults(), null);
      TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, beta[c], 4, oneToken, "rloo", 1, 0.2);
      TokenModel m = RlhfTrainer.train(ref, ref, proxyHack, goldHack, prompts, p, s, be, new SplittableRandom(7))
          .model();
      gold[c] = expected(m, GOLD);
      proxy[c] = expected(m, PROXY);
      kl[c] = kl(m, ref);
      System.out.printf("rlhf 200 steps, β=%.1f: proxy %.3f  gold %+.3f  KL %.3f%n", beta[c], proxy[c], gold[c],
          kl[c]);
    }
    assertTrue(kl[1] < 0.7 * kl[0], "the penalty holds the policy nearer the reference");
    assertTrue(gold[1] > gold[0] + 0.3, "and so keeps more gold");
    assertTrue(proxy[1] < proxy[0], "at the price of proxy reward");
  }

  static double mean(List<RlhfStep> t, int from, int to, java.util.function.ToDoubleFunction<RlhfStep> f) {
    return t.subList(from, to).stream().mapToDouble(f).average().orElseThrow();
  }
}
