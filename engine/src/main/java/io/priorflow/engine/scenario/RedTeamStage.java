package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Pattern;
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
 */
public record RedTeamStage(
    @Pattern("[a-z0-9_]+") @Size(min = 1, max = 64) String trait,
    By by,
    @Range(min = 1, max = 64) int responsesPerPrompt,
    @Range(min = 0, max = 1) double exploreFraction) implements StageSpec {

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
