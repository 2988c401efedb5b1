package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every RLHF step against the formulas of {@link RlhfTrainer}'s Javadoc, written out again here: the trainer's model
 * after a run is exactly the one {@link ModelTraining#stepSum} gives with the coefficients of steps 4–6 computed
 * from the samples the reward model was shown (rloo, ppo with its clipped ratios over two updates, grpo), and its
 * trace, losses, tokens and statistics are the means the Javadoc defines. Multi-token responses from prompts of
 * different lengths, a reference unlike the start, and batches of unequal size, so that no term can hide.
 */
class RlhfStepsTest {

  private final KernelBackend be = new ReferenceBackend();
  private static final OptimizerConfig OPT = OptimizerConfig.defaults();
  private static final List<int[]> PROMPTS = List.of(new int[] {1}, new int[] {1, 2}, new int[] {1, 3, 4});
  private static final SamplingConfig SAMPLING = new SamplingConfig(1f, 0, 3, -1);
  private static final int K = 3;
  private static final double BETA = 0.3;

  private static TokenModel model(long seed) {
    return TokenModel.initialize(new TokenModelConfig(TokenModelConfig.Head.TOKEN, 8, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0), new SplittableRandom(seed));
  }

  /** The reward model's view of each step: the samples and their response starts. */
  private record Shown(List<int[]> samples, int[] from) {}

  /** Proxy: the response's token ids summed, over 10. Gold: whether the response holds a 5. */
  private static double proxy(int[] s, int from) {
    double x = 0;
    for (int t = from; t < s.length; t++) x += s[t];
    return x / 10;
  }

  private static double gold(int[] s) {
    for (int t : s) if (t == 5) return 1;
    return 0;
  }

  private static SequenceScorer watching(List<Shown> shown) {
    return (seqs, from) -> {
      shown.add(new Shown(List.copyOf(seqs), from.clone()));
      double[] out = new double[seqs.size()];
      for (int i = 0; i < out.length; i++) out[i] = proxy(seqs.get(i), from[i]);
      return out;
    };
  }

  private static double sum(float[] x) {
    double s = 0;
    for (float f : x) s += f;
    return s;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double d : x) s += d;
    return s / x.length;
  }

  private TrainOutcome run(TokenModel start, TokenModel ref, String algorithm, int ppoEpochs, double clip,
                           String baseline, TrainSettings s, List<Shown> shown) {
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, BETA, K, SAMPLING, algorithm, ppoEpochs, clip, baseline, 0.9);
    return RlhfTrainer.train(start, ref, watching(shown), SequenceScorer.ofSequence(RlhfStepsTest::gold), PROMPTS, p, s,
        be, new SplittableRandom(21));
  }

  /**
   * Replays a run of rloo, ppo (leave-one-out) or grpo from the samples the reward model saw, with the Javadoc's
   * coefficients, and checks the trainer's outcome against it. Returns how many response tokens were clipped and not
   * clipped in the later PPO/GRPO updates.
   */
  private int[] replay(TokenModel start, TokenModel ref, String algorithm, int ppoEpochs, double clip, TrainSettings s,
                       List<Shown> shown, TrainOutcome out) {
    boolean grpo = algorithm.equals("grpo");
    int batches = s.batches(PROMPTS.size()), total = batches * s.epochs() * ppoEpochs;
    SplittableRandom rng = new SplittableRandom(21);
    SplittableRandom orderRng = rng.split();
    rng.split();
    long sampleSeed = rng.split().nextLong();
    int[] clippedAndNot = new int[2];
    long tokens = 0;
    double firstLoss = Double.NaN, lastLoss = Double.NaN;
    int step = 0;
    try (ModelTraining tr = new ModelTraining(start, OPT, be)) {
      for (int epoch = 0; epoch < s.epochs(); epoch++) {
        int[] order = TrainSettings.permutation(PROMPTS.size(), orderRng);
        double epochObjective = 0;
        for (int b = 0; b < batches; b++, step++) {
          int lo = b * s.batchSize(), hi = Math.min(PROMPTS.size(), lo + s.batchSize()), m = (hi - lo) * K;
          // 1. the samples: k per prompt, each from its own stream, from the policy before the step
          TokenModel policy = tr.toModel();
          List<int[]> rep = new ArrayList<>();
          List<SplittableRandom> rngs = new ArrayList<>();
          for (int j = lo; j < hi; j++) {
            for (int q = 0; q < K; q++) {
              rep.add(PROMPTS.get(order[j]));
              rngs.add(RandomStreams.child(sampleSeed, "step/" + step + "/prompt/" + order[j] + "/sample/" + q));
            }
          }
          List<int[]> samples = policy.sample(be, rep, SAMPLING, rngs);
          Shown seen = shown.get(step);
          assertEquals(m, seen.samples().size(), "step " + step);
          for (int i = 0; i < m; i++) {
            assertArrayEquals(samples.get(i), seen.samples().get(i));
            assertEquals(rep.get(i).length, seen.from()[i]);
          }
          int[] from = seen.from();
          // 2-3. rewards, log-probabilities, exact KL
          double[] r = new double[m], g = new double[m];
          for (int i = 0; i < m; i++) {
            r[i] = proxy(samples.get(i), from[i]);
            g[i] = gold(samples.get(i));
          }
          float[][] oldLp = policy.tokenLogProbs(be, samples, from), refLp = ref.tokenLogProbs(be, samples, from);
          double[] kl = RlhfTrainer.exactKl(policy, ref, samples, from, be);
          // 4-5. R_i = r_i − β·ℓ_i and leave-one-out advantages; grpo: group-normalised r
          double[] pen = new double[m];
          for (int i = 0; i < m; i++) pen[i] = grpo ? r[i] : r[i] - BETA * (sum(oldLp[i]) - sum(refLp[i]));
          double[] adv = new double[m];
          for (int gr = 0; gr < m; gr += K) {
            double mean = 0, ss = 0, all = 0;
            for (int i = gr; i < gr + K; i++) all += pen[i];
            mean = all / K;
            for (int i = gr; i < gr + K; i++) ss += (pen[i] - mean) * (pen[i] - mean);
            double sd = Math.sqrt(ss / (K - 1));
            for (int i = gr; i < gr + K; i++) {
              adv[i] = grpo ? (pen[i] - mean) / (sd + 1e-4) : pen[i] - (all - pen[i]) / (K - 1);
            }
          }
          // 6. the updates
          for (int e = 0; e < ppoEpochs; e++) {
            float[][] nowLp = e == 0 ? oldLp : tr.toModel().tokenLogProbs(be, samples, from);
            List<float[]> weights = new ArrayList<>();
            for (int i = 0; i < m; i++) {
              float[] row = new float[samples.get(i).length];
              int len = row.length - from[i];
              for (int t = from[i]; t < row.length; t++) {
                int u = t - from[i];
                double rho = e == 0 ? 1 : (float) Math.exp((double) nowLp[i][u] - oldLp[i][u]);
                boolean clipped = e > 0 && ((adv[i] > 0 && rho > 1 + clip) || (adv[i] < 0 && rho < 1 - clip));
                if (e > 0) clippedAndNot[clipped ? 0 : 1]++;
                if (grpo) {
                  double pg = clipped ? 0 : adv[i] * rho;
                  double d = 1 - Math.exp((double) refLp[i][u] - nowLp[i][u]);
                  row[t] = (float) ((pg - BETA * d) / ((double) m * len));
                } else {
                  row[t] = (float) (e == 0 ? adv[i] / m : clipped ? 0 : adv[i] / m * rho);
                }
              }
              weights.add(row);
            }
            SequenceBatch batch = new SequenceBatch(samples, weights);
            float lr = s.learningRate(tr.steps(), total);
            if (batch.weightedPositions() > 0) tr.stepSum(batch, lr);
            tokens += batch.weightedPositions();
          }
          double objective = grpo ? mean(r) - BETA * mean(kl) : mean(pen);
          RlhfStep logged = out.trace().get(step);
          assertEquals(step, logged.step());
          assertEquals(mean(r), logged.proxyReward(), 1e-12, "proxy " + step);
          assertEquals(mean(g), logged.goldReward(), 1e-12, "gold " + step);
          assertEquals(mean(kl), logged.kl(), 1e-12, "kl " + step);
          assertEquals(objective, logged.objective(), 1e-9, "objective " + step);
          assertEquals(algorithm, logged.algorithm());
          epochObjective += objective;
        }
        if (epoch == 0) firstLoss = -epochObjective / batches;
        lastLoss = -epochObjective / batches;
      }
      assertEquals(tr.toModel().id(), out.model().id(), algorithm + ": the replayed model");
      assertEquals(tr.steps(), out.steps());
    }
    assertEquals(step, out.trace().size());
    assertEquals(tokens, out.tokens());
    assertEquals(firstLoss, out.firstLoss(), 1e-9);
    assertEquals(lastLoss, out.lastLoss(), 1e-9);
    RlhfStep last = out.trace().get(step - 1);
    assertEquals(last.proxyReward(), out.stats().get(RlhfTrainer.PROXY));
    assertEquals(last.kl(), out.stats().get(RlhfTrainer.KL));
    assertEquals(last.goldReward(), out.stats().get(RlhfTrainer.GOLD));
    return clippedAndNot;
  }

  @Test
  void rlooStepsAreTheLeaveOneOutPolicyGradientOverBatchesOfUnequalSize() {
    TokenModel start = model(1), ref = model(2);
    List<Shown> shown = new ArrayList<>();
    TrainSettings s = new TrainSettings(2, 2, 0.05, "cosine", 0, OPT, null);
    TrainOutcome out = run(start, ref, "rloo", 1, 0.2, "leave_one_out", s, shown);
    assertEquals(4, shown.size(), "2 epochs of a batch of 2 prompts and one of 1");
    replay(start, ref, "rloo", 1, 0.2, s, shown, out);
  }

  @Test
  void ppoStepsClipTheRatioOfEachTokenOnTheSideItsAdvantagePushes() {
    TokenModel start = model(1), ref = model(2);
    List<Shown> shown = new ArrayList<>();
    TrainSettings s = new TrainSettings(1, 3, 0.1, "cosine", 0, OPT, null);
    TrainOutcome out = run(start, ref, "ppo", 3, 0.05, "leave_one_out", s, shown);
    int[] clipped = replay(start, ref, "ppo", 3, 0.05, s, shown, out);
    assertTrue(clipped[0] > 0 && clipped[1] > 0, "some tokens clipped, some not: " + clipped[0] + ", " + clipped[1]);
  }

  @Test
  void grpoStepsAreItsClippedGroupNormalisedObjectiveWithTheKlTerm() {
    TokenModel start = model(1), ref = model(2);
    List<Shown> shown = new ArrayList<>();
    TrainSettings s = new TrainSettings(1, 2, 0.1, "cosine", 0, OPT, null);
    TrainOutcome out = run(start, ref, "grpo", 3, 0.05, "leave_one_out", s, shown);
    int[] clipped = replay(start, ref, "grpo", 3, 0.05, s, shown, out);
    assertTrue(clipped[0] > 0 && clipped[1] > 0, "some tokens clipped, some not: " + clipped[0] + ", " + clipped[1]);
  }

  @Test
  void ppoWithAValueHeadStepsOnWhitenedGaeAdvantagesAndMovesTheValueTowardTheReturns() {
    TokenModel start = model(1), ref = model(2);
    List<Shown> shown = new ArrayList<>();
    TrainSettings s = new TrainSettings(2, 3, 0.1, "constant", 0, OPT, null);
    double clip = 0.05, lambda = 0.9;
    TrainOutcome out = run(start, ref, "ppo", 2, clip, "value", s, shown);
    // the streams: orders, LoRA, sampling seed, then the value head's fresh scalar head
    SplittableRandom rng = new SplittableRandom(21);
    rng.split();
    rng.split();
    rng.split();
    TokenModel value0 = start.withNewHead(TokenModelConfig.Head.SCALAR, rng.split());
    long tokens = 0;
    double valueLoss = Double.NaN;
    int clipped = 0, kept = 0;
    try (ModelTraining tr = new ModelTraining(start, OPT, be); ModelTraining vtr = new ModelTraining(value0, OPT, be)) {
      for (int step = 0; step < 2; step++) {
        TokenModel policy = tr.toModel();
        List<int[]> samples = shown.get(step).samples();
        int[] from = shown.get(step).from();
        int m = samples.size();
        double[] r = new double[m];
        for (int i = 0; i < m; i++) r[i] = proxy(samples.get(i), from[i]);
        float[][] oldLp = policy.tokenLogProbs(be, samples, from), refLp = ref.tokenLogProbs(be, samples, from);
        RlhfTrainer.ValueTargets vt = RlhfTrainer.valueTargets(vtr.toModel(), samples, from, r, oldLp, refLp, BETA,
            lambda, be);
        valueLoss = vt.valueLoss();
        for (int e = 0; e < 2; e++) {
          float[][] nowLp = e == 0 ? oldLp : tr.toModel().tokenLogProbs(be, samples, from);
          List<float[]> weights = new ArrayList<>();
          for (int i = 0; i < m; i++) {
            float[] row = new float[samples.get(i).length];
            for (int t = from[i]; t < row.length; t++) {
              double a = vt.advantages()[i][t - from[i]], c = a / m;
              if (e > 0) {
                double rho = (float) Math.exp((double) nowLp[i][t - from[i]] - oldLp[i][t - from[i]]);
                boolean cut = (a > 0 && rho > 1 + clip) || (a < 0 && rho < 1 - clip);
                if (cut) clipped++; else kept++;
                c = cut ? 0 : c * rho;
              }
              row[t] = (float) c;
            }
            weights.add(row);
          }
          SequenceBatch batch = new SequenceBatch(samples, weights);
          tr.stepSum(batch, 0.1f);
          tokens += batch.weightedPositions();
          // the value head's step: ½(V − G)² over the states, gradient (V − G)/n
          double[] returns = vt.returns();
          vtr.stepScores(vt.states(), vt.stateFrom(), (sc, d) -> {
            for (int i = 0; i < sc.length; i++) d[i] = (float) ((sc[i] - returns[i]) / sc.length);
            return 0;
          }, 0.1f);
          tokens += vt.states().size();
        }
      }
      assertEquals(tr.toModel().id(), out.model().id());
    }
    assertTrue(clipped > 0 && kept > 0, "some tokens clipped, some not: " + clipped + ", " + kept);
    assertEquals(tokens, out.tokens());
    assertEquals(valueLoss, out.stats().get(RlhfTrainer.VALUE_LOSS), 1e-12);
  }

  @Test
  void withoutAGoldScorerTheTraceLogsNaNAndTheStatisticsLeaveItOut() {
    TokenModel start = model(1);
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, BETA, K, SAMPLING, "rloo", 1, 0.2);
    TrainOutcome out = RlhfTrainer.train(start, start, watching(new ArrayList<>()), null, PROMPTS, p,
        new TrainSettings(1, 3, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(21));
    assertTrue(Double.isNaN(out.trace().get(0).goldReward()));
    assertFalse(out.stats().containsKey(RlhfTrainer.GOLD));
    assertFalse(out.stats().containsKey(RlhfTrainer.VALUE_LOSS));
    TrainOutcome none = RlhfTrainer.train(start, start, watching(new ArrayList<>()), null, PROMPTS, p,
        new TrainSettings(0, 3, 0.05, "constant", 0, OPT, null), be, new SplittableRandom(21));
    assertFalse(none.stats().containsKey(RlhfTrainer.PROXY), "no step, no trace");
    assertTrue(Double.isNaN(none.firstLoss()));
  }

  @Test
  void rlhfRefusesBadInputs() {
    TokenModel token = model(1);
    TokenModel scalar = token.withNewHead(TokenModelConfig.Head.SCALAR, new SplittableRandom(1));
    TrainParams.Rlhf p = new TrainParams.Rlhf("rm", null, BETA, K, SAMPLING, "rloo", 1, 0.2);
    TrainSettings s = new TrainSettings(1, 3, 0.05, "constant", 0, OPT, null);
    SequenceScorer r = watching(new ArrayList<>());
    assertEquals("rlhf needs at least one prompt", assertThrows(IllegalArgumentException.class,
        () -> RlhfTrainer.train(token, token, r, null, List.of(), p, s, be, new SplittableRandom(1))).getMessage());
    assertEquals("prompt 1 is empty", assertThrows(IllegalArgumentException.class,
        () -> RlhfTrainer.train(token, token, r, null, List.of(new int[] {1}, new int[0]), p, s, be,
            new SplittableRandom(1))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> RlhfTrainer.train(scalar, token, r, null, PROMPTS, p, s, be, new SplittableRandom(1))).getMessage()
        .startsWith("the policy must be a token-head model"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> RlhfTrainer.train(token, scalar, r, null, PROMPTS, p, s, be, new SplittableRandom(1))).getMessage()
        .startsWith("the reference must be a token-head model"));
  }

  @Test
  void theExactKlRenormalisesEachRowAndSkipsImpossibleTokens() {
    // p = (1/2, 1/2) from unnormalised log-weights (0, 0); q = (1/4, 3/4)
    float[] lp = {0f, 0f}, lq = {(float) Math.log(1), (float) Math.log(3)};
    double expected = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
    assertEquals(expected, RlhfTrainer.rowKl(lp, lq, 0, 2), 1e-7);
    // p = (0, 1): the impossible token adds nothing (0·log 0 = 0), KL = log(1 / (1/2))
    float[] sure = {Float.NEGATIVE_INFINITY, 0f}, even = {0f, 0f};
    assertEquals(Math.log(2), RlhfTrainer.rowKl(sure, even, 0, 2), 1e-12);
    // a row at an offset of a flat array
    float[] two = {5f, 5f, 0f, 0f};
    assertEquals(expected, RlhfTrainer.rowKl(new float[] {9f, 9f, 0f, 0f}, new float[] {1f, 1f, lq[0], lq[1]}, 2, 2),
        1e-7);
    assertEquals(0, RlhfTrainer.rowKl(two, two, 0, 2));
  }

  @Test
  void whiteningCentresAndScalesEveryEntryOfTheBatch() {
    // entries 1, 2, 3, 6: mean 3, population sd √(14/4)
    double[][] x = {{1, 2}, {3}, {6}};
    RlhfTrainer.whiten(x);
    double sd = Math.sqrt(3.5) + 1e-8;
    assertArrayEquals(new double[] {-2 / sd, -1 / sd}, x[0], 1e-12);
    assertArrayEquals(new double[] {0}, x[1], 1e-12);
    assertArrayEquals(new double[] {3 / sd}, x[2], 1e-12);
    double[][] pair = {{1, 3}};
    RlhfTrainer.whiten(pair);
    assertArrayEquals(new double[] {-1 / (1 + 1e-8), 1 / (1 + 1e-8)}, pair[0], 1e-15, "two entries are whitened");
    double[][] one = {{5}};
    RlhfTrainer.whiten(one);
    assertArrayEquals(new double[] {5}, one[0], "a single entry is left as it is");
  }

  @Test
  void valueTargetsAreTheGaeReturnsOfEachResponseStateAndTheirLoss() {
    TokenModel policy = model(1), ref = model(2);
    TokenModel value = policy.withNewHead(TokenModelConfig.Head.SCALAR, new SplittableRandom(4));
    List<int[]> samples = List.of(new int[] {1, 4, 5, 6}, new int[] {1, 2, 7});
    int[] from = {1, 2};
    double[] proxy = {0.4, -0.2};
    float[][] oldLp = policy.tokenLogProbs(be, samples, from), refLp = ref.tokenLogProbs(be, samples, from);
    RlhfTrainer.ValueTargets vt = RlhfTrainer.valueTargets(value, samples, from, proxy, oldLp, refLp, BETA, 0.9, be);
    // states: the sequence before each response token, scored at its last position
    List<int[]> states = List.of(new int[] {1}, new int[] {1, 4}, new int[] {1, 4, 5}, new int[] {1, 2});
    int[] stateFrom = {0, 1, 2, 1};
    assertEquals(4, vt.states().size());
    for (int i = 0; i < 4; i++) assertArrayEquals(states.get(i), vt.states().get(i));
    assertArrayEquals(stateFrom, vt.stateFrom());
    float[] v = value.scores(be, states, stateFrom);
    double[][] adv = RlhfTrainer.gae(samples, from, proxy, oldLp, refLp, BETA, 0.9, v);
    double loss = 0;
    int q = 0;
    for (double[] a : adv) {
      for (double x : a) {
        assertEquals(x + v[q], vt.returns()[q], 1e-12, "G_t = A_t + V(s_t)");
        loss += 0.5 * x * x;
        q++;
      }
    }
    assertEquals(loss / 4, vt.valueLoss(), 1e-12, "½(V − G)² = ½A² before whitening");
    RlhfTrainer.whiten(adv);
    for (int i = 0; i < 2; i++) assertArrayEquals(adv[i], vt.advantages()[i], 1e-12);
    RlhfTrainer.ValueTargets empty = RlhfTrainer.valueTargets(value, List.of(new int[] {1, 2}), new int[] {2},
        new double[] {1}, new float[][] {{}}, new float[][] {{}}, BETA, 0.9, be);
    assertEquals(0, empty.states().size());
    assertTrue(Double.isNaN(empty.valueLoss()), "no response token, no loss");
  }
}
