package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenModelTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg =
      new TokenModelConfig(TokenModelConfig.Head.TOKEN, 9, 4, 6, List.of(16), TokenModelConfig.Activation.GELU, 0);

  private TokenModel model(long seed) { return TokenModel.initialize(cfg, new SplittableRandom(seed)); }

  @Test
  void initialisationIsDeterministicAndTheIdIsTheContentHash() {
    assertEquals(model(1).id(), model(1).id());
    assertNotEquals(model(1).id(), model(2).id());
    assertTrue(model(1).id().matches("[0-9a-f]{64}"));
    assertEquals(ParamLayout.of(cfg).parameterCount(), model(1).parameterCount());
    // V·D + (H·C·D + H) + (V·H + V)
    assertEquals(9 * 6 + (16 * 24 + 16) + (9 * 16 + 9), model(1).parameterCount());
  }

  @Test
  void nextTokenDistributionSumsToOneAndAgreesWithSequenceLogProbs() {
    TokenModel m = model(3);
    int[] seq = {1, 2, 3, 4, 5, 6};
    double total = 0;
    float[] lp = m.nextTokenLogProbs(be, new int[] {1, 2, 3});
    for (float x : lp) total += Math.exp(x);
    assertEquals(1.0, total, 1e-5);
    // log p(seq[3..5]) = Σ log p(seq[t] | seq[<t]), each read off nextTokenLogProbs
    double expected = 0;
    for (int t = 3; t < seq.length; t++) expected += m.nextTokenLogProbs(be, java.util.Arrays.copyOf(seq, t))[seq[t]];
    double got = m.logProbs(be, List.of(seq), new int[] {3})[0];
    assertEquals(expected, got, 1e-5);
  }

  @Test
  void batchedNextTokenDistributionsEqualOneAtATime() {
    TokenModel m = model(13);
    int[] a = {1, 2, 3, 4, 5}, b = {5, 4, 3, 2, 1, 8, 7};
    float[][] batched = m.nextTokenLogProbs(be, List.of(a, b), new int[] {2, 0});
    assertEquals(3 * 9, batched[0].length);
    assertEquals(7 * 9, batched[1].length);
    for (int t = 2; t < a.length; t++) {
      float[] one = m.nextTokenLogProbs(be, java.util.Arrays.copyOf(a, t));
      assertArrayEquals(one, java.util.Arrays.copyOfRange(batched[0], (t - 2) * 9, (t - 1) * 9), "a at " + t);
    }
    for (int t = 0; t < b.length; t++) {
      float[] one = m.nextTokenLogProbs(be, java.util.Arrays.copyOf(b, t));
      assertArrayEquals(one, java.util.Arrays.copyOfRange(batched[1], t * 9, (t + 1) * 9), "b at " + t);
    }
  }

  @Test
  void logProbsDoNotDependOnWhichSequencesShareTheCall() {
    TokenModel m = model(4);
    int[] a = {1, 2, 3, 4, 5}, b = {5, 4, 3, 2, 1, 8, 7};
    float[] alone = m.tokenLogProbs(be, List.of(a), new int[] {1})[0];
    float[] together = m.tokenLogProbs(be, List.of(b, a, b), new int[] {2, 1, 1})[1];
    assertArrayEquals(alone, together);
  }

  @Test
  void samplingIsReproducibleAndIndependentOfBatching() {
    TokenModel m = model(5);
    SamplingConfig sc = new SamplingConfig(1.0f, 0, 12, 8);
    List<int[]> prompts = List.of(new int[] {1, 2}, new int[] {3}, new int[] {4, 4, 4});
    List<int[]> batched = m.sample(be, prompts, sc, streams(77, 3));
    List<SplittableRandom> s = streams(77, 3);
    for (int i = 0; i < prompts.size(); i++) {
      int[] alone = m.sample(be, List.of(prompts.get(i)), sc, List.of(s.get(i))).get(0);
      assertArrayEquals(alone, batched.get(i), "prompt " + i);
      assertArrayEquals(prompts.get(i), java.util.Arrays.copyOf(alone, prompts.get(i).length));
      assertTrue(alone.length <= prompts.get(i).length + 12);
    }
  }

  @Test
  void samplingStopsAfterTheStopToken() {
    TokenModel m = model(6);
    for (int[] s : m.sample(be, List.of(new int[] {1}, new int[] {2}), new SamplingConfig(2f, 0, 40, 3), streams(1, 2))) {
      for (int t = 1; t < s.length - 1; t++) assertNotEquals(3, s[t], "token after the stop token");
    }
  }

  @Test
  void greedyAndTopOneSampleTheArgmax() {
    TokenModel m = model(7);
    int[] prompt = {1, 2, 3};
    float[] lp = m.nextTokenLogProbs(be, prompt);
    int argmax = 0;
    for (int j = 1; j < lp.length; j++) if (lp[j] > lp[argmax]) argmax = j;
    for (SamplingConfig sc : List.of(new SamplingConfig(0f, 0, 1, -1), new SamplingConfig(1.5f, 1, 1, -1))) {
      assertEquals(argmax, m.sample(be, List.of(prompt), sc, streams(2, 1)).get(0)[3]);
    }
  }

  @Test
  void sampledFrequenciesMatchTheTemperedTopKDistribution() {
    TokenModel m = model(8);
    int[] prompt = {1, 2, 3};
    float[] lp = m.nextTokenLogProbs(be, prompt);
    float temp = 0.7f;
    int k = 4, n = 20_000;
    // expected: softmax(lp / temp) restricted to the k most likely tokens
    Integer[] order = new Integer[lp.length];
    for (int j = 0; j < order.length; j++) order[j] = j;
    java.util.Arrays.sort(order, (x, y) -> Float.compare(lp[y], lp[x]));
    double[] p = new double[lp.length];
    double z = 0;
    for (int q = 0; q < k; q++) z += p[order[q]] = Math.exp(lp[order[q]] / temp);
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < n; i++) prompts.add(prompt);
    int[] counts = new int[lp.length];
    for (int[] s : m.sample(be, prompts, new SamplingConfig(temp, k, 1, -1), streams(9, n))) counts[s[3]]++;
    for (int j = 0; j < lp.length; j++) {
      double pj = p[j] / z, se = Math.sqrt(pj * (1 - pj) / n);
      assertEquals(pj, counts[j] / (double) n, 4 * se + 1e-9, "token " + j);
    }
  }

  @Test
  void trainingMakesANewModelAndLeavesTheStartUntouched() {
    TokenModel start = model(10);
    String before = start.id();
    ModelTraining tr = new ModelTraining(start, OptimizerConfig.defaults(), be);
    SequenceBatch batch = SequenceBatch.allTokens(List.of(new int[] {1, 2, 3, 4, 5, 6, 7}));
    double first = tr.step(batch, 1e-2f);
    for (int i = 0; i < 30; i++) tr.step(batch, 1e-2f);
    double last = tr.step(batch, 1e-2f);
    TokenModel trained = tr.toModel();
    assertEquals(before, start.id());
    assertEquals(before, new TokenModel(start.config(), start.weightsUnsafe()).id());
    assertNotEquals(before, trained.id());
    assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
    assertEquals(32, tr.steps());
  }

  @Test
  void trainingIsBitReproducible() {
    SequenceBatch batch = SequenceBatch.fromPositions(
        List.of(new int[] {1, 2, 3, 4, 5}, new int[] {2, 3, 4, 8, 1, 1}), new int[] {2, 3});
    String[] ids = new String[2];
    for (int k = 0; k < 2; k++) {
      ModelTraining tr = new ModelTraining(model(11), OptimizerConfig.defaults(), be);
      for (int i = 0; i < 5; i++) tr.step(batch, 3e-3f);
      ids[k] = tr.toModel().id();
    }
    assertEquals(ids[0], ids[1]);
  }

  @Test
  void headMismatchAndEmptyBatchesAreClearErrors() {
    ModelTraining tr = new ModelTraining(model(12), OptimizerConfig.defaults(), be);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tr.step(SequenceBatch.fromPositions(List.of(new int[] {1, 2}), new int[] {5}), 1e-3f));
    assertTrue(e.getMessage().contains("no position"), e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> model(12).scores(be, List.of(new int[] {1, 2}), new int[] {0}));
    assertTrue(s.getMessage().contains("SCALAR head"), s.getMessage());
  }

  static List<SplittableRandom> streams(long seed, int n) {
    List<SplittableRandom> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new SplittableRandom(seed * 1_000_003L + i));
    return out;
  }
}
