package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * {@code kind: filter}: keeps the best-scored share of the data so far in this generation.
 *
 * @param by           who scores: critic (the AI critics, with their biases) or gold (the gold oracle, an upper
 *                     bound no real pipeline has); default critic
 * @param keepFraction share of items kept, in (0, 1]; default 0.5
 */
public record FilterStage(
    By by,
    @Range(min = 0, max = 1, minOpen = true) double keepFraction) implements StageSpec {

  /** Who scores the items. */
  public enum By {
    /** The AI critics. */
    @JsonProperty("critic") CRITIC,
    /** The gold oracle. */
    @JsonProperty("gold") GOLD
  }

  /** The critics keep the better half. */
  public static FilterStage defaults() {
    return new FilterStage(By.CRITIC, 0.5);
  }
}
