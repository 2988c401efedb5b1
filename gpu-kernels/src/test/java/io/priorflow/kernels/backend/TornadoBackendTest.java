package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.priorflow.kernels.backend.KernelCases.Case;
import io.priorflow.kernels.backend.KernelCases.Outputs;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TornadoVM backend against the reference on every {@link KernelBackend} method ({@link KernelCases}), within
 * tolerance: device transcendentals (OpenCL's exp, log, tanh) are allowed a few ulp, and device block sums add in a
 * different order than the reference's double sums. Skipped, not failed, where no TornadoVM device is found (no SDK,
 * or the JVM was started without its flags). Every method runs on the device: none falls back to KernelBackend's
 * host defaults. The whole training steps on the device are tested in the engine ({@code DeviceTrainingTest}).
 */
@Tag("gpu")
class TornadoBackendTest {
  /** Floor of the tolerance for element-wise kernels that the Java backend matches bit for bit. */
  private static final float ATOL = 2e-5f;
  private static final float RTOL = 2e-5f;

  private static KernelBackend reference;
  private static KernelBackend tornado;

  @BeforeAll
  static void open() {
    assumeTrue(Backends.tornadoAvailable(), "no TornadoVM device here (TORNADOVM_HOME unset or JVM without its flags)");
    // TornadoVM's default is to run a graph that fails to compile as plain Java, which would make these
    // comparisons pass without the device; the JVM must be started with the fallback off (bin/tornado-env, pom.xml)
    assertEquals("False", System.getProperty("tornado.recover.bailout"),
        "start the JVM with -Dtornado.recover.bailout=False, or a kernel that never ran on the device passes");
    reference = new ReferenceBackend();
    tornado = Backends.create(Backends.TORNADO, 1);
  }

  @AfterAll
  static void close() {
    if (tornado != null) {
      tornado.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  static List<Case> cases() {
    return KernelCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesReference(Case c) {
    Outputs want = c.run().apply(reference);
    Outputs got = c.run().apply(tornado);
    float atol = Math.max(ATOL, c.atol());
    float rtol = Math.max(RTOL, c.rtol());
    for (int i = 0; i < want.arrays().length; i++) {
      float[] w = want.arrays()[i];
      assertClose(c + " output " + i, w, got.arrays()[i], w.length, atol, rtol);
    }
    for (int i = 0; i < want.scalars().length; i++) {
      double w = want.scalars()[i];
      double g = got.scalars()[i];
      boolean same = Double.compare(w, g) == 0; // ±∞ and NaN cases
      if (!same && !(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
        fail(c + ": ref=" + w + " tornado=" + g);
      }
    }
  }

  @Test
  void describesItselfWithTheDevice() {
    assertEquals("tornado", tornado.name());
    assertFalse(tornado.device().isBlank(), "device name");
    assertEquals(1, tornado.threads());
  }

  @Test
  void oneCompiledGraphServesManySizes() {
    // sizes change from call to call (sampling one row, training a thousand); the results must be right for each
    // size with the same cached graph, including a smaller call after a larger one (stale values beyond n ignored)
    for (int n : new int[] {100, 37, 128, 1}) {
      float[] x = ramp(n);
      float[] yRef = new float[n];
      float[] yTor = new float[n];
      reference.geluForward(x, yRef, n);
      tornado.geluForward(x, yTor, n);
      assertClose("gelu n=" + n, yRef, yTor, n, ATOL, RTOL);
    }
  }

  @Test
  void runsEveryKernelOnTheDeviceNotThroughTheHostDefaults() throws NoSuchMethodException {
    // KernelBackend's default methods run the reference on the host; a backend that inherits one would pass
    // matchesReference without the device ever running that kernel
    for (Method m : KernelBackend.class.getMethods()) {
      if (m.isDefault()) {
        Class<?> owner = tornado.getClass().getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        assertNotEquals(KernelBackend.class, owner, m.getName() + " is inherited from KernelBackend's host default");
      }
    }
  }

  @Test
  void decodingWithACacheMatchesTheForwardRowOnTheDevice() {
    // the forward's row at position len − 1 and decoding from a cache of the same keys and values share one helper;
    // on the device they are two kernels, so they agree within rounding (bit for bit on the reference)
    int batch = 2;
    int t = 9;
    int dim = 12;
    int heads = 3;
    float[] qkv = randomArray(77, batch * t * 3 * dim, 2f);
    float[] att = new float[batch * heads * t * t];
    float[] out = new float[batch * t * dim];
    tornado.attentionForward(qkv, att, out, batch, t, dim, heads);
    int tMax = t + 3;
    float[] q = new float[batch * dim];
    float[] k = new float[batch * tMax * dim];
    float[] v = new float[batch * tMax * dim];
    int[] len = {t, 4};
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < len[b]; p++) {
        int row = (b * t + p) * 3 * dim;
        System.arraycopy(qkv, row + dim, k, (b * tMax + p) * dim, dim);
        System.arraycopy(qkv, row + 2 * dim, v, (b * tMax + p) * dim, dim);
      }
      System.arraycopy(qkv, (b * t + len[b] - 1) * 3 * dim, q, b * dim, dim);
    }
    float[] scores = new float[batch * heads * tMax];
    float[] dec = new float[batch * dim];
    tornado.attentionDecode(q, k, v, len, scores, dec, batch, tMax, dim, heads);
    for (int b = 0; b < batch; b++) {
      float[] want = Arrays.copyOfRange(out, (b * t + len[b] - 1) * dim, (b * t + len[b]) * dim);
      float[] got = Arrays.copyOfRange(dec, b * dim, (b + 1) * dim);
      assertClose("decoded row of sequence " + b, want, got, dim, ATOL, RTOL);
    }
  }

  /** n values from −3 to 3. */
  private static float[] ramp(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -3f + 6f * i / Math.max(1, n - 1);
    }
    return x;
  }
}
