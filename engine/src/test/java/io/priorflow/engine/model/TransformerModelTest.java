package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.JavaBackend;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The transformer family through the model seam: finite-difference checks of the whole model (token head, scalar
 * head, LoRA adapters; sequences longer than the context, so sliding windows are checked too), results independent of
 * batching, file round trip, and a task only a model that reads its context can learn (copying).
 */
class TransformerModelTest {
  private final KernelBackend be = new ReferenceBackend();

  /** V 7, context 6, width 8, 2 blocks, 2 heads, MLP 12. */
  private static TokenModelConfig tiny(TokenModelConfig.Head head) {
    return TokenModelConfig.transformer(head, 7, 6, 8, 2, 2, 12, 0);
  }

  private static List<int[]> sequences(SplittableRandom r, int n, int vocab) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(7)]; // up to 9 tokens: past the context of 6
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(vocab - 1);
      seqs.add(s);
    }
    return seqs;
  }

  /** Spreads the weights so attention is far from uniform and every path carries a gradient. */
  private static void perturb(float[][] w, SplittableRandom r, double amount) {
    for (float[] t : w) for (int j = 0; j < t.length; j++) t[j] += (float) ((r.nextDouble() * 2 - 1) * amount);
  }

  /** A tiny token-head transformer with its weights spread by {@link #perturb}. */
  private TokenModel perturbedTokenModel(SplittableRandom r) {
    ModelTraining tr = new ModelTraining(TokenModel.initialize(tiny(TokenModelConfig.Head.TOKEN), r.split()),
        OptimizerConfig.defaults(), be);
    perturb(tr.weights(), r, 0.4);
    return tr.toModel();
  }

  private static SequenceBatch weightedBatch(List<int[]> seqs, SplittableRandom r) {
    List<float[]> weights = new ArrayList<>();
    for (int[] s : seqs) {
      float[] w = new float[s.length];
      for (int t = 1; t < s.length; t++) w[t] = r.nextInt(4) == 0 ? 0f : (float) (0.5 + r.nextDouble());
      weights.add(w);
    }
    return new SequenceBatch(seqs, weights);
  }

  @Test
  void tokenHeadGradientsMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(21);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.TOKEN), r.split());
    SequenceBatch batch = weightedBatch(sequences(r, 5, 7), r);
    ModelTraining tr = new ModelTraining(model, OptimizerConfig.defaults(), be);
    perturb(tr.weights(), r, 0.4);
    ModelGradientTest.check(tr, () -> tr.lossAndGradients(batch), r, false);
  }

  @Test
  void scalarHeadGradientsMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(22);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.SCALAR), r.split());
    List<int[]> seqs = sequences(r, 6, 7);
    int[] from = new int[seqs.size()];
    float[] coef = new float[seqs.size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = r.nextInt(seqs.get(i).length);
      coef[i] = (float) (r.nextDouble() * 2 - 1);
    }
    ScoreLoss loss = ModelGradientTest.quadraticScoreLoss(coef);
    ModelTraining tr = new ModelTraining(model, OptimizerConfig.defaults(), be);
    perturb(tr.weights(), r, 0.4);
    ModelGradientTest.check(tr, () -> tr.scoreLossAndGradients(seqs, from, loss), r, false);
  }

  @Test
  void loraGradientsMatchFiniteDifferencesAndLeaveTheBaseFrozen() {
    SplittableRandom r = new SplittableRandom(23);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.TOKEN), r.split());
    ModelTraining full = new ModelTraining(model, OptimizerConfig.defaults(), be);
    perturb(full.weights(), r, 0.4);
    TokenModel base = full.toModel();
    ModelTraining tr = ModelTraining.lora(base, new LoraConfig(2, 2.0), OptimizerConfig.defaults(), be, r.split());
    perturb(tr.weights(), r, 0.15); // B starts at 0; give every adapter a path
    // 2 blocks × (qkv, proj, fc, fcproj) + the head
    assertEquals(2 * 9, tr.weights().length);
    SequenceBatch batch = weightedBatch(sequences(r, 5, 7), r);
    ModelGradientTest.check(tr, () -> tr.lossAndGradients(batch), r, false);
    tr.step(batch, 0.01f);
    for (int i = 0; i < base.layout().count(); i++) {
      assertArrayEquals(base.tensor(i), base.weightsUnsafe()[i]); // the frozen arrays are untouched
    }
    assertTrue(!tr.toModel().id().equals(base.id()), "the merged model must differ from its base");
  }

  @Test
  void logProbsDoNotDependOnBatchingAndAgreeWithNextTokenDistributions() {
    SplittableRandom r = new SplittableRandom(24);
    KernelBackend jbe = new JavaBackend(2);
    TokenModel model = perturbedTokenModel(r);
    List<int[]> seqs = sequences(r, 12, 7);
    int[] from = new int[seqs.size()];
    for (int i = 0; i < from.length; i++) from[i] = 1 + r.nextInt(seqs.get(i).length - 1);
    float[][] together = model.tokenLogProbs(jbe, seqs, from);
    for (int i = 0; i < seqs.size(); i++) {
      float[][] alone = model.tokenLogProbs(jbe, List.of(seqs.get(i)), new int[] {from[i]});
      assertArrayEquals(alone[0], together[i], "sequence " + i + " alone vs in a batch");
      int[] s = seqs.get(i);
      for (int t = from[i]; t < s.length; t++) {
        float[] next = model.nextTokenLogProbs(jbe, java.util.Arrays.copyOf(s, t));
        assertEquals(next[s[t]], together[i][t - from[i]], 1e-5, "sequence " + i + " position " + t);
      }
    }
    jbe.close();
  }

  @Test
  void theContextMatters() {
    SplittableRandom r = new SplittableRandom(25);
    TokenModel model = perturbedTokenModel(r);
    // the same last token after different earlier tokens (all inside the context) gives different distributions
    float[] a = model.nextTokenLogProbs(be, new int[] {1, 2, 3});
    float[] b = model.nextTokenLogProbs(be, new int[] {4, 2, 3});
    assertTrue(!java.util.Arrays.equals(a, b), "a transformer reads its whole context");
    // but a token that slid out of the context (6 positions: pad + 5 tokens) no longer matters
    float[] c = model.nextTokenLogProbs(be, new int[] {1, 2, 3, 4, 5, 6, 1, 2});
    float[] d = model.nextTokenLogProbs(be, new int[] {5, 2, 3, 4, 5, 6, 1, 2});
    assertArrayEquals(c, d);
  }

  @Test
  void roundTripsThroughTheModelFile() {
    SplittableRandom r = new SplittableRandom(26);
    TokenModel model = TokenModel.initialize(tiny(TokenModelConfig.Head.SCALAR), r.split());
    TokenModel back = ModelFile.fromBytes(ModelFile.toBytes(model), "t.pfm");
    assertEquals(model.config(), back.config());
    assertEquals(model.id(), back.id());
    assertEquals(TokenModelConfig.Family.TRANSFORMER, back.config().family());
  }

  /**
   * Copying: "a b c d SEP a b c d" with random a..d. Only a model that reads its context can predict the second half;
   * a small transformer learns it (the loss on the copied half falls far below the uniform log 5).
   */
  @Test
  void learnsToCopyFromItsContext() {
    SplittableRandom r = new SplittableRandom(27);
    KernelBackend jbe = new JavaBackend(2);
    TokenModelConfig cfg = TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 8, 12, 32, 2, 4, 64, 0);
    ModelTraining tr = new ModelTraining(TokenModel.initialize(cfg, r.split()),
        new OptimizerConfig(0.9f, 0.95f, 1e-8f, 0f, 1f), jbe);
    double last = 0;
    for (int step = 0; step < 400; step++) {
      List<int[]> seqs = new ArrayList<>();
      List<float[]> weights = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int[] s = new int[9];
        for (int t = 0; t < 4; t++) s[t] = s[t + 5] = 2 + r.nextInt(5);
        s[4] = 1; // SEP
        float[] w = new float[9];
        for (int t = 5; t < 9; t++) w[t] = 1f;
        seqs.add(s);
        weights.add(w);
      }
      last = tr.step(new SequenceBatch(seqs, weights), 3e-3f);
    }
    jbe.close();
    assertTrue(last < 0.3, "loss on the copied half after training: " + last + " (uniform guess: " + Math.log(5) + ")");
  }

  /**
   * Sampling with the key/value cache gives exactly the tokens of sampling without it, for prompts of different
   * lengths, continuations that run past the context (the cache hands over to sliding windows), a stop token, top-k,
   * on the reference and the Java backend, and each prompt's tokens do not depend on the other prompts of the call.
   */
  @Test
  void cachedAndUncachedSamplingGiveTheSameTokens() {
    SplittableRandom r = new SplittableRandom(28);
    TokenModel model = perturbedTokenModel(r);
    List<int[]> prompts = sequences(r, 9, 7);
    prompts.add(new int[] {3});
    for (KernelBackend b : List.of(be, new JavaBackend(2))) {
      for (SamplingConfig sc : List.of(new SamplingConfig(1f, 0, 7, -1), new SamplingConfig(0.8f, 3, 5, 2))) {
        List<int[]> cached = model.sample(b, prompts, sc, streams(prompts.size()), true);
        List<int[]> uncached = model.sample(b, prompts, sc, streams(prompts.size()), false);
        for (int i = 0; i < prompts.size(); i++) {
          assertArrayEquals(uncached.get(i), cached.get(i), "prompt " + i + " on " + b.name() + " with " + sc);
          List<int[]> alone = model.sample(b, List.of(prompts.get(i)), sc, List.of(new SplittableRandom(100 + i)), true);
          assertArrayEquals(cached.get(i), alone.get(0), "prompt " + i + " alone");
        }
        boolean stopped = false;
        for (int[] s : cached) stopped |= s[s.length - 1] == sc.stopToken();
        if (sc.stopToken() >= 0) assertTrue(stopped, "some sequence should have drawn the stop token");
      }
    }
  }

  private static List<SplittableRandom> streams(int n) {
    List<SplittableRandom> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new SplittableRandom(100 + i));
    return out;
  }
}
