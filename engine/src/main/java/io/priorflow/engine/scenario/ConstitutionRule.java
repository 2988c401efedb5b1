package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

/**
 * One rule of a {@link ConstitutionSpec}: "polite" (asks for the trait) or "not toxic" (forbids it).
 *
 * @param trait  the trait its classifier detects: a trait of the world (default or extra); default toxic
 * @param weight its weight in the critic's score, in (0, 1000]; default 1
 * @param rule   asks (the score rises with the trait's probability) or forbids (it falls); default forbids
 */
public record ConstitutionRule(
    @Pattern("[a-z0-9_]+") @Size(min = 1, max = 64) String trait,
    @Range(min = 0, max = 1000, minOpen = true) double weight,
    Verdict rule) {

  /** Whether a rule asks for its trait or forbids it. */
  public enum Verdict {
    /** The rule asks for the trait. */
    @JsonProperty("asks") ASKS,
    /** The rule forbids the trait. */
    @JsonProperty("forbids") FORBIDS
  }

  /** "not toxic", weight 1. */
  public static ConstitutionRule defaults() {
    return new ConstitutionRule("toxic", 1, Verdict.FORBIDS);
  }
}
