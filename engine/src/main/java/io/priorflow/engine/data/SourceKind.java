package io.priorflow.engine.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What kind of producer made a datum's tokens. */
public enum SourceKind {
  /** Drawn from the world corpus (the synthetic internet); the producer id names the corpus, e.g. "world". */
  @JsonProperty("world") WORLD,
  /** Written by a human (a demonstration, a correction); the producer id is the labeller's actor id or pool. */
  @JsonProperty("human") HUMAN,
  /** Sampled from a model by a synthetic generator; the model id names the model sampled. */
  @JsonProperty("generator") GENERATOR,
  /** Written by an AI critic (e.g. a constitutional revision), by a model or by fixed rules. */
  @JsonProperty("critic") CRITIC,
  /** Made by a red teamer (human, or a model when a model id is given) to elicit undesirable traits. */
  @JsonProperty("red_team") RED_TEAM;

  /** The lowercase name used in JSON and in source names, e.g. "red_team". */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
