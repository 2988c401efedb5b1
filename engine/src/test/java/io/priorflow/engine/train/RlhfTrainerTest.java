package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
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
 * reward, gold reward and KL at every step.
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
    List<int[]> prompts = Collections.nCopies(16, new int[] {1});
    TrainSettings s = new TrainSettings(epochs, 16, 2e-2, "constant", 0, OptimizerConfig.defaults(), null);
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, klCoef, 4, oneToken, algorithm, 4, 0.2);
    return RlhfTrainer.train(ref, ref, proxy, gold, prompts, p, s, be, new SplittableRandom(7));
  }

  private double prob(TokenModel m, int token) { return Math.exp(m.nextTokenLogProbs(be, new int[] {1})[token]); }

  private double kl(TokenModel p, TokenModel q) {
    float[] a = p.nextTokenLogProbs(be, new int[] {1}), b = q.nextTokenLogProbs(be, new int[] {1});
    return RlhfTrainer.rowKl(a, b, 0, a.length);
  }

  @Test
  void withoutKlTheFavouredTokenRises() {
    TokenModel ref = TokenModel.initialize(cfg, new SplittableRandom(51));
    for (String algorithm : List.of("reinforce", "ppo")) {
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
    TrainOutcome free = run(ref, 0, "reinforce", 40);
    TrainOutcome held = run(ref, 1e4, "reinforce", 40);
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
        TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, 0, 4, oneToken, "reinforce", 4, 0.2);
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
      TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, beta[c], 4, oneToken, "reinforce", 4, 0.2);
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
