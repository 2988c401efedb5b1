package io.priorflow.kernels.backend;

import java.util.Arrays;

/**
 * A whole training step of the token MLP kept on a device: weights, gradients and AdamW moments live in device
 * memory from the first step to the last, and only each batch's windows, targets and loss weights move in, and its
 * per-row losses and the gradient norm move out. A backend with a device offers one through
 * {@link KernelBackend#deviceTrainer}; the CPU backends offer none, and training then calls the kernels one by one.
 *
 * <p>The network is the token model of the engine, in its parameter order:
 * <pre>
 *  ctx (R, C) ─embed─▶ x0 (R, C·D) ─dense─▶ act ─ … ─dense─▶ logits (R, V) ─CE(targets, mask)─▶ losses (R)
 *  tensors: [embed (V, D), W_0 (H_0, C·D), b_0 (H_0), …, W_out (V, H_L), b_out (V)]
 * </pre>
 * One {@link #run} is one execution of the device's training graph: forward and backward of up to
 * {@link Spec#maxRows} rows, gradients accumulating on the device; with {@code update} it goes on to clip the global
 * gradient norm, take one AdamW step on every tensor and zero the gradients. A batch larger than maxRows is several
 * runs, the last with {@code update}. The math is that of the reference kernels and
 * {@link io.priorflow.kernels.OptimizerKernels#clipGradNorm}; the results match them within float rounding, not bit
 * for bit (device reductions and transcendentals round differently, which is why lineage records the backend).
 * Not thread-safe. {@link DeviceTransformerTrainer} is the same for the transformer.
 */
public interface DeviceTrainer extends DeviceSession {

  /** The hidden layers' activation. */
  enum Activation { GELU, RELU, TANH }

  /**
   * What to build.
   *
   * @param vocab       V, rows of the embedding table and width of the output
   * @param context     C, tokens in a window
   * @param embedDim    D
   * @param hidden      H_0 … H_{L−1}, at least one layer
   * @param activation  of every hidden layer
   * @param maxRows     R, the most rows one run takes
   * @param beta1       AdamW first-moment decay
   * @param beta2       AdamW second-moment decay
   * @param eps         AdamW ε
   * @param weightDecay AdamW decoupled decay, applied to the tensors marked in {@code decay}
   * @param gradClip    clip the global gradient norm to this; 0 disables clipping
   * @param decay       per tensor, in parameter order: whether weight decay applies
   */
  record Spec(int vocab, int context, int embedDim, int[] hidden, Activation activation, int maxRows, float beta1,
              float beta2, float eps, float weightDecay, float gradClip, boolean[] decay) {
    public Spec {
      hidden = hidden.clone();
      decay = decay.clone();
      if (hidden.length < 1) throw new IllegalArgumentException("a device trainer needs at least one hidden layer");
      if (decay.length != tensorCount(hidden.length)) {
        throw new IllegalArgumentException("decay has " + decay.length + " flags for "
            + tensorCount(hidden.length) + " tensors");
      }
      if (maxRows < 1) throw new IllegalArgumentException("maxRows must be ≥ 1, was " + maxRows);
    }

    /** Tensors of a model with {@code layers} hidden layers: the embedding, then weight and bias per dense layer. */
    public static int tensorCount(int layers) { return 1 + 2 * (layers + 1); }

    /** Number of values of tensor i, in parameter order. */
    public int size(int i) {
      if (i == 0) return vocab * embedDim;
      int layer = (i - 1) / 2;
      int nOut = layer < hidden.length ? hidden[layer] : vocab;
      int nIn = layer == 0 ? context * embedDim : hidden[layer - 1];
      return (i - 1) % 2 == 0 ? nOut * nIn : nOut;
    }

    @Override
    public int[] hidden() { return hidden.clone(); }

    @Override
    public boolean[] decay() { return decay.clone(); }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s && vocab == s.vocab && context == s.context && embedDim == s.embedDim
          && Arrays.equals(hidden, s.hidden) && activation == s.activation && maxRows == s.maxRows
          && beta1 == s.beta1 && beta2 == s.beta2 && eps == s.eps && weightDecay == s.weightDecay
          && gradClip == s.gradClip && Arrays.equals(decay, s.decay);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(hidden) * 31 + vocab; }
  }

  /**
   * One execution of the training graph on the first {@code rows} rows.
   *
   * @param ctx     (rows, C) token ids of each row's window
   * @param targets (rows) the token to predict
   * @param mask    (rows) loss weight of each row; 0 leaves the row out
   * @param rows    1 … maxRows
   * @param scale   gradient scale of this run's losses (1/N for a mean over N positions)
   * @param update  after the backward pass: clip, AdamW step {@code t} with learning rate {@code lr}, zero gradients
   * @param lr      learning rate (used with update)
   * @param t       1-based AdamW step (used with update)
   * @return Σ_r losses[r], the masked cross-entropy summed over the rows, from the weights before any update
   */
  double run(int[] ctx, int[] targets, float[] mask, int rows, float scale, boolean update, float lr, int t);
}
