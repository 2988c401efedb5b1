package io.priorflow.engine.analytic;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which data a generation is fitted on, following Gerstgrasser et al. 2024, "Is Model Collapse Inevitable?
 * Breaking the Curse of Recursion by Accumulating Real and Synthetic Data".
 */
public enum DataPolicy {
  /** Fit generation n on the data generation n − 1 produced only; earlier data are discarded. */
  @JsonProperty("replace") REPLACE,
  /** Fit generation n on all data produced so far, the real data of generation 0 included. */
  @JsonProperty("accumulate") ACCUMULATE
}
