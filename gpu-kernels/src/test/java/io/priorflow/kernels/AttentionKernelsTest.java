package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Causal self-attention: the forward against a double-precision text of the same formula, softmax rows and the
 * causal mask, causality itself, the backward against central differences of the double-precision forward, the
 * backward's accumulate/write contract, and decoding from a cache equal to the forward bit for bit.
 */
class AttentionKernelsTest {
  // two sequences, 7 positions, dim 15 = 3 heads of 5: nothing a multiple of 8
  private static final int B = 2, T = 7, DIM = 15, HEADS = 3, HS = DIM / HEADS;

  /** out(batch·t, dim) of causal attention computed in double from qkv(batch·t, 3·dim). */
  static double[] forwardDouble(double[] qkv, int batch, int t, int dim, int heads) {
    int hs = dim / heads;
    double[] out = new double[batch * t * dim];
    double[] w = new double[t];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < t; i++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            double s = 0;
            for (int d = 0; d < hs; d++) {
              s += qkv[(b * t + i) * 3 * dim + h * hs + d] * qkv[(b * t + j) * 3 * dim + dim + h * hs + d];
            }
            w[j] = s / Math.sqrt(hs);
            max = Math.max(max, w[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            w[j] = Math.exp(w[j] - max);
            sum += w[j];
          }
          for (int d = 0; d < hs; d++) {
            double o = 0;
            for (int j = 0; j <= i; j++) {
              o += w[j] / sum * qkv[(b * t + j) * 3 * dim + 2 * dim + h * hs + d];
            }
            out[(b * t + i) * dim + h * hs + d] = o;
          }
        }
      }
    }
    return out;
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

  @Test
  void forwardMatchesDoublePrecisionAttention() {
    for (int[] s : new int[][] {{B, T, DIM, HEADS}, {1, 1, 4, 2}, {3, 17, 16, 1}, {2, 64, 64, 4}}) {
      int batch = s[0], t = s[1], dim = s[2], heads = s[3];
      float[] qkv = randomArray(100 + t, batch * t * 3 * dim, 2f);
      float[] out = new float[batch * t * dim];
      AttentionKernels.attentionForward(qkv, new float[batch * heads * t * t], out, batch, t, dim, heads);
      float[] want = toFloat(forwardDouble(toDouble(qkv), batch, t, dim, heads));
      assertClose("out, " + Arrays.toString(s), want, out, want.length, 2e-6f, 1e-5f);
    }
  }

  @Test
  void attentionRowsAreDistributionsOverThePast() {
    float[] qkv = randomArray(1, B * T * 3 * DIM, 3f);
    float[] att = randomArray(2, B * HEADS * T * T, 1f); // garbage: the kernel writes every entry
    AttentionKernels.attentionForward(qkv, att, new float[B * T * DIM], B, T, DIM, HEADS);
    for (int row = 0; row < B * HEADS * T; row++) {
      int i = row % T;
      double sum = 0;
      for (int j = 0; j < T; j++) {
        float a = att[row * T + j];
        if (j > i) {
          assertEquals(0f, a, "att above the diagonal, row " + row + ", j " + j);
        } else {
          assertFalse(a < 0f || a > 1f, "att outside [0, 1]: " + a);
          sum += a;
        }
      }
      assertEquals(1.0, sum, 1e-6, "att row " + row);
    }
  }

  @Test
  void firstPositionOutputsItsOwnValue() {
    float[] qkv = randomArray(3, B * T * 3 * DIM, 3f);
    float[] out = new float[B * T * DIM];
    AttentionKernels.attentionForward(qkv, new float[B * HEADS * T * T], out, B, T, DIM, HEADS);
    for (int b = 0; b < B; b++) {
      float[] v = Arrays.copyOfRange(qkv, b * T * 3 * DIM + 2 * DIM, b * T * 3 * DIM + 3 * DIM);
      float[] o = Arrays.copyOfRange(out, b * T * DIM, b * T * DIM + DIM);
      assertBitIdentical("out at position 0 of sequence " + b, v, o, DIM);
    }
  }

  @Test
  void noOutputDependsOnALaterPosition() {
    float[] qkv = randomArray(4, B * T * 3 * DIM, 2f);
    float[] att = new float[B * HEADS * T * T];
    float[] out = new float[B * T * DIM];
    AttentionKernels.attentionForward(qkv, att, out, B, T, DIM, HEADS);
    for (int p = 0; p < T; p++) {
      float[] changed = qkv.clone();
      for (int b = 0; b < B; b++) {
        for (int c = 0; c < 3 * DIM; c++) {
          changed[(b * T + p) * 3 * DIM + c] += 0.5f; // q, k and v of position p
        }
      }
      float[] att2 = new float[att.length];
      float[] out2 = new float[out.length];
      AttentionKernels.attentionForward(changed, att2, out2, B, T, DIM, HEADS);
      for (int b = 0; b < B; b++) {
        int from = b * T * DIM;
        assertBitIdentical("out before position " + p, Arrays.copyOfRange(out, from, from + p * DIM),
            Arrays.copyOfRange(out2, from, from + p * DIM), p * DIM);
        assertFalse(Arrays.equals(Arrays.copyOfRange(out, from + p * DIM, from + (p + 1) * DIM),
            Arrays.copyOfRange(out2, from + p * DIM, from + (p + 1) * DIM)), "out at position " + p + " unchanged");
        for (int h = 0; h < HEADS; h++) {
          int plane = (b * HEADS + h) * T * T;
          assertBitIdentical("att rows before position " + p, Arrays.copyOfRange(att, plane, plane + p * T),
              Arrays.copyOfRange(att2, plane, plane + p * T), p * T);
        }
      }
    }
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    float[] qkvF = randomArray(5, B * T * 3 * DIM, 1.5f);
    float[] dout = randomArray(6, B * T * DIM, 1f); // L = Σ dout·out
    float[] att = new float[B * HEADS * T * T];
    AttentionKernels.attentionForward(qkvF, att, new float[B * T * DIM], B, T, DIM, HEADS);
    float[] dqkv = new float[qkvF.length];
    AttentionKernels.attentionBackward(qkvF, att, dout, new float[att.length], dqkv, B, T, DIM, HEADS);

    double[] qkv = toDouble(qkvF);
    double[] g = toDouble(dout);
    double h = 1e-4;
    float[] numeric = new float[qkv.length];
    for (int i = 0; i < qkv.length; i++) {
      double p0 = qkv[i];
      qkv[i] = p0 + h;
      double up = dot(forwardDouble(qkv, B, T, DIM, HEADS), g);
      qkv[i] = p0 - h;
      double down = dot(forwardDouble(qkv, B, T, DIM, HEADS), g);
      qkv[i] = p0;
      numeric[i] = (float) ((up - down) / (2 * h));
    }
    assertClose("dqkv", numeric, dqkv, dqkv.length, 2e-5f, 1e-4f);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void backwardAccumulatesIntoDqkvAndWritesDatt() {
    float[] qkv = randomArray(7, B * T * 3 * DIM, 2f);
    float[] dout = randomArray(8, B * T * DIM, 1f);
    float[] att = new float[B * HEADS * T * T];
    AttentionKernels.attentionForward(qkv, att, new float[B * T * DIM], B, T, DIM, HEADS);
    float[] datt = new float[att.length];
    float[] dqkv = new float[qkv.length];
    AttentionKernels.attentionBackward(qkv, att, dout, datt, dqkv, B, T, DIM, HEADS);

    float[] dattDirty = randomArray(9, att.length, 10f);
    float[] dqkv0 = randomArray(10, qkv.length, 5f);
    float[] dqkvAcc = dqkv0.clone();
    AttentionKernels.attentionBackward(qkv, att, dout, dattDirty, dqkvAcc, B, T, DIM, HEADS);
    assertBitIdentical("datt from a dirty buffer", datt, dattDirty, datt.length);
    assertClose("dqkv added", dqkv, GradCheck.added(dqkvAcc, dqkv0), dqkv.length, 1e-5f, 1e-5f);
  }

  @Test
  void decodingFromACacheReproducesTheForwardBitForBit() {
    int tMax = T + 4;
    float[] qkv = randomArray(11, B * T * 3 * DIM, 3f);
    float[] att = new float[B * HEADS * T * T];
    float[] out = new float[B * T * DIM];
    AttentionKernels.attentionForward(qkv, att, out, B, T, DIM, HEADS);
    float[] kCache = new float[B * tMax * DIM];
    float[] vCache = new float[B * tMax * DIM];
    Arrays.fill(kCache, Float.NaN); // beyond len: must not be read
    Arrays.fill(vCache, Float.NaN);
    float[] q = new float[B * DIM];
    float[] scores = new float[B * HEADS * tMax];
    float[] got = new float[B * DIM];
    int[] len = new int[B];
    for (int p = 0; p < T; p++) {
      for (int b = 0; b < B; b++) {
        // sequence 1 lags one step behind (from p = 1), so the two lens differ
        int pos = b == 1 ? Math.max(0, p - 1) : p;
        int row = (b * T + pos) * 3 * DIM;
        System.arraycopy(qkv, row, q, b * DIM, DIM);
        System.arraycopy(qkv, row + DIM, kCache, (b * tMax + pos) * DIM, DIM);
        System.arraycopy(qkv, row + 2 * DIM, vCache, (b * tMax + pos) * DIM, DIM);
        len[b] = pos + 1;
      }
      AttentionKernels.attentionDecode(q, kCache, vCache, len, scores, got, B, tMax, DIM, HEADS);
      for (int b = 0; b < B; b++) {
        int pos = len[b] - 1;
        assertBitIdentical("out of sequence " + b + " at position " + pos,
            Arrays.copyOfRange(out, (b * T + pos) * DIM, (b * T + pos + 1) * DIM),
            Arrays.copyOfRange(got, b * DIM, (b + 1) * DIM), DIM);
        for (int h = 0; h < HEADS; h++) {
          int attRow = ((b * HEADS + h) * T + pos) * T;
          int scoreRow = (b * HEADS + h) * tMax;
          assertBitIdentical("softmax weights of sequence " + b + ", head " + h + ", position " + pos,
              Arrays.copyOfRange(att, attRow, attRow + pos + 1),
              Arrays.copyOfRange(scores, scoreRow, scoreRow + pos + 1), pos + 1);
        }
      }
    }
  }

  @Test
  void scoresAreScaledByTheHeadSize() {
    assertEquals((float) (1 / Math.sqrt(HS)), AttentionKernels.scoreScale(HS));
  }
}
