package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Response length. The body has L = min + Binomial(max − min, lengthP of the tag) register slots; the response
 * is those slots plus the answer (0 to 2 tokens). Missing fields take {@link #defaults()}. Valid ranges:
 * <ul>
 *   <li>{@code min} — fewest body slots, in [1, 32]; default 1</li>
 *   <li>{@code max} — most body slots, in [min, 32]; default 10</li>
 *   <li>{@code verboseAbove} — a response with more tokens than this is verbose, in [0, 64]; default 7</li>
 * </ul>
 */
public record LengthConfig(int min, int max, int verboseAbove) {

  /** min 1, max 10, verbose above 7 tokens. */
  public static LengthConfig defaults() {
    return new LengthConfig(1, 10, 7);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static LengthConfig of(
      @JsonProperty("min") Integer min,
      @JsonProperty("max") Integer max,
      @JsonProperty("verboseAbove") Integer verboseAbove) {
    LengthConfig d = defaults();
    return new LengthConfig(
        min != null ? min : d.min, max != null ? max : d.max, verboseAbove != null ? verboseAbove : d.verboseAbove);
  }

  /** Adds every range violation under the path prefix (e.g. "length."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "min", min, 1, 32)
        .range(prefix + "max", max, Math.max(1, min), 32)
        .range(prefix + "verboseAbove", verboseAbove, 0, 64);
  }
}
