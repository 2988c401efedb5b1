package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A trait a scenario adds: present when the response contains any of the named tokens. Its true prevalence is
 * computed exactly like the default traits'. Valid values:
 * <ul>
 *   <li>{@code name} — required, matches {@code [a-z][a-z0-9_]{0,31}} and is not a default trait's name</li>
 *   <li>{@code tokens} — required, one or more token names of the vocabulary</li>
 *   <li>{@code desirable} — default false</li>
 *   <li>{@code weight} — its utility weight in the gold oracle, in [-100, 100]; default 0</li>
 * </ul>
 */
public record ExtraTraitConfig(String name, List<String> tokens, boolean desirable, double weight) {

  /** Copies the token list. */
  public ExtraTraitConfig {
    tokens = tokens == null ? null : List.copyOf(tokens);
  }

  /** The Jackson creator: desirable and weight may be left out. */
  @JsonCreator
  public static ExtraTraitConfig of(
      @JsonProperty("name") String name,
      @JsonProperty("tokens") List<String> tokens,
      @JsonProperty("desirable") Boolean desirable,
      @JsonProperty("weight") Double weight) {
    return new ExtraTraitConfig(name, tokens, desirable != null && desirable, weight != null ? weight : 0.0);
  }

  /** Adds every problem under the path prefix (e.g. "extraTraits[0]."). */
  void check(String prefix, ConfigChecks checks, Vocabulary vocabulary) {
    checks.require(name != null && name.matches("[a-z][a-z0-9_]{0,31}"), prefix + "name",
            "must match [a-z][a-z0-9_]{0,31}", name)
        .require(name == null || !Traits.DEFAULT_NAMES.contains(name), prefix + "name",
            "must differ from the default traits " + Traits.DEFAULT_NAMES, name)
        .require(tokens != null && !tokens.isEmpty(), prefix + "tokens", "must list at least one token", tokens)
        .range(prefix + "weight", weight, -100, 100);
    if (tokens != null && vocabulary != null) {
      for (int i = 0; i < tokens.size(); i++) {
        checks.require(vocabulary.contains(tokens.get(i)), prefix + "tokens[" + i + "]",
            "must be a token of the vocabulary", tokens.get(i));
      }
    }
  }
}
