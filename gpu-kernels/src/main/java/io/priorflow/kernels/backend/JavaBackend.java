package io.priorflow.kernels.backend;

import io.priorflow.kernels.NormKernels;

/**
 * The fast CPU backend: the reference loops split over a fixed pool of threads, inner loops on the Vector API,
 * products blocked for cache ({@link JavaGemm}).
 *
 * <p>Dimension names and shapes are those of {@link KernelBackend}. How work is split, always from the problem's
 * shape alone, so results are bit-identical on any number of threads:
 * <ul>
 *   <li>products: tiles of C ({@link JavaGemm}); dense and LoRA kernels are products plus an element-wise epilogue
 *       (bias add, scaled add) over fixed row or element chunks;</li>
 *   <li>element-wise kernels (activations, AdamW, scale): chunks of {@link #ELEMENT_CHUNK} elements;</li>
 *   <li>row kernels (softmax, losses, row log-sum-exp): blocks of whole rows, each row summed in order;</li>
 *   <li>embedding backward and bias gradient: blocks of {@link #COLUMN_BLOCK} columns, rows in order inside;</li>
 *   <li>whole-array reductions: chunks of {@link JavaRows#CHUNK}, combined in chunk order;</li>
 *   <li>layer norm: blocks of whole rows (forward, dx), blocks of {@link #COLUMN_BLOCK} columns (dGamma, dBeta, rows
 *       in order inside); attention: one task per (sequence b, head h) pair, which owns head h's columns of out,
 *       dq, dk, dv and the (b, h) planes of att and datt.</li>
 * </ul>
 * Small problems run on the calling thread (a threshold on work, see {@link Workers#PARALLEL_WORK}), which is only a
 * speed choice: the partition, and so every result, is the same.
 *
 * <p>Agreement with the reference: ReLU, tanh's backward, AdamW, scaling, embedding, bias, layer norm and attention
 * backward kernels are bit-identical to it (layer norm rows call the reference's row helpers; {@link JavaAttention}
 * repeats the reference's operations per value, and its forward and decoding share one helper as the reference's
 * do); GELU, tanh, the attention softmax's exponentials
 * and the row kernels (softmax, losses, row log-sum-exp) use {@link JavaMath}'s exp and tanh (within 1 ulp of Math's)
 * and sum rows in 16 fixed partial sums; products (and so dense and LoRA) sum each element with fused multiply-adds,
 * starting from the old C when accumulating, and whole-array sums group their terms in chunks, so those match within
 * rounding. Scratch memory (packed panels, LoRA
 * intermediates) comes from a per-backend pool of buffers reused across calls. Not here: choosing a backend
 * ({@link Backends}).
 */
public final class JavaBackend implements KernelBackend {

  /** Elements per task of an element-wise kernel. */
  static final int ELEMENT_CHUNK = 1 << 14;
  /** Columns per task of the column-parallel kernels (embedding backward, bias gradient). */
  static final int COLUMN_BLOCK = 64;
  /** Roughly the values a row task should touch, so that short rows are grouped. */
  static final int ROW_TASK_VALUES = 1 << 13;

  /** Rough costs, in multiply-add units per element, that decide only whether to go parallel. */
  private static final int COST_TRANSCENDENTAL = 20;
  /** Layer norm: three passes over a row plus a square root per row. */
  private static final int COST_NORM = 4;

  private final Workers workers;
  private final Scratch scratch = new Scratch();
  private final JavaGemm gemm;

  /** A backend with its own pool: the calling thread plus threads − 1 daemon threads; threads ≥ 1. */
  public JavaBackend(int threads) {
    this.workers = new Workers(threads);
    this.gemm = new JavaGemm(workers, scratch);
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public int threads() {
    return workers.threads();
  }

  // ---- matrix products ------------------------------------------------------------------------------------------

  /** C(m, n) = [C +] A(m, k)·B(k, n); tiles of C, math in {@link JavaGemm}. */
  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm.gemm(a, b, c, m, k, n, false, false, accumulate);
  }

  /** C(m, n) = [C +] A(m, k)·B(n, k)ᵀ; B packed transposed, tiles of C, math in {@link JavaGemm}. */
  @Override
  public void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm.gemm(a, b, c, m, k, n, false, true, accumulate);
  }

  /** C(m, n) = [C +] A(k, m)ᵀ·B(k, n); A packed transposed, tiles of C, math in {@link JavaGemm}. */
  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm.gemm(a, b, c, m, k, n, true, false, accumulate);
  }

  // ---- dense layer ----------------------------------------------------------------------------------------------

  /** y = x·Wᵀ (product), then y[r, o] = b[o] + y[r, o] over blocks of rows. */
  @Override
  public void denseForward(float[] x, float[] w, float[] b, float[] y, int batch, int nIn, int nOut) {
    gemm.gemm(x, w, y, batch, nIn, nOut, false, true, false);
    forRows(batch, nOut, 1, (r0, r1) -> JavaElementwise.addBiasRows(y, b, nOut, r0, r1));
  }

  /** dx(batch, nIn) += dy(batch, nOut) · W(nOut, nIn): a plain product, accumulating. */
  @Override
  public void denseBackwardInput(float[] dy, float[] w, float[] dx, int batch, int nIn, int nOut) {
    gemm.gemm(dy, w, dx, batch, nOut, nIn, false, false, true);
  }

  /** dW(nOut, nIn) += dyᵀ · x: the product with A transposed, k = batch, accumulating. */
  @Override
  public void denseBackwardWeights(float[] dy, float[] x, float[] dW, int batch, int nIn, int nOut) {
    gemm.gemm(dy, x, dW, nOut, batch, nIn, true, false, true);
  }

  /** Blocks of {@link #COLUMN_BLOCK} columns; each column summed over rows in order. */
  @Override
  public void denseBackwardBias(float[] dy, float[] db, int batch, int nOut) {
    forColumns(nOut, batch, (o0, o1) -> JavaElementwise.biasGradColumns(dy, db, batch, nOut, o0, o1));
  }

  // ---- activations ----------------------------------------------------------------------------------------------

  /** y(n) = GELU(x(n)); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#geluForward}. */
  @Override
  public void geluForward(float[] x, float[] y, int n) {
    forElements(n, COST_TRANSCENDENTAL, (i0, i1) -> JavaElementwise.geluForward(x, y, i0, i1));
  }

  /** dx(n) += dy·GELU'(x); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#geluBackward}. */
  @Override
  public void geluBackward(float[] x, float[] dy, float[] dx, int n) {
    forElements(n, COST_TRANSCENDENTAL, (i0, i1) -> JavaElementwise.geluBackward(x, dy, dx, i0, i1));
  }

  /** y(n) = max(0, x(n)); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#reluForward}. */
  @Override
  public void reluForward(float[] x, float[] y, int n) {
    forElements(n, 1, (i0, i1) -> JavaElementwise.reluForward(x, y, i0, i1));
  }

  /** dx(n) += dy·[x &gt; 0]; chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#reluBackward}. */
  @Override
  public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
    forElements(n, 1, (i0, i1) -> JavaElementwise.reluBackward(x, dy, dx, i0, i1));
  }

  /** y(n) = tanh(x(n)); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#tanhForward}. */
  @Override
  public void tanhForward(float[] x, float[] y, int n) {
    forElements(n, COST_TRANSCENDENTAL, (i0, i1) -> JavaElementwise.tanhForward(x, y, i0, i1));
  }

  /** dx(n) += dy·(1 − y²); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#tanhBackward}. */
  @Override
  public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    forElements(n, 1, (i0, i1) -> JavaElementwise.tanhBackward(y, dy, dx, i0, i1));
  }

  // ---- embeddings -----------------------------------------------------------------------------------------------

  /** Blocks of token rows, each a row copy. */
  @Override
  public void embeddingForward(int[] tokens, float[] table, float[] out, int n, int dim) {
    forRows(n, dim, 1, (i0, i1) -> JavaElementwise.embeddingGather(tokens, table, out, dim, i0, i1));
  }

  /** Blocks of {@link #COLUMN_BLOCK} columns; inside a block the tokens are visited in order 0..n−1. */
  @Override
  public void embeddingBackward(int[] tokens, float[] dOut, float[] dTable, int n, int dim) {
    forColumns(dim, n, (d0, d1) -> JavaElementwise.embeddingScatter(tokens, dOut, dTable, n, dim, d0, d1));
  }

  // ---- softmax and losses ---------------------------------------------------------------------------------------

  /** probs(rows, n) = softmax per row; blocks of rows, math in {@link JavaRows#softmax}. */
  @Override
  public void softmaxForward(float[] logits, float[] probs, int rows, int n) {
    forRows(rows, n, COST_TRANSCENDENTAL, (r0, r1) -> JavaRows.softmax(logits, probs, n, r0, r1));
  }

  /** out(rows, n) = log softmax per row; blocks of rows, math in {@link JavaRows#logSoftmax}. */
  @Override
  public void logSoftmaxForward(float[] logits, float[] out, int rows, int n) {
    forRows(rows, n, COST_TRANSCENDENTAL, (r0, r1) -> JavaRows.logSoftmax(logits, out, n, r0, r1));
  }

  /** losses(rows) from logits(rows, n); blocks of rows, math in {@link JavaRows#crossEntropy}. */
  @Override
  public void crossEntropyForward(float[] logits, int[] targets, float[] mask, float[] losses, int rows, int n) {
    forRows(rows, n, COST_TRANSCENDENTAL, (r0, r1) -> JavaRows.crossEntropy(logits, targets, mask, losses, n, r0, r1));
  }

  /** dlogits(rows, n), written; blocks of rows, math in {@link JavaRows#crossEntropyGrad}. */
  @Override
  public void crossEntropyBackward(float[] logits, int[] targets, float[] mask, float[] dlogits, int rows, int n,
                                   float scale) {
    forRows(rows, n, COST_TRANSCENDENTAL,
        (r0, r1) -> JavaRows.crossEntropyGrad(logits, targets, mask, dlogits, n, scale, r0, r1));
  }

  /** losses(rows) from logits and targetProbs (rows, n); blocks of rows, math in {@link JavaRows#softCrossEntropy}. */
  @Override
  public void softCrossEntropyForward(float[] logits, float[] targetProbs, float[] mask, float[] losses, int rows,
                                      int n) {
    forRows(rows, n, COST_TRANSCENDENTAL,
        (r0, r1) -> JavaRows.softCrossEntropy(logits, targetProbs, mask, losses, n, r0, r1));
  }

  /** dlogits(rows, n), written; blocks of rows, math in {@link JavaRows#softCrossEntropyGrad}. */
  @Override
  public void softCrossEntropyBackward(float[] logits, float[] targetProbs, float[] mask, float[] dlogits, int rows,
                                       int n, float scale) {
    forRows(rows, n, COST_TRANSCENDENTAL,
        (r0, r1) -> JavaRows.softCrossEntropyGrad(logits, targetProbs, mask, dlogits, n, scale, r0, r1));
  }

  // ---- optimizer ------------------------------------------------------------------------------------------------

  /** Bias corrections as the reference (once, in double, rounded to float), then element chunks. */
  @Override
  public void adamw(float[] params, float[] grads, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                    float eps, float weightDecay, int t) {
    assert t >= 1 : "adamw: the step t is 1-based, was " + t;
    float bc1 = (float) (1.0 - Math.pow(beta1, t));
    float bc2 = (float) (1.0 - Math.pow(beta2, t));
    forElements(n, 4, (i0, i1) -> JavaElementwise.adamw(params, grads, m, v, i0, i1, lr, beta1, beta2, eps,
        weightDecay, bc1, bc2));
  }

  /** x(n) *= factor; chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#scale}. */
  @Override
  public void scale(float[] x, int n, float factor) {
    forElements(n, 1, (i0, i1) -> JavaElementwise.scale(x, i0, i1, factor));
  }

  // ---- LoRA -----------------------------------------------------------------------------------------------------

  /** h = x·Aᵀ; t = h·Bᵀ into scratch; y += scale · t. */
  @Override
  public void loraForward(float[] x, float[] a, float[] b, float[] h, float[] y, int batch, int nIn, int rank,
                          int nOut, float scale) {
    gemm.gemm(x, a, h, batch, nIn, rank, false, true, false);
    int size = batch * nOut;
    float[] t = scratch.take(size);
    try {
      gemm.gemm(h, b, t, batch, rank, nOut, false, true, false);
      forElements(size, 1, (i0, i1) -> JavaElementwise.addScaled(t, y, i0, i1, scale));
    } finally {
      scratch.give(t);
    }
  }

  /**
   * In the reference's order: dh = dy·B, then dh *= scale; dx += dh·A; t = dyᵀ·h into scratch, dB += scale · t;
   * dA += dhᵀ·x.
   */
  @Override
  public void loraBackward(float[] x, float[] h, float[] dy, float[] a, float[] b, float[] dh, float[] dx, float[] dA,
                           float[] dB, int batch, int nIn, int rank, int nOut, float scale) {
    gemm.gemm(dy, b, dh, batch, nOut, rank, false, false, false);
    forElements(batch * rank, 1, (i0, i1) -> JavaElementwise.scale(dh, i0, i1, scale));
    gemm.gemm(dh, a, dx, batch, rank, nIn, false, false, true);
    int size = nOut * rank;
    float[] t = scratch.take(size);
    try {
      gemm.gemm(dy, h, t, nOut, batch, rank, true, false, false);
      forElements(size, 1, (i0, i1) -> JavaElementwise.addScaled(t, dB, i0, i1, scale));
    } finally {
      scratch.give(t);
    }
    gemm.gemm(dh, x, dA, rank, batch, nIn, true, false, true);
  }

  // ---- reductions -----------------------------------------------------------------------------------------------

  /** Σ x(n); chunks of {@link JavaRows#CHUNK} in double, added in chunk order (see {@link JavaRows#sumOf}). */
  @Override
  public double sum(float[] x, int n) {
    return chunkedSum(n, 1, (i0, i1) -> JavaRows.sumOf(x, i0, i1));
  }

  /** Σ x(n)²; chunks as {@link #sum}, math in {@link JavaRows#sumSquaresOf}. */
  @Override
  public double sumSquares(float[] x, int n) {
    return chunkedSum(n, 1, (i0, i1) -> JavaRows.sumSquaresOf(x, i0, i1));
  }

  /** max x(n), n ≥ 1; chunk maxima combined in order (exact in any split), math in {@link JavaRows#maxOf}. */
  @Override
  public float max(float[] x, int n) {
    assert n >= 1 && x.length >= n : "max: needs 1 ≤ n ≤ x.length, n = " + n;
    int chunks = JavaGemm.ceilDiv(n, JavaRows.CHUNK);
    if (chunks == 1) {
      return JavaRows.maxOf(x, 0, n);
    }
    float[] part = new float[chunks];
    workers.run(chunks, n, c -> part[c] = JavaRows.maxOf(x, c * JavaRows.CHUNK, chunkEnd(c, n)));
    float m = part[0];
    for (int c = 1; c < chunks; c++) {
      m = Math.max(m, part[c]);
    }
    return m;
  }

  /** max (exact in any split), then Σ exp(x − max) in chunks combined in order, as {@link #sum}. */
  @Override
  public float logSumExp(float[] x, int n) {
    float m = max(x, n);
    if (Float.isInfinite(m)) {
      return m; // all −∞ gives −∞, any +∞ gives +∞: avoids ∞ − ∞ = NaN, as the reference
    }
    double s = chunkedSum(n, COST_TRANSCENDENTAL, (i0, i1) -> JavaRows.expSumOf(x, i0, i1, m));
    return (float) (m + Math.log(s));
  }

  /** out(rows) = logsumexp of each row of x(rows, n); blocks of rows, math in {@link JavaRows#rowLogSumExp}. */
  @Override
  public void rowLogSumExp(float[] x, float[] out, int rows, int n) {
    forRows(rows, n, COST_TRANSCENDENTAL, (r0, r1) -> JavaRows.rowLogSumExp(x, out, n, r0, r1));
  }

  // ---- transformer blocks ---------------------------------------------------------------------------------------

  /**
   * Blocks of rows, {@link JavaNorm#forwardRows}: rows side by side, each bit-identical to
   * {@link NormKernels#forwardRow}.
   */
  @Override
  public void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                               int rows, int n) {
    assert n >= 1 && x.length >= rows * n && y.length >= rows * n && mean.length >= rows && rstd.length >= rows
        : "layerNormForward: array shorter than its shape";
    forRows(rows, n, COST_NORM, (r0, r1) -> JavaNorm.forwardRows(x, gamma, beta, y, mean, rstd, r0, r1, n));
  }

  /**
   * dx by blocks of rows ({@link JavaNorm#inputGradRows}, bit-identical to {@link NormKernels#inputGradRow}); then dGamma and dBeta by blocks of
   * {@link #COLUMN_BLOCK} columns, each column summed over all rows in order
   * ({@link JavaElementwise#layerNormGradColumns}).
   */
  @Override
  public void layerNormBackward(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                float[] dGamma, float[] dBeta, int rows, int n) {
    assert n >= 1 && x.length >= rows * n && dy.length >= rows * n && dx.length >= rows * n && dGamma.length >= n
        && dBeta.length >= n : "layerNormBackward: array shorter than its shape";
    forRows(rows, n, COST_NORM, (r0, r1) -> JavaNorm.inputGradRows(x, dy, gamma, mean, rstd, dx, r0, r1, n));
    forColumns(n, rows * 4,
        (c0, c1) -> JavaElementwise.layerNormGradColumns(x, dy, mean, rstd, dGamma, dBeta, rows, n, c0, c1));
  }

  /** One task per (b, h): {@link JavaAttention#forward}, queries in order; keys transposed into scratch (hs, t). */
  @Override
  public void attentionForward(float[] qkv, float[] att, float[] out, int batch, int t, int dim, int heads) {
    checkAttention(qkv, att, out, batch, t, dim, heads);
    int hs = dim / heads;
    workers.run(batch * heads, attentionWork(batch, t, dim), p -> {
      float[] kT = scratch.take(hs * t);
      try {
        JavaAttention.forward(qkv, att, out, p / heads, p % heads, t, dim, heads, kT);
      } finally {
        scratch.give(kT);
      }
    });
  }

  /**
   * One task per (b, h): {@link JavaAttention#backward}, the datt rows and dq in query order, then dk and dv in
   * position order; values transposed into scratch (hs, t).
   */
  @Override
  public void attentionBackward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int batch, int t,
                                int dim, int heads) {
    checkAttention(qkv, att, dout, batch, t, dim, heads);
    assert datt.length >= batch * heads * t * t && dqkv.length >= batch * t * 3 * dim
        : "attentionBackward: array shorter than its shape";
    int hs = dim / heads;
    workers.run(batch * heads, 2 * attentionWork(batch, t, dim), p -> {
      float[] vT = scratch.take(hs * t);
      try {
        JavaAttention.backward(qkv, att, dout, datt, dqkv, p / heads, p % heads, t, dim, heads, vT);
      } finally {
        scratch.give(vT);
      }
    });
  }

  /** One task per (b, h): {@link JavaAttention#decode}, each value computed as in the forward, so the forward's bits. */
  @Override
  public void attentionDecode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out,
                              int batch, int tMax, int dim, int heads) {
    assert heads >= 1 && dim % heads == 0 : "attentionDecode: dim " + dim + " is not a multiple of heads " + heads;
    assert q.length >= batch * dim && out.length >= batch * dim && kCache.length >= batch * tMax * dim
        && vCache.length >= batch * tMax * dim && len.length >= batch && scores.length >= batch * heads * tMax
        : "attentionDecode: array shorter than its shape";
    workers.run(batch * heads, 2L * batch * tMax * dim,
        p -> JavaAttention.decode(q, kCache, vCache, len, scores, out, p / heads, p % heads, tMax, dim, heads));
  }

  /** y(n) += x(n); chunks of {@link #ELEMENT_CHUNK}, math in {@link JavaElementwise#add}. */
  @Override
  public void add(float[] x, float[] y, int n) {
    forElements(n, 1, (i0, i1) -> JavaElementwise.add(x, y, i0, i1));
  }

  /** Multiply-adds of a causal attention pass: batch · (t²/2 query-key pairs) · 2 dots of dim. */
  private static long attentionWork(int batch, int t, int dim) {
    return (long) batch * t * (t + 1) * dim;
  }

  private static void checkAttention(float[] qkv, float[] att, float[] out, int batch, int t, int dim, int heads) {
    assert heads >= 1 && dim % heads == 0 : "attention: dim " + dim + " is not a multiple of heads " + heads;
    assert qkv.length >= batch * t * 3 * dim && out.length >= batch * t * dim && att.length >= batch * heads * t * t
        : "attention: array shorter than its shape";
  }

  @Override
  public void close() {
    workers.close();
  }

  @Override
  public String toString() {
    return "JavaBackend[threads=" + threads() + ", vector=" + JavaGemm.SPECIES + "]";
  }

  // ---- partitions -----------------------------------------------------------------------------------------------

  /** A kernel body over a half-open index range. */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  /** A partial sum over a half-open index range. */
  @FunctionalInterface
  interface RangeSum {
    double sum(int from, int to);
  }

  /** [0, n) in chunks of {@link #ELEMENT_CHUNK}; cost is the work per element. */
  private void forElements(int n, int cost, Range body) {
    int tasks = JavaGemm.ceilDiv(n, ELEMENT_CHUNK);
    workers.run(tasks, (long) n * cost, t -> body.run(t * ELEMENT_CHUNK, Math.min(n, (t + 1) * ELEMENT_CHUNK)));
  }

  /** Rows [0, rows) of width n in blocks of about {@link #ROW_TASK_VALUES} values (at least one row). */
  private void forRows(int rows, int n, int cost, Range body) {
    int per = Math.max(1, ROW_TASK_VALUES / Math.max(1, n));
    int tasks = JavaGemm.ceilDiv(rows, per);
    workers.run(tasks, (long) rows * n * cost, t -> body.run(t * per, Math.min(rows, (t + 1) * per)));
  }

  /** Columns [0, cols) in blocks of {@link #COLUMN_BLOCK}, each visiting all `depth` rows. */
  private void forColumns(int cols, int depth, Range body) {
    int tasks = JavaGemm.ceilDiv(cols, COLUMN_BLOCK);
    workers.run(tasks, (long) cols * depth,
        t -> body.run(t * COLUMN_BLOCK, Math.min(cols, (t + 1) * COLUMN_BLOCK)));
  }

  /** Σ over chunks of {@link JavaRows#CHUNK} of part(chunk), added in chunk order. */
  private double chunkedSum(int n, int cost, RangeSum part) {
    int chunks = JavaGemm.ceilDiv(n, JavaRows.CHUNK);
    if (chunks <= 1) {
      return n <= 0 ? 0.0 : part.sum(0, n);
    }
    double[] partial = new double[chunks];
    workers.run(chunks, (long) n * cost, c -> partial[c] = part.sum(c * JavaRows.CHUNK, chunkEnd(c, n)));
    double s = 0.0;
    for (int c = 0; c < chunks; c++) {
      s += partial[c];
    }
    return s;
  }

  private static int chunkEnd(int chunk, int n) {
    return Math.min(n, (chunk + 1) * JavaRows.CHUNK);
  }
}
