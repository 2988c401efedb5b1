package io.priorflow.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Comparison and input helpers shared by the kernel tests [llm.c validate_result]: values match when
 * |got − ref| ≤ atol + rtol·|ref|; on failure the first few mismatches are printed as index, ref, got.
 */
public final class KernelAsserts {
  private KernelAsserts() {}

  /** Fails listing the first mismatches when any of the first n values differ beyond atol + rtol·|ref|. */
  public static void assertClose(String what, float[] ref, float[] got, int n, float atol, float rtol) {
    StringBuilder sb = new StringBuilder();
    int bad = 0;
    for (int i = 0; i < n; i++) {
      float r = ref[i], g = got[i];
      boolean ok = Math.abs(g - r) <= atol + rtol * Math.abs(r) || (Float.isNaN(r) && Float.isNaN(g));
      if (!ok) {
        if (bad < 5) sb.append(String.format("%n  [%d] ref=%.9g got=%.9g", i, r, g));
        bad++;
      }
    }
    if (bad > 0) fail(what + ": " + bad + " of " + n + " values differ (atol " + atol + ", rtol " + rtol + ")" + sb);
  }

  /** Fails when the first n values are not bit-for-bit identical, naming the first difference. */
  public static void assertBitIdentical(String what, float[] a, float[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        fail(what + ": first difference at [" + i + "]: " + a[i] + " vs " + b[i]);
      }
    }
  }

  /** n values uniform in [−scale, scale) from a fixed seed. */
  public static float[] randomArray(long seed, int n, float scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    return x;
  }

  /** n token ids uniform in [0, vocab) from a fixed seed. */
  public static int[] randomTokens(long seed, int n, int vocab) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
    return t;
  }
}
