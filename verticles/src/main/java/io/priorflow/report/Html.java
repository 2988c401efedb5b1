package io.priorflow.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Escaping and number text for the report. Every string read from a run file goes through {@link #esc}. */
final class Html {

  private Html() {}

  /** Text safe inside an element or a double- or single-quoted attribute. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newlines are not allowed in HTML or SVG text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * A number for people: integers as integers, others with 4 significant digits, plain between 1e-4 and 1e9,
   * else in exponent form. NaN is "NaN" (measured but undefined). Locale-independent, so the report is the same
   * on every machine.
   */
  static String num(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "∞" : "−∞";
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    double a = Math.abs(x);
    if (a >= 1e-4 && a < 1e9) {
      return new BigDecimal(x).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros()
          .toPlainString();
    }
    return String.format(Locale.ROOT, "%.3e", x);
  }

  /** A signed change: "+0.12", "−0.5", "0". */
  static String signed(double x) {
    if (Double.isNaN(x)) {
      return "";
    }
    String s = num(x);
    return x > 0 ? "+" + s : x < 0 ? "−" + s.substring(1) : s;
  }

  /** A share as a percentage with one decimal: "45.0%". */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** A CSS colour: "#rrggbb". */
  static String hex(java.awt.Color c) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  /** Geometry for SVG: at most 1 decimal, no exponent. */
  static String px(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10)
        : (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
  }
}
