package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelCases.Case;
import io.priorflow.kernels.backend.KernelCases.Outputs;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transformer kernels (layer norm, attention, residual add) on the backends: the Java backend gives the same
 * bits on 1, 2, 3 and 4 threads ({@link KernelCases#transformer}; its comparison with the reference is
 * {@link JavaBackendTest#matchesReference}), and on every backend, generating tokens with a key/value cache
 * ({@link KernelBackend#attentionDecode}, one position at a time) gives the same tokens, from the same attention
 * output bits, as re-running {@link KernelBackend#attentionForward} over the whole prefix at every step.
 */
class TransformerBackendTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  private static KernelBackend reference;
  private static KernelBackend[] java;

  @BeforeAll
  static void open() {
    reference = new ReferenceBackend();
    java = new KernelBackend[THREADS.length];
    for (int i = 0; i < THREADS.length; i++) {
      java[i] = new JavaBackend(THREADS[i]);
    }
  }

  @AfterAll
  static void close() {
    reference.close();
    for (KernelBackend be : java) {
      be.close();
    }
  }

  static List<Case> cases() {
    return KernelCases.transformer();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameBitsOnOneToFourThreads(Case c) {
    Outputs base = c.run().apply(java[0]);
    for (int t = 1; t < THREADS.length; t++) {
      Outputs got = c.run().apply(java[t]);
      for (int i = 0; i < base.arrays().length; i++) {
        assertBitIdentical(c + " output " + i + " on " + THREADS[t] + " threads", base.arrays()[i], got.arrays()[i],
            base.arrays()[i].length);
      }
    }
  }

  static Stream<Arguments> backends() {
    return Stream.of(Arguments.of("reference", reference), Arguments.of("java, 1 thread", java[0]),
        Arguments.of("java, 3 threads", java[2]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void samplingWithACacheGivesTheSameTokensAsWithout(String name, KernelBackend be) {
    ToyModel model = new ToyModel(2024);
    int[][] prompts = {{3, 1, 4}, {1, 5, 9, 2, 6}};
    Run withCache = model.generate(be, prompts, true);
    Run without = model.generate(be, prompts, false);
    for (int s = 0; s < withCache.outs.length; s++) {
      assertBitIdentical(name + ": attention output of step " + s, without.outs[s], withCache.outs[s],
          without.outs[s].length);
    }
    for (int b = 0; b < prompts.length; b++) {
      assertArrayEquals(without.tokens[b], withCache.tokens[b], name + ": tokens of sequence " + b);
    }
    // the samples must depend on the model, or equal tokens would prove nothing
    assertEquals(false, Arrays.equals(withCache.tokens[0], withCache.tokens[1]), "both sequences sampled alike");
  }

  /** What a generation produced: each sequence's tokens (prompt included) and the attention output of each step. */
  private record Run(int[][] tokens, float[][] outs) {}

  /**
   * One attention layer between an embedding and an output head: x_p = emb[token] + pos[p], qkv_p = Wqkv·x_p,
   * logits = Wout·(x_p + attention_p). The projections are plain loops here, one row at a time, so the cached and
   * uncached runs feed attention the same bits and only the attention kernels differ.
   */
  private static final class ToyModel {
    static final int VOCAB = 11, DIM = 12, HEADS = 3, T_MAX = 20;
    final float[] emb, pos, wqkv, wout; // (VOCAB, DIM), (T_MAX, DIM), (3·DIM, DIM), (VOCAB, DIM)

    ToyModel(long seed) {
      emb = randomArray(seed, VOCAB * DIM, 1f);
      pos = randomArray(seed + 1, T_MAX * DIM, 1f);
      wqkv = randomArray(seed + 2, 3 * DIM * DIM, 1f);
      wout = randomArray(seed + 3, VOCAB * DIM, 2f);
    }

    /**
     * Each sequence consumes its prompt one token per step, then samples (seeded, temperature 1) up to T_MAX − 4
     * tokens. Sequence b runs OFFSET[b] positions ahead (those prompt positions prefilled into the cache), so the
     * decoding calls see a different len per sequence.
     */
    Run generate(KernelBackend be, int[][] prompts, boolean cache) {
      int batch = prompts.length;
      int total = T_MAX - 4;
      int[] offset = {0, 3};
      int[][] tokens = new int[batch][total];
      SplittableRandom[] rng = new SplittableRandom[batch];
      float[] kCache = new float[batch * T_MAX * DIM];
      float[] vCache = new float[batch * T_MAX * DIM];
      Arrays.fill(kCache, Float.NaN); // positions not yet written must never be read
      Arrays.fill(vCache, Float.NaN);
      for (int b = 0; b < batch; b++) {
        System.arraycopy(prompts[b], 0, tokens[b], 0, prompts[b].length);
        rng[b] = new SplittableRandom(77 + b);
        for (int p = 0; p < offset[b]; p++) {
          float[] qkv = project(input(tokens[b][p], p));
          System.arraycopy(qkv, DIM, kCache, (b * T_MAX + p) * DIM, DIM);
          System.arraycopy(qkv, 2 * DIM, vCache, (b * T_MAX + p) * DIM, DIM);
        }
      }
      float[] q = new float[batch * DIM];
      float[] scores = new float[batch * HEADS * T_MAX];
      float[] out = new float[batch * DIM];
      int[] len = new int[batch];
      int steps = total - 1 - offset[batch - 1];
      float[][] outs = new float[steps][];
      for (int step = 0; step < steps; step++) {
        for (int b = 0; b < batch; b++) {
          int p = step + offset[b]; // this sequence's position
          len[b] = p + 1;
          if (cache) {
            float[] qkv = project(input(tokens[b][p], p));
            System.arraycopy(qkv, 0, q, b * DIM, DIM);
            System.arraycopy(qkv, DIM, kCache, (b * T_MAX + p) * DIM, DIM);
            System.arraycopy(qkv, 2 * DIM, vCache, (b * T_MAX + p) * DIM, DIM);
          } else {
            int t = p + 1;
            float[] all = new float[t * 3 * DIM];
            for (int i = 0; i < t; i++) {
              System.arraycopy(project(input(tokens[b][i], i)), 0, all, i * 3 * DIM, 3 * DIM);
            }
            float[] o = new float[t * DIM];
            be.attentionForward(all, new float[HEADS * t * t], o, 1, t, DIM, HEADS);
            System.arraycopy(o, (t - 1) * DIM, out, b * DIM, DIM);
          }
        }
        if (cache) {
          be.attentionDecode(q, kCache, vCache, len, scores, out, batch, T_MAX, DIM, HEADS);
        }
        outs[step] = out.clone();
        for (int b = 0; b < batch; b++) {
          int p = step + offset[b];
          if (p + 1 >= prompts[b].length) {
            tokens[b][p + 1] = sample(logits(input(tokens[b][p], p), out, b * DIM), rng[b]);
          }
        }
      }
      return new Run(tokens, outs);
    }

    float[] input(int token, int p) {
      float[] x = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        x[d] = emb[token * DIM + d] + pos[p * DIM + d];
      }
      return x;
    }

    float[] project(float[] x) {
      float[] y = new float[3 * DIM];
      for (int o = 0; o < 3 * DIM; o++) {
        float s = 0f;
        for (int d = 0; d < DIM; d++) {
          s += wqkv[o * DIM + d] * x[d];
        }
        y[o] = s;
      }
      return y;
    }

    float[] logits(float[] x, float[] att, int off) {
      float[] l = new float[VOCAB];
      for (int v = 0; v < VOCAB; v++) {
        float s = 0f;
        for (int d = 0; d < DIM; d++) {
          s += wout[v * DIM + d] * (x[d] + att[off + d]);
        }
        l[v] = s;
      }
      return l;
    }

    static int sample(float[] logits, SplittableRandom rng) {
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits) {
        max = Math.max(max, l);
      }
      double[] p = new double[logits.length];
      double sum = 0;
      for (int v = 0; v < p.length; v++) {
        p[v] = Math.exp(logits[v] - max);
        sum += p[v];
      }
      double u = rng.nextDouble() * sum;
      for (int v = 0; v < p.length; v++) {
        u -= p[v];
        if (u < 0) {
          return v;
        }
      }
      return p.length - 1;
    }
  }

  /**
   * Scores far past exp's range (|q|, |k| up to 20, hs = 8: scaled scores of a few hundred): each row's softmax must
   * subtract the row's max before exp, as the reference does, or exp overflows to ∞ and the weights turn NaN. t = 9
   * runs two groups of four queries and one query alone; every weight and output must be finite and match the
   * reference's.
   */
  @Test
  void scoresPastExpsRangeStayFiniteAndMatchTheReference() {
    int batch = 2;
    int t = 9;
    int dim = 16;
    int heads = 2;
    float[] qkv = randomArray(91, batch * t * 3 * dim, 20f);
    float[] attR = new float[batch * heads * t * t];
    float[] outR = new float[batch * t * dim];
    reference.attentionForward(qkv, attR, outR, batch, t, dim, heads);
    float maxScore = 0f;
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        for (int j = 0; j <= i; j++) {
          float s = 0f;
          for (int d = 0; d < dim / heads; d++) {
            s += qkv[(b * t + i) * 3 * dim + d] * qkv[(b * t + j) * 3 * dim + dim + d];
          }
          maxScore = Math.max(maxScore, Math.abs(s) / (float) Math.sqrt(dim / heads));
        }
      }
    }
    assertTrue(maxScore > 100f, "the case needs scores past exp's range, max "
        + maxScore);
    for (KernelBackend be : java) {
      float[] att = new float[attR.length];
      float[] out = new float[outR.length];
      be.attentionForward(qkv, att, out, batch, t, dim, heads);
      for (int i = 0; i < att.length; i++) {
        assertTrue(Float.isFinite(att[i]), "att[" + i + "] = " + att[i]);
        assertEquals(attR[i], att[i], 1e-5f, "att[" + i + "]");
      }
      for (int i = 0; i < out.length; i++) {
        assertTrue(Float.isFinite(out[i]), "out[" + i + "] = " + out[i]);
        assertEquals(outR[i], out[i], 1e-4f * (1f + Math.abs(outR[i])), "out[" + i + "]");
      }
    }
  }
}
