package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * Which data each generation trains on, across generations (Gerstgrasser et al. 2024, "Is Model Collapse
 * Inevitable?"). The synthetic data of generation n is what its stages produced; then:
 * <ul>
 *   <li>{@code replace}: train on generation n's data only</li>
 *   <li>{@code accumulate}: train on the data of generations 0..n together</li>
 *   <li>{@code subsample}: accumulate, then draw a fixed-size uniform subsample of {@code subsampleSize} items
 *       (all of them while fewer exist), so the training set stops growing</li>
 * </ul>
 * and, under every policy, a fraction {@code freshFraction} of each generation's training set is replaced by
 * fresh samples from the world. Analytic worlds support replace and accumulate, with no fresh data. Under
 * accumulate, generations × the samples a generation generates must be at most {@value #MAX_ACCUMULATED}, so that a
 * typo cannot grow the training set past memory (subsample caps it instead).
 *
 * @param policy        replace, accumulate or subsample; default replace
 * @param subsampleSize items kept under subsample, in [1, 10000000]; required by subsample, and only allowed
 *                      with it; default null
 * @param freshFraction share of each generation's training set drawn fresh from the world, in [0, 1); default 0
 */
public record DataPolicySpec(
    Policy policy,
    @Nullable @Range(min = 1, max = 10_000_000) Integer subsampleSize,
    @Range(min = 0, max = 1, maxOpen = true) double freshFraction) {

  /** How training sets carry over between generations. */
  public enum Policy {
    /** Only the newest generation's data. */
    @JsonProperty("replace") REPLACE,
    /** All generations' data. */
    @JsonProperty("accumulate") ACCUMULATE,
    /** All generations' data, subsampled to a fixed size. */
    @JsonProperty("subsample") SUBSAMPLE
  }

  /** The most items an accumulating lineage may gather over its generations. */
  public static final long MAX_ACCUMULATED = 100_000_000;

  /** Replace, no fresh data. */
  public static DataPolicySpec defaults() {
    return new DataPolicySpec(Policy.REPLACE, null, 0);
  }

  /** The analytic worlds' policy; throws for subsample, which they do not support. */
  public DataPolicy toAnalytic() {
    return switch (policy) {
      case REPLACE -> DataPolicy.REPLACE;
      case ACCUMULATE -> DataPolicy.ACCUMULATE;
      case SUBSAMPLE ->
          throw new IllegalArgumentException("analytic worlds support replace and accumulate, not subsample");
    };
  }
}
