package io.priorflow.kernels.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java backend's element-wise kernels over a range [from, to) of flat arrays: activations, the AdamW step,
 * scaling, bias and scaled adds, and the embedding gather and scatter. {@link JavaBackend} cuts the full range into
 * fixed chunks and runs one chunk per task.
 *
 * <p>Every kernel runs on full-width vectors with a scalar loop tail that computes exactly what a lane computes, so
 * an element's bits never depend on where the vector boundaries or the chunk boundaries fall, i.e. on the vector
 * width or the thread count. Plain arithmetic, {@code max}, {@code sqrt} and division follow the reference kernels
 * in {@code io.priorflow.kernels} operation for operation (a lane rounds like the scalar operation; nothing is
 * fused), so ReLU, tanh's backward, AdamW, scaling and the adds are bit-identical to the reference. GELU and tanh
 * use {@link JavaMath} (exp and tanh by fixed polynomial/rational approximations, the same in lanes and tail) instead
 * of the reference's {@code Math.tanh}, so they agree with the reference within rounding, not bit for bit.
 * Not here: anything that sums across elements (see {@link JavaRows}).
 */
final class JavaElementwise {
  private JavaElementwise() {}

  private static final VectorSpecies<Float> S = JavaGemm.SPECIES;
  private static final int L = S.length();

  /** √(2/π) and the cubic coefficient of the GELU tanh approximation, as in the reference. */
  private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
  private static final float GELU_CUBIC = 0.044715f;

  // ---- activations --------------------------------------------------------------------------------------------

  /**
   * y[i] = GELU(x[i]) for i in [from, to): vectors, then the same math in {@link #gelu} for the tail. Written as
   * x·σ(2u) = x / (1 + e^(−2u)), which is 0.5·x·(1 + tanh(u)) exactly in real numbers, with one exp and one division
   * instead of a tanh (and without the cancellation of 1 + tanh(u) for negative x).
   */
  static void geluForward(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, i);
      FloatVector u = xv.add(xv.mul(GELU_CUBIC).mul(xv).mul(xv)).mul(SQRT_2_OVER_PI);
      FloatVector e = JavaMath.exp(u.mul(-2f));
      xv.div(e.add(1f)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = gelu(x[i]);
    }
  }

  /**
   * dx[i] += dy[i] · GELU'(x[i]) for i in [from, to): vectors, then {@link #geluGrad} for the tail. With
   * s = σ(2u) = (1 + tanh u)/2: GELU'(x) = s + 2·x·s·(1 − s)·u', u' = √(2/π)·(1 + 3·0.044715·x²).
   */
  static void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    int i = from;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, i);
      FloatVector u = xv.add(xv.mul(GELU_CUBIC).mul(xv).mul(xv)).mul(SQRT_2_OVER_PI);
      FloatVector s = one.div(JavaMath.exp(u.mul(-2f)).add(1f));
      FloatVector du = xv.mul(3f * GELU_CUBIC).mul(xv).add(1f).mul(SQRT_2_OVER_PI);
      FloatVector g = s.add(xv.mul(2f).mul(s).mul(one.sub(s)).mul(du));
      FloatVector.fromArray(S, dx, i).add(FloatVector.fromArray(S, dy, i).mul(g)).intoArray(dx, i);
    }
    for (; i < to; i++) {
      dx[i] += dy[i] * geluGrad(x[i]);
    }
  }

  /** y[i] = max(0, x[i]) (Math.max: NaN stays NaN). */
  static void reluForward(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = Math.max(0f, x[i]);
    }
  }

  /** dx[i] += dy[i] · [x[i] &gt; 0]: the product with 0 is kept so NaN and −0 behave as in the reference. */
  static void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
      FloatVector g = zero.blend(one, pos);
      FloatVector.fromArray(S, dx, i).add(FloatVector.fromArray(S, dy, i).mul(g)).intoArray(dx, i);
    }
    for (; i < to; i++) {
      dx[i] += dy[i] * (x[i] > 0f ? 1f : 0f);
    }
  }

  /** y[i] = tanh(x[i]) by {@link JavaMath#tanh}, the same in lanes and tail. */
  static void tanhForward(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      JavaMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = JavaMath.tanh(x[i]);
    }
  }

  /** dx[i] += dy[i] · (1 − y[i]²) from the forward output y. */
  static void tanhBackward(float[] y, float[] dy, float[] dx, int from, int to) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector g = one.sub(yv.mul(yv));
      FloatVector.fromArray(S, dx, i).add(FloatVector.fromArray(S, dy, i).mul(g)).intoArray(dx, i);
    }
    for (; i < to; i++) {
      float yi = y[i];
      dx[i] += dy[i] * (1f - yi * yi);
    }
  }

  /** x / (1 + e^(−2u)), u = √(2/π)·(x + 0.044715·x³): the scalar text of the vector loop in {@link #geluForward}. */
  private static float gelu(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    return x / (JavaMath.exp(u * -2f) + 1f);
  }

  /** s + 2·x·s·(1 − s)·u', s = σ(2u): the scalar text of the vector loop in {@link #geluBackward}. */
  private static float geluGrad(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    float s = 1f / (JavaMath.exp(u * -2f) + 1f);
    float du = SQRT_2_OVER_PI * (1f + 3f * GELU_CUBIC * x * x);
    return s + 2f * x * s * (1f - s) * du;
  }

  // ---- optimizer and scaling ------------------------------------------------------------------------------------

  /**
   * One AdamW step on [from, to) with bias corrections bc1 = 1 − β1ᵗ and bc2 = 1 − β2ᵗ, with the reference's
   * operations in the reference's order (see OptimizerKernels for the algorithm and its citation).
   */
  static void adamw(float[] params, float[] grads, float[] m, float[] v, int from, int to, float lr, float beta1,
                    float beta2, float eps, float weightDecay, float bc1, float bc2) {
    float c1 = 1f - beta1;
    float c2 = 1f - beta2;
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector g = FloatVector.fromArray(S, grads, i);
      // m ← β1·m + (1 − β1)·g
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(g.mul(c1));
      // v ← β2·v + (1 − β2)·g·g
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(g.mul(c2).mul(g));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      // bias-corrected moments, then θ ← θ − lr·(m̂ / (√v̂ + ε) + λ·θ)
      FloatVector mHat = mi.div(bc1);
      FloatVector vHat = vi.div(bc2);
      FloatVector p = FloatVector.fromArray(S, params, i);
      FloatVector step = mHat.div(vHat.sqrt().add(eps)).add(p.mul(weightDecay));
      p.sub(step.mul(lr)).intoArray(params, i);
    }
    for (; i < to; i++) {
      float g = grads[i];
      float mi = beta1 * m[i] + c1 * g;
      float vi = beta2 * v[i] + c2 * g * g;
      m[i] = mi;
      v[i] = vi;
      float mHat = mi / bc1;
      float vHat = vi / bc2;
      float p = params[i];
      params[i] = p - lr * (mHat / ((float) Math.sqrt(vHat) + eps) + weightDecay * p);
    }
  }

  /** x[i] *= factor. */
  static void scale(float[] x, int from, int to, float factor) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector.fromArray(S, x, i).mul(factor).intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] *= factor;
    }
  }

  /** y[i] += factor · t[i] (the LoRA epilogues: y += scale · (h·Bᵀ), dB += scale · (dyᵀ·h)). */
  static void addScaled(float[] t, float[] y, int from, int to, float factor) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector.fromArray(S, y, i).add(FloatVector.fromArray(S, t, i).mul(factor)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] += factor * t[i];
    }
  }

  /** Rows [r0, r1) of y(·, nOut): y[r, o] = b[o] + y[r, o], y holding x·Wᵀ (the reference's b[o] + s). */
  static void addBiasRows(float[] y, float[] b, int nOut, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int off = r * nOut;
      int o = 0;
      for (int end = S.loopBound(nOut); o < end; o += L) {
        FloatVector.fromArray(S, b, o).add(FloatVector.fromArray(S, y, off + o)).intoArray(y, off + o);
      }
      for (; o < nOut; o++) {
        y[off + o] = b[o] + y[off + o];
      }
    }
  }

  /**
   * Columns [o0, o1) of db(nOut) += Σ_r dy(batch, nOut)[r, o]: each column summed in float over rows in order from
   * 0 and only then added to db, as the reference does; vectors run across columns, never across rows.
   */
  static void biasGradColumns(float[] dy, float[] db, int batch, int nOut, int o0, int o1) {
    int o = o0;
    for (int end = o0 + S.loopBound(o1 - o0); o < end; o += L) {
      FloatVector s = FloatVector.zero(S);
      for (int r = 0; r < batch; r++) {
        s = s.add(FloatVector.fromArray(S, dy, r * nOut + o));
      }
      FloatVector.fromArray(S, db, o).add(s).intoArray(db, o);
    }
    for (; o < o1; o++) {
      float s = 0f;
      for (int r = 0; r < batch; r++) {
        s += dy[r * nOut + o];
      }
      db[o] += s;
    }
  }

  /**
   * Columns [c0, c1) of the layer norm's parameter gradients: dGamma[c] += Σ_r dy[r, c]·x̂[r, c] and
   * dBeta[c] += Σ_r dy[r, c], x̂ = rstd[r]·(x[r, c] − mean[r]), each summed in float over rows in order from 0 and
   * then added, as {@code NormKernels.gammaGrad} and {@code betaGrad}; lanes are columns, so bit-identical to them.
   */
  static void layerNormGradColumns(float[] x, float[] dy, float[] mean, float[] rstd, float[] dGamma, float[] dBeta,
                                   int rows, int n, int c0, int c1) {
    int c = c0;
    for (int end = c0 + S.loopBound(c1 - c0); c < end; c += L) {
      FloatVector sg = FloatVector.zero(S);
      FloatVector sb = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        FloatVector g = FloatVector.fromArray(S, dy, r * n + c);
        FloatVector xh = FloatVector.fromArray(S, x, r * n + c).sub(mean[r]).mul(rstd[r]);
        sg = sg.add(g.mul(xh));
        sb = sb.add(g);
      }
      FloatVector.fromArray(S, dGamma, c).add(sg).intoArray(dGamma, c);
      FloatVector.fromArray(S, dBeta, c).add(sb).intoArray(dBeta, c);
    }
    for (; c < c1; c++) {
      float sg = 0f;
      float sb = 0f;
      for (int r = 0; r < rows; r++) {
        float g = dy[r * n + c];
        float xh = rstd[r] * (x[r * n + c] - mean[r]);
        sg += g * xh;
        sb += g;
      }
      dGamma[c] += sg;
      dBeta[c] += sb;
    }
  }

  /** y[i] += x[i] for i in [from, to) (the residual add). */
  static void add(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector.fromArray(S, y, i).add(FloatVector.fromArray(S, x, i)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] += x[i];
    }
  }

  // ---- embeddings -------------------------------------------------------------------------------------------------

  /** Token rows [i0, i1) of out(n, dim) = table[tokens[i]]. */
  static void embeddingGather(int[] tokens, float[] table, float[] out, int dim, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      int t = tokens[i];
      assert t >= 0 && (t + 1) * dim <= table.length : "token " + t + " at " + i + " is outside the table";
      System.arraycopy(table, t * dim, out, i * dim, dim);
    }
  }

  /**
   * Columns [d0, d1) of dTable[tokens[i]] += dOut[i] for i = 0..n−1 in order: a column's sums never depend on how
   * the columns are split, so repeated tokens add up in token order on any number of threads.
   */
  static void embeddingScatter(int[] tokens, float[] dOut, float[] dTable, int n, int dim, int d0, int d1) {
    int width = d1 - d0;
    int vEnd = d0 + S.loopBound(width);
    for (int i = 0; i < n; i++) {
      int t = tokens[i];
      assert t >= 0 && (t + 1) * dim <= dTable.length : "token " + t + " at " + i + " is outside the table";
      int src = i * dim;
      int dst = t * dim;
      int d = d0;
      for (; d < vEnd; d += L) {
        FloatVector.fromArray(S, dTable, dst + d).add(FloatVector.fromArray(S, dOut, src + d))
            .intoArray(dTable, dst + d);
      }
      for (; d < d1; d++) {
        dTable[dst + d] += dOut[src + d];
      }
    }
  }
}
