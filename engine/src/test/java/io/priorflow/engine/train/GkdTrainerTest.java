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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GKD's divergences on a teacher that is multimodal to the student: prompts [BOS, a, 4, 4] where a ∈ {2, 9} lies
 * outside the student's 2-token window. For a = 2 the teacher answers 3 (0.55) or 5 (0.45), for a = 9 it answers 6
 * (0.55) or 5 (0.45); every other token 10⁻⁴. The student sees one context, so its best q is, in closed form,
 * the arithmetic mean of the two teachers under forward KL (mode-covering: q(3) = q(6) ≈ 0.275, q(5) ≈ 0.45) and
 * their normalised geometric mean under reverse KL (mode-seeking: q(5) ≈ 0.97, the one answer both contexts allow);
 * JSD(0.5) lies between. The mixing of on- and off-policy sequences follows λ.
 */
class GkdTrainerTest {
  private static final int V = 10;
  private static final double EPS = 1e-4;
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig student = new TokenModelConfig(TokenModelConfig.Head.TOKEN, V, 2, 4, List.of(8),
      TokenModelConfig.Activation.GELU, 0);

  /** The teacher's distribution after prompt [1, a, 4, 4]. */
  private static double[] teacher(int a) {
    double[] p = new double[V];
    java.util.Arrays.fill(p, EPS);
    p[a == 2 ? 3 : 6] = 0.55;
    p[5] = 0.45;
    double z = 0;
    for (double x : p) z += x;
    for (int j = 0; j < V; j++) p[j] /= z;
    return p;
  }

  /** Any sequence's positions get the teacher's distribution for its seq[1]; a test teacher, not a model. */
  private static final GkdTrainer.Teacher TEACHER = (seqs, from) -> {
    float[][] out = new float[seqs.size()][];
    for (int i = 0; i < seqs.size(); i++) {
      int n = seqs.get(i).length - from[i];
      out[i] = new float[n * V];
      double[] p = teacher(seqs.get(i)[1]);
      for (int t = 0; t < n; t++) for (int j = 0; j < V; j++) out[i][t * V + j] = (float) Math.log(p[j]);
    }
    return out;
  };

  private static List<int[]> data() {
    List<int[]> seqs = new ArrayList<>();
    for (int k = 0; k < 32; k++) {
      seqs.add(new int[] {1, 2, 4, 4, k % 2 == 0 ? 3 : 5});
      seqs.add(new int[] {1, 9, 4, 4, k % 2 == 0 ? 6 : 5});
    }
    return seqs;
  }

  private TrainOutcome train(String divergence, double lambda, int epochs) {
    List<int[]> seqs = data();
    int[] from = new int[seqs.size()];
    java.util.Arrays.fill(from, 4);
    TrainSettings s = new TrainSettings(epochs, 64, 3e-2, "constant", 0, OptimizerConfig.defaults(), null);
    TrainParams.Gkd p = new TrainParams.Gkd("teacher", divergence, 0.5, lambda, new SamplingConfig(1f, 0, 1, -1));
    TokenModel start = TokenModel.initialize(student, new SplittableRandom(81));
    return GkdTrainer.train(start, TEACHER, seqs, from, p, s, be, new SplittableRandom(82));
  }

  private double[] q(TokenModel m) {
    float[] lp = m.nextTokenLogProbs(be, new int[] {1, 2, 4, 4});
    double[] q = new double[V];
    for (int j = 0; j < V; j++) q[j] = Math.exp(lp[j]);
    return q;
  }

  @Test
  void reverseKlSeeksTheSharedModeWhereForwardKlCoversBoth() {
    double[] pa = teacher(2), pb = teacher(9), arith = new double[V], geo = new double[V];
    double zg = 0;
    for (int j = 0; j < V; j++) {
      arith[j] = (pa[j] + pb[j]) / 2;
      zg += geo[j] = Math.sqrt(pa[j] * pb[j]);
    }
    for (int j = 0; j < V; j++) geo[j] /= zg;
    double[] fwd = q(train("forward_kl", 0.5, 400).model());
    double[] rev = q(train("reverse_kl", 0.5, 400).model());
    double[] jsd = q(train("jsd", 0.5, 400).model());
    System.out.printf("gkd: q(3) q(5) q(6) forward %.3f %.3f %.3f (arithmetic mean %.3f %.3f %.3f), reverse %.3f %.3f "
            + "%.3f (geometric %.3f %.3f %.3f), jsd %.3f %.3f %.3f%n", fwd[3], fwd[5], fwd[6], arith[3], arith[5],
        arith[6], rev[3], rev[5], rev[6], geo[3], geo[5], geo[6], jsd[3], jsd[5], jsd[6]);
    // forward KL: mode-covering, the arithmetic mean — both answers the teacher gives keep their mass
    for (int j : new int[] {3, 5, 6}) assertEquals(arith[j], fwd[j], 0.03, "forward KL q(" + j + ")");
    // reverse KL: mode-seeking, the geometric mean — the answer only one context allows is dropped
    assertEquals(geo[5], rev[5], 0.03, "reverse KL q(5)");
    assertTrue(rev[3] < 0.05 && rev[6] < 0.05, "reverse KL drops 3 and 6: " + rev[3] + ", " + rev[6]);
    // JSD(0.5) lies between them
    assertTrue(jsd[5] > fwd[5] + 0.05 && jsd[5] < rev[5] - 0.05, "JSD q(5) " + jsd[5]);
  }

  @Test
  void theOnPolicyShareFollowsLambda() {
    assertEquals(0, train("forward_kl", 0, 3).stats().get(GkdTrainer.ON_POLICY), 0);
    assertEquals(1, train("forward_kl", 1, 3).stats().get(GkdTrainer.ON_POLICY), 0);
    double half = train("forward_kl", 0.3, 20).stats().get(GkdTrainer.ON_POLICY);
    assertEquals(0.3, half, 0.03, "20 epochs × 64 items, each on-policy with probability 0.3");
    TrainOutcome a = train("jsd", 0.5, 3), b = train("jsd", 0.5, 3);
    assertEquals(a.model().id(), b.model().id(), "the same streams give the same student");
  }
}
