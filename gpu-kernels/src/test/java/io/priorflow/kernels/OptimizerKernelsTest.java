package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.kernels.backend.ReferenceBackend;
import org.junit.jupiter.api.Test;

class OptimizerKernelsTest {
  private static final int N = 33;
  private static final float LR = 1e-2f, B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;

  @Test
  void firstAdamwStepMovesEachParamByLearningRateAgainstItsGradient() {
    float[] p0 = randomArray(81, N, 1f);
    float[] g = randomArray(82, N, 1f);
    float[] p = p0.clone();
    // With bias correction m̂ = g and v̂ = g² on step 1, so the step is lr·g/|g| = lr·sign(g) whatever |g| is.
    OptimizerKernels.adamw(p, g, new float[N], new float[N], N, LR, B1, B2, EPS, 0f, 1);
    for (int i = 0; i < N; i++) {
      assertEquals(-LR * Math.signum(g[i]), p[i] - p0[i], 1e-6f, "param " + i + " (g = " + g[i] + ")");
    }
  }

  @Test
  void weightDecayShrinksAZeroGradientParamByLrTimesDecay() {
    float wd = 0.1f;
    float[] p = {2f, -3f};
    OptimizerKernels.adamw(p, new float[2], new float[2], new float[2], 2, LR, B1, B2, EPS, wd, 1);
    assertEquals(2f - LR * wd * 2f, p[0], 1e-7f);
    assertEquals(-3f + LR * wd * 3f, p[1], 1e-7f);
  }

  @Test
  void adamwMatchesDoublePrecisionAlgorithmOverSeveralSteps() {
    float wd = 0.05f;
    float[] p = randomArray(83, N, 1f);
    float[] m = new float[N];
    float[] v = new float[N];
    double[] pd = new double[N];
    double[] md = new double[N];
    double[] vd = new double[N];
    for (int i = 0; i < N; i++) {
      pd[i] = p[i];
    }
    for (int t = 1; t <= 5; t++) {
      float[] g = randomArray(100 + t, N, 1f);
      OptimizerKernels.adamw(p, g, m, v, N, LR, B1, B2, EPS, wd, t);
      for (int i = 0; i < N; i++) {
        md[i] = B1 * md[i] + (1 - B1) * g[i];
        vd[i] = B2 * vd[i] + (1 - (double) B2) * g[i] * g[i];
        double mHat = md[i] / (1 - Math.pow(B1, t));
        double vHat = vd[i] / (1 - Math.pow(B2, t));
        pd[i] -= LR * (mHat / (Math.sqrt(vHat) + EPS) + wd * pd[i]);
      }
    }
    float[] want = new float[N];
    for (int i = 0; i < N; i++) {
      want[i] = (float) pd[i];
    }
    assertClose("params after 5 steps", want, p, N, 1e-5f, 1e-5f);
  }

  @Test
  void scaleMultipliesEveryValue() {
    float[] x = {1f, -2f, 0.5f, 4f};
    OptimizerKernels.scale(x, 3, 0.5f);
    assertClose("x", new float[] {0.5f, -1f, 0.25f, 4f}, x, 4, 0f, 0f);
  }

  @Test
  void clipGradNormBringsALargeNormToMaxNormExactly() {
    float[][] grads = {randomArray(84, 13, 5f), randomArray(85, 7, 5f), randomArray(86, 33, 5f)};
    int[] sizes = {13, 7, 33};
    double before = norm(grads, sizes);
    double returned = OptimizerKernels.clipGradNorm(new ReferenceBackend(), grads, sizes, 1f);
    assertEquals(before, returned, 1e-9 * before, "returns the norm before clipping");
    assertEquals(1.0, norm(grads, sizes), 1e-5);
  }

  @Test
  void clipGradNormLeavesSmallGradientsUntouched() {
    float[][] grads = {randomArray(87, 13, 0.01f), randomArray(88, 7, 0.01f)};
    float[][] copy = {grads[0].clone(), grads[1].clone()};
    int[] sizes = {13, 7};
    double returned = OptimizerKernels.clipGradNorm(new ReferenceBackend(), grads, sizes, 1f);
    assertEquals(norm(copy, sizes), returned, 1e-12);
    assertBitIdentical("grads[0]", copy[0], grads[0], 13);
    assertBitIdentical("grads[1]", copy[1], grads[1], 7);
  }

  @Test
  void clipGradNormUsesOnlyTheGivenSizes() {
    float[][] grads = {{3f, 4f, 1000f}};   // the third value is outside sizes[0] = 2
    double returned = OptimizerKernels.clipGradNorm(new ReferenceBackend(), grads, new int[] {2}, 1f);
    assertEquals(5.0, returned, 1e-12);
    assertClose("grads", new float[] {0.6f, 0.8f, 1000f}, grads[0], 3, 1e-7f, 0f);
  }

  private static double norm(float[][] grads, int[] sizes) {
    double s = 0;
    for (int b = 0; b < grads.length; b++) {
      for (int i = 0; i < sizes[b]; i++) {
        s += (double) grads[b][i] * grads[b][i];
      }
    }
    return Math.sqrt(s);
  }
}
