package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One labeller of the human pool who differs from the pool ({@link HumanSpec#individuals}): each field given replaces
 * the pool's value for this labeller alone; a field left out keeps the pool's. This is how a scenario has one biased
 * labeller among unbiased ones, and how a counterfactual neutralises or removes one person.
 *
 * @param accuracy        this labeller's accuracy, in [0, 1]; default: the pool's
 * @param biases          this labeller's biases, replacing the pool's map as a whole ({@code {}}: unbiased); default:
 *                        the pool's
 * @param secondsPerLabel this labeller's seconds per label, in (0, 86400]; default: the pool's
 * @param costPerHour     this labeller's wage in USD per hour, in [0, 10000]; default: the pool's
 * @param fatiguePerHour  this labeller's fatigue, in [0, 1]; default: the pool's
 * @param anchoring       this labeller's anchoring, in [0, 1]; default: the pool's
 * @param absent          true: the labeller does no work — the items it would have labelled stay unlabelled (a rated
 *                        item passes unchecked, a preference pair it alone judges is not made, a demonstration it
 *                        would have written is not written, nor the better response to a red-team find it would have
 *                        answered, whose pair is then not made) while every other labeller keeps exactly its own items;
 *                        what a counterfactual's {@code remove: human-i} sets; default false
 */
public record HumanOverride(
    @Nullable @Range(min = 0, max = 1) Double accuracy,
    @Nullable @Size(max = 64) @Range(min = -1, max = 1) Map<String, Double> biases,
    @Nullable @Range(min = 0, max = 86_400, minOpen = true) Double secondsPerLabel,
    @Nullable @Range(min = 0, max = 10_000) Double costPerHour,
    @Nullable @Range(min = 0, max = 1) Double fatiguePerHour,
    @Nullable @Range(min = 0, max = 1) Double anchoring,
    boolean absent) {

  /** Copies the map, keeping its order. */
  public HumanOverride {
    biases = biases == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(biases));
  }

  /** Nothing overridden: the pool's labeller. */
  public static HumanOverride defaults() {
    return new HumanOverride(null, null, null, null, null, null, false);
  }
}
