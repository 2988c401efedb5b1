package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Layer norm against a double-precision text of the same formula, its backward against central differences of that
 * double-precision forward (step 1e-4, so the numeric gradient is exact to ~1e-8 and the tolerance measures the float
 * kernel), accumulation into dx, dGamma and dBeta, and the residual add.
 */
class NormKernelsTest {
  private static final int ROWS = 7, N = 13;

  /** y(rows, n) of layer norm, computed in double. */
  private static double[] forwardDouble(double[] x, double[] gamma, double[] beta, int rows, int n) {
    double[] y = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double m = 0;
      for (int i = 0; i < n; i++) {
        m += x[r * n + i];
      }
      m /= n;
      double v = 0;
      for (int i = 0; i < n; i++) {
        v += (x[r * n + i] - m) * (x[r * n + i] - m);
      }
      v /= n;
      double s = 1 / Math.sqrt(v + NormKernels.LAYER_NORM_EPS);
      for (int i = 0; i < n; i++) {
        y[r * n + i] = (x[r * n + i] - m) * s * gamma[i] + beta[i];
      }
    }
    return y;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  /** ∂(Σ g·y)/∂p by central differences in double, p being one of the forward's inputs (x, gamma or beta). */
  private static float[] numeric(double[] p, double[] x, double[] gamma, double[] beta, double[] g, int rows, int n) {
    double h = 1e-4;
    float[] grad = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      double p0 = p[i];
      p[i] = p0 + h;
      double up = dot(forwardDouble(x, gamma, beta, rows, n), g);
      p[i] = p0 - h;
      double down = dot(forwardDouble(x, gamma, beta, rows, n), g);
      p[i] = p0;
      grad[i] = (float) ((up - down) / (2 * h));
    }
    return grad;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void forwardMatchesDoublePrecisionLayerNorm() {
    float[] x = randomArray(1, ROWS * N, 3f);
    x[5] = 40f; // an outlier in row 0
    float[] gamma = randomArray(2, N, 1.5f);
    float[] beta = randomArray(3, N, 1f);
    float[] y = new float[ROWS * N];
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    NormKernels.layerNormForward(x, gamma, beta, y, mean, rstd, ROWS, N);
    float[] want = toFloat(forwardDouble(toDouble(x), toDouble(gamma), toDouble(beta), ROWS, N));
    assertClose("y", want, y, want.length, 1e-5f, 1e-5f);
    for (int r = 0; r < ROWS; r++) {
      double m = 0;
      double v = 0;
      for (int i = 0; i < N; i++) {
        m += x[r * N + i];
      }
      m /= N;
      for (int i = 0; i < N; i++) {
        v += (x[r * N + i] - m) * (x[r * N + i] - m);
      }
      assertEquals(m, mean[r], 1e-5 * (1 + Math.abs(m)), "mean of row " + r);
      assertEquals(1 / Math.sqrt(v / N + 1e-5), rstd[r], 1e-5 * rstd[r], "rstd of row " + r);
    }
  }

  @Test
  void unitGammaZeroBetaGivesZeroMeanUnitVarianceRows() {
    float[] x = randomArray(4, ROWS * N, 5f);
    float[] ones = new float[N];
    java.util.Arrays.fill(ones, 1f);
    float[] y = new float[ROWS * N];
    NormKernels.layerNormForward(x, ones, new float[N], y, new float[ROWS], new float[ROWS], ROWS, N);
    for (int r = 0; r < ROWS; r++) {
      double m = 0;
      double v = 0;
      for (int i = 0; i < N; i++) {
        m += y[r * N + i];
        v += (double) y[r * N + i] * y[r * N + i];
      }
      assertEquals(0, m / N, 1e-6, "mean of row " + r);
      assertEquals(1, v / N, 1e-4, "variance of row " + r); // slightly below 1 by ε / var
    }
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    float[] xf = randomArray(5, ROWS * N, 2f);
    float[] gf = randomArray(6, N, 1.5f);
    float[] bf = randomArray(7, N, 1f);
    float[] dy = randomArray(8, ROWS * N, 1f); // L = Σ dy·y, so ∂L/∂y = dy
    double[] x = toDouble(xf), gamma = toDouble(gf), beta = toDouble(bf), g = toDouble(dy);
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    NormKernels.layerNormForward(xf, gf, bf, new float[ROWS * N], mean, rstd, ROWS, N);
    float[] dx = new float[ROWS * N];
    float[] dGamma = new float[N];
    float[] dBeta = new float[N];
    NormKernels.layerNormBackward(xf, dy, gf, mean, rstd, dx, dGamma, dBeta, ROWS, N);
    assertClose("dx", numeric(x, x, gamma, beta, g, ROWS, N), dx, dx.length, 2e-5f, 1e-4f);
    assertClose("dGamma", numeric(gamma, x, gamma, beta, g, ROWS, N), dGamma, N, 2e-5f, 1e-4f);
    assertClose("dBeta", numeric(beta, x, gamma, beta, g, ROWS, N), dBeta, N, 2e-5f, 1e-4f);
  }

  @Test
  void backwardAccumulatesIntoDxDGammaAndDBeta() {
    float[] x = randomArray(9, ROWS * N, 2f);
    float[] gamma = randomArray(10, N, 1.5f);
    float[] dy = randomArray(11, ROWS * N, 1f);
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    NormKernels.layerNormForward(x, gamma, randomArray(12, N, 1f), new float[ROWS * N], mean, rstd, ROWS, N);
    float[] dx = new float[ROWS * N], dGamma = new float[N], dBeta = new float[N];
    NormKernels.layerNormBackward(x, dy, gamma, mean, rstd, dx, dGamma, dBeta, ROWS, N);
    float[] dx0 = randomArray(13, ROWS * N, 5f), dGamma0 = randomArray(14, N, 5f), dBeta0 = randomArray(15, N, 5f);
    float[] dxAcc = dx0.clone(), dGammaAcc = dGamma0.clone(), dBetaAcc = dBeta0.clone();
    NormKernels.layerNormBackward(x, dy, gamma, mean, rstd, dxAcc, dGammaAcc, dBetaAcc, ROWS, N);
    assertClose("dx added", dx, GradCheck.added(dxAcc, dx0), dx.length, 1e-5f, 1e-5f);
    assertClose("dGamma added", dGamma, GradCheck.added(dGammaAcc, dGamma0), N, 1e-5f, 1e-5f);
    assertClose("dBeta added", dBeta, GradCheck.added(dBetaAcc, dBeta0), N, 1e-5f, 1e-5f);
  }

  @Test
  void addAccumulatesElementWise() {
    int n = 37;
    float[] x = randomArray(16, n, 1f);
    float[] y0 = randomArray(17, n, 1f);
    float[] y = y0.clone();
    NormKernels.add(x, y, n - 1);
    float[] want = new float[n];
    for (int i = 0; i < n - 1; i++) {
      want[i] = y0[i] + x[i];
    }
    want[n - 1] = y0[n - 1]; // beyond n: untouched
    assertBitIdentical("y", want, y, n);
  }
}
