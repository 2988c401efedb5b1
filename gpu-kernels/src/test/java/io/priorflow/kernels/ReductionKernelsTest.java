package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReductionKernelsTest {

  @Test
  void sumAndSumSquaresAccumulateInDouble() {
    float[] x = {1e8f, 1f, -1e8f, 1f, 0.5f};   // in float, 1e8 + 1 loses the 1
    assertEquals(2.5, ReductionKernels.sum(x, 5), 0.0);
    assertEquals(2 * 1e16 + 2.25, ReductionKernels.sumSquares(x, 5), 4.0);
  }

  @Test
  void reductionsReadOnlyTheFirstNValues() {
    float[] x = {3f, 4f, 100f};
    assertEquals(7.0, ReductionKernels.sum(x, 2), 0.0);
    assertEquals(25.0, ReductionKernels.sumSquares(x, 2), 0.0);
    assertEquals(4f, ReductionKernels.max(x, 2));
  }

  @Test
  void maxFindsTheLargestValue() {
    float[] x = randomArray(111, 33, 10f);
    x[17] = 42f;
    assertEquals(42f, ReductionKernels.max(x, 33));
    assertEquals(-1f, ReductionKernels.max(new float[] {-3f, -1f, -2f}, 3));
  }

  @Test
  void logSumExpOfHugeValuesIsFiniteAndRight() {
    float[] x = {1e4f, 1e4f, -1e4f};
    float got = ReductionKernels.logSumExp(x, 3);
    assertTrue(Float.isFinite(got));
    assertEquals(1e4 + Math.log(2), got, 2e-3);
    assertEquals(-1e4 + Math.log(3), ReductionKernels.logSumExp(new float[] {-1e4f, -1e4f, -1e4f}, 3), 2e-3);
  }

  @Test
  void logSumExpMatchesTheDirectFormulaOnModerateValues() {
    float[] x = randomArray(112, 13, 3f);
    double s = 0;
    for (float v : x) {
      s += Math.exp(v);
    }
    assertEquals(Math.log(s), ReductionKernels.logSumExp(x, 13), 1e-6);
  }

  @Test
  void logSumExpOfAllNegativeInfinityIsNegativeInfinity() {
    float inf = Float.NEGATIVE_INFINITY;
    assertEquals(inf, ReductionKernels.logSumExp(new float[] {inf, inf}, 2));
  }

  @Test
  void rowLogSumExpMatchesLogSumExpOfEachRow() {
    int rows = 7, n = 33;
    float[] x = randomArray(113, rows * n, 5f);
    x[40] = 1e4f;
    float[] out = new float[rows];
    ReductionKernels.rowLogSumExp(x, out, rows, n);
    float[] want = new float[rows];
    for (int r = 0; r < rows; r++) {
      float[] row = new float[n];
      System.arraycopy(x, r * n, row, 0, n);
      want[r] = ReductionKernels.logSumExp(row, n);
    }
    assertClose("row lse", want, out, rows, 1e-5f, 1e-6f);
  }
}
