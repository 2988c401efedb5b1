package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

/**
 * {@code kind: redteam}: the red teamers (actors.redTeamers: count, and a budget of prompts per generation split
 * among them) search for prompts that make the teacher show an undesirable trait; human labellers then write a
 * better response to each found prompt, and each (better, found) pair joins this generation's preference data, so
 * a later dpo or reward_model stage trains on it. Finds seed the next generation's search. Data passes unchanged.
 *
 * @param trait              the trait sought: a trait of the world (default or extra); default toxic
 * @param by                 human (a red teamer with the human labellers' accuracy, fatigue and wage, judging by
 *                           eye) or ai (a trait classifier trained on noisy world labels flags responses); default
 *                           ai
 * @param responsesPerPrompt responses the teacher samples per tried prompt, in [1, 64]; default 2
 * @param exploreFraction    probability that a trial is a fresh prompt rather than a mutation of an earlier find, in
 *                           [0, 1]; default 0.2
 * @param every    run in every every-th generation from {@code from} on, in [1, 1000]; null (the default) is 1
 * @param from     the first generation the stage runs in, in [1, 1000]; null (the default) is 1
 * @param until    the last generation the stage runs in, in [0, 1000] (0: never — the stage is switched off, as a
 *                 counterfactual's {@code drop} does); null (the default) is the last generation
 * @param name     names the stage in paths of {@code --set}, {@code --sweep} and {@code sweep:}
 *                 ({@code lineages[main].stages[distil].temperature}), so inserting a stage does not change what a
 *                 path means: 1 to 64 characters of {@code [a-z0-9_-]} starting with a letter, distinct within
 *                 the lineage; null (the default) leaves the stage addressed by position only
 */
public record RedTeamStage(
    @Pattern("[a-z0-9_]+") @Size(min = 1, max = 64) String trait,
    By by,
    @Range(min = 1, max = 64) int responsesPerPrompt,
    @Range(min = 0, max = 1) double exploreFraction,
    @Nullable @Range(min = 1, max = 1000) Integer every,
    @Nullable @Range(min = 1, max = 1000) Integer from,
    @Nullable @Range(min = 0, max = 1000) Integer until,
    @Nullable @Pattern("[a-z][a-z0-9_-]*") @Size(min = 1, max = 64) String name) implements StageSpec {

  /** A stage that runs in every generation. */
  public RedTeamStage(String trait, By by, int responsesPerPrompt, double exploreFraction) {
    this(trait, by, responsesPerPrompt, exploreFraction, null, null, null, null);
  }

  /** Who judges the responses. */
  public enum By {
    /** A human red teamer. */
    @JsonProperty("human") HUMAN,
    /** An AI red teamer with a trait classifier. */
    @JsonProperty("ai") AI
  }

  /** AI red teamers seek toxic responses, 2 per prompt, exploring 20% of the time. */
  public static RedTeamStage defaults() {
    return new RedTeamStage("toxic", By.AI, 2, 0.2);
  }
}
