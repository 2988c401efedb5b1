package io.priorflow.engine.metrics;

/**
 * Quantiles of Student's t distribution, for the confidence intervals of the summary. Computed, not tabled, so
 * every df is exact to about 1e−12:
 * <pre>
 *   P(|T| ≤ t) = I_y(1/2, ν/2),  y = t² / (ν + t²)          (regularised incomplete beta I)
 *   quantile(p, ν), p &gt; 1/2:  solve I_y(1/2, ν/2) = 2p − 1 for y by bisection, t = √(ν y / (1 − y))
 *   I_x(a, b) by the continued fraction of Numerical Recipes §6.4 (modified Lentz), on the side of x where it
 *   converges fast, with ln Γ by Lanczos (g = 7, 9 terms; accurate to ~1e−15 for x ≥ 1/2)
 * </pre>
 * Pure static functions; the bisection runs to the last representable y, so results are deterministic.
 */
public final class StudentT {

  private StudentT() {}

  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};

  /**
   * The p-quantile of t with ν degrees of freedom: P(T ≤ quantile) = p.
   *
   * @throws IllegalArgumentException unless 0 &lt; p &lt; 1 and ν &gt; 0
   */
  public static double quantile(double p, double df) {
    if (!(p > 0 && p < 1) || !(df > 0) || Double.isInfinite(df)) {
      throw new IllegalArgumentException("The t quantile needs 0 < p < 1 and finite degrees of freedom > 0, got p = "
          + p + ", df = " + df + ".");
    }
    if (p == 0.5) {
      return 0;
    }
    if (p < 0.5) {
      return -quantile(1 - p, df);
    }
    double target = 2 * p - 1;
    double lo = 0;
    double hi = 1;
    while (true) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (incompleteBeta(mid, 0.5, df / 2) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double y = lo + (hi - lo) / 2;
    return Math.sqrt(df * y / (1 - y));
  }

  /** The two-sided 95% critical value t_{0.975, ν}. */
  public static double critical95(double df) {
    return quantile(0.975, df);
  }

  /** P(T ≤ t) with ν degrees of freedom. */
  public static double cdf(double t, double df) {
    double y = t * t / (df + t * t);
    double central = incompleteBeta(y, 0.5, df / 2); // P(|T| ≤ |t|)
    return t >= 0 ? 0.5 + central / 2 : 0.5 - central / 2;
  }

  /** The regularised incomplete beta I_x(a, b), 0 ≤ x ≤ 1, a, b &gt; 0. */
  static double incompleteBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  /** The continued fraction of I_x(a, b) (Numerical Recipes betacf), by the modified Lentz method. */
  private static double continuedFraction(double x, double a, double b) {
    final double tiny = 1e-300;
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 100_000; m++) {
      int m2 = 2 * m;
      // even step
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      // odd step
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-16) {
        return h;
      }
    }
    throw new IllegalStateException("The incomplete beta continued fraction did not converge for x = " + x + ", a = "
        + a + ", b = " + b + ".");
  }

  /** ln Γ(x) for x ≥ 1/2 (Lanczos). */
  static double lnGamma(double x) {
    if (!(x >= 0.5)) {
      throw new IllegalArgumentException("lnGamma here needs x ≥ 1/2, got " + x + ".");
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
