package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoraKernelsTest {
  private static final int BATCH = 7, N_IN = 13, RANK = 3, N_OUT = 5;
  private static final float SCALE = 2f / RANK;
  private static final float EPS = 1e-2f, ATOL = 2e-3f, RTOL = 1e-2f;

  private final float[] x = randomArray(91, BATCH * N_IN, 1f);
  private final float[] a = randomArray(92, RANK * N_IN, 0.5f);
  private final float[] b = randomArray(93, N_OUT * RANK, 0.5f);
  private final float[] base = randomArray(94, BATCH * N_OUT, 1f);   // the frozen layer's output
  private final float[] g = randomArray(95, BATCH * N_OUT, 1f);      // dL/dy for L = Σ y·g
  private final float[] h = new float[BATCH * RANK];
  private final float[] y = new float[BATCH * N_OUT];

  private double loss() {
    System.arraycopy(base, 0, y, 0, y.length);
    LoraKernels.loraForward(x, a, b, h, y, BATCH, N_IN, RANK, N_OUT, SCALE);
    return GradCheck.dot(y, g);
  }

  @Test
  void forwardAddsScaledLowRankProductToTheBaseOutput() {
    float[] hWant = new float[BATCH * RANK];
    GemmKernels.matmulTransB(x, a, hWant, BATCH, N_IN, RANK, false);
    float[] delta = new float[BATCH * N_OUT];
    GemmKernels.matmulTransB(hWant, b, delta, BATCH, RANK, N_OUT, false);
    float[] yWant = base.clone();
    for (int i = 0; i < yWant.length; i++) {
      yWant[i] += SCALE * delta[i];
    }
    loss();
    assertClose("h", hWant, h, h.length, 1e-6f, 1e-6f);
    assertClose("y", yWant, y, y.length, 1e-6f, 1e-6f);
  }

  @Test
  void zeroBAddsNothing() {
    float[] zeroB = new float[N_OUT * RANK];
    float[] out = base.clone();
    LoraKernels.loraForward(x, a, zeroB, h, out, BATCH, N_IN, RANK, N_OUT, SCALE);
    assertBitIdentical("y", base, out, out.length);
  }

  @Test
  void backwardGradientsMatchFiniteDifferencesAndAccumulate() {
    float[] numA = GradCheck.numeric(a, a.length, EPS, this::loss);
    float[] numB = GradCheck.numeric(b, b.length, EPS, this::loss);
    float[] numX = GradCheck.numeric(x, x.length, EPS, this::loss);
    loss();   // h from the unperturbed forward
    float[] dA0 = randomArray(96, a.length, 1f);
    float[] dB0 = randomArray(97, b.length, 1f);
    float[] dx0 = randomArray(98, x.length, 1f);
    float[] dA = dA0.clone();
    float[] dB = dB0.clone();
    float[] dx = dx0.clone();
    float[] dh = randomArray(99, h.length, 1f);   // scratch, written
    LoraKernels.loraBackward(x, h, g, a, b, dh, dx, dA, dB, BATCH, N_IN, RANK, N_OUT, SCALE);
    assertClose("dA", numA, GradCheck.added(dA, dA0), a.length, ATOL, RTOL);
    assertClose("dB", numB, GradCheck.added(dB, dB0), b.length, ATOL, RTOL);
    assertClose("dx", numX, GradCheck.added(dx, dx0), x.length, ATOL, RTOL);
  }

  @Test
  void backwardWritesDhAsScaledDyTimesB() {
    loss();
    float[] want = new float[BATCH * RANK];
    GemmKernels.matmul(g, b, want, BATCH, N_OUT, RANK, false);
    for (int i = 0; i < want.length; i++) {
      want[i] *= SCALE;
    }
    float[] dh = randomArray(100, h.length, 1f);
    LoraKernels.loraBackward(x, h, g, a, b, dh, new float[x.length], new float[a.length], new float[b.length],
        BATCH, N_IN, RANK, N_OUT, SCALE);
    assertClose("dh", want, dh, dh.length, 1e-6f, 1e-6f);
  }

  @Test
  void oddShapesGradientsMatchFiniteDifferences() {
    int batch = 5, nIn = 33, rank = 1, nOut = 13;
    float scale = 1.5f;
    float[] x2 = randomArray(101, batch * nIn, 1f);
    float[] a2 = randomArray(102, rank * nIn, 0.5f);
    float[] b2 = randomArray(103, nOut * rank, 0.5f);
    float[] g2 = randomArray(104, batch * nOut, 1f);
    float[] h2 = new float[batch * rank];
    float[] y2 = new float[batch * nOut];
    GradCheck.Loss l = () -> {
      Arrays.fill(y2, 0f);
      LoraKernels.loraForward(x2, a2, b2, h2, y2, batch, nIn, rank, nOut, scale);
      return GradCheck.dot(y2, g2);
    };
    float[] numA = GradCheck.numeric(a2, a2.length, EPS, l);
    float[] numB = GradCheck.numeric(b2, b2.length, EPS, l);
    float[] numX = GradCheck.numeric(x2, x2.length, EPS, l);
    l.eval();
    float[] dA = new float[a2.length];
    float[] dB = new float[b2.length];
    float[] dx = new float[x2.length];
    LoraKernels.loraBackward(x2, h2, g2, a2, b2, new float[h2.length], dx, dA, dB, batch, nIn, rank, nOut, scale);
    assertClose("dA", numA, dA, dA.length, ATOL, RTOL);
    assertClose("dB", numB, dB, dB.length, ATOL, RTOL);
    assertClose("dx", numX, dx, dx.length, ATOL, RTOL);
  }
}
