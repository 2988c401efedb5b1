package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;

import org.junit.jupiter.api.Test;

class DenseKernelsTest {
  private static final int BATCH = 7, N_IN = 13, N_OUT = 5;
  private static final float EPS = 1e-2f, ATOL = 2e-3f, RTOL = 1e-2f;

  private final float[] x = randomArray(11, BATCH * N_IN, 1f);
  private final float[] w = randomArray(12, N_OUT * N_IN, 0.5f);
  private final float[] b = randomArray(13, N_OUT, 0.5f);
  private final float[] g = randomArray(14, BATCH * N_OUT, 1f);   // dL/dy for L = Σ y·g
  private final float[] y = new float[BATCH * N_OUT];

  private double loss() {
    DenseKernels.denseForward(x, w, b, y, BATCH, N_IN, N_OUT);
    return GradCheck.dot(y, g);
  }

  @Test
  void forwardIsInputTimesWeightsTransposedPlusBias() {
    float[] want = new float[BATCH * N_OUT];
    GemmKernels.matmulTransB(x, w, want, BATCH, N_IN, N_OUT, false);
    for (int r = 0; r < BATCH; r++) {
      for (int o = 0; o < N_OUT; o++) {
        want[r * N_OUT + o] += b[o];
      }
    }
    DenseKernels.denseForward(x, w, b, y, BATCH, N_IN, N_OUT);
    assertClose("y", want, y, y.length, 1e-6f, 1e-6f);
  }

  @Test
  void backwardInputMatchesFiniteDifferencesAndAccumulates() {
    float[] numeric = GradCheck.numeric(x, x.length, EPS, this::loss);
    float[] before = randomArray(15, BATCH * N_IN, 1f);
    float[] dx = before.clone();
    DenseKernels.denseBackwardInput(g, w, dx, BATCH, N_IN, N_OUT);
    assertClose("dx", numeric, GradCheck.added(dx, before), x.length, ATOL, RTOL);
  }

  @Test
  void backwardWeightsMatchesFiniteDifferencesAndAccumulates() {
    float[] numeric = GradCheck.numeric(w, w.length, EPS, this::loss);
    float[] before = randomArray(16, N_OUT * N_IN, 1f);
    float[] dW = before.clone();
    DenseKernels.denseBackwardWeights(g, x, dW, BATCH, N_IN, N_OUT);
    assertClose("dW", numeric, GradCheck.added(dW, before), w.length, ATOL, RTOL);
  }

  @Test
  void backwardBiasMatchesFiniteDifferencesAndAccumulates() {
    float[] numeric = GradCheck.numeric(b, b.length, EPS, this::loss);
    float[] before = randomArray(17, N_OUT, 1f);
    float[] db = before.clone();
    DenseKernels.denseBackwardBias(g, db, BATCH, N_OUT);
    assertClose("db", numeric, GradCheck.added(db, before), b.length, ATOL, RTOL);
  }

  @Test
  void oddShapesGradientsMatchFiniteDifferences() {
    int batch = 3, nIn = 33, nOut = 13;
    float[] x2 = randomArray(21, batch * nIn, 1f);
    float[] w2 = randomArray(22, nOut * nIn, 0.3f);
    float[] b2 = randomArray(23, nOut, 0.3f);
    float[] g2 = randomArray(24, batch * nOut, 1f);
    float[] y2 = new float[batch * nOut];
    GradCheck.Loss l = () -> {
      DenseKernels.denseForward(x2, w2, b2, y2, batch, nIn, nOut);
      return GradCheck.dot(y2, g2);
    };
    float[] dx = new float[x2.length];
    float[] dW = new float[w2.length];
    DenseKernels.denseBackwardInput(g2, w2, dx, batch, nIn, nOut);
    DenseKernels.denseBackwardWeights(g2, x2, dW, batch, nIn, nOut);
    assertClose("dx", GradCheck.numeric(x2, x2.length, EPS, l), dx, dx.length, ATOL, RTOL);
    assertClose("dW", GradCheck.numeric(w2, w2.length, EPS, l), dW, dW.length, ATOL, RTOL);
  }
}
