package io.priorflow.engine.model;

import java.util.SplittableRandom;

/**
 * The trainable state of LoRA on a token model: for each adapted dense layer l, A_l (r, nIn_l) and B_l (nOut_l, r),
 * and their gradients. The adapted layers are, in order, the MLP's hidden layers 0 .. L−1, or each transformer
 * block's qkv, attention output, MLP fc and MLP output projections (block by block); the output layer (the head) is
 * always last. A is uniform in ±1/√nIn_l (PyTorch's
 * kaiming_uniform with a = √5, as the reference implementation does) and B is zero, so the adapted model starts
 * equal to its base. Mutable; owned by one {@link ModelTraining}. Not here: the frozen base, or the forward math
 * ({@link Network} calls the LoRA kernels with these arrays).
 */
final class LoraAdapters {
  final LoraConfig config;
  final int rank;
  final float scale;
  final int[] nIn, nOut;  // per adapted layer
  final int[] tensor;     // per adapted layer: the index of its frozen weight in ParamLayout order
  final float[][] a, b;   // A_l (r, nIn_l), B_l (nOut_l, r), row-major
  final float[][] da, db; // gradients, same shapes

  LoraAdapters(TokenModelConfig cfg, LoraConfig config, SplittableRandom rng) {
    this.config = config;
    this.rank = config.rank();
    this.scale = config.scale();
    int[][] shapes = adapted(cfg);
    int layers = shapes.length;
    nIn = new int[layers];
    nOut = new int[layers];
    tensor = new int[layers];
    a = new float[layers][];
    b = new float[layers][];
    da = new float[layers][];
    db = new float[layers][];
    for (int l = 0; l < layers; l++) {
      nIn[l] = shapes[l][0];
      nOut[l] = shapes[l][1];
      tensor[l] = shapes[l][2];
      a[l] = new float[rank * nIn[l]];
      b[l] = new float[nOut[l] * rank];
      da[l] = new float[a[l].length];
      db[l] = new float[b[l].length];
      double bound = 1.0 / Math.sqrt(nIn[l]);
      for (int i = 0; i < a[l].length; i++) a[l][i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }

  /** The adapted layers of a config, in order, each as {nIn, nOut, weight tensor index}; the head last. */
  static int[][] adapted(TokenModelConfig cfg) {
    ParamLayout layout = ParamLayout.of(cfg);
    java.util.List<Integer> idx = new java.util.ArrayList<>();
    if (cfg.isTransformer()) {
      for (int l = 0; l < cfg.layers(); l++) {
        int b = ParamLayout.block(l);
        for (int off : new int[] {ParamLayout.QKV_W, ParamLayout.PROJ_W, ParamLayout.FC_W, ParamLayout.FCPROJ_W}) {
          idx.add(b + off);
        }
      }
    } else {
      for (int l = 0; l < cfg.layers(); l++) idx.add(ParamLayout.weight(l));
    }
    idx.add(layout.count() - 2);
    int[][] out = new int[idx.size()][];
    for (int i = 0; i < out.length; i++) {
      ParamLayout.Tensor t = layout.tensors().get(idx.get(i));
      out[i] = new int[] {t.cols(), t.rows(), idx.get(i)};
    }
    return out;
  }

  /** Number of dense layers with an adapter (the head's is the last). */
  int layers() { return a.length; }

  /** Trainable parameters: Σ_l r·(nIn_l + nOut_l). */
  static long parameterCount(TokenModelConfig cfg, int rank) {
    long n = 0;
    for (int[] s : adapted(cfg)) n += (long) rank * (s[0] + s[1]);
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
