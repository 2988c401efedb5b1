package io.priorflow.engine.analytic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the linear-regression world draws new features each generation or reuses generation 0's. */
public enum DesignPolicy {
  /**
   * One design matrix X (T, d), drawn at generation 0, relabelled by every generation. This is the setting of
   * Gerstgrasser et al.'s accumulate theorem, and the closed form of both policies holds exactly.
   */
  @JsonProperty("fixed") FIXED,
  /**
   * A fresh X each generation. The replace closed form still holds exactly; the accumulate one does not (the
   * generations' pseudo-inverses no longer share a matrix), so no closed form is claimed for that pair.
   */
  @JsonProperty("fresh") FRESH
}
