package io.priorflow.kernels.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link JavaMath}: the accuracy of exp and tanh against {@link Math} over dense sweeps of their inputs, their
 * special values, and that a vector lane and the scalar text give the same bits for every input swept.
 */
class JavaMathTest {

  /**
   * Most ulps exp may be off from Math.exp rounded to float, for results that are normal floats. (Every 3rd float
   * of the range, checked once by hand, also stays within 1 ulp, for exp and tanh alike.)
   */
  static final double EXP_MAX_ULP = 1;
  /** Most ulps tanh may be off from Math.tanh rounded to float, everywhere. */
  static final double TANH_MAX_ULP = 1;

  /** A float's position in the order of floats: monotonic, 0 for ±0. */
  private static int ordinal(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits >= 0 ? bits : -(bits & 0x7fffffff);
  }

  private static float fromOrdinal(int k) {
    return k >= 0 ? Float.intBitsToFloat(k) : -Float.intBitsToFloat(-k);
  }

  /** Every stride-th float of [lo, hi] in order (so as dense near 0 as the floats are). */
  private static float[] sweep(float lo, float hi, int stride) {
    long first = ordinal(lo);
    long last = ordinal(hi);
    float[] out = new float[(int) ((last - first) / stride + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = fromOrdinal((int) (first + (long) i * stride));
    }
    return out;
  }

  /** The largest error of f against the double function g rounded to float, in ulps of the float result. */
  private static double maxUlpError(float[] xs, FloatUnary f, DoubleUnaryOperator g, float minResult) {
    double worst = 0;
    float worstX = 0f;
    for (float x : xs) {
      float want = (float) g.applyAsDouble(x);
      if (Math.abs(want) < minResult) {
        continue;
      }
      float got = f.apply(x);
      double err = Math.abs((double) got - (double) want) / Math.ulp(want);
      if (!(err <= worst)) {
        worst = err;
        worstX = x;
      }
    }
    assertTrue(Double.isFinite(worst), "non-finite error at x = " + worstX);
    System.out.printf("max error %.3f ulp at x = %s%n", worst, worstX);
    return worst;
  }

  @FunctionalInterface
  interface FloatUnary {
    float apply(float x);
  }

  @Test
  void expIsWithinOneUlpOfMathExpForNormalResults() {
    // every 997th float of [−87.3, 88.7] in order (all normal results): 2.2 million inputs, dense near 0
    float[] xs = sweep(-87.3f, 88.7f, 997);
    assertTrue(xs.length > 1_000_000, "sweep too sparse: " + xs.length);
    double ulp = maxUlpError(xs, JavaMath::exp, Math::exp, Float.MIN_NORMAL);
    assertTrue(ulp <= EXP_MAX_ULP, "exp is " + ulp + " ulp from Math.exp");
    // subnormal results: absolute error within a few smallest subnormals
    for (float x = -103.9f; x < -87.4f; x += 0.01f) {
      float want = (float) Math.exp(x);
      float got = JavaMath.exp(x);
      assertTrue(Math.abs(got - want) <= 4 * Float.MIN_VALUE + 1e-6f * want, "exp(" + x + ") = " + got + ", want " + want);
    }
  }

  @Test
  void expSpecialValues() {
    assertEquals(1f, JavaMath.exp(0f));
    assertEquals(1f, JavaMath.exp(-0f));
    assertEquals(0f, JavaMath.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, JavaMath.exp(-200f));
    assertEquals(Float.POSITIVE_INFINITY, JavaMath.exp(Float.POSITIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, JavaMath.exp(89f));
    assertEquals((float) Math.exp(88.72f), JavaMath.exp(88.72f), Math.ulp((float) Math.exp(88.72f)));
    assertTrue(Float.isNaN(JavaMath.exp(Float.NaN)));
  }

  @Test
  void tanhIsWithinOneUlpOfMathTanh() {
    // every 257th float of [−12, 12] in order (all of tanh's non-trivial range): 8.5 million inputs, dense near 0
    float[] xs = sweep(-12f, 12f, 257);
    assertTrue(xs.length > 1_000_000, "sweep too sparse: " + xs.length);
    double ulp = maxUlpError(xs, JavaMath::tanh, Math::tanh, 0f);
    assertTrue(ulp <= TANH_MAX_ULP, "tanh is " + ulp + " ulp from Math.tanh");
  }

  @Test
  void tanhSpecialValues() {
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(JavaMath.tanh(0f)));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(JavaMath.tanh(-0f)));
    assertEquals(1f, JavaMath.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, JavaMath.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(1f, JavaMath.tanh(20f));
    assertEquals(-1f, JavaMath.tanh(-50f));
    assertEquals(Float.MIN_VALUE, JavaMath.tanh(Float.MIN_VALUE));
    assertTrue(Float.isNaN(JavaMath.tanh(Float.NaN)));
  }

  /** Inputs for the lane-versus-tail checks: sweeps, random values, and the special values. */
  private static float[] laneInputs() {
    float[] sweep = sweep(-110f, 110f, 4099);
    SplittableRandom rng = new SplittableRandom(19);
    float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 0.625f, -0.625f,
        Math.nextDown(0.625f), 88.72283f, 88.72284f, -87.33654f, -103.97208f, -104f, 89f, 1e-30f};
    float[] out = Arrays.copyOf(sweep, sweep.length + 100_000 + specials.length);
    for (int i = 0; i < 100_000; i++) {
      out[sweep.length + i] = (float) (rng.nextDouble(-30, 30) * Math.pow(10, rng.nextInt(-8, 2)));
    }
    System.arraycopy(specials, 0, out, sweep.length + 100_000, specials.length);
    return out;
  }

  @Test
  void vectorLanesAndScalarTailGiveTheSameBits() {
    float[] xs = laneInputs();
    int len = JavaMath.S.length();
    int n = xs.length - xs.length % len;
    float[] vecExp = new float[n];
    float[] vecTanh = new float[n];
    for (int i = 0; i < n; i += len) {
      FloatVector v = FloatVector.fromArray(JavaMath.S, xs, i);
      JavaMath.exp(v).intoArray(vecExp, i);
      JavaMath.tanh(v).intoArray(vecTanh, i);
    }
    for (int i = 0; i < n; i++) {
      if (Float.floatToIntBits(vecExp[i]) != Float.floatToIntBits(JavaMath.exp(xs[i]))) {
        fail("exp(" + xs[i] + "): lane " + vecExp[i] + ", scalar " + JavaMath.exp(xs[i]));
      }
      if (Float.floatToIntBits(vecTanh[i]) != Float.floatToIntBits(JavaMath.tanh(xs[i]))) {
        fail("tanh(" + xs[i] + "): lane " + vecTanh[i] + ", scalar " + JavaMath.tanh(xs[i]));
      }
    }
  }

  @Test
  void rowHelpersDoNotDependOnWhereTheVectorsEnd() {
    // expSumRow and maxRow over rows of every length 1..80 and offsets 0..3 against a scalar text of the same
    // 16-partial-sum order
    SplittableRandom rng = new SplittableRandom(7);
    float[] x = new float[100];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble(-12, 12);
    }
    float[] lanes = new float[JavaMath.SUM_LANES];
    float[] out = new float[100];
    for (int n = 1; n <= 80; n++) {
      for (int off = 0; off < 4; off++) {
        float m = x[off];
        for (int j = 1; j < n; j++) {
          m = Math.max(m, x[off + j]);
        }
        assertEquals(m, JavaMath.maxRow(x, off, n, lanes));
        float[] part = new float[JavaMath.SUM_LANES];
        for (int j = 0; j < n; j++) {
          part[j % JavaMath.SUM_LANES] += JavaMath.exp(x[off + j] - m);
        }
        float want = JavaMath.treeSum16(part);
        float got = JavaMath.expSumRow(x, off, n, m, out, off, lanes);
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "n " + n + ", off " + off);
        for (int j = 0; j < n; j++) {
          assertEquals(JavaMath.exp(x[off + j] - m), out[off + j]);
        }
      }
    }
  }
}
