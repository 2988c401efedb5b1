package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationKernelsTest {
  private static final int N = 33;
  private static final float EPS = 1e-3f, ATOL = 2e-3f, RTOL = 1e-2f;

  private final float[] g = randomArray(31, N, 1f);   // dL/dy for L = Σ y·g

  @Test
  void geluHasKnownValues() {
    float[] x = {0f, 1f, -1f, 10f, -10f};
    float[] y = new float[x.length];
    ActivationKernels.geluForward(x, y, x.length);
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) evaluated in double
    assertClose("gelu", new float[] {0f, 0.841191991f, -0.158808009f, 10f, 0f}, y, x.length, 1e-6f, 1e-6f);
  }

  @Test
  void geluBackwardMatchesFiniteDifferencesAndAccumulates() {
    float[] x = randomArray(32, N, 3f);
    float[] y = new float[N];
    float[] numeric = GradCheck.numeric(x, N, EPS, () -> {
      ActivationKernels.geluForward(x, y, N);
      return GradCheck.dot(y, g);
    });
    float[] before = randomArray(33, N, 1f);
    float[] dx = before.clone();
    ActivationKernels.geluBackward(x, g, dx, N);
    assertClose("dx", numeric, GradCheck.added(dx, before), N, ATOL, RTOL);
  }

  @Test
  void reluForwardClampsNegativesToZero() {
    float[] x = {-2f, -0.5f, 0f, 0.5f, 3f};
    float[] y = new float[x.length];
    ActivationKernels.reluForward(x, y, x.length);
    assertClose("relu", new float[] {0f, 0f, 0f, 0.5f, 3f}, y, x.length, 0f, 0f);
  }

  @Test
  void reluBackwardMatchesFiniteDifferencesAwayFromZero() {
    float[] x = randomArray(34, N, 2f);
    for (int i = 0; i < N; i++) {
      // keep every point at least 0.1 from the kink, so x ± EPS stays on one side
      x[i] = x[i] >= 0 ? x[i] + 0.1f : x[i] - 0.1f;
    }
    float[] y = new float[N];
    float[] numeric = GradCheck.numeric(x, N, EPS, () -> {
      ActivationKernels.reluForward(x, y, N);
      return GradCheck.dot(y, g);
    });
    float[] before = randomArray(35, N, 1f);
    float[] dx = before.clone();
    ActivationKernels.reluBackward(x, g, dx, N);
    assertClose("dx", numeric, GradCheck.added(dx, before), N, ATOL, RTOL);
  }

  @Test
  void reluBackwardPassesNothingAtZero() {
    float[] dx = {0f};
    ActivationKernels.reluBackward(new float[] {0f}, new float[] {5f}, dx, 1);
    assertEquals(0f, dx[0]);
  }

  @Test
  void tanhBackwardFromOutputMatchesFiniteDifferencesAndAccumulates() {
    float[] x = randomArray(36, N, 2f);
    float[] y = new float[N];
    float[] numeric = GradCheck.numeric(x, N, EPS, () -> {
      ActivationKernels.tanhForward(x, y, N);
      return GradCheck.dot(y, g);
    });
    ActivationKernels.tanhForward(x, y, N);
    float[] before = randomArray(37, N, 1f);
    float[] dx = before.clone();
    ActivationKernels.tanhBackward(y, g, dx, N);
    assertClose("dx", numeric, GradCheck.added(dx, before), N, ATOL, RTOL);
  }

  @Test
  void tanhSaturatesToPlusMinusOne() {
    float[] x = {-50f, 0f, 50f};
    float[] y = new float[3];
    ActivationKernels.tanhForward(x, y, 3);
    assertClose("tanh", new float[] {-1f, 0f, 1f}, y, 3, 0f, 0f);
  }
}
