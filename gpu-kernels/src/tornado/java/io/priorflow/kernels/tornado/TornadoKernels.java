package io.priorflow.kernels.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The training kernels a third time (after {@code io.priorflow.kernels} and the Java backend), over TornadoVM's
 * off-heap {@link FloatArray} and {@link IntArray}: the same loops, with the outer loop marked {@link Parallel} so
 * TornadoVM maps one work-item to each output, and the math of one output in a small static helper that TornadoVM
 * inlines. No allocation, no objects, no exceptions inside a kernel.
 *
 * <p>Sizes travel in a small {@code dims} array rather than as scalar arguments, so one compiled graph serves
 * every problem up to its buffers' capacity: the {@code @Parallel} loop runs over {@code cap} work-items (fixed when
 * the graph is built) and work-items past the problem's size do nothing. Scalars that change from call to call
 * (learning rate, scale factors, flags) travel in a {@code params} array for the same reason.
 *
 * <p>Reductions avoid {@code @Reduce} (unreliable on PoCL for large inputs): each work-item sums a fixed block of
 * {@link #BLOCK} values in order, and the host or a single-work-item kernel adds the block sums in order, so results
 * do not depend on the device's work-group size.
 *
 * <p>Traps (see STYLE §5): classes must keep their local-variable table (javac -g) or TornadoVM runs these loops as
 * plain Java; no method may be named like an OpenCL keyword; no half floats.
 */
public final class TornadoKernels {
  private TornadoKernels() {}

  /** Values per block of the block reductions. */
  public static final int BLOCK = 256;

  private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
  private static final float GELU_CUBIC = 0.044715f;

  // ---- products: dims = {m, k, n, accumulate}, params[0] = alpha ------------------------------------------

  /** C(m, n) = [C +] α · A(m, k) · B(k, n). One work-item per element of C. */
  public static void gemmNN(FloatArray a, FloatArray b, FloatArray c, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int m = dims.get(0);
      int k = dims.get(1);
      int n = dims.get(2);
      if (idx < m * n) {
        int i = idx / n;
        int j = idx - i * n;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a.get(i * k + p) * b.get(p * n + j);
        }
        store(c, idx, params.get(0) * s, dims.get(3));
      }
    }
  }

  /** C(m, n) = [C +] α · A(m, k) · B(n, k)ᵀ. One work-item per element of C. */
  public static void gemmNT(FloatArray a, FloatArray b, FloatArray c, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int m = dims.get(0);
      int k = dims.get(1);
      int n = dims.get(2);
      if (idx < m * n) {
        int i = idx / n;
        int j = idx - i * n;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a.get(i * k + p) * b.get(j * k + p);
        }
        store(c, idx, params.get(0) * s, dims.get(3));
      }
    }
  }

  /** C(m, n) = [C +] α · A(k, m)ᵀ · B(k, n). One work-item per element of C. */
  public static void gemmTN(FloatArray a, FloatArray b, FloatArray c, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int m = dims.get(0);
      int k = dims.get(1);
      int n = dims.get(2);
      if (idx < m * n) {
        int i = idx / n;
        int j = idx - i * n;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a.get(p * m + i) * b.get(p * n + j);
        }
        store(c, idx, params.get(0) * s, dims.get(3));
      }
    }
  }

  private static void store(FloatArray c, int idx, float v, int accumulate) {
    if (accumulate == 1) {
      c.set(idx, c.get(idx) + v);
    } else {
      c.set(idx, v);
    }
  }

  // ---- dense layer: dims = {batch, nIn, nOut} -----------------------------------------------------------------

  /** y(batch, nOut) = x(batch, nIn) · W(nOut, nIn)ᵀ + b(nOut). One work-item per element of y. */
  public static void denseForward(FloatArray x, FloatArray w, FloatArray b, FloatArray y, IntArray dims, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int nIn = dims.get(1);
      int nOut = dims.get(2);
      if (idx < batch * nOut) {
        int r = idx / nOut;
        int o = idx - r * nOut;
        float s = 0f;
        for (int i = 0; i < nIn; i++) {
          s += x.get(r * nIn + i) * w.get(o * nIn + i);
        }
        y.set(idx, s + b.get(o));
      }
    }
  }

  /** db(nOut) += Σ_r dy(batch, nOut)[r], rows in order. One work-item per output unit. */
  public static void denseBackwardBias(FloatArray dy, FloatArray db, IntArray dims, int cap) {
    for (@Parallel int o = 0; o < cap; o++) {
      int batch = dims.get(0);
      int nOut = dims.get(2);
      if (o < nOut) {
        float s = 0f;
        for (int r = 0; r < batch; r++) {
          s += dy.get(r * nOut + o);
        }
        db.set(o, db.get(o) + s);
      }
    }
  }

  // ---- activations: dims = {n} --------------------------------------------------------------------------------

  /** y = GELU(x) (tanh approximation). One work-item per element. */
  public static void geluForward(FloatArray x, FloatArray y, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        y.set(i, gelu(x.get(i)));
      }
    }
  }

  /** dx += dy · GELU'(x). One work-item per element. */
  public static void geluBackward(FloatArray x, FloatArray dy, FloatArray dx, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        dx.set(i, dx.get(i) + dy.get(i) * geluGrad(x.get(i)));
      }
    }
  }

  /** y = max(0, x). One work-item per element. */
  public static void reluForward(FloatArray x, FloatArray y, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        y.set(i, TornadoMath.max(0f, x.get(i)));
      }
    }
  }

  /** dx += dy · [x &gt; 0]. One work-item per element. */
  public static void reluBackward(FloatArray x, FloatArray dy, FloatArray dx, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0) && x.get(i) > 0f) {
        dx.set(i, dx.get(i) + dy.get(i));
      }
    }
  }

  /** y = tanh(x). One work-item per element. */
  public static void tanhForward(FloatArray x, FloatArray y, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        y.set(i, TornadoMath.tanh(x.get(i)));
      }
    }
  }

  /** dx += dy · (1 − y²) from the forward output y. One work-item per element. */
  public static void tanhBackward(FloatArray y, FloatArray dy, FloatArray dx, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        float v = y.get(i);
        dx.set(i, dx.get(i) + dy.get(i) * (1f - v * v));
      }
    }
  }

  private static float gelu(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    return 0.5f * x * (1f + TornadoMath.tanh(u));
  }

  private static float geluGrad(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    float t = TornadoMath.tanh(u);
    float du = SQRT_2_OVER_PI * (1f + 3f * GELU_CUBIC * x * x);
    return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du;
  }

  // ---- embeddings: dims = {n tokens, dim} ---------------------------------------------------------------------

  /** out(n, dim) = table[tokens[i]]. One work-item per element of out. */
  public static void embeddingForward(IntArray tokens, FloatArray table, FloatArray out, IntArray dims, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int n = dims.get(0);
      int dim = dims.get(1);
      if (idx < n * dim) {
        int i = idx / dim;
        int j = idx - i * dim;
        out.set(idx, table.get(tokens.get(i) * dim + j));
      }
    }
  }

  /**
   * dTable[tokens[i]] += dOut[i] for i = 0 … n−1 in order. One work-item per column j of the table: each adds the
   * tokens' values of its column in token order, so repeated tokens need no atomics and the sum order is fixed.
   */
  public static void embeddingBackward(IntArray tokens, FloatArray dOut, FloatArray dTable, IntArray dims, int cap) {
    for (@Parallel int j = 0; j < cap; j++) {
      int n = dims.get(0);
      int dim = dims.get(1);
      if (j < dim) {
        for (int i = 0; i < n; i++) {
          int t = tokens.get(i) * dim + j;
          dTable.set(t, dTable.get(t) + dOut.get(i * dim + j));
        }
      }
    }
  }

  // ---- softmax and losses over rows: dims = {rows, n} ---------------------------------------------------------

  /** probs = softmax(logits) per row. One work-item per row. */
  public static void softmaxForward(FloatArray logits, FloatArray probs, IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        softmaxRow(logits, probs, r * dims.get(1), dims.get(1));
      }
    }
  }

  /** out = log softmax(logits) per row. One work-item per row. */
  public static void logSoftmaxForward(FloatArray logits, FloatArray out, IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        int off = r * n;
        float lse = lseOfRow(logits, off, n);
        for (int j = 0; j < n; j++) {
          out.set(off + j, logits.get(off + j) - lse);
        }
      }
    }
  }

  /** out[r] = logsumexp of row r. One work-item per row. */
  public static void rowLogSumExp(FloatArray x, FloatArray out, IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        out.set(r, lseOfRow(x, r * dims.get(1), dims.get(1)));
      }
    }
  }

  /** losses[r] = mask[r] · (logsumexp(logits_r) − logits_r[targets[r]]). One work-item per row. */
  public static void crossEntropyForward(FloatArray logits, IntArray targets, FloatArray mask, FloatArray losses,
                                         IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        losses.set(r, crossEntropyRow(logits, targets, mask, r, dims.get(1)));
      }
    }
  }

  /** dlogits_r = params[0] · mask[r] · (softmax(logits_r) − onehot(targets[r])). Writes. One work-item per row. */
  public static void crossEntropyBackward(FloatArray logits, IntArray targets, FloatArray mask, FloatArray dlogits,
                                          IntArray dims, FloatArray params, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        crossEntropyGradRow(logits, targets, mask, dlogits, r, dims.get(1), params.get(0));
      }
    }
  }

  /** losses[r] = mask[r] · Σ_j −p_rj · log softmax(logits_r)_j. One work-item per row. */
  public static void softCrossEntropyForward(FloatArray logits, FloatArray p, FloatArray mask, FloatArray losses,
                                             IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        float w = mask.get(r);
        float loss = 0f;
        if (w != 0f) {
          int off = r * n;
          float lse = lseOfRow(logits, off, n);
          float s = 0f;
          for (int j = 0; j < n; j++) {
            s += p.get(off + j) * (lse - logits.get(off + j));
          }
          loss = w * s;
        }
        losses.set(r, loss);
      }
    }
  }

  /** dlogits_r = params[0] · mask[r] · (softmax(logits_r) − p_r). Writes. One work-item per row. */
  public static void softCrossEntropyBackward(FloatArray logits, FloatArray p, FloatArray mask, FloatArray dlogits,
                                              IntArray dims, FloatArray params, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        int off = r * n;
        float m = mask.get(r);
        if (m == 0f) {
          for (int j = 0; j < n; j++) {
            dlogits.set(off + j, 0f);
          }
        } else {
          float w = params.get(0) * m;
          softmaxRow(logits, dlogits, off, n);
          for (int j = 0; j < n; j++) {
            dlogits.set(off + j, w * (dlogits.get(off + j) - p.get(off + j)));
          }
        }
      }
    }
  }

  private static float crossEntropyRow(FloatArray logits, IntArray targets, FloatArray mask, int r, int n) {
    float w = mask.get(r);
    float loss = 0f;
    if (w != 0f) {
      int off = r * n;
      loss = w * (lseOfRow(logits, off, n) - logits.get(off + targets.get(r)));
    }
    return loss;
  }

  private static void crossEntropyGradRow(FloatArray logits, IntArray targets, FloatArray mask, FloatArray dlogits,
                                          int r, int n, float scale) {
    int off = r * n;
    float m = mask.get(r);
    if (m == 0f) {
      for (int j = 0; j < n; j++) {
        dlogits.set(off + j, 0f);
      }
    } else {
      float w = scale * m;
      int t = targets.get(r);
      softmaxRow(logits, dlogits, off, n);
      for (int j = 0; j < n; j++) {
        float onehot = j == t ? 1f : 0f;
        dlogits.set(off + j, w * (dlogits.get(off + j) - onehot));
      }
    }
  }

  private static void softmaxRow(FloatArray x, FloatArray out, int off, int n) {
    float m = x.get(off);
    for (int j = 1; j < n; j++) {
      m = TornadoMath.max(m, x.get(off + j));
    }
    float s = 0f;
    for (int j = 0; j < n; j++) {
      float e = TornadoMath.exp(x.get(off + j) - m);
      out.set(off + j, e);
      s += e;
    }
    float inv = 1f / s;
    for (int j = 0; j < n; j++) {
      out.set(off + j, out.get(off + j) * inv);
    }
  }

  private static float lseOfRow(FloatArray x, int off, int n) {
    float m = x.get(off);
    for (int j = 1; j < n; j++) {
      m = TornadoMath.max(m, x.get(off + j));
    }
    float result = m;
    // ±∞ maximum: the row is all −∞ (masked) or holds +∞; return it as is rather than ∞ − ∞ = NaN
    if (m > -3.4028235e38f && m < 3.4028235e38f) {
      float s = 0f;
      for (int j = 0; j < n; j++) {
        s += TornadoMath.exp(x.get(off + j) - m);
      }
      result = m + TornadoMath.log(s);
    }
    return result;
  }

  // ---- transformer: layer norm, causal attention, residual add (math of NormKernels and AttentionKernels) -------

  /** The ε of {@code NormKernels.LAYER_NORM_EPS}, repeated here: a kernel reads only its own class's constants. */
  private static final float LAYER_NORM_EPS = 1e-5f;

  /**
   * Layer norm forward: y(rows, n) = (x − mean)·rstd·gamma + beta per row of x(rows, n); writes y, mean(rows) and
   * rstd(rows). dims = {rows, n}. One work-item per row; math in {@link #layerNormRow} (that of
   * {@code NormKernels.forwardRow}: sums in float over the columns in order).
   */
  public static void layerNormForward(FloatArray x, FloatArray gamma, FloatArray beta, FloatArray y, FloatArray mean,
                                      FloatArray rstd, IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        layerNormRow(x, gamma, beta, y, mean, rstd, r, dims.get(1));
      }
    }
  }

  private static void layerNormRow(FloatArray x, FloatArray gamma, FloatArray beta, FloatArray y, FloatArray mean,
                                   FloatArray rstd, int r, int n) {
    int off = r * n;
    float m = 0f;
    for (int i = 0; i < n; i++) {
      m += x.get(off + i);
    }
    m = m / n;
    float v = 0f;
    for (int i = 0; i < n; i++) {
      float xs = x.get(off + i) - m;
      v += xs * xs;
    }
    v = v / n;
    float s = 1f / TornadoMath.sqrt(v + LAYER_NORM_EPS);
    for (int i = 0; i < n; i++) {
      float xh = s * (x.get(off + i) - m);
      y.set(off + i, xh * gamma.get(i) + beta.get(i));
    }
    mean.set(r, m);
    rstd.set(r, s);
  }

  /**
   * Layer norm backward, the input part: dx(rows, n) += rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = gamma·dy, from
   * the forward's mean and rstd (rows). dims = {rows, n}. One work-item per row; math of
   * {@code NormKernels.inputGradRow} (the two row means in float over columns in order).
   */
  public static void layerNormBackwardInput(FloatArray x, FloatArray dy, FloatArray gamma, FloatArray mean,
                                            FloatArray rstd, FloatArray dx, IntArray dims, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        int off = r * n;
        float m = mean.get(r);
        float s = rstd.get(r);
        float gMean = 0f;
        float gxMean = 0f;
        for (int i = 0; i < n; i++) {
          float xh = s * (x.get(off + i) - m);
          float g = gamma.get(i) * dy.get(off + i);
          gMean += g;
          gxMean += g * xh;
        }
        gMean = gMean / n;
        gxMean = gxMean / n;
        for (int i = 0; i < n; i++) {
          float xh = s * (x.get(off + i) - m);
          float g = gamma.get(i) * dy.get(off + i);
          dx.set(off + i, dx.get(off + i) + (g - gMean - xh * gxMean) * s);
        }
      }
    }
  }

  /**
   * Layer norm backward, the parameter part: dGamma(n) += Σ_rows dy·x̂ and dBeta(n) += Σ_rows dy, each column summed
   * in float over rows in ascending order before it is added (as {@code NormKernels.gammaGrad} and
   * {@code betaGrad}). dims = {rows, n}. One work-item per column.
   */
  public static void layerNormBackwardParams(FloatArray x, FloatArray dy, FloatArray mean, FloatArray rstd,
                                             FloatArray dGamma, FloatArray dBeta, IntArray dims, int cap) {
    for (@Parallel int c = 0; c < cap; c++) {
      int rows = dims.get(0);
      int n = dims.get(1);
      if (c < n) {
        float gs = 0f;
        float bs = 0f;
        for (int r = 0; r < rows; r++) {
          float xh = rstd.get(r) * (x.get(r * n + c) - mean.get(r));
          gs += dy.get(r * n + c) * xh;
          bs += dy.get(r * n + c);
        }
        dGamma.set(c, dGamma.get(c) + gs);
        dBeta.set(c, dBeta.get(c) + bs);
      }
    }
  }

  /** y(n) += x(n): the residual connection. dims = {n}. One work-item per element. */
  public static void addInto(FloatArray x, FloatArray y, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        y.set(i, y.get(i) + x.get(i));
      }
    }
  }

  /**
   * Causal attention forward in llm.c's layout (see {@code AttentionKernels}): from qkv(batch·t, 3·dim) writes
   * att(batch, heads, t, t) (softmax weights, 0 above the diagonal) and out(batch·t, dim). dims = {batch, t, dim,
   * heads}, params = {1/√hs}. One work-item per (b, h, i) query row, idx = (b·heads + h)·t + i; math in {@link #attendQuery}, the
   * same helper as {@link #attentionDecode}.
   */
  public static void attentionForward(FloatArray qkv, FloatArray att, FloatArray out, IntArray dims,
                                      FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int t = dims.get(1);
      int dim = dims.get(2);
      int heads = dims.get(3);
      if (idx < batch * heads * t) {
        int i = idx % t;
        int bh = idx / t;
        int h = bh % heads;
        int b = bh / heads;
        int hs = dim / heads;
        int c3 = 3 * dim;
        int seq = b * t * c3;
        int attOff = idx * t;
        attendQuery(qkv, seq + i * c3 + h * hs, qkv, seq + dim + h * hs, qkv, seq + 2 * dim + h * hs, c3, i + 1, hs,
            params.get(0), att, attOff, out, (b * t + i) * dim + h * hs);
        for (int j = i + 1; j < t; j++) {
          att.set(attOff + j, 0f);
        }
      }
    }
  }

  /**
   * Incremental decoding with a key/value cache: query q(batch, dim)[b] against positions 0 .. len[b] − 1 of
   * kCache and vCache (batch, tMax, dim); writes scores(batch, heads, tMax) for j &lt; len[b] and out(batch, dim).
   * dims = {batch, tMax, dim, heads}, params = {1/√hs}. One work-item per (b, h), idx = b·heads + h; math in {@link #attendQuery}.
   */
  public static void attentionDecode(FloatArray q, FloatArray kCache, FloatArray vCache, IntArray len,
                                     FloatArray scores, FloatArray out, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int tMax = dims.get(1);
      int dim = dims.get(2);
      int heads = dims.get(3);
      if (idx < batch * heads) {
        int h = idx % heads;
        int b = idx / heads;
        int hs = dim / heads;
        int cache = b * tMax * dim + h * hs;
        attendQuery(q, b * dim + h * hs, kCache, cache, vCache, cache, dim, len.get(b), hs, params.get(0), scores,
            idx * tMax, out, b * dim + h * hs);
      }
    }
  }

  /**
   * One (query, head), as {@code AttentionKernels.attendQuery}: scores q·k_j (d in order) times scale (1/√hs,
   * {@code AttentionKernels.scoreScale}, computed on the host and passed in params[0]), their max,
   * exponentials of the max-subtracted scores summed in j order, normalised, then out = Σ_j att_j·v_j with each
   * element summed over j in order. Writes att[attOff + j] for j &lt; len and out[outOff .. outOff + hs).
   */
  private static void attendQuery(FloatArray q, int qOff, FloatArray k, int kOff, FloatArray v, int vOff, int stride,
                                  int len, int hs, float scale, FloatArray att, int attOff, FloatArray out,
                                  int outOff) {
    float max = -3.4028235e38f;
    for (int j = 0; j < len; j++) {
      int kj = kOff + j * stride;
      float s = 0f;
      for (int d = 0; d < hs; d++) {
        s += q.get(qOff + d) * k.get(kj + d);
      }
      s *= scale;
      att.set(attOff + j, s);
      max = TornadoMath.max(max, s);
    }
    float sum = 0f;
    for (int j = 0; j < len; j++) {
      float e = TornadoMath.exp(att.get(attOff + j) - max);
      att.set(attOff + j, e);
      sum += e;
    }
    float inv = 1f / sum;
    for (int j = 0; j < len; j++) {
      att.set(attOff + j, att.get(attOff + j) * inv);
    }
    for (int d = 0; d < hs; d++) {
      out.set(outOff + d, 0f);
    }
    for (int j = 0; j < len; j++) {
      float a = att.get(attOff + j);
      int vj = vOff + j * stride;
      for (int d = 0; d < hs; d++) {
        out.set(outOff + d, out.get(outOff + d) + a * v.get(vj + d));
      }
    }
  }

  /**
   * Attention backward, first half: for query row i of (b, h), datt_ij = dout_i·v_j, then the softmax gradient
   * att_ij·(datt_ij − Σ_k att_ik·datt_ik) written over datt row i (0 for j &gt; i), then dq_i += Σ_j (datt_ij/√hs)·k_j
   * in j order (as {@code AttentionKernels.queryGrad}). dims = {batch, t, dim, heads}, params = {1/√hs}. One work-item per (b, h, i),
   * idx = (b·heads + h)·t + i; it owns datt row i and head h's columns of dq_i.
   */
  public static void attentionBackwardQuery(FloatArray qkv, FloatArray att, FloatArray dout, FloatArray datt,
                                            FloatArray dqkv, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int t = dims.get(1);
      int dim = dims.get(2);
      int heads = dims.get(3);
      if (idx < batch * heads * t) {
        int i = idx % t;
        int bh = idx / t;
        int h = bh % heads;
        int b = bh / heads;
        int hs = dim / heads;
        int c3 = 3 * dim;
        int seq = b * t * c3;
        int row = idx * t;
        int doutOff = (b * t + i) * dim + h * hs;
        float scale = params.get(0);
        for (int j = 0; j <= i; j++) {
          int vj = seq + j * c3 + 2 * dim + h * hs;
          float s = 0f;
          for (int d = 0; d < hs; d++) {
            s += dout.get(doutOff + d) * qkv.get(vj + d);
          }
          datt.set(row + j, s);
        }
        float dot = 0f;
        for (int j = 0; j <= i; j++) {
          dot += att.get(row + j) * datt.get(row + j);
        }
        for (int j = 0; j <= i; j++) {
          datt.set(row + j, att.get(row + j) * (datt.get(row + j) - dot));
        }
        for (int j = i + 1; j < t; j++) {
          datt.set(row + j, 0f);
        }
        int dq = seq + i * c3 + h * hs;
        for (int j = 0; j <= i; j++) {
          float g = datt.get(row + j) * scale;
          int kj = seq + j * c3 + dim + h * hs;
          for (int d = 0; d < hs; d++) {
            dqkv.set(dq + d, dqkv.get(dq + d) + g * qkv.get(kj + d));
          }
        }
      }
    }
  }

  /**
   * Attention backward, second half (after {@link #attentionBackwardQuery} filled datt): for key/value position j
   * of (b, h), over queries i = j .. t − 1 in order, dk_j += (datt_ij/√hs)·q_i and dv_j += att_ij·dout_i (as
   * {@code AttentionKernels.keyValueGrad}). dims = {batch, t, dim, heads}, params = {1/√hs}. One work-item per (b, h, j),
   * idx = (b·heads + h)·t + j; it owns head h's columns of dk_j and dv_j.
   */
  public static void attentionBackwardKeyValue(FloatArray qkv, FloatArray att, FloatArray dout, FloatArray datt,
                                               FloatArray dqkv, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int t = dims.get(1);
      int dim = dims.get(2);
      int heads = dims.get(3);
      if (idx < batch * heads * t) {
        int j = idx % t;
        int bh = idx / t;
        int h = bh % heads;
        int b = bh / heads;
        int hs = dim / heads;
        int c3 = 3 * dim;
        int seq = b * t * c3;
        int dk = seq + j * c3 + dim + h * hs;
        int dv = dk + dim;
        int plane = bh * t * t;
        float scale = params.get(0);
        for (int i = j; i < t; i++) {
          float g = datt.get(plane + i * t + j) * scale;
          float a = att.get(plane + i * t + j);
          int qi = seq + i * c3 + h * hs;
          int doi = (b * t + i) * dim + h * hs;
          for (int d = 0; d < hs; d++) {
            dqkv.set(dk + d, dqkv.get(dk + d) + g * qkv.get(qi + d));
            dqkv.set(dv + d, dqkv.get(dv + d) + a * dout.get(doi + d));
          }
        }
      }
    }
  }

  // ---- pieces of the transformer's device training step ------------------------------------------------------

  /**
   * out(rows, dim) = x[positions[r]] for each row r: the rows a chunk predicts from. dims = {rows, dim}. One
   * work-item per element of out.
   */
  public static void gatherRows(FloatArray x, IntArray positions, FloatArray out, IntArray dims, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int rows = dims.get(0);
      int dim = dims.get(1);
      if (idx < rows * dim) {
        int r = idx / dim;
        int j = idx - r * dim;
        out.set(idx, x.get(positions.get(r) * dim + j));
      }
    }
  }

  /**
   * dx[positions[r]] += dOut(rows, dim)[r] for r = 0 … rows − 1 in order: the backward of {@link #gatherRows}.
   * One work-item per column j, adding its rows in row order, so two rows reading one position need no atomics and
   * the sum order is fixed. dims = {rows, dim}.
   */
  public static void scatterRows(FloatArray dOut, IntArray positions, FloatArray dx, IntArray dims, int cap) {
    for (@Parallel int j = 0; j < cap; j++) {
      int rows = dims.get(0);
      int dim = dims.get(1);
      if (j < dim) {
        for (int r = 0; r < rows; r++) {
          int o = positions.get(r) * dim + j;
          dx.set(o, dx.get(o) + dOut.get(r * dim + j));
        }
      }
    }
  }

  // ---- the transformer's training graph: every tensor in one flat array -----------------------------------------
  //
  // TornadoVM's task graph holds at most 1,024 nodes (objects, their transfers, tasks, written arguments), which a
  // graph with separate arrays per tensor exceeds at two blocks. So the transformer's graph keeps all weights in one
  // array W, all gradients in one array G (and moments in M, V), tensor i at a fixed offset; these kernels are the
  // ones above with that offset as a constant argument, same math and order.

  /** h(n, dim) = W[wte + tokens[p]·dim ..] + W[wpe + (p mod t)·dim ..]. dims = {n, dim, t}. One work-item per element. */
  public static void embedAt(IntArray tokens, FloatArray w, FloatArray h, IntArray dims, int wte, int wpe, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int n = dims.get(0);
      int dim = dims.get(1);
      if (idx < n * dim) {
        int p = idx / dim;
        int j = idx - p * dim;
        int q = p % dims.get(2);
        h.set(idx, w.get(wte + tokens.get(p) * dim + j) + w.get(wpe + q * dim + j));
      }
    }
  }

  /** {@link #layerNormForward} with gamma and beta at W[g ..] and W[b ..]. dims = {rows, n}. One work-item per row. */
  public static void layerNormForwardAt(FloatArray x, FloatArray w, FloatArray y, FloatArray mean, FloatArray rstd,
                                        IntArray dims, int g, int b, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        int off = r * n;
        float m = 0f;
        for (int i = 0; i < n; i++) {
          m += x.get(off + i);
        }
        m = m / n;
        float v = 0f;
        for (int i = 0; i < n; i++) {
          float xs = x.get(off + i) - m;
          v += xs * xs;
        }
        v = v / n;
        float s = 1f / TornadoMath.sqrt(v + LAYER_NORM_EPS);
        for (int i = 0; i < n; i++) {
          float xh = s * (x.get(off + i) - m);
          y.set(off + i, xh * w.get(g + i) + w.get(b + i));
        }
        mean.set(r, m);
        rstd.set(r, s);
      }
    }
  }

  /** {@link #denseForward} with the weight at W[wOff ..] and the bias at W[bOff ..]. dims = {batch, nIn, nOut}. */
  public static void denseForwardAt(FloatArray x, FloatArray w, FloatArray y, IntArray dims, int wOff, int bOff,
                                    int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int batch = dims.get(0);
      int nIn = dims.get(1);
      int nOut = dims.get(2);
      if (idx < batch * nOut) {
        int r = idx / nOut;
        int o = idx - r * nOut;
        float s = 0f;
        for (int i = 0; i < nIn; i++) {
          s += x.get(r * nIn + i) * w.get(wOff + o * nIn + i);
        }
        y.set(idx, s + w.get(bOff + o));
      }
    }
  }

  /** G[cOff + (i, j)] += (A(k, m)ᵀ · B(k, n))(i, j): a weight gradient. dims = {m, k, n}. One work-item per element. */
  public static void gemmTNInto(FloatArray a, FloatArray b, FloatArray g, IntArray dims, int cOff, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int m = dims.get(0);
      int k = dims.get(1);
      int n = dims.get(2);
      if (idx < m * n) {
        int i = idx / n;
        int j = idx - i * n;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a.get(p * m + i) * b.get(p * n + j);
        }
        g.set(cOff + idx, g.get(cOff + idx) + 1f * s);
      }
    }
  }

  /** C(m, n) = A(m, k) · W[bOff ..](k, n), written: an input gradient. dims = {m, k, n}. One work-item per element. */
  public static void gemmNNFrom(FloatArray a, FloatArray w, FloatArray c, IntArray dims, int bOff, int cap) {
    for (@Parallel int idx = 0; idx < cap; idx++) {
      int m = dims.get(0);
      int k = dims.get(1);
      int n = dims.get(2);
      if (idx < m * n) {
        int i = idx / n;
        int j = idx - i * n;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a.get(i * k + p) * w.get(bOff + p * n + j);
        }
        c.set(idx, 1f * s);
      }
    }
  }

  /** G[off + o] += Σ_r dy(batch, nOut)[r, o], rows in order. dims = {batch, ·, nOut}. One work-item per unit. */
  public static void biasGradAt(FloatArray dy, FloatArray g, IntArray dims, int off, int cap) {
    for (@Parallel int o = 0; o < cap; o++) {
      int batch = dims.get(0);
      int nOut = dims.get(2);
      if (o < nOut) {
        float s = 0f;
        for (int r = 0; r < batch; r++) {
          s += dy.get(r * nOut + o);
        }
        g.set(off + o, g.get(off + o) + s);
      }
    }
  }

  /** {@link #layerNormBackwardInput} with gamma at W[gOff ..]. dims = {rows, n}. One work-item per row. */
  public static void layerNormBackwardInputAt(FloatArray x, FloatArray dy, FloatArray w, FloatArray mean,
                                              FloatArray rstd, FloatArray dx, IntArray dims, int gOff, int cap) {
    for (@Parallel int r = 0; r < cap; r++) {
      if (r < dims.get(0)) {
        int n = dims.get(1);
        int off = r * n;
        float m = mean.get(r);
        float s = rstd.get(r);
        float gMean = 0f;
        float gxMean = 0f;
        for (int i = 0; i < n; i++) {
          float xh = s * (x.get(off + i) - m);
          float g = w.get(gOff + i) * dy.get(off + i);
          gMean += g;
          gxMean += g * xh;
        }
        gMean = gMean / n;
        gxMean = gxMean / n;
        for (int i = 0; i < n; i++) {
          float xh = s * (x.get(off + i) - m);
          float g = w.get(gOff + i) * dy.get(off + i);
          dx.set(off + i, dx.get(off + i) + (g - gMean - xh * gxMean) * s);
        }
      }
    }
  }

  /** {@link #layerNormBackwardParams} into G[gOff ..] and G[bOff ..]. dims = {rows, n}. One work-item per column. */
  public static void layerNormBackwardParamsAt(FloatArray x, FloatArray dy, FloatArray mean, FloatArray rstd,
                                               FloatArray g, IntArray dims, int gOff, int bOff, int cap) {
    for (@Parallel int c = 0; c < cap; c++) {
      int rows = dims.get(0);
      int n = dims.get(1);
      if (c < n) {
        float gs = 0f;
        float bs = 0f;
        for (int r = 0; r < rows; r++) {
          float xh = rstd.get(r) * (x.get(r * n + c) - mean.get(r));
          gs += dy.get(r * n + c) * xh;
          bs += dy.get(r * n + c);
        }
        g.set(gOff + c, g.get(gOff + c) + gs);
        g.set(bOff + c, g.get(bOff + c) + bs);
      }
    }
  }

  /** {@link #embeddingBackward} into the table at G[off ..]. dims = {n, dim}. One work-item per column. */
  public static void embeddingBackwardAt(IntArray tokens, FloatArray dOut, FloatArray g, IntArray dims, int off,
                                         int cap) {
    for (@Parallel int j = 0; j < cap; j++) {
      int n = dims.get(0);
      int dim = dims.get(1);
      if (j < dim) {
        for (int i = 0; i < n; i++) {
          int t = off + tokens.get(i) * dim + j;
          g.set(t, g.get(t) + dOut.get(i * dim + j));
        }
      }
    }
  }

  /**
   * {@link #adamwClipZero} over every parameter of the flat arrays at once, with each parameter's own weight decay
   * wd[i] (the tensor's decay or 0) in place of hp[4]. dims = {n} (0 in a run without update). One work-item per
   * parameter.
   */
  public static void adamwClipZeroFlat(FloatArray p, FloatArray g, FloatArray m, FloatArray v, FloatArray wd,
                                       IntArray dims, FloatArray hp, FloatArray stats, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        float gi = g.get(i) * stats.get(1);
        adamwStep(p, g, m, v, i, gi, hp.get(0), hp.get(1), hp.get(2), hp.get(3), wd.get(i), hp.get(5), hp.get(6));
        g.set(i, 0f);
      }
    }
  }

  // ---- optimizer ----------------------------------------------------------------------------------------------

  /**
   * One AdamW step on params(n): dims = {n}, params = {lr, β1, β2, ε, λ, 1 − β1ᵗ, 1 − β2ᵗ}. One work-item per
   * parameter. Math as in {@code OptimizerKernels.adamwStep}.
   */
  public static void adamw(FloatArray p, FloatArray g, FloatArray m, FloatArray v, IntArray dims, FloatArray hp,
                           int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        adamwStep(p, g, m, v, i, g.get(i), hp.get(0), hp.get(1), hp.get(2), hp.get(3), hp.get(4), hp.get(5),
            hp.get(6));
      }
    }
  }

  /** x(n) *= params[0]; dims = {n}. One work-item per element. */
  public static void scale(FloatArray x, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        x.set(i, x.get(i) * params.get(0));
      }
    }
  }

  static void adamwStep(FloatArray p, FloatArray gArr, FloatArray m, FloatArray v, int i, float g, float lr,
                        float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
    // m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²
    float mi = beta1 * m.get(i) + (1f - beta1) * g;
    float vi = beta2 * v.get(i) + (1f - beta2) * g * g;
    m.set(i, mi);
    v.set(i, vi);
    // bias-corrected moments; decoupled decay on θ itself
    float mHat = mi / bc1;
    float vHat = vi / bc2;
    float w = p.get(i);
    p.set(i, w - lr * (mHat / (TornadoMath.sqrt(vHat) + eps) + weightDecay * w));
  }

  // ---- block reductions: dims = {n}; partials(⌈n / BLOCK⌉) ----------------------------------------------------

  /** partials[b] = Σ x[i] over block b, in order. One work-item per block. */
  public static void blockSum(FloatArray x, FloatArray partials, IntArray dims, int cap) {
    for (@Parallel int b = 0; b < cap; b++) {
      int n = dims.get(0);
      int start = b * BLOCK;
      if (start < n) {
        int end = Math.min(n, start + BLOCK);
        float s = 0f;
        for (int i = start; i < end; i++) {
          s += x.get(i);
        }
        partials.set(b, s);
      }
    }
  }

  /**
   * partials[offset + b] = Σ x[i]² over block b, in order; dims = {n, offset}. One work-item per block. The offset
   * lets several tensors write their blocks into one array for a global norm.
   */
  public static void blockSumSquares(FloatArray x, FloatArray partials, IntArray dims, int cap) {
    for (@Parallel int b = 0; b < cap; b++) {
      int n = dims.get(0);
      int start = b * BLOCK;
      if (start < n) {
        int end = Math.min(n, start + BLOCK);
        float s = 0f;
        for (int i = start; i < end; i++) {
          float v = x.get(i);
          s += v * v;
        }
        partials.set(dims.get(1) + b, s);
      }
    }
  }

  // ---- pieces of the device training step ---------------------------------------------------------------------

  /** x(n) = 0; dims = {n}. One work-item per element. */
  public static void zero(FloatArray x, IntArray dims, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        x.set(i, 0f);
      }
    }
  }

  /**
   * One work-item: the global gradient norm from the block sums of squares partials(dims[0]), added in order, and
   * the clip factor for maxNorm = params[0] (0 disables clipping): stats = {norm, factor}. A non-finite norm keeps
   * factor 1, as {@code OptimizerKernels.clipGradNorm} does. dims[0] = 0 (no update in this run) does nothing.
   */
  public static void finishNorm(FloatArray partials, FloatArray stats, IntArray dims, FloatArray params) {
    int blocks = dims.get(0);
    if (blocks > 0) {
      float s = 0f;
      for (int b = 0; b < blocks; b++) {
        s += partials.get(b);
      }
      float norm = TornadoMath.sqrt(s);
      float maxNorm = params.get(0);
      float factor = 1f;
      if (maxNorm > 0f && norm > maxNorm && norm < 3.4028235e38f) {
        factor = maxNorm / norm;
      }
      stats.set(0, norm);
      stats.set(1, factor);
    }
  }

  /**
   * Clip, AdamW and zero the gradient in one pass: g ← g · stats[1], the AdamW step of {@link #adamw} with
   * hyper-parameters hp, then g ← 0 for the next step's accumulation. dims = {n}; n = 0 does nothing. One work-item
   * per parameter.
   */
  public static void adamwClipZero(FloatArray p, FloatArray g, FloatArray m, FloatArray v, IntArray dims,
                                   FloatArray hp, FloatArray stats, int cap) {
    for (@Parallel int i = 0; i < cap; i++) {
      if (i < dims.get(0)) {
        float gi = g.get(i) * stats.get(1);
        adamwStep(p, g, m, v, i, gi, hp.get(0), hp.get(1), hp.get(2), hp.get(3), hp.get(4), hp.get(5), hp.get(6));
        g.set(i, 0f);
      }
    }
  }

  /** partials[b] = max x[i] over block b. One work-item per block. */
  public static void blockMax(FloatArray x, FloatArray partials, IntArray dims, int cap) {
    for (@Parallel int b = 0; b < cap; b++) {
      int n = dims.get(0);
      int start = b * BLOCK;
      if (start < n) {
        int end = Math.min(n, start + BLOCK);
        float mx = x.get(start);
        for (int i = start + 1; i < end; i++) {
          mx = TornadoMath.max(mx, x.get(i));
        }
        partials.set(b, mx);
      }
    }
  }

  /** partials[b] = Σ exp(x[i] − params[0]) over block b, in order. One work-item per block. */
  public static void blockSumExp(FloatArray x, FloatArray partials, IntArray dims, FloatArray params, int cap) {
    for (@Parallel int b = 0; b < cap; b++) {
      int n = dims.get(0);
      int start = b * BLOCK;
      if (start < n) {
        int end = Math.min(n, start + BLOCK);
        float mx = params.get(0);
        float s = 0f;
        for (int i = start; i < end; i++) {
          s += TornadoMath.exp(x.get(i) - mx);
        }
        partials.set(b, s);
      }
    }
  }
}
