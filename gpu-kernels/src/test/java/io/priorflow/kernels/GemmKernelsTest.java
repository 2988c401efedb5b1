package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;

import org.junit.jupiter.api.Test;

class GemmKernelsTest {

  /** (rows, cols) row-major → (cols, rows) row-major. */
  private static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = x[r * cols + c];
      }
    }
    return t;
  }

  @Test
  void matmulMatchesHandComputedExample() {
    float[] a = {1, 2, 3, 4, 5, 6};       // (2, 3)
    float[] b = {7, 8, 9, 10, 11, 12};    // (3, 2)
    float[] c = {99, 99, 99, 99};         // (2, 2), overwritten
    GemmKernels.matmul(a, b, c, 2, 3, 2, false);
    // [1 2 3]·[7 9 11]ᵀ = 58, [1 2 3]·[8 10 12]ᵀ = 64, [4 5 6]·… = 139, 154
    assertClose("C", new float[] {58, 64, 139, 154}, c, 4, 0f, 0f);
  }

  @Test
  void accumulateAddsTheProductToC() {
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] b = {7, 8, 9, 10, 11, 12};
    float[] c = {1, -1, 0.5f, 2};
    GemmKernels.matmul(a, b, c, 2, 3, 2, true);
    assertClose("C", new float[] {59, 63, 139.5f, 156}, c, 4, 0f, 0f);
  }

  @Test
  void matmulTransBEqualsMatmulOnTransposedB() {
    int m = 7, k = 13, n = 5;
    float[] a = randomArray(1, m * k, 1f);
    float[] bt = randomArray(2, n * k, 1f);   // (n, k)
    float[] want = new float[m * n];
    GemmKernels.matmul(a, transpose(bt, n, k), want, m, k, n, false);
    float[] got = new float[m * n];
    GemmKernels.matmulTransB(a, bt, got, m, k, n, false);
    // Same products summed in the same order: bit-identical, not just close.
    assertBitIdentical("A·Bᵀ", want, got, m * n);
  }

  @Test
  void matmulTransAEqualsMatmulOnTransposedA() {
    int m = 13, k = 7, n = 33;
    float[] at = randomArray(3, k * m, 1f);   // (k, m)
    float[] b = randomArray(4, k * n, 1f);
    float[] want = new float[m * n];
    GemmKernels.matmul(transpose(at, k, m), b, want, m, k, n, false);
    float[] got = new float[m * n];
    GemmKernels.matmulTransA(at, b, got, m, k, n, false);
    assertBitIdentical("Aᵀ·B", want, got, m * n);
  }

  @Test
  void transposedVariantsAccumulate() {
    int m = 5, k = 3, n = 7;
    float[] a = randomArray(5, m * k, 1f);
    float[] b = randomArray(6, k * n, 1f);
    float[] c0 = randomArray(7, m * n, 1f);
    float[] product = new float[m * n];
    GemmKernels.matmul(a, b, product, m, k, n, false);
    float[] want = c0.clone();
    for (int i = 0; i < want.length; i++) {
      want[i] += product[i];
    }
    float[] viaB = c0.clone();
    GemmKernels.matmulTransB(a, transpose(b, k, n), viaB, m, k, n, true);
    float[] viaA = c0.clone();
    GemmKernels.matmulTransA(transpose(a, m, k), b, viaA, m, k, n, true);
    assertBitIdentical("C + A·Bᵀ", want, viaB, m * n);
    assertBitIdentical("C + Aᵀ·B", want, viaA, m * n);
  }

  @Test
  void matmulAgreesWithDoublePrecisionProduct() {
    int m = 33, k = 13, n = 7;
    float[] a = randomArray(8, m * k, 1f);
    float[] b = randomArray(9, k * n, 1f);
    float[] want = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a[i * k + p] * b[p * n + j];
        }
        want[i * n + j] = (float) s;
      }
    }
    float[] got = new float[m * n];
    GemmKernels.matmul(a, b, got, m, k, n, false);
    assertClose("A·B", want, got, m * n, 1e-5f, 1e-5f);
  }
}
