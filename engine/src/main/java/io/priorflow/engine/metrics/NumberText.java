package io.priorflow.engine.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How the run outputs write a double: the ECMAScript {@code Number.prototype.toString} format (ECMA-262
 * §6.1.6.1.20), i.e. what JavaScript prints and what any JSON or CSV reader parses back to the same double.
 * <pre>
 *   digits: the shortest decimal that reads back as the same double, the closest to it if several
 *           (Double.toString since JDK 19, JDK-4511638, with a correction for a few subnormals)
 *   plain notation for 1e−6 ≤ |x| &lt; 1e21: 3, 0.25, 1200, 0.000001, 123456789012345680000
 *   exponent otherwise: 1e-7, 2.5e-10, 1e+21
 *   0 and −0: "0";  NaN: "NaN";  ±∞: "Infinity", "-Infinity"
 * </pre>
 * Locale-independent and exact: {@code Double.parseDouble(format(x)) == x} for every x but −0. Chosen over a
 * fixed {@code %.6g} because it loses nothing and prints short values short.
 */
public final class NumberText {

  private NumberText() {}

  /** The text of x (see the class comment). */
  public static String format(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal d = shortest(Math.abs(x));
    String digits = d.unscaledValue().toString(); // s, k digits: |x| = s × 10^(n − k)
    int k = digits.length();
    int n = k - d.scale();
    StringBuilder out = new StringBuilder(x < 0 ? "-" : "");
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }

  /**
   * The shortest decimal that reads back as x &gt; 0, the closest to x among those. Double.toString gives it, but
   * for one exception: where one digit would do, it prints the closest two-digit decimal (its spec), which
   * differs for a few subnormals (4.9e−324 where 5e−324 suffices); so a two-digit answer is tried at one.
   */
  private static BigDecimal shortest(double x) {
    BigDecimal d = new BigDecimal(Double.toString(x)).stripTrailingZeros();
    if (d.precision() != 2) {
      return d;
    }
    BigDecimal exact = new BigDecimal(x);
    BigDecimal best = null;
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal c = d.round(new MathContext(1, mode));
      if (c.signum() > 0 && c.doubleValue() == x
          && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
        best = c;
      }
    }
    return best == null ? d : best.stripTrailingZeros();
  }

  /** Reads a number written by {@link #format} (or any decimal Java reads), NaN and ±Infinity included. */
  public static double parse(String s) {
    return Double.parseDouble(s);
  }
}
