package io.priorflow.engine.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How {@link DataPolicies} builds a generation's training set. The scenario's data-policy block maps onto this.
 *
 * @param policy        which data from earlier generations stay
 * @param subsampleSize for {@link Kind#SUBSAMPLE}, how many data to draw from the pool, ≥ 1; ignored otherwise
 *                      (and then must be ≥ 0)
 * @param freshFraction the fraction of the training set that is fresh world data, in [0, 1)
 */
public record DataPolicyParams(Kind policy, int subsampleSize, double freshFraction) {

  /** Which data from earlier generations stay in the training set. */
  public enum Kind {
    /** Only this generation's new data (Shumailov et al. 2024's "replace"). */
    @JsonProperty("replace") REPLACE,
    /** Everything so far: earlier data and this generation's (Gerstgrasser et al. 2024's "accumulate"). */
    @JsonProperty("accumulate") ACCUMULATE,
    /** A uniform sample without replacement of fixed size from everything so far. */
    @JsonProperty("subsample") SUBSAMPLE
  }

  /** Checks the ranges. */
  public DataPolicyParams {
    if (policy == null) {
      throw new IllegalArgumentException("policy must be replace, accumulate or subsample, was null.");
    }
    if (policy == Kind.SUBSAMPLE ? subsampleSize < 1 : subsampleSize < 0) {
      throw new IllegalArgumentException("subsampleSize must be " + (policy == Kind.SUBSAMPLE ? "≥ 1" : "≥ 0")
          + " for policy " + policy.name().toLowerCase(Locale.ROOT) + ", was " + subsampleSize + ".");
    }
    if (!(freshFraction >= 0 && freshFraction < 1)) {
      throw new IllegalArgumentException("freshFraction must be in [0, 1), was " + freshFraction + ".");
    }
  }

  /** Replace, no fresh data. */
  public static DataPolicyParams replace() {
    return new DataPolicyParams(Kind.REPLACE, 0, 0);
  }

  /** Accumulate, no fresh data. */
  public static DataPolicyParams accumulate() {
    return new DataPolicyParams(Kind.ACCUMULATE, 0, 0);
  }

  /** Subsample of the given size, no fresh data. */
  public static DataPolicyParams subsample(int size) {
    return new DataPolicyParams(Kind.SUBSAMPLE, size, 0);
  }

  /** The same policy with a fresh-data fraction. */
  public DataPolicyParams withFreshFraction(double fraction) {
    return new DataPolicyParams(policy, subsampleSize, fraction);
  }
}
