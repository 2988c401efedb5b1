package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

/**
 * {@code kind: filter}: keeps the best-scored share of the data so far in this generation.
 *
 * @param by           who scores: critic (the AI critics, with their biases) or gold (the gold oracle, an upper
 *                     bound no real pipeline has); default critic
 * @param keepFraction share of items kept, in (0, 1]; default 0.5
 * @param every    run in every every-th generation from {@code from} on, in [1, 1000]; null (the default) is 1
 * @param from     the first generation the stage runs in, in [1, 1000]; null (the default) is 1
 * @param until    the last generation the stage runs in, in [0, 1000] (0: never — the stage is switched off, as a
 *                 counterfactual's {@code drop} does); null (the default) is the last generation
 * @param name     names the stage in paths of {@code --set}, {@code --sweep} and {@code sweep:}
 *                 ({@code lineages[main].stages[distil].temperature}), so inserting a stage does not change what a
 *                 path means: 1 to 64 characters of {@code [a-z0-9_-]} starting with a letter, distinct within
 *                 the lineage; null (the default) leaves the stage addressed by position only
 */
public record FilterStage(
    By by,
    @Range(min = 0, max = 1, minOpen = true) double keepFraction,
    @Nullable @Range(min = 1, max = 1000) Integer every,
    @Nullable @Range(min = 1, max = 1000) Integer from,
    @Nullable @Range(min = 0, max = 1000) Integer until,
    @Nullable @Pattern("[a-z][a-z0-9_-]*") @Size(min = 1, max = 64) String name) implements StageSpec {

  /** A stage that runs in every generation. */
  public FilterStage(By by, double keepFraction) {
    this(by, keepFraction, null, null, null, null);
  }

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
