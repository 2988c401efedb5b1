package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.randomArray;
import static io.priorflow.kernels.KernelAsserts.randomTokens;

import io.priorflow.kernels.AttentionKernels;
import io.priorflow.kernels.NormKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every {@link KernelBackend} method as test cases: one call on inputs drawn from fixed seeds, returning every buffer
 * the call writes (output buffers start random, so "writes" and "accumulates" are both checked) and any scalar it
 * returns. The same case runs on any backend, so one list serves the reference comparison and the thread-count
 * identity tests.
 *
 * <p>Shapes include sizes that are not multiples of the vector width or of the GEMM tiles (1, 3, 17, 33, 65, 129 …),
 * k deeper than one k-block, and problems large enough to be split over threads.
 */
final class KernelCases {
  private KernelCases() {}

  /** What a case wrote: arrays in a fixed order, and scalar results. */
  record Outputs(float[][] arrays, double[] scalars) {
    static Outputs of(float[]... arrays) {
      return new Outputs(arrays, new double[0]);
    }

    static Outputs scalar(double s) {
      return new Outputs(new float[0][], new double[] {s});
    }
  }

  /**
   * One kernel call. exact: the Java backend promises the reference's bits; otherwise values must match within
   * |got − ref| ≤ atol + rtol·|ref|.
   */
  record Case(String method, String shape, boolean exact, float atol, float rtol,
              Function<KernelBackend, Outputs> run) {
    @Override
    public String toString() {
      return method + " " + shape;
    }
  }

  private static float[] r(long seed, int n) {
    return randomArray(seed, n, 1f);
  }

  /** Products: error grows with the depth k (the reference adds in float without fusing). */
  private static Case product(String method, String shape, int k, Function<KernelBackend, Outputs> run) {
    return new Case(method, shape, false, 2e-6f * k + 1e-6f, 1e-5f, run);
  }

  /**
   * Kernels built on exp or tanh: the Java backend uses its own approximations ({@code JavaMath}, a few ulp from
   * {@code Math}) and, in rows, a fixed 16-way summation order, where the reference uses Math.exp/Math.tanh and one
   * sum in column order; values agree within rounding.
   */
  private static Case approx(String method, String shape, Function<KernelBackend, Outputs> run) {
    return new Case(method, shape, false, 2e-6f, 2e-6f, run);
  }

  /** Every method on small, odd and large shapes. */
  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    int[][] gemmShapes = {
        {1, 1, 1}, {3, 17, 33}, {17, 3, 65}, {33, 65, 17}, {65, 129, 3}, {129, 33, 129}, {12, 32, 32},
        {13, 300, 47}, {1, 513, 129}, {100, 257, 70}, {257, 519, 263}, {200, 40, 300}, {256, 192, 256}};
    for (int[] s : gemmShapes) {
      int m = s[0], k = s[1], n = s[2];
      String shape = m + "x" + k + "x" + n;
      for (boolean acc : new boolean[] {false, true}) {
        String sh = shape + (acc ? " +=" : " =");
        long seed = 1000L * m + 10L * k + n + (acc ? 7 : 0);
        cases.add(product("matmul", sh, k, be -> {
          float[] c = r(seed + 3, m * n);
          be.matmul(r(seed, m * k), r(seed + 1, k * n), c, m, k, n, acc);
          return Outputs.of(c);
        }));
        cases.add(product("matmulTransB", sh, k, be -> {
          float[] c = r(seed + 3, m * n);
          be.matmulTransB(r(seed, m * k), r(seed + 1, n * k), c, m, k, n, acc);
          return Outputs.of(c);
        }));
        cases.add(product("matmulTransA", sh, k, be -> {
          float[] c = r(seed + 3, m * n);
          be.matmulTransA(r(seed, k * m), r(seed + 1, k * n), c, m, k, n, acc);
          return Outputs.of(c);
        }));
      }
    }

    int[][] denseShapes = {{1, 1, 1}, {3, 17, 33}, {17, 65, 3}, {33, 129, 65}, {256, 192, 256}, {129, 300, 17}};
    for (int[] s : denseShapes) {
      int batch = s[0], nIn = s[1], nOut = s[2];
      String shape = "batch " + batch + ", " + nIn + " -> " + nOut;
      long seed = 7000L + 31L * batch + nIn + 3L * nOut;
      cases.add(product("denseForward", shape, nIn, be -> {
        float[] y = r(seed + 3, batch * nOut);
        be.denseForward(r(seed, batch * nIn), r(seed + 1, nOut * nIn), r(seed + 2, nOut), y, batch, nIn, nOut);
        return Outputs.of(y);
      }));
      cases.add(product("denseBackwardInput", shape, nOut, be -> {
        float[] dx = r(seed + 4, batch * nIn);
        be.denseBackwardInput(r(seed + 5, batch * nOut), r(seed + 1, nOut * nIn), dx, batch, nIn, nOut);
        return Outputs.of(dx);
      }));
      cases.add(product("denseBackwardWeights", shape, batch, be -> {
        float[] dW = r(seed + 6, nOut * nIn);
        be.denseBackwardWeights(r(seed + 5, batch * nOut), r(seed, batch * nIn), dW, batch, nIn, nOut);
        return Outputs.of(dW);
      }));
      cases.add(new Case("denseBackwardBias", shape, true, 0f, 0f, be -> {
        float[] db = r(seed + 7, nOut);
        be.denseBackwardBias(r(seed + 5, batch * nOut), db, batch, nOut);
        return Outputs.of(db);
      }));
    }

    int[] sizes = {1, 3, 17, 33, 65, 129, 16_387, 100_003};
    for (int n : sizes) {
      String shape = "n " + n;
      long seed = 20_000L + n;
      cases.add(approx("geluForward", shape, be -> {
        float[] y = r(seed + 1, n);
        be.geluForward(randomArray(seed, n, 4f), y, n);
        return Outputs.of(y);
      }));
      cases.add(approx("geluBackward", shape, be -> {
        float[] dx = r(seed + 2, n);
        be.geluBackward(randomArray(seed, n, 4f), r(seed + 3, n), dx, n);
        return Outputs.of(dx);
      }));
      cases.add(new Case("reluForward", shape, true, 0f, 0f, be -> {
        float[] y = r(seed + 1, n);
        be.reluForward(r(seed, n), y, n);
        return Outputs.of(y);
      }));
      cases.add(new Case("reluBackward", shape, true, 0f, 0f, be -> {
        float[] dx = r(seed + 2, n);
        be.reluBackward(r(seed, n), r(seed + 3, n), dx, n);
        return Outputs.of(dx);
      }));
      cases.add(approx("tanhForward", shape, be -> {
        float[] y = r(seed + 1, n);
        be.tanhForward(randomArray(seed, n, 4f), y, n);
        return Outputs.of(y);
      }));
      cases.add(new Case("tanhBackward", shape, true, 0f, 0f, be -> {
        float[] dx = r(seed + 2, n);
        be.tanhBackward(r(seed, n), r(seed + 3, n), dx, n);
        return Outputs.of(dx);
      }));
      for (int t : new int[] {1, 7}) {
        cases.add(new Case("adamw", shape + ", t " + t, true, 0f, 0f, be -> {
          float[] p = r(seed + 4, n);
          float[] m = randomArray(seed + 5, n, 0.1f);
          float[] v = abs(randomArray(seed + 6, n, 0.01f));
          be.adamw(p, r(seed + 7, n), m, v, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, t);
          return Outputs.of(p, m, v);
        }));
      }
      cases.add(new Case("scale", shape, true, 0f, 0f, be -> {
        float[] x = r(seed + 8, n);
        be.scale(x, n, -0.37f);
        return Outputs.of(x);
      }));
    }

    int[] reductionSizes = {1, 3, 17, 4095, 4096, 4097, 100_003};
    for (int n : reductionSizes) {
      String shape = "n " + n;
      long seed = 30_000L + n;
      cases.add(new Case("sum", shape, false, 1e-9f, 1e-9f, be -> Outputs.scalar(be.sum(r(seed, n), n))));
      cases.add(new Case("sumSquares", shape, false, 1e-9f, 1e-9f,
          be -> Outputs.scalar(be.sumSquares(r(seed, n), n))));
      cases.add(new Case("max", shape, true, 0f, 0f, be -> Outputs.scalar(be.max(r(seed, n), n))));
      cases.add(new Case("logSumExp", shape, false, 1e-6f, 1e-6f,
          be -> Outputs.scalar(be.logSumExp(randomArray(seed, n, 20f), n))));
    }

    int[][] rowShapes = {{1, 1}, {3, 17}, {17, 33}, {65, 129}, {300, 50}, {129, 1000}};
    for (int[] s : rowShapes) {
      int rows = s[0], n = s[1];
      String shape = rows + "x" + n;
      long seed = 40_000L + 7L * rows + n;
      int[] targets = randomTokens(seed + 1, rows, n);
      float[] mask = r(seed + 2, rows);
      for (int i = 0; i < rows; i += 3) {
        mask[i] = 0f;
        targets[i] = -1; // a masked row's target is never read
      }
      float[] probs = targetProbs(seed + 3, rows, n);
      cases.add(approx("softmaxForward", shape, be -> {
        float[] out = r(seed + 4, rows * n);
        be.softmaxForward(randomArray(seed, rows * n, 8f), out, rows, n);
        return Outputs.of(out);
      }));
      cases.add(approx("logSoftmaxForward", shape, be -> {
        float[] out = r(seed + 4, rows * n);
        be.logSoftmaxForward(randomArray(seed, rows * n, 8f), out, rows, n);
        return Outputs.of(out);
      }));
      cases.add(approx("crossEntropyForward", shape, be -> {
        float[] losses = r(seed + 5, rows);
        be.crossEntropyForward(randomArray(seed, rows * n, 8f), targets, mask, losses, rows, n);
        return Outputs.of(losses);
      }));
      cases.add(approx("crossEntropyBackward", shape, be -> {
        float[] d = r(seed + 6, rows * n);
        be.crossEntropyBackward(randomArray(seed, rows * n, 8f), targets, mask, d, rows, n, 0.25f);
        return Outputs.of(d);
      }));
      cases.add(approx("softCrossEntropyForward", shape, be -> {
        float[] losses = r(seed + 5, rows);
        be.softCrossEntropyForward(randomArray(seed, rows * n, 8f), probs, mask, losses, rows, n);
        return Outputs.of(losses);
      }));
      cases.add(approx("softCrossEntropyBackward", shape, be -> {
        float[] d = r(seed + 6, rows * n);
        be.softCrossEntropyBackward(randomArray(seed, rows * n, 8f), probs, mask, d, rows, n, 0.25f);
        return Outputs.of(d);
      }));
      cases.add(approx("rowLogSumExp", shape, be -> {
        float[] out = r(seed + 5, rows);
        be.rowLogSumExp(randomArray(seed, rows * n, 8f), out, rows, n);
        return Outputs.of(out);
      }));
    }

    int[][] embShapes = {{1, 1, 1}, {5, 17, 3}, {50, 129, 33}, {7, 2000, 300}, {96, 4096, 128}};
    for (int[] s : embShapes) {
      int vocab = s[0], n = s[1], dim = s[2];
      String shape = "vocab " + vocab + ", n " + n + ", dim " + dim;
      long seed = 50_000L + vocab + 3L * n + dim;
      int[] tokens = randomTokens(seed, n, vocab);
      cases.add(new Case("embeddingForward", shape, true, 0f, 0f, be -> {
        float[] out = r(seed + 1, n * dim);
        be.embeddingForward(tokens, r(seed + 2, vocab * dim), out, n, dim);
        return Outputs.of(out);
      }));
      cases.add(new Case("embeddingBackward", shape, true, 0f, 0f, be -> {
        float[] dTable = r(seed + 3, vocab * dim);
        be.embeddingBackward(tokens, r(seed + 4, n * dim), dTable, n, dim);
        return Outputs.of(dTable);
      }));
    }

    int[][] loraShapes = {{1, 1, 1, 1}, {3, 17, 2, 33}, {65, 33, 4, 17}, {256, 192, 8, 256}, {129, 65, 16, 300}};
    for (int[] s : loraShapes) {
      int batch = s[0], nIn = s[1], rank = s[2], nOut = s[3];
      String shape = "batch " + batch + ", " + nIn + " -> " + nOut + ", rank " + rank;
      long seed = 60_000L + batch + 3L * nIn + 5L * rank + nOut;
      int depth = Math.max(Math.max(nIn, nOut), batch);
      cases.add(product("loraForward", shape, depth, be -> {
        float[] h = r(seed + 1, batch * rank);
        float[] y = r(seed + 2, batch * nOut);
        be.loraForward(r(seed, batch * nIn), r(seed + 3, rank * nIn), r(seed + 4, nOut * rank), h, y, batch, nIn,
            rank, nOut, 0.5f);
        return Outputs.of(h, y);
      }));
      cases.add(product("loraBackward", shape, depth, be -> {
        float[] dh = r(seed + 5, batch * rank);
        float[] dx = r(seed + 6, batch * nIn);
        float[] dA = r(seed + 7, rank * nIn);
        float[] dB = r(seed + 8, nOut * rank);
        be.loraBackward(r(seed, batch * nIn), r(seed + 1, batch * rank), r(seed + 9, batch * nOut),
            r(seed + 3, rank * nIn), r(seed + 4, nOut * rank), dh, dx, dA, dB, batch, nIn, rank, nOut, 0.5f);
        return Outputs.of(dh, dx, dA, dB);
      }));
    }
    cases.addAll(transformer());
    return cases;
  }

  /**
   * Layer norm, attention (forward, backward, decoding) and the residual add. Odd sizes: t = 1, 7, 17, 64; head
   * sizes 1, 3, 5, 16, 20 (a vector plus a tail), 48; dim not a multiple of 8; rows and columns not multiples of the
   * Java backend's row and column blocks; and the default model (batch 32 × t 64, dim 64, 4 heads), large enough to
   * run on several threads. Every output buffer starts random, so a kernel that skips a value it should write, or
   * writes where it should add, differs.
   */
  static List<Case> transformer() {
    List<Case> cases = new ArrayList<>();
    int[][] normShapes = {{1, 1}, {3, 17}, {7, 64}, {130, 65}, {33, 200}, {2049, 64}};
    for (int[] s : normShapes) {
      int rows = s[0], n = s[1];
      String shape = rows + "x" + n;
      long seed = 70_000L + 7L * rows + n;
      cases.add(new Case("layerNormForward", shape, true, 0f, 0f, be -> {
        float[] y = r(seed + 3, rows * n);
        float[] mean = r(seed + 4, rows);
        float[] rstd = r(seed + 5, rows);
        be.layerNormForward(randomArray(seed, rows * n, 3f), r(seed + 1, n), r(seed + 2, n), y, mean, rstd, rows, n);
        return Outputs.of(y, mean, rstd);
      }));
      cases.add(new Case("layerNormBackward", shape, true, 0f, 0f, be -> {
        float[] x = randomArray(seed, rows * n, 3f);
        float[] gamma = r(seed + 1, n);
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        NormKernels.layerNormForward(x, gamma, r(seed + 2, n), new float[rows * n], mean, rstd,
            rows, n);
        float[] dx = r(seed + 6, rows * n);
        float[] dGamma = r(seed + 7, n);
        float[] dBeta = r(seed + 8, n);
        be.layerNormBackward(x, r(seed + 9, rows * n), gamma, mean, rstd, dx, dGamma, dBeta, rows, n);
        return Outputs.of(dx, dGamma, dBeta);
      }));
    }

    // batch, t, dim, heads
    int[][] attShapes = {{1, 1, 4, 1}, {1, 1, 3, 3}, {2, 7, 15, 3}, {3, 7, 12, 4}, {1, 64, 20, 4}, {2, 17, 64, 4},
        {2, 20, 40, 2}, {3, 33, 96, 2}, {32, 64, 64, 4}};
    for (int[] s : attShapes) {
      int batch = s[0], t = s[1], dim = s[2], heads = s[3];
      String shape = "batch " + batch + ", t " + t + ", dim " + dim + ", heads " + heads;
      long seed = 80_000L + 1000L * batch + 31L * t + 7L * dim + heads;
      int rows = batch * t;
      int planes = batch * heads * t * t;
      // forward and decoding: the Java backend's softmax exponentials are JavaMath.exp, within 1 ulp of Math.exp
      cases.add(approx("attentionForward", shape, be -> {
        float[] att = r(seed + 1, planes);
        float[] out = r(seed + 2, rows * dim);
        be.attentionForward(randomArray(seed, rows * 3 * dim, 2f), att, out, batch, t, dim, heads);
        return Outputs.of(att, out);
      }));
      cases.add(new Case("attentionBackward", shape, true, 0f, 0f, be -> {
        float[] qkv = randomArray(seed, rows * 3 * dim, 2f);
        float[] att = new float[planes];
        AttentionKernels.attentionForward(qkv, att, new float[rows * dim], batch, t, dim, heads);
        float[] datt = r(seed + 3, planes);
        float[] dqkv = r(seed + 4, rows * 3 * dim);
        be.attentionBackward(qkv, att, r(seed + 5, rows * dim), datt, dqkv, batch, t, dim, heads);
        return Outputs.of(datt, dqkv);
      }));
      int tMax = t + 5;
      int[] len = randomTokens(seed + 6, batch, tMax);
      for (int b = 0; b < batch; b++) {
        len[b] += 1; // 1 ≤ len ≤ tMax
      }
      len[0] = tMax;
      cases.add(approx("attentionDecode", shape + ", tMax " + tMax, be -> {
        float[] scores = r(seed + 7, batch * heads * tMax);
        float[] out = r(seed + 8, batch * dim);
        be.attentionDecode(randomArray(seed + 9, batch * dim, 2f), randomArray(seed + 10, batch * tMax * dim, 2f),
            r(seed + 11, batch * tMax * dim), len, scores, out, batch, tMax, dim, heads);
        return Outputs.of(scores, out);
      }));
    }

    for (int n : new int[] {1, 17, 100_003}) {
      long seed = 90_000L + n;
      cases.add(new Case("add", "n " + n, true, 0f, 0f, be -> {
        float[] y = r(seed + 1, n);
        be.add(r(seed, n), y, n);
        return Outputs.of(y);
      }));
    }
    return cases;
  }

  private static float[] abs(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.abs(x[i]);
    }
    return x;
  }

  /** rows distributions over n classes, each summing to 1 (in float, approximately). */
  private static float[] targetProbs(long seed, int rows, int n) {
    float[] p = abs(r(seed, rows * n));
    for (int row = 0; row < rows; row++) {
      float s = 0f;
      for (int j = 0; j < n; j++) {
        s += p[row * n + j];
      }
      for (int j = 0; j < n; j++) {
        p[row * n + j] /= s;
      }
    }
    return p;
  }
}
