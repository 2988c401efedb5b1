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
