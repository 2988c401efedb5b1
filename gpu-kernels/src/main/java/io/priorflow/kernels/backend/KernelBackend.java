package io.priorflow.kernels.backend;

import io.priorflow.kernels.AttentionKernels;
import io.priorflow.kernels.NormKernels;

/**
 * The seam between models and the machine: every kernel training needs, as one interface, so a model can run
 * on the reference loops, the Java backend (threads + Vector API) or TornadoVM without changing a line.
 *
 * <p>Conventions shared by every method (they match the reference kernels in {@code io.priorflow.kernels}):
 * <ul>
 *   <li>All matrices are flat {@code float[]} in row-major order, starting at index 0. Shapes are given in the
 *       Javadoc as (rows, cols). Dimension names: {@code batch} rows of a batch, {@code nIn}/{@code nOut} layer
 *       widths, {@code m, k, n} for a plain product C(m, n) = A(m, k) · B(k, n), {@code rows}/{@code n} for row-wise
 *       ops over a (rows, n) matrix, {@code dim} an embedding width, {@code rank} a LoRA rank, {@code t} positions per sequence ({@code tMax} a
 *       key/value cache's capacity), {@code heads} attention heads of size hs = dim / heads.</li>
 *   <li>Gradient buffers start with {@code d}. Backward kernels of layers <b>accumulate</b> ({@code +=}) into their
 *       gradient buffers, so a caller zeroes them once per step; loss backward kernels <b>write</b> ({@code =}).</li>
 *   <li>Results never depend on the number of threads: work is split into a fixed partition chosen from the problem
 *       size alone, each output is computed by one task, and every sum runs in a fixed order.</li>
 * </ul>
 * Implementations are thread-safe for concurrent calls on distinct buffers.
 */
public interface KernelBackend extends AutoCloseable {

  /** Short name: "reference", "java" or "tornado". Recorded in lineage. */
  String name();

  /** The device the kernels run on, e.g. "cpu" or a GPU's name. Recorded in lineage; no thread counts here. */
  String device();

  /** Number of worker threads (1 for the reference); does not change results. */
  int threads();

  // ---- matrix products -----------------------------------------------------------------------------------

  /** C(m, n) = [C +] A(m, k) · B(k, n). */
  void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

  /** C(m, n) = [C +] A(m, k) · B(n, k)ᵀ. */
  void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

  /** C(m, n) = [C +] A(k, m)ᵀ · B(k, n). */
  void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

  // ---- dense layer: y = x · Wᵀ + b -------------------------------------------------------------------------

  /** y(batch, nOut) = x(batch, nIn) · W(nOut, nIn)ᵀ + b(nOut). */
  void denseForward(float[] x, float[] w, float[] b, float[] y, int batch, int nIn, int nOut);

  /** dx(batch, nIn) += dy(batch, nOut) · W(nOut, nIn). */
  void denseBackwardInput(float[] dy, float[] w, float[] dx, int batch, int nIn, int nOut);

  /** dW(nOut, nIn) += dy(batch, nOut)ᵀ · x(batch, nIn). */
  void denseBackwardWeights(float[] dy, float[] x, float[] dW, int batch, int nIn, int nOut);

  /** db(nOut) += Σ_rows dy(batch, nOut), summed over rows in order. */
  void denseBackwardBias(float[] dy, float[] db, int batch, int nOut);

  // ---- activations (element-wise over n values) -------------------------------------------------------------

  /** y = GELU(x), tanh approximation. */
  void geluForward(float[] x, float[] y, int n);

  /** dx += dy · GELU'(x). */
  void geluBackward(float[] x, float[] dy, float[] dx, int n);

  /** y = max(0, x). */
  void reluForward(float[] x, float[] y, int n);

  /** dx += dy · [x > 0]. */
  void reluBackward(float[] x, float[] dy, float[] dx, int n);

  /** y = tanh(x). */
  void tanhForward(float[] x, float[] y, int n);

  /** dx += dy · (1 − y²), from the forward output y. */
  void tanhBackward(float[] y, float[] dy, float[] dx, int n);

  // ---- embeddings --------------------------------------------------------------------------------------------

  /** out(n, dim) = table[tokens[i]] for each of the n tokens; table is (vocab, dim). */
  void embeddingForward(int[] tokens, float[] table, float[] out, int n, int dim);

  /** dTable[tokens[i]] += dOut(n, dim)[i], tokens visited in order i = 0..n−1. */
  void embeddingBackward(int[] tokens, float[] dOut, float[] dTable, int n, int dim);

  // ---- softmax and losses over (rows, n) ---------------------------------------------------------------------

  /** probs = softmax(logits) per row. */
  void softmaxForward(float[] logits, float[] probs, int rows, int n);

  /** out = log softmax(logits) per row. */
  void logSoftmaxForward(float[] logits, float[] out, int rows, int n);

  /**
   * losses[r] = mask[r] · (logsumexp(logits_r) − logits_r[targets[r]]): cross-entropy per row, weighted by the
   * mask (0 skips a position; any other weight scales it, e.g. an advantage).
   */
  void crossEntropyForward(float[] logits, int[] targets, float[] mask, float[] losses, int rows, int n);

  /** dlogits_r = scale · mask[r] · (softmax(logits_r) − onehot(targets[r])). Writes. */
  void crossEntropyBackward(float[] logits, int[] targets, float[] mask, float[] dlogits, int rows, int n, float scale);

  /** losses[r] = mask[r] · Σ_j −p_rj · log softmax(logits_r)_j, with target distributions p(rows, n). */
  void softCrossEntropyForward(float[] logits, float[] targetProbs, float[] mask, float[] losses, int rows, int n);

  /** dlogits_r = scale · mask[r] · (softmax(logits_r) − p_r) (each p_r sums to 1). Writes. */
  void softCrossEntropyBackward(float[] logits, float[] targetProbs, float[] mask, float[] dlogits, int rows, int n,
                                float scale);

  // ---- optimizer ---------------------------------------------------------------------------------------------

  /**
   * One AdamW step with bias correction (Loshchilov &amp; Hutter 2019) on n parameters; t is the 1-based step.
   * m and v are the first and second moment buffers, updated in place; weight decay is decoupled.
   */
  void adamw(float[] params, float[] grads, float[] m, float[] v, int n, float lr, float beta1, float beta2,
             float eps, float weightDecay, int t);

  /** x *= factor over n values. */
  void scale(float[] x, int n, float factor);

  // ---- LoRA: the low-rank path of a frozen dense layer -------------------------------------------------------

  /**
   * h(batch, rank) = x(batch, nIn) · A(rank, nIn)ᵀ; y(batch, nOut) += scale · h · B(nOut, rank)ᵀ.
   * The base layer's own output must already be in y.
   */
  void loraForward(float[] x, float[] a, float[] b, float[] h, float[] y, int batch, int nIn, int rank, int nOut,
                   float scale);

  /**
   * dh(batch, rank) = scale · dy · B (written); dB += scale · dyᵀ · h; dA += dhᵀ · x; dx += dh · A.
   * The frozen base weights get no gradient.
   */
  void loraBackward(float[] x, float[] h, float[] dy, float[] a, float[] b, float[] dh, float[] dx, float[] dA,
                    float[] dB, int batch, int nIn, int rank, int nOut, float scale);

  // ---- reductions (fixed order) ------------------------------------------------------------------------------

  /** Σ x[i], i &lt; n. */
  double sum(float[] x, int n);

  /** Σ x[i]², i &lt; n (for gradient norms). */
  double sumSquares(float[] x, int n);

  /** max x[i], i &lt; n; n ≥ 1. */
  float max(float[] x, int n);

  /** log Σ exp(x[i]), i &lt; n, computed stably; n ≥ 1. */
  float logSumExp(float[] x, int n);

  /** out[r] = logsumexp of row r of x(rows, n). */
  void rowLogSumExp(float[] x, float[] out, int rows, int n);

  // ---- transformer blocks: layer norm, causal self-attention, residual ----------------------------------------
  //
  // Default methods that run the reference kernels (NormKernels, AttentionKernels) on the calling thread, on the
  // host: a backend without its own version still runs a transformer, correctly and slowly, and keeps compiling.
  // The reference, Java and TornadoVM backends override them all.

  /**
   * Layer norm over each row of x(rows, n), ε = {@link NormKernels#LAYER_NORM_EPS} (1e-5):
   * y = (x − mean)·rstd·gamma + beta per row; <b>writes</b> y(rows, n), mean(rows) and rstd(rows)
   * (rstd = 1/√(var + ε), var biased, i.e. divided by n). gamma, beta: (n). One task per row (or block of rows);
   * each row's sums run over its columns in order. A backend without its own version runs the reference
   * {@link NormKernels#layerNormForward} on the host.
   */
  default void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                                int rows, int n) {
    NormKernels.layerNormForward(x, gamma, beta, y, mean, rstd, rows, n);
  }

  /**
   * Backward of {@link #layerNormForward}, from the forward's x, mean and rstd and the output gradient dy(rows, n).
   * <b>Accumulates</b>: dx(rows, n) +=, dGamma(n) += Σ_rows dy·x̂, dBeta(n) += Σ_rows dy, with x̂ = (x − mean)·rstd
   * and the rows summed in ascending order. dx by tasks over rows; dGamma and dBeta by tasks over columns, each
   * column summed over all rows in order. A backend without its own version runs the reference
   * {@link NormKernels#layerNormBackward} on the host.
   */
  default void layerNormBackward(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                 float[] dGamma, float[] dBeta, int rows, int n) {
    NormKernels.layerNormBackward(x, dy, gamma, mean, rstd, dx, dGamma, dBeta, rows, n);
  }

  /**
   * Causal multi-head self-attention in llm.c's layout. qkv(batch·t, 3·dim): each position's row is q | k | v, each
   * part dim = heads·hs wide, head h at columns h·hs .. (h+1)·hs − 1 of its part; heads divides dim.
   * <b>Writes</b> att(batch, heads, t, t) = softmax over j ≤ i of (q_i·k_j)/√hs (entries j &gt; i written 0) and
   * out(batch·t, dim) = Σ_j att_ij·v_j (head h at columns h·hs .. (h+1)·hs − 1). One task per (b, h) pair (or per
   * (b, h, i)); one (query, head) row is computed by the reference's shared helper, scores over d in order, softmax
   * with the max subtracted and summed over j in order, so {@link #attentionDecode} reproduces a row bit for bit.
   * A backend without its own version runs the reference {@link AttentionKernels#attentionForward} on the host.
   */
  default void attentionForward(float[] qkv, float[] att, float[] out, int batch, int t, int dim, int heads) {
    AttentionKernels.attentionForward(qkv, att, out, batch, t, dim, heads);
  }

  /**
   * Backward of {@link #attentionForward}, from its qkv and att and the output gradient dout(batch·t, dim).
   * datt(batch, heads, t, t) is scratch and <b>written</b> (on return: the gradient of the scaled pre-softmax
   * scores, 0 above the diagonal); dqkv(batch·t, 3·dim) <b>accumulates</b> ({@code +=}). One task per (b, h) pair
   * (it owns head h's columns of dq, dk, dv for sequence b). A backend without its own version runs the reference
   * {@link AttentionKernels#attentionBackward} on the host.
   */
  default void attentionBackward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int batch, int t,
                                 int dim, int heads) {
    AttentionKernels.attentionBackward(qkv, att, dout, datt, dqkv, batch, t, dim, heads);
  }

  /**
   * Incremental decoding with a key/value cache: for each b &lt; batch, query q(batch, dim)[b] attends to positions
   * 0 .. len[b] − 1 of kCache and vCache (batch, tMax, dim) (the new position's own k and v are already written at
   * len[b] − 1; 1 ≤ len[b] ≤ tMax). scores(batch, heads, tMax) is scratch (entries j &lt; len[b] written with the
   * softmax weights, the rest untouched); <b>writes</b> out(batch, dim). One task per (b, h) pair, with the same
   * helper as {@link #attentionForward}: with the same keys and values, out[b] equals the forward's output row at
   * position len[b] − 1 bit for bit. A backend without its own version runs the reference
   * {@link AttentionKernels#attentionDecode} on the host.
   */
  default void attentionDecode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out,
                               int batch, int tMax, int dim, int heads) {
    AttentionKernels.attentionDecode(q, kCache, vCache, len, scores, out, batch, tMax, dim,
        heads);
  }

  /**
   * y[i] += x[i], i &lt; n (residual connections); accumulates into y. Element-wise, chunks of elements. A backend
   * without its own version runs the reference {@link NormKernels#add} on the host.
   */
  default void add(float[] x, float[] y, int n) {
    NormKernels.add(x, y, n);
  }

  // ---- a whole training step on a device -------------------------------------------------------------------

  /**
   * A training graph that keeps the token MLP's weights, gradients and moments on this backend's device, starting
   * from {@code params} (parameter order, see {@link DeviceTrainer}), or empty where the backend has no device of
   * its own (the reference and Java backends: their kernels already work on the caller's arrays). The caller closes
   * it.
   */
  default java.util.Optional<DeviceTrainer> deviceTrainer(DeviceTrainer.Spec spec, float[][] params) {
    return java.util.Optional.empty();
  }

  /**
   * The same for the transformer: a training graph that keeps its weights, gradients and moments on this backend's
   * device, starting from {@code params} (parameter order, see {@link DeviceTransformerTrainer}), or empty where the
   * backend has no device of its own. The caller closes it.
   */
  default java.util.Optional<DeviceTransformerTrainer> transformerTrainer(DeviceTransformerTrainer.Spec spec,
                                                                         float[][] params) {
    return java.util.Optional.empty();
  }

  /** Releases threads or devices. The reference backend holds none. */
  @Override
  void close();
}
