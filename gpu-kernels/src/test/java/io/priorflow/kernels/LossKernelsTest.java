package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static io.priorflow.kernels.KernelAsserts.randomTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LossKernelsTest {
  private static final int ROWS = 7, N = 13;
  private static final float EPS = 1e-2f, ATOL = 2e-3f, RTOL = 1e-2f;

  /** Random distributions: each row positive and summing to 1 (softmax of random logits). */
  private static float[] randomDistributions(long seed, int rows, int n) {
    float[] p = new float[rows * n];
    LossKernels.softmaxForward(randomArray(seed, rows * n, 2f), p, rows, n);
    return p;
  }

  @Test
  void softmaxRowsArePositiveAndSumToOne() {
    float[] logits = randomArray(51, ROWS * N, 5f);
    logits[3] = 1e4f;     // huge values must not overflow
    logits[N + 4] = -1e4f;
    float[] probs = new float[ROWS * N];
    LossKernels.softmaxForward(logits, probs, ROWS, N);
    for (int r = 0; r < ROWS; r++) {
      double s = 0;
      for (int j = 0; j < N; j++) {
        float p = probs[r * N + j];
        assertTrue(p >= 0f && p <= 1f, "row " + r + " col " + j + " = " + p);
        s += p;
      }
      assertEquals(1.0, s, 1e-6, "row " + r);
    }
    assertEquals(1f, probs[3], 1e-6f);
  }

  @Test
  void logSoftmaxIsLogOfSoftmax() {
    float[] logits = randomArray(52, ROWS * N, 5f);
    float[] probs = new float[ROWS * N];
    float[] logProbs = new float[ROWS * N];
    LossKernels.softmaxForward(logits, probs, ROWS, N);
    LossKernels.logSoftmaxForward(logits, logProbs, ROWS, N);
    float[] want = new float[ROWS * N];
    for (int i = 0; i < want.length; i++) {
      want[i] = (float) Math.log(probs[i]);
    }
    assertClose("log softmax", want, logProbs, want.length, 1e-5f, 1e-5f);
  }

  @Test
  void crossEntropyOfUniformLogitsIsLogN() {
    float[] logits = new float[ROWS * N];
    Arrays.fill(logits, 3.5f);
    float[] mask = new float[ROWS];
    Arrays.fill(mask, 1f);
    float[] losses = new float[ROWS];
    LossKernels.crossEntropyForward(logits, randomTokens(53, ROWS, N), mask, losses, ROWS, N);
    for (int r = 0; r < ROWS; r++) {
      assertEquals(Math.log(N), losses[r], 1e-6, "row " + r);
    }
  }

  @Test
  void crossEntropyBackwardMatchesFiniteDifferences() {
    float[] logits = randomArray(54, ROWS * N, 3f);
    int[] targets = randomTokens(55, ROWS, N);
    float[] mask = {1f, 0.5f, 0f, 2f, -1.5f, 1f, 0.25f};   // weights, a skipped row, a negative advantage
    float scale = 1f / 3f;
    float[] losses = new float[ROWS];
    float[] numeric = GradCheck.numeric(logits, logits.length, EPS, () -> {
      LossKernels.crossEntropyForward(logits, targets, mask, losses, ROWS, N);
      return scale * GradCheck.total(losses);
    });
    float[] dlogits = randomArray(56, ROWS * N, 1f);   // garbage: the kernel writes
    LossKernels.crossEntropyBackward(logits, targets, mask, dlogits, ROWS, N, scale);
    assertClose("dlogits", numeric, dlogits, dlogits.length, ATOL, RTOL);
  }

  @Test
  void softCrossEntropyBackwardMatchesFiniteDifferences() {
    float[] logits = randomArray(57, ROWS * N, 3f);
    float[] p = randomDistributions(58, ROWS, N);
    float[] mask = {1f, 0.5f, 0f, 2f, -1.5f, 1f, 0.25f};
    float scale = 0.7f;
    float[] losses = new float[ROWS];
    float[] numeric = GradCheck.numeric(logits, logits.length, EPS, () -> {
      LossKernels.softCrossEntropyForward(logits, p, mask, losses, ROWS, N);
      return scale * GradCheck.total(losses);
    });
    float[] dlogits = randomArray(59, ROWS * N, 1f);
    LossKernels.softCrossEntropyBackward(logits, p, mask, dlogits, ROWS, N, scale);
    assertClose("dlogits", numeric, dlogits, dlogits.length, ATOL, RTOL);
  }

  @Test
  void softCrossEntropyWithOneHotTargetsEqualsCrossEntropy() {
    float[] logits = randomArray(60, ROWS * N, 3f);
    int[] targets = randomTokens(61, ROWS, N);
    float[] p = new float[ROWS * N];
    for (int r = 0; r < ROWS; r++) {
      p[r * N + targets[r]] = 1f;
    }
    float[] mask = randomArray(62, ROWS, 2f);
    float[] hard = new float[ROWS];
    float[] soft = new float[ROWS];
    LossKernels.crossEntropyForward(logits, targets, mask, hard, ROWS, N);
    LossKernels.softCrossEntropyForward(logits, p, mask, soft, ROWS, N);
    assertClose("loss", hard, soft, ROWS, 1e-5f, 1e-5f);
    float[] dHard = new float[ROWS * N];
    float[] dSoft = new float[ROWS * N];
    LossKernels.crossEntropyBackward(logits, targets, mask, dHard, ROWS, N, 0.5f);
    LossKernels.softCrossEntropyBackward(logits, p, mask, dSoft, ROWS, N, 0.5f);
    assertClose("dlogits", dHard, dSoft, ROWS * N, 1e-6f, 1e-6f);
  }

  @Test
  void maskWeightsScaleLossesAndGradients() {
    float[] logits = randomArray(63, ROWS * N, 3f);
    int[] targets = randomTokens(64, ROWS, N);
    float[] p = randomDistributions(65, ROWS, N);
    float[] ones = new float[ROWS];
    Arrays.fill(ones, 1f);
    float[] weights = new float[ROWS];
    Arrays.fill(weights, 2.5f);
    float[][] losses = new float[4][ROWS];
    LossKernels.crossEntropyForward(logits, targets, ones, losses[0], ROWS, N);
    LossKernels.crossEntropyForward(logits, targets, weights, losses[1], ROWS, N);
    LossKernels.softCrossEntropyForward(logits, p, ones, losses[2], ROWS, N);
    LossKernels.softCrossEntropyForward(logits, p, weights, losses[3], ROWS, N);
    float[][] grads = new float[4][ROWS * N];
    LossKernels.crossEntropyBackward(logits, targets, ones, grads[0], ROWS, N, 1f);
    LossKernels.crossEntropyBackward(logits, targets, weights, grads[1], ROWS, N, 1f);
    LossKernels.softCrossEntropyBackward(logits, p, ones, grads[2], ROWS, N, 1f);
    LossKernels.softCrossEntropyBackward(logits, p, weights, grads[3], ROWS, N, 1f);
    for (int k = 0; k < 4; k += 2) {
      for (int r = 0; r < ROWS; r++) {
        assertEquals(2.5f * losses[k][r], losses[k + 1][r], 1e-5f, "loss " + k + " row " + r);
      }
      for (int i = 0; i < ROWS * N; i++) {
        assertEquals(2.5f * grads[k][i], grads[k + 1][i], 1e-6f, "grad " + k + " at " + i);
      }
    }
  }

  @Test
  void maskedRowIsZeroAndItsTargetIsNotRead() {
    float[] logits = randomArray(66, 2 * N, 3f);
    int[] targets = {-1, 4};   // padding target on the masked row
    float[] mask = {0f, 1f};
    float[] losses = {9f, 9f};
    LossKernels.crossEntropyForward(logits, targets, mask, losses, 2, N);
    assertEquals(0f, losses[0]);
    assertTrue(losses[1] > 0f);
    float[] dlogits = randomArray(67, 2 * N, 1f);
    LossKernels.crossEntropyBackward(logits, targets, mask, dlogits, 2, N, 1f);
    for (int j = 0; j < N; j++) {
      assertEquals(0f, dlogits[j], "masked row col " + j);
    }
  }

  @Test
  void crossEntropyGradientRowsSumToZero() {
    float[] logits = randomArray(68, ROWS * N, 3f);
    float[] mask = new float[ROWS];
    Arrays.fill(mask, 1f);
    float[] dlogits = new float[ROWS * N];
    int[] targets = randomTokens(69, ROWS, N);
    LossKernels.crossEntropyBackward(logits, targets, mask, dlogits, ROWS, N, 1f);
    for (int r = 0; r < ROWS; r++) {
      double s = 0;
      for (int j = 0; j < N; j++) {
        s += dlogits[r * N + j];
      }
      assertEquals(0.0, s, 1e-6, "row " + r);
      assertTrue(dlogits[r * N + targets[r]] < 0f, "the target's logit is pushed up");
    }
  }

  @Test
  void backwardMayOverwriteTheLogitsInPlace() {
    float[] logits = randomArray(70, ROWS * N, 3f);
    int[] targets = randomTokens(71, ROWS, N);
    float[] mask = randomArray(72, ROWS, 2f);
    float[] separate = new float[ROWS * N];
    LossKernels.crossEntropyBackward(logits, targets, mask, separate, ROWS, N, 0.3f);
    LossKernels.crossEntropyBackward(logits, targets, mask, logits, ROWS, N, 0.3f);
    KernelAsserts.assertBitIdentical("in place", separate, logits, ROWS * N);
  }

  @Test
  void aMaskedRowIsExactlyZeroAndTouchesNothingElse() {
    // 3 rows of 4; rows 0 and 2 masked (the last one too: its zeros must stay inside the array), row 1 live;
    // a masked row's logits may be anything, even NaN, and its gradient is still 0
    float[] logits = {Float.NaN, 1, 2, 3, 0.5f, -1, 2, 0, Float.POSITIVE_INFINITY, 0, 0, 0};
    float[] p = {0.25f, 0.25f, 0.25f, 0.25f, 0, 1, 0, 0, 1, 0, 0, 0};
    float[] mask = {0, 1, 0};
    float[] d = new float[13];
    java.util.Arrays.fill(d, 7f);
    LossKernels.softCrossEntropyBackward(logits, p, mask, d, 3, 4, 0.5f);
    for (int j : new int[] {0, 1, 2, 3, 8, 9, 10, 11}) assertEquals(0f, d[j], 0f, "masked element " + j);
    assertEquals(7f, d[12], 0f, "nothing written past the rows");
    double z = Math.exp(0.5) + Math.exp(-1) + Math.exp(2) + Math.exp(0);
    assertEquals(0.5 * (Math.exp(-1) / z - 1), d[5], 1e-6);
    assertEquals(0.5 * Math.exp(2) / z, d[6], 1e-6);
  }
}
