package io.priorflow.kernels.backend;

import io.priorflow.kernels.AttentionKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
 *       transposed copy of the head's keys (or values), (hs, t), in a scratch buffer (decoding, which reads each key
 *       once, gathers them from the cache instead);</li>
 *   <li>Σ_j att_j·v_j and the accumulations into dq, dk, dv: lanes are the head's columns d, each lane adding its
 *       terms in j (or i) order, in registers instead of through memory;</li>
 *   <li>products are multiplied and then added (never fused), like the scalar code; a partial vector of keys is
 *       masked, and tails over d run the same operations in scalar code.</li>
 * </ul>
 * The softmax sums stay scalar and sequential (over j in order); the row max is exact in any order, so it is taken
 * on vectors.
 *
 * <p>Side by side. Each of those sums is a serial chain, and one chain at a time leaves a core waiting an add's
 * latency per term. So the forward and the backward take {@link #QUERIES} consecutive queries together
 * ({@link #attendQueries}, {@link #queryGrads}), and the key/value gradients two positions together: their chains
 * advance together, each in its own order, sharing the loads of keys, values and queries. Rows past the last full
 * group run the one-query code. Decoding computes every value as {@link #attendQuery} and {@link #attendQueries}
 * do, so it reproduces the forward's row as in the reference. Not here: the partition, which is
 * {@link JavaBackend}'s (one task per (b, h)).
 */
final class JavaAttention {
  private JavaAttention() {}

  private static final VectorSpecies<Float> S = JavaGemm.SPECIES;
  private static final int L = S.length();
  /** Queries whose chains run side by side. */
  static final int QUERIES = 4;
  /**
   * −∞ in every lane: blended under a partial vector's dead lanes, they leave a running max as it was. (A masked
   * {@code lanewise(MAX, v, mask)} is not an intrinsic here and ran through the Vector API's per-lane fallback.)
   */
  private static final FloatVector NO_MAX = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);

  /** (b, h) of the forward: keys transposed into kT (hs, t), then queries i = 0 .. t − 1 in order. */
  static void forward(float[] qkv, float[] att, float[] out, int b, int h, int t, int dim, int heads, float[] kT) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;
    int plane = (b * heads + h) * t * t;
    transpose(qkv, seq + dim + h * hs, c3, t, hs, kT);
    float[] max = new float[QUERIES];
    int i = 0;
    for (; i + QUERIES <= t; i += QUERIES) {
      attendQueries(qkv, seq + i * c3 + h * hs, c3, kT, t, qkv, seq + 2 * dim + h * hs, c3, i + 1, hs, att,
          plane + i * t, t, out, (b * t + i) * dim + h * hs, dim, max);
      for (int r = 0; r < QUERIES; r++) {
        java.util.Arrays.fill(att, plane + (i + r) * t + i + r + 1, plane + (i + r + 1) * t, 0f);
      }
    }
    for (; i < t; i++) {
      int row = plane + i * t;
      attendQuery(qkv, seq + i * c3 + h * hs, kT, t, qkv, seq + 2 * dim + h * hs, c3, i + 1, hs, att, row, out,
          (b * t + i) * dim + h * hs);
      java.util.Arrays.fill(att, row + i + 1, row + t, 0f); // causal mask, as the reference
    }
  }

  /**
   * Head h of sequence b in decoding: the scores gathered straight from the cache rows 0 .. len[b] − 1
   * ({@link #gatheredScores}; decoding reads the keys once, so transposing them first cost more than the scores),
   * then the rest of {@link #attendQuery}.
   */
  static void decode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out, int b, int h,
                     int tMax, int dim, int heads) {
    int hs = dim / heads;
    int n = len[b];
    assert n >= 1 && n <= tMax : "attentionDecode: len[" + b + "] = " + n + " is outside [1, " + tMax + "]";
    int cache = b * tMax * dim + h * hs;
    int qOff = b * dim + h * hs;
    int row = (b * heads + h) * tMax;
    float max = gatheredScores(q, qOff, kCache, cache, dim, n, hs, scores, row, AttentionKernels.scoreScale(hs));
    softmaxAndOutput(scores, row, n, max, vCache, cache, dim, hs, out, qOff);
  }

  /**
   * {@link #scaledScores} with the keys read where they lie, rows k[kOff + j·stride ..]: for L keys at a time, column
   * d of them is one gather. Each lane runs the operations of {@link #scaledScores}, so the same bits.
   */
  private static float gatheredScores(float[] q, int qOff, float[] k, int kOff, int stride, int n, int hs,
                                      float[] att, int off, float scale) {
    int[] rows = rowStarts(stride);
    FloatVector m = NO_MAX;
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector s = FloatVector.zero(S);
      int base = kOff + j * stride;
      for (int d = 0; d < hs; d++) {
        s = s.add(FloatVector.fromArray(S, k, base + d, rows, 0).mul(q[qOff + d]));
      }
      s = s.mul(scale);
      m = m.max(s);
      s.intoArray(att, off + j);
    }
    float max = m.reduceLanes(VectorOperators.MAX);
    for (; j < n; j++) { // the keys past the last whole vector: the same operations, one lane's worth at a time
      float s = 0f;
      int kj = kOff + j * stride;
      for (int d = 0; d < hs; d++) {
        s += k[kj + d] * q[qOff + d];
      }
      s *= scale;
      att[off + j] = s;
      max = Math.max(max, s);
    }
    return max;
  }

  /**
   * Passes 2–4 of {@link #attendQuery} from its scaled scores att[attOff ..] and their max: the max-subtracted
   * exponentials, their sum in j order, the normalisation, and out = Σ_j att_j·v_j (lanes over d, terms in j order,
   * from 0).
   */
  private static void softmaxAndOutput(float[] att, int attOff, int len, float max, float[] v, int vOff, int stride,
                                       int hs, float[] out, int outOff) {
    exps(att, attOff, len, max);
    float sum = 0f;
    for (int j = 0; j < len; j++) {
      sum += att[attOff + j];
    }
    normalise(att, attOff, len, 1f / sum);
    int d = 0;
    for (int end = S.loopBound(hs); d < end; d += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < len; j++) {
        acc = acc.add(FloatVector.fromArray(S, v, vOff + j * stride + d).mul(att[attOff + j]));
      }
      acc.intoArray(out, outOff + d);
    }
    for (; d < hs; d++) {
      float acc = 0f;
      for (int j = 0; j < len; j++) {
        acc += att[attOff + j] * v[vOff + j * stride + d];
      }
      out[outOff + d] = acc;
    }
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
    int i0 = 0;
    for (; i0 + QUERIES <= t; i0 += QUERIES) {
      queryGrads(qkv, att, dout, datt, dqkv, seq, plane, (b * t + i0) * dim + h * hs, h, i0, t, dim, hs, vT);
    }
    for (int i = i0; i < t; i++) {
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
    int j0 = 0;
    for (; j0 + 2 <= t; j0 += 2) {
      keyValueGrads(qkv, att, dout, datt, dqkv, b, h, seq, plane, j0, t, dim, hs);
    }
    for (int j = j0; j < t; j++) {
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
    // pass 1: scaled scores and their max, lanes over j, d in order; then passes 2-4
    float max = scaledScores(q, qOff, kT, ld, len, hs, att, attOff, AttentionKernels.scoreScale(hs));
    softmaxAndOutput(att, attOff, len, max, v, vOff, stride, hs, out, outOff);
  }

  /** att[off + j] = exp(att[off + j] − max) for j &lt; len, by {@link JavaMath#exp} (lanes and tail give the same bits). */
  private static void exps(float[] att, int off, int len, float max) {
    FloatVector m = FloatVector.broadcast(S, max);
    int j = 0;
    for (int end = S.loopBound(len); j < end; j += L) {
      JavaMath.exp(FloatVector.fromArray(S, att, off + j).sub(m)).intoArray(att, off + j);
    }
    if (j < len) { // the last, partial vector masked: each live lane gets the bits of the scalar text
      VectorMask<Float> live = S.indexInRange(j, len);
      JavaMath.exp(FloatVector.fromArray(S, att, off + j, live).sub(m)).intoArray(att, off + j, live);
    }
  }

  /**
   * {@link #QUERIES} queries of {@link #attendQuery} at once: query r (r &lt; 4) at q[qOff + r·qStride] attends to
   * positions j &lt; n0 + r, writes its weights at att[attOff + r·attStride + j] and its output at
   * out[outOff + r·outStride ..]. Every value is computed with the operations and the order of {@link #attendQuery};
   * scores past a row's length (up to n0 + 3) are written too, and left for the caller's causal zeros. {@code max}
   * (four floats) is scratch for the rows' maxima.
   */
  static void attendQueries(float[] q, int qOff, int qStride, float[] kT, int ld, float[] v, int vOff, int vStride,
                            int n0, int hs, float[] att, int attOff, int attStride, float[] out, int outOff,
                            int outStride, float[] max) {
    float scale = AttentionKernels.scoreScale(hs);
    int a0 = attOff;
    int a1 = a0 + attStride;
    int a2 = a1 + attStride;
    int a3 = a2 + attStride;
    scaledScoresFour(q, qOff, qStride, kT, ld, n0, hs, att, attOff, attStride, scale, max);
    // subtract each row's max and exponentiate; then the four sums, each in j order
    for (int r = 0; r < QUERIES; r++) {
      exps(att, attOff + r * attStride, n0 + r, max[r]);
    }
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int j = 0; j < n0; j++) {
      s0 += att[a0 + j];
      s1 += att[a1 + j];
      s2 += att[a2 + j];
      s3 += att[a3 + j];
    }
    s1 += att[a1 + n0];
    s2 += att[a2 + n0];
    s3 += att[a3 + n0];
    s2 += att[a2 + n0 + 1];
    s3 += att[a3 + n0 + 1];
    s3 += att[a3 + n0 + 2];
    normalise(att, a0, n0, 1f / s0);
    normalise(att, a1, n0 + 1, 1f / s1);
    normalise(att, a2, n0 + 2, 1f / s2);
    normalise(att, a3, n0 + 3, 1f / s3);
    // out_r = Σ_j att_rj·v_j, lanes over d, terms in j order from 0; the four rows share each v_j
    int o0 = outOff;
    int o1 = o0 + outStride;
    int o2 = o1 + outStride;
    int o3 = o2 + outStride;
    int d = 0;
    for (int end = S.loopBound(hs); d < end; d += L) {
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = c0;
      FloatVector c2 = c0;
      FloatVector c3 = c0;
      int j = 0;
      for (; j < n0; j++) {
        FloatVector vj = FloatVector.fromArray(S, v, vOff + j * vStride + d);
        c0 = c0.add(vj.mul(att[a0 + j]));
        c1 = c1.add(vj.mul(att[a1 + j]));
        c2 = c2.add(vj.mul(att[a2 + j]));
        c3 = c3.add(vj.mul(att[a3 + j]));
      }
      FloatVector vj = FloatVector.fromArray(S, v, vOff + j * vStride + d);
      c1 = c1.add(vj.mul(att[a1 + j]));
      c2 = c2.add(vj.mul(att[a2 + j]));
      c3 = c3.add(vj.mul(att[a3 + j]));
      j++;
      vj = FloatVector.fromArray(S, v, vOff + j * vStride + d);
      c2 = c2.add(vj.mul(att[a2 + j]));
      c3 = c3.add(vj.mul(att[a3 + j]));
      j++;
      c3 = c3.add(FloatVector.fromArray(S, v, vOff + j * vStride + d).mul(att[a3 + j]));
      c0.intoArray(out, o0 + d);
      c1.intoArray(out, o1 + d);
      c2.intoArray(out, o2 + d);
      c3.intoArray(out, o3 + d);
    }
    for (; d < hs; d++) {
      float c0 = 0f;
      float c1 = 0f;
      float c2 = 0f;
      float c3 = 0f;
      int j = 0;
      for (; j < n0; j++) {
        float vj = v[vOff + j * vStride + d];
        c0 += att[a0 + j] * vj;
        c1 += att[a1 + j] * vj;
        c2 += att[a2 + j] * vj;
        c3 += att[a3 + j] * vj;
      }
      c1 += att[a1 + j] * v[vOff + j * vStride + d];
      c2 += att[a2 + j] * v[vOff + j * vStride + d];
      c3 += att[a3 + j] * v[vOff + j * vStride + d];
      j++;
      c2 += att[a2 + j] * v[vOff + j * vStride + d];
      c3 += att[a3 + j] * v[vOff + j * vStride + d];
      j++;
      c3 += att[a3 + j] * v[vOff + j * vStride + d];
      out[o0 + d] = c0;
      out[o1 + d] = c1;
      out[o2 + d] = c2;
      out[o3 + d] = c3;
    }
  }

  /** att[off + j] *= inv for j &lt; len: pass 3 of {@link #attendQuery}. */
  private static void normalise(float[] att, int off, int len, float inv) {
    int j = 0;
    for (int end = S.loopBound(len); j < end; j += L) {
      FloatVector.fromArray(S, att, off + j).mul(inv).intoArray(att, off + j);
    }
    if (j < len) {
      VectorMask<Float> live = S.indexInRange(j, len);
      FloatVector.fromArray(S, att, off + j, live).mul(inv).intoArray(att, off + j, live);
    }
  }

  /**
   * Queries i0 .. i0 + 3 of the backward's first loop (datt rows and dq, as the one-query code in
   * {@link #backward}), side by side: the datt dots share each vT load, the softmax-backward sums run as four
   * chains, and dq_i's four accumulations share each k_j load.
   */
  private static void queryGrads(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int seq,
                                 int plane, int doutOff, int h, int i0, int t, int dim, int hs, float[] vT) {
    int c3 = 3 * dim;
    float scale = AttentionKernels.scoreScale(hs);
    int n0 = i0 + 1;
    int r0 = plane + i0 * t;
    int r1 = r0 + t;
    int r2 = r1 + t;
    int r3 = r2 + t;
    // datt_rj = dout_r·v_j, lanes over j, d in order
    dotsFour(dout, doutOff, dim, vT, t, n0 + 3, hs, datt, r0, t);
    // softmax backward: dot_r = Σ_k att_rk·datt_rk in k order, four chains
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int j = 0; j < n0; j++) {
      s0 += att[r0 + j] * datt[r0 + j];
      s1 += att[r1 + j] * datt[r1 + j];
      s2 += att[r2 + j] * datt[r2 + j];
      s3 += att[r3 + j] * datt[r3 + j];
    }
    s1 += att[r1 + n0] * datt[r1 + n0];
    s2 += att[r2 + n0] * datt[r2 + n0];
    s3 += att[r3 + n0] * datt[r3 + n0];
    s2 += att[r2 + n0 + 1] * datt[r2 + n0 + 1];
    s3 += att[r3 + n0 + 1] * datt[r3 + n0 + 1];
    s3 += att[r3 + n0 + 2] * datt[r3 + n0 + 2];
    softmaxGrad(att, datt, r0, n0, t, s0);
    softmaxGrad(att, datt, r1, n0 + 1, t, s1);
    softmaxGrad(att, datt, r2, n0 + 2, t, s2);
    softmaxGrad(att, datt, r3, n0 + 3, t, s3);
    // dq_r += Σ_j (dpre_rj·scale)·k_j, lanes over d, terms in j order; the four rows share each k_j
    int q0 = seq + i0 * c3 + h * hs;
    int q1 = q0 + c3;
    int q2 = q1 + c3;
    int q3 = q2 + c3;
    int k0 = seq + dim + h * hs;
    int d = 0;
    for (int end = S.loopBound(hs); d < end; d += L) {
      FloatVector c0 = FloatVector.fromArray(S, dqkv, q0 + d);
      FloatVector c1 = FloatVector.fromArray(S, dqkv, q1 + d);
      FloatVector c2 = FloatVector.fromArray(S, dqkv, q2 + d);
      FloatVector c3v = FloatVector.fromArray(S, dqkv, q3 + d);
      int j = 0;
      for (; j < n0; j++) {
        FloatVector kj = FloatVector.fromArray(S, qkv, k0 + j * c3 + d);
        c0 = c0.add(kj.mul(datt[r0 + j] * scale));
        c1 = c1.add(kj.mul(datt[r1 + j] * scale));
        c2 = c2.add(kj.mul(datt[r2 + j] * scale));
        c3v = c3v.add(kj.mul(datt[r3 + j] * scale));
      }
      FloatVector kj = FloatVector.fromArray(S, qkv, k0 + j * c3 + d);
      c1 = c1.add(kj.mul(datt[r1 + j] * scale));
      c2 = c2.add(kj.mul(datt[r2 + j] * scale));
      c3v = c3v.add(kj.mul(datt[r3 + j] * scale));
      j++;
      kj = FloatVector.fromArray(S, qkv, k0 + j * c3 + d);
      c2 = c2.add(kj.mul(datt[r2 + j] * scale));
      c3v = c3v.add(kj.mul(datt[r3 + j] * scale));
      j++;
      c3v = c3v.add(FloatVector.fromArray(S, qkv, k0 + j * c3 + d).mul(datt[r3 + j] * scale));
      c0.intoArray(dqkv, q0 + d);
      c1.intoArray(dqkv, q1 + d);
      c2.intoArray(dqkv, q2 + d);
      c3v.intoArray(dqkv, q3 + d);
    }
    for (; d < hs; d++) {
      float c0 = dqkv[q0 + d];
      float c1 = dqkv[q1 + d];
      float c2 = dqkv[q2 + d];
      float c3s = dqkv[q3 + d];
      int j = 0;
      for (; j < n0; j++) {
        float kj = qkv[k0 + j * c3 + d];
        c0 += datt[r0 + j] * scale * kj;
        c1 += datt[r1 + j] * scale * kj;
        c2 += datt[r2 + j] * scale * kj;
        c3s += datt[r3 + j] * scale * kj;
      }
      c1 += datt[r1 + j] * scale * qkv[k0 + j * c3 + d];
      c2 += datt[r2 + j] * scale * qkv[k0 + j * c3 + d];
      c3s += datt[r3 + j] * scale * qkv[k0 + j * c3 + d];
      j++;
      c2 += datt[r2 + j] * scale * qkv[k0 + j * c3 + d];
      c3s += datt[r3 + j] * scale * qkv[k0 + j * c3 + d];
      j++;
      c3s += datt[r3 + j] * scale * qkv[k0 + j * c3 + d];
      dqkv[q0 + d] = c0;
      dqkv[q1 + d] = c1;
      dqkv[q2 + d] = c2;
      dqkv[q3 + d] = c3s;
    }
  }

  /** datt_j = att_j·(datt_j − dot) for j &lt; n, then 0 up to t: the softmax backward of one row. */
  private static void softmaxGrad(float[] att, float[] datt, int row, int n, int t, float dot) {
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector a = FloatVector.fromArray(S, att, row + j);
      a.mul(FloatVector.fromArray(S, datt, row + j).sub(dot)).intoArray(datt, row + j);
    }
    if (j < n) {
      VectorMask<Float> live = S.indexInRange(j, n);
      FloatVector a = FloatVector.fromArray(S, att, row + j, live);
      a.mul(FloatVector.fromArray(S, datt, row + j, live).sub(dot)).intoArray(datt, row + j, live);
    }
    java.util.Arrays.fill(datt, row + n, row + t, 0f);
  }

  /**
   * Positions j0 and j0 + 1 of the backward's second loop, side by side: dk_j += Σ_{i ≥ j} (dpre_ij·scale)·q_i and
   * dv_j += Σ_{i ≥ j} att_ij·dout_i, four chains in i order sharing each q_i and dout_i load.
   */
  private static void keyValueGrads(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int b, int h,
                                    int seq, int plane, int j0, int t, int dim, int hs) {
    int c3 = 3 * dim;
    float scale = AttentionKernels.scoreScale(hs);
    int dkA = seq + j0 * c3 + dim + h * hs;
    int dvA = dkA + dim;
    int dkB = dkA + c3;
    int dvB = dkB + dim;
    int qBase = seq + h * hs;
    int oBase = b * t * dim + h * hs;
    int d = 0;
    for (int end = S.loopBound(hs); d < end; d += L) {
      FloatVector kA = FloatVector.fromArray(S, dqkv, dkA + d);
      FloatVector vA = FloatVector.fromArray(S, dqkv, dvA + d);
      FloatVector kB = FloatVector.fromArray(S, dqkv, dkB + d);
      FloatVector vB = FloatVector.fromArray(S, dqkv, dvB + d);
      int e = plane + j0 * t + j0; // (i = j0, j = j0)
      kA = kA.add(FloatVector.fromArray(S, qkv, qBase + j0 * c3 + d).mul(datt[e] * scale));
      vA = vA.add(FloatVector.fromArray(S, dout, oBase + j0 * dim + d).mul(att[e]));
      for (int i = j0 + 1; i < t; i++) {
        int ea = plane + i * t + j0;
        FloatVector qi = FloatVector.fromArray(S, qkv, qBase + i * c3 + d);
        FloatVector oi = FloatVector.fromArray(S, dout, oBase + i * dim + d);
        kA = kA.add(qi.mul(datt[ea] * scale));
        vA = vA.add(oi.mul(att[ea]));
        kB = kB.add(qi.mul(datt[ea + 1] * scale));
        vB = vB.add(oi.mul(att[ea + 1]));
      }
      kA.intoArray(dqkv, dkA + d);
      vA.intoArray(dqkv, dvA + d);
      kB.intoArray(dqkv, dkB + d);
      vB.intoArray(dqkv, dvB + d);
    }
    for (; d < hs; d++) {
      float kA = dqkv[dkA + d];
      float vA = dqkv[dvA + d];
      float kB = dqkv[dkB + d];
      float vB = dqkv[dvB + d];
      int e = plane + j0 * t + j0;
      kA += datt[e] * scale * qkv[qBase + j0 * c3 + d];
      vA += att[e] * dout[oBase + j0 * dim + d];
      for (int i = j0 + 1; i < t; i++) {
        int ea = plane + i * t + j0;
        float qi = qkv[qBase + i * c3 + d];
        float oi = dout[oBase + i * dim + d];
        kA += datt[ea] * scale * qi;
        vA += att[ea] * oi;
        kB += datt[ea + 1] * scale * qi;
        vB += att[ea + 1] * oi;
      }
      dqkv[dkA + d] = kA;
      dqkv[dvA + d] = vA;
      dqkv[dkB + d] = kB;
      dqkv[dvB + d] = vB;
    }
  }

  /**
   * Four rows of {@link #dots} at once: dst[dOff + r·dStride + j] = Σ_d x[xOff + r·xStride + d]·mT[d·ld + j] for
   * j &lt; n, r &lt; 4, each sum over d in order from 0; the rows share each mT load.
   */
  private static void dotsFour(float[] x, int xOff, int xStride, float[] mT, int ld, int n, int hs, float[] dst,
                               int dOff, int dStride) {
    int x0 = xOff;
    int x1 = x0 + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    int d0 = dOff;
    int d1 = d0 + dStride;
    int d2 = d1 + dStride;
    int d3 = d2 + dStride;
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int d = 0; d < hs; d++) {
        FloatVector m = FloatVector.fromArray(S, mT, d * ld + j);
        s0 = s0.add(m.mul(x[x0 + d]));
        s1 = s1.add(m.mul(x[x1 + d]));
        s2 = s2.add(m.mul(x[x2 + d]));
        s3 = s3.add(m.mul(x[x3 + d]));
      }
      s0.intoArray(dst, d0 + j);
      s1.intoArray(dst, d1 + j);
      s2.intoArray(dst, d2 + j);
      s3.intoArray(dst, d3 + j);
    }
    if (j < n) {
      VectorMask<Float> live = S.indexInRange(j, n);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int d = 0; d < hs; d++) {
        FloatVector m = FloatVector.fromArray(S, mT, d * ld + j, live);
        s0 = s0.add(m.mul(x[x0 + d]));
        s1 = s1.add(m.mul(x[x1 + d]));
        s2 = s2.add(m.mul(x[x2 + d]));
        s3 = s3.add(m.mul(x[x3 + d]));
      }
      s0.intoArray(dst, d0 + j, live);
      s1.intoArray(dst, d1 + j, live);
      s2.intoArray(dst, d2 + j, live);
      s3.intoArray(dst, d3 + j, live);
    }
  }

  /**
   * The scores of one query, scaled: att[off + j] = (Σ_d q[qOff + d]·kT[d·ld + j])·scale for j &lt; n, each sum over d
   * in order (as {@link #dots}), then multiplied by scale; returns their max. The scores leave the registers scaled
   * and the max is taken on the way (a max is exact in any order), so the row is not read again for either.
   */
  private static float scaledScores(float[] q, int qOff, float[] kT, int ld, int n, int hs, float[] att, int off,
                                    float scale) {
    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector s = FloatVector.zero(S);
      for (int d = 0; d < hs; d++) {
        s = s.add(FloatVector.fromArray(S, kT, d * ld + j).mul(q[qOff + d]));
      }
      s = s.mul(scale);
      m = m.max(s);
      s.intoArray(att, off + j);
    }
    if (j < n) {
      VectorMask<Float> live = S.indexInRange(j, n);
      FloatVector s = FloatVector.zero(S);
      for (int d = 0; d < hs; d++) {
        s = s.add(FloatVector.fromArray(S, kT, d * ld + j, live).mul(q[qOff + d]));
      }
      s = s.mul(scale);
      m = m.max(NO_MAX.blend(s, live)); // masked-off lanes −∞: the max of the live ones
      s.intoArray(att, off + j, live);
    }
    return m.reduceLanes(VectorOperators.MAX);
  }

  /**
   * {@link #scaledScores} of four queries side by side, query r (r &lt; 4) at q[qOff + r·qStride] over the keys
   * j &lt; n0 + r, its scores at att[off + r·stride + j]; the dots share each key load. Scores past a row's length (up
   * to n0 + 3) are written too, for the caller's causal zeros, but stay out of that row's max. The four maxima go to
   * max[0 .. 3].
   */
  private static void scaledScoresFour(float[] q, int qOff, int qStride, float[] kT, int ld, int n0, int hs,
                                       float[] att, int off, int stride, float scale, float[] max) {
    int x0 = qOff;
    int x1 = x0 + qStride;
    int x2 = x1 + qStride;
    int x3 = x2 + qStride;
    int d0 = off;
    int d1 = d0 + stride;
    int d2 = d1 + stride;
    int d3 = d2 + stride;
    int n = n0 + 3;
    FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    for (int j = 0; j < n; j += L) {
      // full vectors while they fit; the last one masked (loads and stores), as in dotsFour
      VectorMask<Float> live = S.indexInRange(j, n);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      if (j + L <= n) {
        for (int d = 0; d < hs; d++) {
          FloatVector k = FloatVector.fromArray(S, kT, d * ld + j);
          s0 = s0.add(k.mul(q[x0 + d]));
          s1 = s1.add(k.mul(q[x1 + d]));
          s2 = s2.add(k.mul(q[x2 + d]));
          s3 = s3.add(k.mul(q[x3 + d]));
        }
      } else {
        for (int d = 0; d < hs; d++) {
          FloatVector k = FloatVector.fromArray(S, kT, d * ld + j, live);
          s0 = s0.add(k.mul(q[x0 + d]));
          s1 = s1.add(k.mul(q[x1 + d]));
          s2 = s2.add(k.mul(q[x2 + d]));
          s3 = s3.add(k.mul(q[x3 + d]));
        }
      }
      s0 = s0.mul(scale);
      s1 = s1.mul(scale);
      s2 = s2.mul(scale);
      s3 = s3.mul(scale);
      if (j + L <= n0) { // every lane is a key of all four rows
        m0 = m0.max(s0);
        m1 = m1.max(s1);
        m2 = m2.max(s2);
        m3 = m3.max(s3);
      } else {
        m0 = m0.max(NO_MAX.blend(s0, S.indexInRange(j, n0)));
        m1 = m1.max(NO_MAX.blend(s1, S.indexInRange(j, n0 + 1)));
        m2 = m2.max(NO_MAX.blend(s2, S.indexInRange(j, n0 + 2)));
        m3 = m3.max(NO_MAX.blend(s3, S.indexInRange(j, n0 + 3)));
      }
      if (j + L <= n) {
        s0.intoArray(att, d0 + j);
        s1.intoArray(att, d1 + j);
        s2.intoArray(att, d2 + j);
        s3.intoArray(att, d3 + j);
      } else {
        s0.intoArray(att, d0 + j, live);
        s1.intoArray(att, d1 + j, live);
        s2.intoArray(att, d2 + j, live);
        s3.intoArray(att, d3 + j, live);
      }
    }
    max[0] = m0.reduceLanes(VectorOperators.MAX);
    max[1] = m1.reduceLanes(VectorOperators.MAX);
    max[2] = m2.reduceLanes(VectorOperators.MAX);
    max[3] = m3.reduceLanes(VectorOperators.MAX);
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

  /** The gathers' index map for L consecutive rows at this stride: 0, stride, 2·stride, …. */
  private static int[] rowStarts(int stride) {
    int[] rows = new int[L];
    for (int i = 0; i < L; i++) {
      rows[i] = i * stride;
    }
    return rows;
  }

  /**
   * mT[d·len + j] = m[off + j·stride + d] for j &lt; len, d &lt; hs: a head's rows as columns. Whole vectors of rows
   * are gathered (one gather per column d, from rows j0 .. j0 + L − 1), the rows past the last whole vector copied
   * one float at a time; a copy either way, so the bits do not depend on L.
   */
  private static void transpose(float[] m, int off, int stride, int len, int hs, float[] mT) {
    int[] rows = rowStarts(stride);
    int j0 = 0;
    for (int end = S.loopBound(len); j0 < end; j0 += L) {
      for (int d = 0; d < hs; d++) {
        FloatVector.fromArray(S, m, off + j0 * stride + d, rows, 0).intoArray(mT, d * len + j0);
      }
    }
    for (int j = j0; j < len; j++) {
      int src = off + j * stride;
      for (int d = 0; d < hs; d++) {
        mT[d * len + j] = m[src + d];
      }
    }
  }
}
