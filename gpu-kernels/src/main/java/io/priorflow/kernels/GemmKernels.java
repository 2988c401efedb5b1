package io.priorflow.kernels;

/**
 * Reference matrix products C = [C +] op(A) · op(B) over flat row-major {@code float[]}.
 *
 * <p>Dimensions: C is (m, n) and k is the inner dimension. A is (m, k), or (k, m) for {@link #matmulTransA};
 * B is (k, n), or (n, k) for {@link #matmulTransB}. With {@code accumulate} the product is added to C, otherwise C is
 * overwritten.
 *
 * <p>Each kernel is one outer loop over the m rows of C: one work-item per output row r. The helper
 * {@code productRow} computes that row; every dot product is summed in float in the fixed order p = 0..k−1 and only
 * then added to C. These loops are the obviously-right text the fast backends are checked against; they are
 * deliberately not fast (no blocking, no threads, no vectors).
 */
public final class GemmKernels {
  private GemmKernels() {}

  /**
   * C(m, n) = [C +] A(m, k) · B(k, n). a: (m, k); b: (k, n); c: (m, n). One work-item per output row r; math in
   * {@code productRow}.
   */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    assert a.length >= m * k && b.length >= k * n && c.length >= m * n : "matmul: array shorter than its shape";
    for (int r = 0; r < m; r++) {
      // A(r, p) = a[r·k + p]; B(p, j) = b[p·n + j]
      productRow(a, r * k, 1, b, 1, n, c, r, k, n, accumulate);
    }
  }

  /**
   * C(m, n) = [C +] A(m, k) · B(n, k)ᵀ. a: (m, k); b: (n, k); c: (m, n). One work-item per output row r; math in
   * {@code productRow}.
   */
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    assert a.length >= m * k && b.length >= n * k && c.length >= m * n : "matmulTransB: array shorter than its shape";
    for (int r = 0; r < m; r++) {
      // A(r, p) = a[r·k + p]; Bᵀ(p, j) = b[j·k + p]
      productRow(a, r * k, 1, b, k, 1, c, r, k, n, accumulate);
    }
  }

  /**
   * C(m, n) = [C +] A(k, m)ᵀ · B(k, n). a: (k, m); b: (k, n); c: (m, n). One work-item per output row r; math in
   * {@code productRow}.
   */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    assert a.length >= k * m && b.length >= k * n && c.length >= m * n : "matmulTransA: array shorter than its shape";
    for (int r = 0; r < m; r++) {
      // Aᵀ(r, p) = a[p·m + r]; B(p, j) = b[p·n + j]
      productRow(a, r, m, b, 1, n, c, r, k, n, accumulate);
    }
  }

  /**
   * Row r of C: C(r, j) = [C(r, j) +] Σ_p a[aOff + p·aStep] · b[j·bCol + p·bStep], p in order 0..k−1. The strides
   * turn the one loop into the plain, A-transposed or B-transposed product.
   */
  private static void productRow(float[] a, int aOff, int aStep, float[] b, int bCol, int bStep, float[] c, int r,
                                 int k, int n, boolean accumulate) {
    for (int j = 0; j < n; j++) {
      float s = 0f;
      for (int p = 0; p < k; p++) {
        s += a[aOff + p * aStep] * b[j * bCol + p * bStep];
      }
      int ci = r * n + j;
      c[ci] = accumulate ? c[ci] + s : s;
    }
  }
}
