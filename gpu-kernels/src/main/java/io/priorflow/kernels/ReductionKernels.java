package io.priorflow.kernels;

/**
 * Reference reductions: sum, sum of squares, max and a numerically stable log-sum-exp, whole-array and per row.
 *
 * <p>Dimensions: {@code n} values (or {@code n} columns per row), {@code rows} rows of a (rows, n) row-major matrix.
 *
 * <p>The scalar reductions ({@link #sum}, {@link #sumSquares}, {@link #max}, {@link #logSumExp}) are plain sequential
 * loops in index order, accumulating in double: they run on the host (gradient norms, logging), where a fixed order
 * makes them reproducible. {@link #rowLogSumExp} has the loop-parallel shape (one work-item per row) and sums in float,
 * like the row-wise losses in {@link LossKernels}, which share its helpers {@code maxOfRow} and {@code lseOfRow}.
 * Not here: parallel tree reductions, which round differently and belong to the fast backends.
 */
public final class ReductionKernels {
  private ReductionKernels() {}

  /** Σ x[i] for i &lt; n, in index order, accumulated in double. x: (n). */
  public static double sum(float[] x, int n) {
    assert x.length >= n : "sum: x has " + x.length + " values, n = " + n;
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += x[i];
    }
    return s;
  }

  /** Σ x[i]² for i &lt; n, in index order, accumulated in double (for gradient norms). x: (n). */
  public static double sumSquares(float[] x, int n) {
    assert x.length >= n : "sumSquares: x has " + x.length + " values, n = " + n;
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double v = x[i];
      s += v * v;
    }
    return s;
  }

  /** max x[i] for i &lt; n; n ≥ 1. A NaN anywhere gives NaN, so a diverged run is not hidden. x: (n). */
  public static float max(float[] x, int n) {
    assert n >= 1 && x.length >= n : "max: needs 1 ≤ n ≤ x.length, n = " + n;
    return maxOfRow(x, 0, n);
  }

  /**
   * log Σ exp(x[i]) for i &lt; n; n ≥ 1. Stable: the max is subtracted before exponentiating, so values of 1e4 give a
   * finite, exact-to-rounding result. The exponentials are summed in double. x: (n).
   */
  public static float logSumExp(float[] x, int n) {
    assert n >= 1 && x.length >= n : "logSumExp: needs 1 ≤ n ≤ x.length, n = " + n;
    float m = maxOfRow(x, 0, n);
    if (Float.isInfinite(m)) {
      return m; // all −∞ (fully masked) gives −∞; any +∞ gives +∞; avoids ∞ − ∞ = NaN
    }
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += Math.exp(x[i] - m);
    }
    return (float) (m + Math.log(s));
  }

  /**
   * out[r] = log Σ_j exp(x[r, j]). x: (rows, n) row-major; out: (rows). One work-item per output row r; the math is in
   * {@code lseOfRow}.
   */
  public static void rowLogSumExp(float[] x, float[] out, int rows, int n) {
    assert n >= 1 && x.length >= rows * n && out.length >= rows : "rowLogSumExp: array shorter than (rows, n)";
    for (int r = 0; r < rows; r++) {
      out[r] = lseOfRow(x, r * n, n);
    }
  }

  /** max of x[off .. off+n), n ≥ 1; NaN propagates (Math.max). */
  static float maxOfRow(float[] x, int off, int n) {
    float m = x[off];
    for (int j = 1; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    return m;
  }

  /** Stable log-sum-exp of x[off .. off+n), summed in float in index order. */
  static float lseOfRow(float[] x, int off, int n) {
    float m = maxOfRow(x, off, n);
    if (Float.isInfinite(m)) {
      return m; // see logSumExp
    }
    float s = 0f;
    for (int j = 0; j < n; j++) {
      s += (float) Math.exp(x[off + j] - m);
    }
    return m + (float) Math.log(s);
  }
}
