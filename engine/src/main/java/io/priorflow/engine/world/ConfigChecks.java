package io.priorflow.engine.world;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of a config record in one pass, so a user fixes five typos in one run, not five.
 *
 * <p>Each problem is one line that starts with the field path (dotted, relative to the record checked, e.g.
 * {@code tags.low.correct}), then the rule and the value found:
 * <pre>  tags.low.correct must be in [0, 1], was 1.4</pre>
 * A scenario loader can split at the first space to find the field and point at its line and column.
 * This class only formats and gathers; it throws nothing and knows no particular record.
 */
public final class ConfigChecks {

  private final List<String> problems = new ArrayList<>();

  /** Requires lo ≤ value ≤ hi (NaN fails). */
  public ConfigChecks range(String path, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      problems.add(path + " must be in [" + fmt(lo) + ", " + fmt(hi) + "], was " + fmt(value));
    }
    return this;
  }

  /** Requires lo ≤ value ≤ hi. */
  public ConfigChecks range(String path, long value, long lo, long hi) {
    if (value < lo || value > hi) {
      problems.add(path + " must be in [" + lo + ", " + hi + "], was " + value);
    }
    return this;
  }

  /** Records "{path} {rule}, was {found}" unless ok. */
  public ConfigChecks require(boolean ok, String path, String rule, Object found) {
    if (!ok) {
      problems.add(path + " " + rule + ", was " + (found instanceof Double d ? fmt(d) : found));
    }
    return this;
  }

  /** Records "{path} {rule}" unless ok, for rules that involve several fields. */
  public ConfigChecks require(boolean ok, String path, String rule) {
    if (!ok) {
      problems.add(path + " " + rule);
    }
    return this;
  }

  /** The problems found so far, in the order checked. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Throws {@link IllegalArgumentException} listing every problem, one per line, if there is any.
   *
   * @param what     names the config, e.g. "World config"
   * @param problems problems as produced by this class
   */
  public static void throwIfAny(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(what + " has " + problems.size()
          + (problems.size() == 1 ? " problem:\n  " : " problems:\n  ") + String.join("\n  ", problems));
    }
  }

  /** Plain decimal form without trailing zeros: 1 rather than 1.0, 0.000001 rather than 1.0E-6. */
  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
