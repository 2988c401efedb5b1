package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the world writes responses under one quality tag. Valid ranges: every field in [0, 1] except
 * {@code weight} in [0, 1000]; {@code correct + hedge ≤ 1}; {@code polite + toxic ≤ 1}.
 *
 * @param weight  the tag's weight; tag probabilities are the weights normalised by their sum
 * @param correct p(correct answer | question prompt, tag): fact and arithmetic prompts are answered right with
 *                this probability, hedged with {@code hedge}, and wrong otherwise
 * @param hedge   p(the response's answer is a hedge token | tag), for every prompt kind
 * @param polite  p(the response opens in the polite register | tag)
 * @param toxic   p(the response opens in the toxic register | tag). The toxic trait's prevalence is higher,
 *                because polite and neutral responses can turn toxic ({@link RegisterConfig})
 * @param lengthP the response body has L = length.min + Binomial(length.max − length.min, lengthP) register
 *                slots; higher means longer responses
 */
public record TagProfile(double weight, double correct, double hedge, double polite, double toxic, double lengthP) {

  /** Adds every range violation under the path prefix (e.g. "tags.low."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "weight", weight, 0, 1000)
        .range(prefix + "correct", correct, 0, 1)
        .range(prefix + "hedge", hedge, 0, 1)
        .range(prefix + "polite", polite, 0, 1)
        .range(prefix + "toxic", toxic, 0, 1)
        .range(prefix + "lengthP", lengthP, 0, 1)
        .require(correct + hedge <= 1 + 1e-12, prefix + "correct",
            "plus " + prefix + "hedge must be at most 1", correct + hedge)
        .require(polite + toxic <= 1 + 1e-12, prefix + "polite",
            "plus " + prefix + "toxic must be at most 1", polite + toxic);
  }

  /**
   * A profile as written in a file: any field may be missing (null) and then comes from the tag's default
   * profile. Only the JSON/YAML reader uses this.
   */
  public record Overrides(
      @JsonProperty("weight") Double weight,
      @JsonProperty("correct") Double correct,
      @JsonProperty("hedge") Double hedge,
      @JsonProperty("polite") Double polite,
      @JsonProperty("toxic") Double toxic,
      @JsonProperty("lengthP") Double lengthP) {

    /** The base profile with every present field replaced. */
    public TagProfile over(TagProfile base) {
      return new TagProfile(
          weight != null ? weight : base.weight(),
          correct != null ? correct : base.correct(),
          hedge != null ? hedge : base.hedge(),
          polite != null ? polite : base.polite(),
          toxic != null ? toxic : base.toxic(),
          lengthP != null ? lengthP : base.lengthP());
    }
  }
}
