package io.priorflow.engine.analytic;

/**
 * Ordinary least squares through the normal equations, solved by Cholesky: ŵ = (XᵀX)⁻¹ Xᵀy.
 * Small d only (the analytic world has d ≤ 256); not a general linear-algebra library.
 * Every sum runs in index order, so results are reproducible bit for bit.
 */
final class LeastSquares {

  private LeastSquares() {
  }

  /** gram(d, d) += Xᵀ X and xty(d) += Xᵀ y, for x (rows, d) row-major and y (rows). */
  static void accumulate(double[] x, double[] y, int rows, int d, double[] gram, double[] xty) {
    for (int r = 0; r < rows; r++) {
      int base = r * d;
      for (int i = 0; i < d; i++) {
        double xi = x[base + i];
        xty[i] += xi * y[r];
        for (int j = 0; j < d; j++) {
          gram[i * d + j] += xi * x[base + j];
        }
      }
    }
  }

  /**
   * Solves gram · w = rhs for symmetric positive-definite gram (d, d), row-major.
   *
   * @throws IllegalStateException if gram is not positive definite (rank-deficient design)
   */
  static double[] solve(double[] gram, double[] rhs, int d) {
    double[] l = new double[d * d]; // (d, d) row-major, lower triangle: gram = L Lᵀ
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = gram[i * d + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            throw new IllegalStateException("XᵀX is not positive definite (pivot " + i + " is " + s
                + "); the design has rank below d = " + d + ".");
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    double[] z = new double[d]; // L z = rhs
    for (int i = 0; i < d; i++) {
      double s = rhs[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * d + k] * z[k];
      }
      z[i] = s / l[i * d + i];
    }
    double[] w = new double[d]; // Lᵀ w = z
    for (int i = d - 1; i >= 0; i--) {
      double s = z[i];
      for (int k = i + 1; k < d; k++) {
        s -= l[k * d + i] * w[k];
      }
      w[i] = s / l[i * d + i];
    }
    return w;
  }
}
