package io.priorflow.kernels.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh in float for the Java backend, each written twice — once over a vector, once over a scalar — with the
 * same IEEE operations in the same order, so a vector lane and the scalar loop tail give the same bits for the same
 * input, and kernels built on them give the same results for any vector width and any split into threads.
 *
 * <p>Why not {@code Math.exp}/{@code Math.tanh} or {@code VectorOperators.EXP}/{@code TANH}: the scalar ones cannot
 * run on vectors, and the vector ones are not intrinsics on this JDK without Intel's SVML (they fall back to a
 * per-lane call, slower than the scalar loop) and round differently from the scalar ones. Every operation used here
 * is an intrinsic on x86 with AVX2 or AVX-512: add, sub, mul, div, fma, min, max, abs, compare/blend, integer
 * add/shift and reinterpretation. {@code fma} is correctly rounded in both texts ({@link Math#fma} and the lanewise
 * {@code FMA}), so the two texts agree bit for bit.
 *
 * <p>The math (Cody &amp; Waite range reduction with Cephes' {@code expf}/{@code tanhf} polynomials, S. L. Moshier,
 * Cephes Math Library):
 * <ul>
 *   <li>exp(x): x clamped to [−104, 89]; n = round(x·log₂e) by adding and subtracting 1.5·2²³; r = x − n·ln2 in
 *       two fma steps (ln2 split hi + lo); exp(r) = 1 + r + r²·P(r), P of degree 5; times 2ⁿ as two powers of two
 *       built from the exponent bits (n/2 and n − n/2, so neither over- nor underflows), which makes subnormal
 *       results, 0 below about −103.97 and +∞ above about 88.72 come out of the multiplications. NaN gives NaN.</li>
 *   <li>tanh(x) = sign(x)·T(|x|): for |x| &lt; 0.625, T(a) = a + a·a²·Q(a²), Q of degree 4; otherwise
 *       T(a) = 1 − 2/(exp(2a) + 1), which is exactly 1 once exp overflows. Both branches are computed in vectors
 *       and one is chosen per lane.</li>
 * </ul>
 * Accuracy against {@link Math} rounded to float, as JavaMathTest checks it over dense sweeps: exp within 1 ulp for
 * normal results ([−87.3, 88.7]), within a few subnormal steps below; tanh within 1 ulp on [−12, 12] and exactly ±1
 * beyond. Not here: the kernels that use these (JavaElementwise, JavaRows).
 */
final class JavaMath {
  private JavaMath() {}

  /** Vector shape for the kernels built on this class: the preferred one, as the products. */
  static final VectorSpecies<Float> S = JavaGemm.SPECIES;

  private static final float EXP_LO = -104f;
  private static final float EXP_HI = 89f;
  private static final float LOG2E = 1.44269504088896341f;
  /** 1.5·2²³: adding it rounds a float of magnitude &lt; 2²² to an integer, held in the low mantissa bits. */
  private static final float SHIFTER = 0x1.8p23f;
  private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
  /** ln2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| ≤ 2¹⁵. */
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float E5 = 1.9875691500e-4f;
  private static final float E4 = 1.3981999507e-3f;
  private static final float E3 = 8.3334519073e-3f;
  private static final float E2 = 4.1665795894e-2f;
  private static final float E1 = 1.6666665459e-1f;
  private static final float E0 = 5.0000001201e-1f;

  private static final float TANH_SMALL = 0.625f;
  private static final float T4 = -5.70498872745e-3f;
  private static final float T3 = 2.06390887954e-2f;
  private static final float T2 = -5.37397155531e-2f;
  private static final float T1 = 1.33314422036e-1f;
  private static final float T0 = -3.33332819422e-1f;
  private static final int SIGN = 0x80000000;

  // ---- exp --------------------------------------------------------------------------------------------------------

  /** e^x in float; the scalar text of {@link #exp(FloatVector)}. */
  static float exp(float x) {
    float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
    float k = Math.fma(xc, LOG2E, SHIFTER);
    float n = k - SHIFTER;
    float r = Math.fma(n, -LN2_HI, xc);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(E5, r, E4);
    p = Math.fma(p, r, E3);
    p = Math.fma(p, r, E2);
    p = Math.fma(p, r, E1);
    p = Math.fma(p, r, E0);
    float y = Math.fma(p, r * r, r) + 1f;
    int ni = Float.floatToRawIntBits(k) - SHIFTER_BITS;
    int n1 = ni >> 1;
    int n2 = ni - n1;
    return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
  }

  /** e^x in every lane; the vector text of {@link #exp(float)}. */
  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_LO).min(EXP_HI);
    FloatVector k = xc.fma(LOG2E, SHIFTER);
    FloatVector n = k.sub(SHIFTER);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, E5).fma(r, FloatVector.broadcast(S, E4));
    p = p.fma(r, FloatVector.broadcast(S, E3));
    p = p.fma(r, FloatVector.broadcast(S, E2));
    p = p.fma(r, FloatVector.broadcast(S, E1));
    p = p.fma(r, FloatVector.broadcast(S, E0));
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector ni = k.reinterpretAsInts().sub(SHIFTER_BITS);
    IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
    IntVector n2 = ni.sub(n1);
    FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return y.mul(s1).mul(s2);
  }

  // ---- tanh -------------------------------------------------------------------------------------------------------

  /** tanh(x) in float; the scalar text of {@link #tanh(FloatVector)}. */
  static float tanh(float x) {
    float a = Math.abs(x);
    float z = a * a;
    float q = Math.fma(T4, z, T3);
    q = Math.fma(q, z, T2);
    q = Math.fma(q, z, T1);
    q = Math.fma(q, z, T0);
    float small = Math.fma(q * z, a, a);
    float large = 1f - 2f / (exp(a + a) + 1f);
    float t = a < TANH_SMALL ? small : large;
    return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & SIGN));
  }

  /** tanh in every lane; the vector text of {@link #tanh(float)}. */
  static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector z = a.mul(a);
    FloatVector q = FloatVector.broadcast(S, T4).fma(z, FloatVector.broadcast(S, T3));
    q = q.fma(z, FloatVector.broadcast(S, T2));
    q = q.fma(z, FloatVector.broadcast(S, T1));
    q = q.fma(z, FloatVector.broadcast(S, T0));
    FloatVector small = q.mul(z).fma(a, a);
    FloatVector two = FloatVector.broadcast(S, 2f);
    FloatVector large = FloatVector.broadcast(S, 1f).sub(two.div(exp(a.add(a)).add(1f)));
    VectorMask<Float> isSmall = a.compare(VectorOperators.LT, TANH_SMALL);
    FloatVector t = large.blend(small, isSmall);
    IntVector sign = x.reinterpretAsInts().and(SIGN);
    return t.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }

  // ---- row sums of exponentials ----------------------------------------------------------------------------------

  /** Virtual lanes of {@link #expSumRow}: a multiple of every vector length used (4, 8, 16 floats). */
  static final int SUM_LANES = 16;

  /**
   * Σ_j exp(x[off + j] − m) over j in [0, n), also storing each exp into out[outOff + j] when out is not null.
   * The terms go to {@link #SUM_LANES} partial sums by j mod 16 (each partial sums its terms in order of j), and the
   * partials are added as a fixed binary tree: the same bits for any vector length that divides 16. A row's last,
   * partial vector runs masked, so no term is computed by a scalar tail. lanes is a
   * caller's scratch of at least 16 floats (overwritten).
   */
  static float expSumRow(float[] x, int off, int n, float m, float[] out, int outOff, float[] lanes) {
    int len = S.length();
    assert SUM_LANES % len == 0 && lanes.length >= SUM_LANES : "expSumRow: vector length " + len;
    java.util.Arrays.fill(lanes, 0, SUM_LANES, 0f);
    FloatVector zero = FloatVector.zero(S);
    for (int j = 0; j < n; j += SUM_LANES) {
      for (int q = 0; q < SUM_LANES && j + q < n; q += len) {
        int at = j + q;
        FloatVector e;
        if (at + len <= n) {
          e = exp(FloatVector.fromArray(S, x, off + at).sub(m));
          if (out != null) {
            e.intoArray(out, outOff + at);
          }
        } else {
          // the row's last, partial vector: lanes past the row add +0 to their partial sums, which changes nothing
          VectorMask<Float> in = S.indexInRange(at, n);
          e = zero.blend(exp(FloatVector.fromArray(S, x, off + at, in).sub(m)), in);
          if (out != null) {
            e.intoArray(out, outOff + at, in);
          }
        }
        FloatVector.fromArray(S, lanes, q).add(e).intoArray(lanes, q);
      }
    }
    return treeSum16(lanes);
  }

  /** ((l0 + l1) + (l2 + l3)) + … over 16 values, a fixed binary tree. */
  static float treeSum16(float[] l) {
    float a = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    float b = ((l[8] + l[9]) + (l[10] + l[11])) + ((l[12] + l[13]) + (l[14] + l[15]));
    return a + b;
  }

  /**
   * max of x[off .. off + n), n ≥ 1, with Math.max semantics (NaN propagates); order-free, so exact in any vector
   * width. lanes: a caller's scratch of at least {@link #SUM_LANES} floats.
   */
  static float maxRow(float[] x, int off, int n, float[] lanes) {
    int len = S.length();
    if (n < len) {
      float m = x[off];
      for (int j = 1; j < n; j++) {
        m = Math.max(m, x[off + j]);
      }
      return m;
    }
    // whole vectors, the last one overlapping the one before where n is not a multiple: max is idempotent
    FloatVector mv = FloatVector.fromArray(S, x, off + n - len);
    for (int j = 0; j + len <= n; j += len) {
      mv = mv.max(FloatVector.fromArray(S, x, off + j));
    }
    mv.intoArray(lanes, 0);
    float m = lanes[0];
    for (int q = 1; q < len; q++) {
      m = Math.max(m, lanes[q]);
    }
    return m;
  }
}
