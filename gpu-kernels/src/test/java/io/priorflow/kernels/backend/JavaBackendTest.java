package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.priorflow.kernels.backend.KernelCases.Case;
import io.priorflow.kernels.backend.KernelCases.Outputs;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java backend against the reference on every {@link KernelBackend} method ({@link KernelCases}): values within
 * tolerance for products and whole-array sums, bits for everything the backend promises to compute exactly as the
 * reference does; and the same bits on 1, 2, 3 and 8 threads for every method.
 */
class JavaBackendTest {
  private static final int[] THREADS = {2, 3, 8};

  private static KernelBackend reference;
  private static KernelBackend one;
  private static KernelBackend[] many;

  @BeforeAll
  static void open() {
    reference = new ReferenceBackend();
    one = new JavaBackend(1);
    many = new KernelBackend[THREADS.length];
    for (int i = 0; i < THREADS.length; i++) {
      many[i] = new JavaBackend(THREADS[i]);
    }
  }

  @AfterAll
  static void close() {
    reference.close();
    one.close();
    for (KernelBackend be : many) {
      be.close();
    }
  }

  static List<Case> cases() {
    return KernelCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesReference(Case c) {
    Outputs want = c.run().apply(reference);
    Outputs got = c.run().apply(many[0]);
    for (int i = 0; i < want.arrays().length; i++) {
      float[] w = want.arrays()[i];
      String what = c + " output " + i;
      if (c.exact()) {
        assertBitIdentical(what, w, got.arrays()[i], w.length);
      } else {
        assertClose(what, w, got.arrays()[i], w.length, c.atol(), c.rtol());
      }
    }
    for (int i = 0; i < want.scalars().length; i++) {
      double w = want.scalars()[i];
      double g = got.scalars()[i];
      boolean ok = c.exact() ? Double.compare(w, g) == 0 : Math.abs(g - w) <= c.atol() + c.rtol() * Math.abs(w);
      if (!ok) {
        fail(c + ": ref=" + w + " got=" + g);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameBitsOnAnyThreadCount(Case c) {
    Outputs base = c.run().apply(one);
    for (int t = 0; t < THREADS.length; t++) {
      Outputs got = c.run().apply(many[t]);
      for (int i = 0; i < base.arrays().length; i++) {
        assertBitIdentical(c + " output " + i + " on " + THREADS[t] + " threads", base.arrays()[i],
            got.arrays()[i], base.arrays()[i].length);
      }
      for (int i = 0; i < base.scalars().length; i++) {
        if (Double.doubleToRawLongBits(base.scalars()[i]) != Double.doubleToRawLongBits(got.scalars()[i])) {
          fail(c + " on " + THREADS[t] + " threads: " + base.scalars()[i] + " vs " + got.scalars()[i]);
        }
      }
    }
  }

  @Test
  void concurrentCallersGetTheSameBitsAsOneCaller() throws Exception {
    List<Case> big = KernelCases.all().stream()
        .filter(c -> c.shape().contains("257x519x263") || c.shape().contains("100003")
            || c.shape().contains("129x1000") || c.shape().contains("batch 256"))
        .toList();
    List<Outputs> alone = big.stream().map(c -> c.run().apply(many[0])).toList();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Outputs>>> futures = new ArrayList<>();
      for (int caller = 0; caller < 4; caller++) {
        futures.add(callers.submit(() -> big.stream().map(c -> c.run().apply(many[0])).toList()));
      }
      for (Future<List<Outputs>> f : futures) {
        List<Outputs> got = f.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < big.size(); i++) {
          for (int j = 0; j < alone.get(i).arrays().length; j++) {
            float[] want = alone.get(i).arrays()[j];
            assertBitIdentical(big.get(i) + " output " + j + " with concurrent callers", want,
                got.get(i).arrays()[j], want.length);
          }
        }
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void casesCoverEveryKernelMethod() {
    Set<String> kernels = new TreeSet<>();
    for (Method m : KernelBackend.class.getDeclaredMethods()) {
      kernels.add(m.getName());
    }
    // deviceTrainer and transformerTrainer are whole training graphs, not kernels; their tests are the engine's
    // DeviceTrainingTest and TransformerDeviceTrainingTest
    kernels.removeAll(Set.of("name", "device", "threads", "close", "deviceTrainer", "transformerTrainer"));
    Set<String> covered = KernelCases.all().stream().map(Case::method).collect(Collectors.toSet());
    kernels.removeAll(covered);
    assertTrue(kernels.isEmpty(), "methods without a test case: " + kernels);
  }

  @Test
  void describesItselfAsJavaOnCpu() {
    try (JavaBackend be = new JavaBackend(3)) {
      assertEquals("java", be.name());
      assertEquals("cpu", be.device());
      assertEquals(3, be.threads());
    }
  }

  @Test
  void poolThreadsAreDaemonsNamedPfKernel() {
    try (JavaBackend be = new JavaBackend(2)) {
      int n = 512;
      float[] a = new float[n * n];
      float[] c = new float[n * n];
      be.matmul(a, a, c, n, n, n, false);
      List<Thread> pool = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("pf-kernel-")).toList();
      assertFalse(pool.isEmpty(), "no pf-kernel-N thread ran the product");
      for (Thread t : pool) {
        assertTrue(t.isDaemon(), t.getName() + " is not a daemon thread");
      }
    }
  }

  @Test
  void rejectsCallsAfterClose() {
    JavaBackend be = new JavaBackend(2);
    be.close();
    float[] x = new float[100_000];
    assertThrows(IllegalStateException.class, () -> be.scale(x, x.length, 2f));
  }

  @Test
  void rejectsFewerThanOneThread() {
    assertThrows(IllegalArgumentException.class, () -> new JavaBackend(0));
  }

  @Test
  void taskExceptionsReachTheCaller() {
    try (JavaBackend be = new JavaBackend(2)) {
      float[] x = new float[100_000];
      float[] y = new float[10];
      assertThrows(IndexOutOfBoundsException.class, () -> be.reluForward(x, y, x.length));
    }
  }
}
