package io.priorflow.kernels.backend;

import java.util.Arrays;

/**
 * A whole training step of the transformer (the engine's GPT-2-style causal decoder with a token head) kept on a
 * device, as {@link DeviceTrainer} is for the token MLP: weights, gradients and AdamW moments stay in device memory
 * from the first step to the last; each run moves in only a chunk's tokens, the rows to predict, their targets and
 * loss weights, and moves out the per-row losses and the gradient norm. A backend with a device offers one through
 * {@link KernelBackend#transformerTrainer}.
 *
 * <p>A chunk is {@code segments} segments of {@code t} positions each (N = segments·t, padded at the end; see the
 * engine's {@code TransformerNet}); position p of the chunk has position embedding p mod t. A row reads the final
 * LayerNorm's output at one of the N positions and predicts its target through the head:
 * <pre>
 *  tokens (N) ─wte + wpe─▶ h_0 (N, D) ─block 0─▶ … ─block L−1─▶ h_L ─LNf─▶ lnf ─rows─▶ feats (R, D) ─head─▶ logits ─CE─▶
 *  block l: h ─LN1─▶ ─qkv─▶ ─causal attention─▶ ─proj─▶ + h ═▶ h2 ─LN2─▶ ─fc─▶ GELU ─fcproj─▶ + h2 ═▶ h_{l+1}
 *  tensors: [wte (V, D), wpe (C, D), per block: ln1 γ, β, qkv W (3D, D), b, proj W (D, D), b, ln2 γ, β,
 *            fc W (F_l, D), b, fcproj W (D, F_l), b; lnf γ, β, out W (V, D), out b (V)]
 * </pre>
 * One {@link #run} is forward and backward of one chunk, gradients accumulating on the device; with {@code update}
 * it goes on to clip the global gradient norm, take one AdamW step on every tensor and zero the gradients. The math
 * is that of the reference kernels (NormKernels, AttentionKernels, and the MLP's); results match them within float
 * rounding, not bit for bit. Not thread-safe.
 */
public interface DeviceTransformerTrainer extends DeviceSession {

  /**
   * What to build.
   *
   * @param vocab       V, rows of the token embedding and width of the head
   * @param context     C, rows of the position embedding and the longest segment
   * @param width       D, the residual stream's width; a multiple of heads
   * @param heads       NH, attention heads of size D / NH
   * @param mlpWidth    F_0 … F_{L−1}, each block's MLP width; L ≥ 1 blocks
   * @param maxSegments the most segments one run takes (N ≤ maxSegments·C)
   * @param maxRows     R, the most rows one run takes
   * @param beta1       AdamW first-moment decay
   * @param beta2       AdamW second-moment decay
   * @param eps         AdamW ε
   * @param weightDecay AdamW decoupled decay, applied to the tensors marked in {@code decay}
   * @param gradClip    clip the global gradient norm to this; 0 disables clipping
   * @param decay       per tensor, in parameter order: whether weight decay applies
   */
  record Spec(int vocab, int context, int width, int heads, int[] mlpWidth, int maxSegments, int maxRows,
              float beta1, float beta2, float eps, float weightDecay, float gradClip, boolean[] decay) {
    public Spec {
      mlpWidth = mlpWidth.clone();
      decay = decay.clone();
      if (mlpWidth.length < 1) throw new IllegalArgumentException("a transformer needs at least one block");
      if (heads < 1 || width % heads != 0) {
        throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
      }
      if (decay.length != tensorCount(mlpWidth.length)) {
        throw new IllegalArgumentException("decay has " + decay.length + " flags for "
            + tensorCount(mlpWidth.length) + " tensors");
      }
      if (maxRows < 1 || maxSegments < 1) {
        throw new IllegalArgumentException("maxRows and maxSegments must be ≥ 1, were " + maxRows + ", " + maxSegments);
      }
    }

    /** Tensors of a transformer of {@code layers} blocks: two embeddings, 12 per block, final LayerNorm, head. */
    public static int tensorCount(int layers) { return 6 + 12 * layers; }

    /** Index of block l's first tensor (ln1 γ); its 12 tensors follow in the order of the class comment. */
    public static int block(int l) { return 2 + 12 * l; }

    /** Blocks. */
    public int layers() { return mlpWidth.length; }

    /** Number of values of tensor i, in parameter order. */
    public int size(int i) {
      int d = width;
      if (i == 0) return vocab * d;
      if (i == 1) return context * d;
      int last = block(layers());
      if (i == last || i == last + 1) return d;       // lnf γ, β
      if (i == last + 2) return vocab * d;            // out W
      if (i == last + 3) return vocab;                // out b
      int f = mlpWidth[(i - 2) / 12];
      return switch ((i - 2) % 12) {
        case 2 -> 3 * d * d;
        case 3 -> 3 * d;
        case 4 -> d * d;
        case 8 -> f * d;
        case 9 -> f;
        case 10 -> d * f;
        default -> d;                                 // LayerNorm γ, β and the D-wide biases
      };
    }

    @Override
    public int[] mlpWidth() { return mlpWidth.clone(); }

    @Override
    public boolean[] decay() { return decay.clone(); }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s && vocab == s.vocab && context == s.context && width == s.width && heads == s.heads
          && Arrays.equals(mlpWidth, s.mlpWidth) && maxSegments == s.maxSegments && maxRows == s.maxRows
          && beta1 == s.beta1 && beta2 == s.beta2 && eps == s.eps && weightDecay == s.weightDecay
          && gradClip == s.gradClip && Arrays.equals(decay, s.decay);
    }

    @Override
    public int hashCode() { return (Arrays.hashCode(mlpWidth) * 31 + vocab) * 31 + width; }
  }

  /**
   * One execution of the training graph on one chunk.
   *
   * @param tokens       (segments·t) token ids, segment s at positions s·t .. s·t + t − 1
   * @param segments     1 … maxSegments
   * @param t            positions per segment, 1 … C
   * @param rowPositions (rows) the chunk position whose final features row r reads, 0 … segments·t − 1
   * @param targets      (rows) the token each row predicts
   * @param mask         (rows) loss weight of each row; 0 leaves the row out
   * @param rows         1 … maxRows
   * @param scale        gradient scale of this run's losses (1/N for a mean over N positions)
   * @param update       after the backward pass: clip, AdamW step {@code step} with learning rate {@code lr}, zero
   *                     gradients
   * @param lr           learning rate (used with update)
   * @param step         1-based AdamW step (used with update)
   * @return Σ_r losses[r], the masked cross-entropy summed over the rows, from the weights before any update
   */
  double run(int[] tokens, int segments, int t, int[] rowPositions, int[] targets, float[] mask, int rows,
             float scale, boolean update, float lr, int step);
}
