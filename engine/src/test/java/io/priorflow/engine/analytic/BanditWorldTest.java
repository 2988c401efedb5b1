package io.priorflow.engine.analytic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bandit world against its closed forms: RLHF's and DPO's optimum π* ∝ π_ref·exp(r/β), the Bradley–Terry
 * reward model, the exact best-of-n policy, and the gradients the fits follow.
 */
class BanditWorldTest {
  static final double[] R = {0.3, -1.2, 1.5, 0.0, 0.9};
  static final double[] SKEWED = {0.1, 0.3, 0.05, 0.4, 0.15};

  static SplittableRandom rng(String item) {
    return new RandomStreams(99).forItem(item);
  }

  /** β·log(π/π_ref) − r over the arms: constant at DPO's and RLHF's optimum. */
  static double[] offsets(double[] pi, double[] ref, double[] r, double beta) {
    double[] o = new double[pi.length];
    for (int k = 0; k < pi.length; k++) o[k] = beta * Math.log(pi[k] / ref[k]) - r[k];
    return o;
  }

  static double spread(double[] x) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  }

  static double[] log(double[] p) {
    double[] t = new double[p.length];
    for (int k = 0; k < p.length; k++) t[k] = Math.log(p[k]);
    return t;
  }

  @Test
  void rlhfReachesTheClosedFormOptimumOnEveryArmHoweverUnlikely() {
    double beta = 0.4;
    double[] theta = BanditWorld.rlhf(log(SKEWED), R, beta, 200, 1.0);
    double[] pi = BanditWorld.softmax(theta);
    assertEquals(0, spread(offsets(pi, SKEWED, R, beta)), 1e-9);
    assertArrayEquals(BanditWorld.tilt(SKEWED, R, beta), pi, 1e-12);
    // the optimum beats every other policy on the objective, e.g. the reference and the greedy arm
    double best = BanditWorld.objective(theta, log(SKEWED), R, beta);
    assertTrue(best > BanditWorld.objective(log(SKEWED), log(SKEWED), R, beta));
    assertTrue(best > BanditWorld.objective(new double[] {0, 0, 8, 0, 0}, log(SKEWED), R, beta));
  }

  @Test
  void theRlhfStepIsTheNaturalGradientOfTheObjective() {
    double beta = 0.7, h = 1e-6;
    double[] ref = log(SKEWED), theta = {0.2, -0.4, 0.9, 0.1, -1.0};
    double[] pi = BanditWorld.softmax(theta), f = BanditWorld.advantages(theta, BanditWorld.logSoftmax(ref), R, beta);
    for (int j = 0; j < theta.length; j++) {
      double[] up = theta.clone(), down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double numeric = (BanditWorld.objective(up, ref, R, beta) - BanditWorld.objective(down, ref, R, beta)) / (2 * h);
      assertEquals(numeric, pi[j] * f[j], 1e-8, "∂J/∂θ_" + j + " = π_j (f_j − Σπf)");
    }
  }

  @Test
  void dpoFollowsTheGradientOfItsLoss() {
    double beta = 0.3, h = 1e-6;
    double[] ref = log(SKEWED);
    List<int[]> pairs = List.of(new int[] {2, 1}, new int[] {0, 3}, new int[] {2, 4}, new int[] {3, 1});
    double[] theta = BanditWorld.dpo(ref, pairs, beta, 1, 1.0); // one step of size 1: θ = ref − ∇L(ref)
    for (int j = 0; j < ref.length; j++) {
      double[] up = ref.clone(), down = ref.clone();
      up[j] += h;
      down[j] -= h;
      double numeric = (dpoLoss(up, ref, pairs, beta) - dpoLoss(down, ref, pairs, beta)) / (2 * h);
      assertEquals(-numeric, theta[j] - ref[j], 1e-8, "−∂L/∂θ_" + j);
    }
  }

  static double dpoLoss(double[] theta, double[] ref, List<int[]> pairs, double beta) {
    double loss = 0;
    for (int[] p : pairs) {
      loss -= Math.log(BanditWorld.sigmoid(beta * ((theta[p[0]] - ref[p[0]]) - (theta[p[1]] - ref[p[1]]))));
    }
    return loss / pairs.size();
  }

  @Test
  void dpoOnManyBradleyTerryPairsReachesBetaLogRatioEqualsRewardPlusAConstant() {
    double beta = 0.5;
    double[] prior = {0.2, 0.2, 0.2, 0.2, 0.2};
    BanditWorld w = new BanditWorld(R, prior, List.of(new BanditWorld.Step(BanditWorld.Kind.LABEL, 200_000, 0, 0, 0,
        0), new BanditWorld.Step(BanditWorld.Kind.DPO, 0, beta, 0, 600, 8.0)));
    BanditWorld.Generation g = w.run(1, rng("dpo")).get(1);
    double[] o = offsets(g.pi(), prior, R, beta);
    assertTrue(spread(o) < 0.06, "β·log(π/π_ref) − r should be one constant, was " + java.util.Arrays.toString(o));
    assertTrue(BanditWorld.kl(g.pi(), g.optimum()) < 1e-3, "KL to π_ref·exp(r/β)");
    assertArrayEquals(BanditWorld.tilt(prior, R, beta), g.optimum(), 1e-15);
    assertTrue(g.pairs() > 150_000 && g.pairs() < 170_000, "pairs of two different arms: ~4/5, were " + g.pairs());
  }

  @Test
  void theRewardModelRecoversTheCentredGoldRewards() {
    double[] prior = {0.2, 0.2, 0.2, 0.2, 0.2};
    BanditWorld w = new BanditWorld(R, prior, List.of(new BanditWorld.Step(BanditWorld.Kind.LABEL, 200_000, 0, 0, 0,
        0), new BanditWorld.Step(BanditWorld.Kind.REWARD_MODEL, 0, 0, 0, 1500, 8.0)));
    BanditWorld.Generation g = w.run(1, rng("rm")).get(1);
    double mean = 0;
    for (double r : R) mean += r / R.length;
    for (int k = 0; k < R.length; k++) assertEquals(R[k] - mean, g.rewardModel()[k], 0.04, "r̂_" + k);
    // no policy step: the generation keeps its teacher, and there is no optimum to compare with
    assertArrayEquals(prior, g.pi(), 1e-15);
    assertNull(g.optimum());
  }

  @Test
  void theExactBestOfNPolicyIsTheCdfDifferenceAndWithinTheKlBound() {
    assertArrayEquals(SKEWED, BanditWorld.bestOfN(SKEWED, R, 1), 1e-15);
    double[] bon = BanditWorld.bestOfN(SKEWED, R, 4);
    double sum = 0;
    for (double p : bon) sum += p;
    assertEquals(1, sum, 1e-12);
    // by hand: arms sorted by reward are 1 (−1.2), 3 (0), 0 (0.3), 4 (0.9), 2 (1.5); F below arm 2 is 0.95
    assertEquals(1 - Math.pow(0.95, 4), bon[2], 1e-15);
    assertEquals(Math.pow(0.3, 4), bon[1], 1e-15);
    assertTrue(BanditWorld.kl(bon, SKEWED) <= Math.log(4) - 3.0 / 4);
    // Monte Carlo: the best of 4 draws
    SplittableRandom rng = rng("bon-mc");
    int[] counts = new int[R.length];
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      int best = BanditWorld.draw(SKEWED, rng);
      for (int c = 1; c < 4; c++) {
        int k = BanditWorld.draw(SKEWED, rng);
        if (R[k] > R[best]) best = k;
      }
      counts[best]++;
    }
    for (int k = 0; k < R.length; k++) assertEquals(bon[k], counts[k] / (double) n, 0.003, "arm " + k);
    // ties: two arms of equal reward share in proportion to π
    double[] tied = BanditWorld.bestOfN(new double[] {0.25, 0.25, 0.5}, new double[] {1, 1, 0}, 2);
    assertEquals(tied[0], tied[1], 1e-15);
    assertEquals(0.25, tied[2], 1e-15);
  }

  @Test
  void theBestOfNStepDistilsTheExactBestOfNPolicy() {
    BanditWorld w = new BanditWorld(R, SKEWED, List.of(new BanditWorld.Step(BanditWorld.Kind.BEST_OF_N, 200_000, 0,
        3, 4000, 3.0)));
    BanditWorld.Generation g = w.run(1, rng("bon")).get(1);
    assertArrayEquals(BanditWorld.bestOfN(SKEWED, R, 3), g.pi(), 0.004);
  }

  @Test
  void sftFitsTheWinnersAndTheLabelsAreBradleyTerry() {
    double[] prior = {0.5, 0.5};
    double[] r = {0.8, 0.0};
    BanditWorld w = new BanditWorld(r, prior, List.of(new BanditWorld.Step(BanditWorld.Kind.LABEL, 100_000, 0, 0, 0,
        0), new BanditWorld.Step(BanditWorld.Kind.SFT, 0, 0, 0, 3000, 3.0)));
    BanditWorld.Generation g = w.run(1, rng("sft")).get(1);
    // the winners of pairs of two different arms: arm 0 wins with probability σ(0.8)
    assertEquals(BanditWorld.sigmoid(0.8), g.pi()[0], 0.006);
    assertNull(g.optimum());
  }

  @Test
  void generationsChainTeacherToStudentFollowTheirScheduleAndRepeatExactly() {
    double beta = 1.0;
    List<BanditWorld.Step> steps = new ArrayList<>(List.of(
        new BanditWorld.Step(BanditWorld.Kind.RLHF, 0, beta, 0, 100, 1.0, g -> g != 2)));
    BanditWorld w = new BanditWorld(R, SKEWED, steps);
    List<BanditWorld.Generation> run = w.run(3, rng("chain"));
    assertArrayEquals(SKEWED, run.get(0).pi(), 1e-15);
    assertArrayEquals(BanditWorld.tilt(SKEWED, R, beta), run.get(1).pi(), 1e-12);
    assertArrayEquals(run.get(1).pi(), run.get(2).pi(), 0); // generation 2 skips the step: the teacher stays
    assertArrayEquals(run.get(2).pi(), run.get(3).teacher(), 0);
    double[] twice = new double[R.length];
    for (int k = 0; k < R.length; k++) twice[k] = 2 * R[k];
    assertArrayEquals(BanditWorld.tilt(SKEWED, twice, beta), run.get(3).pi(), 1e-12); // tilted twice
    List<BanditWorld.Generation> again = w.run(3, rng("chain"));
    for (int g = 0; g <= 3; g++) assertArrayEquals(run.get(g).pi(), again.get(g).pi(), 0);
  }
}
