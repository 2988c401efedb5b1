package io.priorflow.kernels.backend;

import io.priorflow.kernels.AttentionKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java backend's causal self-attention for one (sequence b, head h) pair at a time: forward, backward and
 * decoding, in the layout of {@link AttentionKernels} (which documents the shapes).
 *
 * <p>Every value but the softmax's exponentials is computed with exactly the operations, in exactly the order, of
 * the reference helpers ({@link AttentionKernels#attendQuery}, {@code queryGrad}, {@code keyValueGrad}); the
 * exponentials are {@link JavaMath#exp}, the same bits in a vector lane and in the scalar tail, within 1 ulp of the
 * reference's {@link Math#exp}. So results are independent of the vector width and the thread count, and the
 * backward passes are bit-identical to the reference. What changes is only which independent values share a
 * vector:
 * <ul>
 *   <li>scores q·k_j and the gradients dout·v_j: lanes are keys j, each lane summing over d in order, from a
 *       transposed copy of the head's keys (or values), (hs, t), in a scratch buffer;</li>
 *   <li>Σ_j att_j·v_j and the accumulations into dq, dk, dv: lanes are the head's columns d, each lane adding its
 *       terms in j (or i) order, in registers instead of through memory;</li>
 *   <li>products are multiplied and then added (never fused), like the scalar code; a partial vector of keys is
 *       masked, and tails over d run the same operations in scalar code.</li>
 * </ul>
 * The softmax sums stay scalar and sequential (over j in order). The forward and decoding share {@link #attendQuery}, so decoding
 * reproduces the forward's row here as in the reference. Not here: the partition, which is {@link JavaBackend}'s
 * (one task per (b, h)).
 */
final class JavaAttention {
  private JavaAttention() {}

  private static final VectorSpecies<Float> S = JavaGemm.SPECIES;
  private static final int L = S.length();

  /** (b, h) of the forward: keys transposed into kT (hs, t), then queries i = 0 .. t − 1 in order. */
  static void forward(float[] qkv, float[] att, float[] out, int b, int h, int t, int dim, int heads, float[] kT) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;
    int plane = (b * heads + h) * t * t;
    transpose(qkv, seq + dim + h * hs, c3, t, hs, kT);
    for (int i = 0; i < t; i++) {
      int row = plane + i * t;
      attendQuery(qkv, seq + i * c3 + h * hs, kT, t, qkv, seq + 2 * dim + h * hs, c3, i + 1, hs, att, row, out,
          (b * t + i) * dim + h * hs);
      java.util.Arrays.fill(att, row + i + 1, row + t, 0f); // causal mask, as the reference
    }
  }

  /** Head h of sequence b in decoding: cache rows 0 .. len[b] − 1 transposed into kT (hs, len[b]), then the query. */
  static void decode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out, int b, int h,
                     int tMax, int dim, int heads, float[] kT) {
    int hs = dim / heads;
    int n = len[b];
    assert n >= 1 && n <= tMax : "attentionDecode: len[" + b + "] = " + n + " is outside [1, " + tMax + "]";
    int cache = b * tMax * dim + h * hs;
    transpose(kCache, cache, dim, n, hs, kT);
    attendQuery(q, b * dim + h * hs, kT, n, vCache, cache, dim, n, hs, scores, (b * heads + h) * tMax, out,
        b * dim + h * hs);
  }

  /**
   * (b, h) of the backward: values transposed into vT (hs, t); then for each query row i the datt row and dq_i
   * (the reference's {@code queryGrad}), then for each position j dk_j and dv_j ({@code keyValueGrad}).
   */
  static void backward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int b, int h, int t,
                       int dim, int heads, float[] vT) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;
    int plane = (b * heads + h) * t * t;
    float scale = AttentionKernels.scoreScale(hs);
    transpose(qkv, seq + 2 * dim + h * hs, c3, t, hs, vT);
    for (int i = 0; i < t; i++) {
      int row = plane + i * t;
      int doutOff = (b * t + i) * dim + h * hs;
      int n = i + 1;
      // datt_j = dout_i·v_j, lanes over j, d in order
      dots(dout, doutOff, vT, t, n, hs, datt, row);
      // softmax backward: dpre_j = att_j·(datt_j − Σ_k att_k·datt_k), the sum in k order
      float dot = 0f;
      for (int j = 0; j < n; j++) {
        dot += att[row + j] * datt[row + j];
      }
      int j = 0;
      for (int end = S.loopBound(n); j < end; j += L) {
        FloatVector a = FloatVector.fromArray(S, att, row + j);
        a.mul(FloatVector.fromArray(S, datt, row + j).sub(dot)).intoArray(datt, row + j);
      }
      for (; j < n; j++) {
        datt[row + j] = att[row + j] * (datt[row + j] - dot);
      }
      java.util.Arrays.fill(datt, row + n, row + t, 0f);
      // dq_i += Σ_j (dpre_j·scale)·k_j, lanes over d, terms in j order
      int dq = seq + i * c3 + h * hs;
      int k0 = seq + dim + h * hs;
      int d = 0;
      for (int end = S.loopBound(hs); d < end; d += L) {
        FloatVector acc = FloatVector.fromArray(S, dqkv, dq + d);
        for (int jj = 0; jj < n; jj++) {
          float g = datt[row + jj] * scale;
          acc = acc.add(FloatVector.fromArray(S, qkv, k0 + jj * c3 + d).mul(g));
        }
        acc.intoArray(dqkv, dq + d);
      }
      for (; d < hs; d++) {
        float acc = dqkv[dq + d];
        for (int jj = 0; jj < n; jj++) {
          float g = datt[row + jj] * scale;
          acc += g * qkv[k0 + jj * c3 + d];
        }
        dqkv[dq + d] = acc;
      }
    }
    for (int j = 0; j < t; j++) {
      // dk_j += Σ_{i ≥ j} (dpre_ij·scale)·q_i and dv_j += Σ_{i ≥ j} att_ij·dout_i, lanes over d, terms in i order
      int dk = seq + j * c3 + dim + h * hs;
      int dv = dk + dim;
      int d = 0;
      for (int end = S.loopBound(hs); d < end; d += L) {
        FloatVector accK = FloatVector.fromArray(S, dqkv, dk + d);
        FloatVector accV = FloatVector.fromArray(S, dqkv, dv + d);
        for (int i = j; i < t; i++) {
          float g = datt[plane + i * t + j] * scale;
          float a = att[plane + i * t + j];
          accK = accK.add(FloatVector.fromArray(S, qkv, seq + i * c3 + h * hs + d).mul(g));
          accV = accV.add(FloatVector.fromArray(S, dout, (b * t + i) * dim + h * hs + d).mul(a));
        }
        accK.intoArray(dqkv, dk + d);
        accV.intoArray(dqkv, dv + d);
      }
      for (; d < hs; d++) {
        float accK = dqkv[dk + d];
        float accV = dqkv[dv + d];
        for (int i = j; i < t; i++) {
          float g = datt[plane + i * t + j] * scale;
          float a = att[plane + i * t + j];
          accK += g * qkv[seq + i * c3 + h * hs + d];
          accV += a * dout[(b * t + i) * dim + h * hs + d];
        }
        dqkv[dk + d] = accK;
        dqkv[dv + d] = accV;
      }
    }
  }

  /**
   * The Java text of {@link AttentionKernels#attendQuery}: keys come transposed, kT[d·ld + j]; values are rows
   * v[vOff + j·stride ..]. Writes att[attOff + j] for j &lt; len and out[outOff .. outOff + hs).
   */
  static void attendQuery(float[] q, int qOff, float[] kT, int ld, float[] v, int vOff, int stride, int len, int hs,
                          float[] att, int attOff, float[] out, int outOff) {
    float scale = AttentionKernels.scoreScale(hs);
    // pass 1: scaled scores, lanes over j, d in order; then their max (exact in any order)
    dots(q, qOff, kT, ld, len, hs, att, attOff);
    int j = 0;
    for (int end = S.loopBound(len); j < end; j += L) {
      FloatVector.fromArray(S, att, attOff + j).mul(scale).intoArray(att, attOff + j);
    }
    for (; j < len; j++) {
      att[attOff + j] *= scale;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (j = 0; j < len; j++) {
      max = Math.max(max, att[attOff + j]);
    }
    // pass 2: exponentials by JavaMath.exp (lanes and tail give the same bits), then their sum in j order
    FloatVector m = FloatVector.broadcast(S, max);
    j = 0;
    for (int end = S.loopBound(len); j < end; j += L) {
      JavaMath.exp(FloatVector.fromArray(S, att, attOff + j).sub(m)).intoArray(att, attOff + j);
    }
    for (; j < len; j++) {
      att[attOff + j] = JavaMath.exp(att[attOff + j] - max);
    }
    float sum = 0f;
    for (j = 0; j < len; j++) {
      sum += att[attOff + j];
    }
    // pass 3: normalise
    float inv = 1f / sum;
    j = 0;
    for (int end = S.loopBound(len); j < end; j += L) {
      FloatVector.fromArray(S, att, attOff + j).mul(inv).intoArray(att, attOff + j);
    }
    for (; j < len; j++) {
      att[attOff + j] *= inv;
    }
    // pass 4: out = Σ_j att_j·v_j, lanes over d, terms in j order, from 0
    int d = 0;
    for (int end = S.loopBound(hs); d < end; d += L) {
      FloatVector acc = FloatVector.zero(S);
      for (j = 0; j < len; j++) {
        acc = acc.add(FloatVector.fromArray(S, v, vOff + j * stride + d).mul(att[attOff + j]));
      }
      acc.intoArray(out, outOff + d);
    }
    for (; d < hs; d++) {
      float acc = 0f;
      for (j = 0; j < len; j++) {
        acc += att[attOff + j] * v[vOff + j * stride + d];
      }
      out[outOff + d] = acc;
    }
  }

  /**
   * dst[dOff + j] = Σ_d x[xOff + d]·mT[d·ld + j] for j &lt; n ≤ ld, each sum over d in order from 0; lanes over j.
   * The last, partial vector is masked (loads and store), so nothing at or beyond n is read from mT or written.
   */
  private static void dots(float[] x, int xOff, float[] mT, int ld, int n, int hs, float[] dst, int dOff) {
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector s = FloatVector.zero(S);
      for (int d = 0; d < hs; d++) {
        s = s.add(FloatVector.fromArray(S, mT, d * ld + j).mul(x[xOff + d]));
      }
      s.intoArray(dst, dOff + j);
    }
    if (j < n) {
      // masked-off lanes load 0 and are not stored; each live lane runs the same operations as a full vector's
      VectorMask<Float> live = S.indexInRange(j, n);
      FloatVector s = FloatVector.zero(S);
      for (int d = 0; d < hs; d++) {
        s = s.add(FloatVector.fromArray(S, mT, d * ld + j, live).mul(x[xOff + d]));
      }
      s.intoArray(dst, dOff + j, live);
    }
  }

  /** mT[d·len + j] = m[off + j·stride + d] for j &lt; len, d &lt; hs: a head's rows as columns. */
  private static void transpose(float[] m, int off, int stride, int len, int hs, float[] mT) {
    for (int j = 0; j < len; j++) {
      int src = off + j * stride;
      for (int d = 0; d < hs; d++) {
        mT[d * len + j] = m[src + d];
      }
    }
  }
}
