package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Sizes of the vocabulary's variable groups (the fixed groups — specials, tags, question words, operators and
 * digits — always have 4, 3, 3, 2 and 10 tokens). Missing fields take {@link #defaults()}. Valid ranges:
 * <ul>
 *   <li>{@code entities} — entities of the fact table, in [2, 64]; default 24</li>
 *   <li>{@code attributes} — attributes per entity, in [1, 8]; default 3</li>
 *   <li>{@code values} — attribute values, in [2, 32]; default 8</li>
 *   <li>{@code polite} — polite markers, in [1, 8]; default 3</li>
 *   <li>{@code toxic} — toxic markers, in [1, 8]; default 3</li>
 *   <li>{@code hedge} — hedge tokens, in [1, 4]; default 2</li>
 *   <li>{@code filler} — filler words, in [2, 32]; default 12</li>
 * </ul>
 * The defaults give 77 tokens, small enough for a tiny model to learn.
 */
public record VocabularyConfig(
    int entities, int attributes, int values, int polite, int toxic, int hedge, int filler) {

  /** 24 entities, 3 attributes, 8 values, 3 polite, 3 toxic, 2 hedge, 12 filler. */
  public static VocabularyConfig defaults() {
    return new VocabularyConfig(24, 3, 8, 3, 3, 2, 12);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static VocabularyConfig of(
      @JsonProperty("entities") Integer entities,
      @JsonProperty("attributes") Integer attributes,
      @JsonProperty("values") Integer values,
      @JsonProperty("polite") Integer polite,
      @JsonProperty("toxic") Integer toxic,
      @JsonProperty("hedge") Integer hedge,
      @JsonProperty("filler") Integer filler) {
    VocabularyConfig d = defaults();
    return new VocabularyConfig(
        entities != null ? entities : d.entities,
        attributes != null ? attributes : d.attributes,
        values != null ? values : d.values,
        polite != null ? polite : d.polite,
        toxic != null ? toxic : d.toxic,
        hedge != null ? hedge : d.hedge,
        filler != null ? filler : d.filler);
  }

  /** Adds every range violation under the path prefix (e.g. "vocabulary."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "entities", entities, 2, 64)
        .range(prefix + "attributes", attributes, 1, 8)
        .range(prefix + "values", values, 2, 32)
        .range(prefix + "polite", polite, 1, 8)
        .range(prefix + "toxic", toxic, 1, 8)
        .range(prefix + "hedge", hedge, 1, 4)
        .range(prefix + "filler", filler, 2, 32);
  }
}
