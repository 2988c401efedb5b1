package io.priorflow.kernels.backend;

import io.priorflow.kernels.NormKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java backend's layer norm rows: bit-identical to {@link NormKernels#forwardRow} and
 * {@link NormKernels#inputGradRow}, row by row, for any block of rows and any vector width.
 *
 * <p>What makes the reference slow is not its arithmetic but its dependencies: each row's sums are one serial chain
 * of float adds over the columns, so a core waits an add's latency per column. Here {@link #GROUP} rows run side by
 * side: their sums advance together, column by column, each still in the reference's column order — the same
 * chains, interleaved, so the core keeps several adds in flight. The element-wise passes that follow (normalise,
 * scale and shift; the input gradient's per-element term) have no sums at all, so they run on vectors with lanes
 * over columns, each lane doing the reference's operations in its order (multiplies and adds never fused). Rows left
 * over after the last full group run the reference's own row methods.
 */
final class JavaNorm {
  private JavaNorm() {}

  /** Rows whose sums run side by side: 4 rows' two chains each keep 8 adds in flight. */
  static final int GROUP = 4;

  private static final VectorSpecies<Float> S = JavaGemm.SPECIES;
  private static final int L = S.length();

  /** Rows [r0, r1) of {@link NormKernels#layerNormForward}: the same bits as {@link NormKernels#forwardRow}. */
  static void forwardRows(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd, int r0,
                          int r1, int n) {
    int r = r0;
    for (; r + GROUP <= r1; r += GROUP) {
      int o0 = r * n;
      int o1 = o0 + n;
      int o2 = o1 + n;
      int o3 = o2 + n;
      float m0 = 0f;
      float m1 = 0f;
      float m2 = 0f;
      float m3 = 0f;
      for (int i = 0; i < n; i++) {
        m0 += x[o0 + i];
        m1 += x[o1 + i];
        m2 += x[o2 + i];
        m3 += x[o3 + i];
      }
      m0 = m0 / n;
      m1 = m1 / n;
      m2 = m2 / n;
      m3 = m3 / n;
      float v0 = 0f;
      float v1 = 0f;
      float v2 = 0f;
      float v3 = 0f;
      for (int i = 0; i < n; i++) {
        float d0 = x[o0 + i] - m0;
        float d1 = x[o1 + i] - m1;
        float d2 = x[o2 + i] - m2;
        float d3 = x[o3 + i] - m3;
        v0 += d0 * d0;
        v1 += d1 * d1;
        v2 += d2 * d2;
        v3 += d3 * d3;
      }
      normaliseRow(x, gamma, beta, y, mean, rstd, r, n, m0, v0);
      normaliseRow(x, gamma, beta, y, mean, rstd, r + 1, n, m1, v1);
      normaliseRow(x, gamma, beta, y, mean, rstd, r + 2, n, m2, v2);
      normaliseRow(x, gamma, beta, y, mean, rstd, r + 3, n, m3, v3);
    }
    for (; r < r1; r++) {
      NormKernels.forwardRow(x, gamma, beta, y, mean, rstd, r, n);
    }
  }

  /** The end of {@link NormKernels#forwardRow} for row r, from its mean m and its sum of squares vSum. */
  private static void normaliseRow(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                                   int r, int n, float m, float vSum) {
    float v = vSum / n;
    float s = 1f / (float) Math.sqrt(v + NormKernels.LAYER_NORM_EPS);
    int off = r * n;
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      // xh = s·(x − m), then xh·gamma + beta: multiply, then add
      FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(m).mul(s);
      xh.mul(FloatVector.fromArray(S, gamma, i)).add(FloatVector.fromArray(S, beta, i)).intoArray(y, off + i);
    }
    for (; i < n; i++) {
      float xh = s * (x[off + i] - m);
      y[off + i] = xh * gamma[i] + beta[i];
    }
    mean[r] = m;
    rstd[r] = s;
  }

  /** Rows [r0, r1) of dx in {@link NormKernels#layerNormBackward}: the same bits as {@link NormKernels#inputGradRow}. */
  static void inputGradRows(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx, int r0,
                            int r1, int n) {
    int r = r0;
    for (; r + GROUP <= r1; r += GROUP) {
      int o0 = r * n;
      int o1 = o0 + n;
      int o2 = o1 + n;
      int o3 = o2 + n;
      float m0 = mean[r];
      float m1 = mean[r + 1];
      float m2 = mean[r + 2];
      float m3 = mean[r + 3];
      float s0 = rstd[r];
      float s1 = rstd[r + 1];
      float s2 = rstd[r + 2];
      float s3 = rstd[r + 3];
      float g0 = 0f;
      float g1 = 0f;
      float g2 = 0f;
      float g3 = 0f;
      float gx0 = 0f;
      float gx1 = 0f;
      float gx2 = 0f;
      float gx3 = 0f;
      for (int i = 0; i < n; i++) {
        float gi = gamma[i];
        float g = gi * dy[o0 + i];
        g0 += g;
        gx0 += g * (s0 * (x[o0 + i] - m0));
        g = gi * dy[o1 + i];
        g1 += g;
        gx1 += g * (s1 * (x[o1 + i] - m1));
        g = gi * dy[o2 + i];
        g2 += g;
        gx2 += g * (s2 * (x[o2 + i] - m2));
        g = gi * dy[o3 + i];
        g3 += g;
        gx3 += g * (s3 * (x[o3 + i] - m3));
      }
      inputGradTerms(x, dy, gamma, dx, o0, n, m0, s0, g0 / n, gx0 / n);
      inputGradTerms(x, dy, gamma, dx, o1, n, m1, s1, g1 / n, gx1 / n);
      inputGradTerms(x, dy, gamma, dx, o2, n, m2, s2, g2 / n, gx2 / n);
      inputGradTerms(x, dy, gamma, dx, o3, n, m3, s3, g3 / n, gx3 / n);
    }
    for (; r < r1; r++) {
      NormKernels.inputGradRow(x, dy, gamma, mean, rstd, dx, r, n);
    }
  }

  /** The second pass of {@link NormKernels#inputGradRow} over the row at off: dx += (g − gMean − xh·gxMean)·s. */
  private static void inputGradTerms(float[] x, float[] dy, float[] gamma, float[] dx, int off, int n, float m,
                                     float s, float gMean, float gxMean) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(m).mul(s);
      FloatVector g = FloatVector.fromArray(S, gamma, i).mul(FloatVector.fromArray(S, dy, off + i));
      FloatVector term = g.sub(gMean).sub(xh.mul(gxMean)).mul(s);
      FloatVector.fromArray(S, dx, off + i).add(term).intoArray(dx, off + i);
    }
    for (; i < n; i++) {
      float xh = s * (x[off + i] - m);
      float g = gamma[i] * dy[off + i];
      dx[off + i] += (g - gMean - xh * gxMean) * s;
    }
  }
}
