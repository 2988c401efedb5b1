package io.priorflow.engine.model;

import java.util.SplittableRandom;

/**
 * The trainable state of LoRA on a token model: for each dense layer l = 0 .. L (0 .. L−1 the hidden layers, L the
 * output layer), A_l (r, nIn_l) and B_l (nOut_l, r), and their gradients. A is uniform in ±1/√nIn_l (PyTorch's
 * kaiming_uniform with a = √5, as the reference implementation does) and B is zero, so the adapted model starts
 * equal to its base. Mutable; owned by one {@link ModelTraining}. Not here: the frozen base, or the forward math
 * ({@link Network} calls the LoRA kernels with these arrays).
 */
final class LoraAdapters {
  final LoraConfig config;
  final int rank;
  final float scale;
  final int[] nIn, nOut;  // per dense layer
  final float[][] a, b;   // A_l (r, nIn_l), B_l (nOut_l, r), row-major
  final float[][] da, db; // gradients, same shapes

  LoraAdapters(TokenModelConfig cfg, LoraConfig config, SplittableRandom rng) {
    this.config = config;
    this.rank = config.rank();
    this.scale = config.scale();
    int layers = cfg.layers() + 1;
    nIn = new int[layers];
    nOut = new int[layers];
    a = new float[layers][];
    b = new float[layers][];
    da = new float[layers][];
    db = new float[layers][];
    int in = cfg.inputWidth();
    for (int l = 0; l < layers; l++) {
      nIn[l] = in;
      nOut[l] = l < cfg.layers() ? cfg.hidden().get(l) : cfg.outputWidth();
      a[l] = new float[rank * nIn[l]];
      b[l] = new float[nOut[l] * rank];
      da[l] = new float[a[l].length];
      db[l] = new float[b[l].length];
      double bound = 1.0 / Math.sqrt(nIn[l]);
      for (int i = 0; i < a[l].length; i++) a[l][i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
      in = nOut[l];
    }
  }

  /** Number of dense layers with an adapter (L + 1). */
  int layers() { return a.length; }

  /** Trainable parameters: Σ_l r·(nIn_l + nOut_l). */
  static long parameterCount(TokenModelConfig cfg, int rank) {
    long n = 0;
    int in = cfg.inputWidth();
    for (int l = 0; l <= cfg.layers(); l++) {
      int out = l < cfg.layers() ? cfg.hidden().get(l) : cfg.outputWidth();
      n += (long) rank * (in + out);
      in = out;
    }
    return n;
  }

  /**
   * W_l + scale · B_l·A_l into {@code merged}, a (nOut, nIn) copy of the base weight. Each entry's inner sum over the
   * rank runs in float in k order, then one rounding add: the merged model computes the adapted function up to
   * float rounding (x·(W + sBA) is not bit-identical to x·W + s(x·A)·B), not bit for bit.
   */
  void mergeInto(int l, float[] merged) {
    int in = nIn[l], out = nOut[l];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        float s = 0f;
        for (int k = 0; k < rank; k++) s += b[l][o * rank + k] * a[l][k * in + i];
        merged[o * in + i] += scale * s;
      }
    }
  }
}
