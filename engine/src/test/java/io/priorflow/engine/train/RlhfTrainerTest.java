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
 * the reference. The trace logs proxy reward, gold reward and KL at every step.
 */
class RlhfTrainerTest {
  static final int FAVOURED = 5;
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 8, 2, 4, List.of(8),
      TokenModelConfig.Activation.GELU, 0);
  private final SamplingConfig oneToken = new SamplingConfig(1f, 0, 1, -1);
  /** Proxy: 1 for the favoured token. Gold: the same minus a penalty the proxy misses, on token 6. */
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
}
