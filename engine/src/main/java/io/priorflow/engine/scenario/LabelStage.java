package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * {@code kind: label}: labellers label a sample of this generation's data.
 *
 * @param by     humans (the human labellers, with accuracy, biases, anchoring and cost) or critic (the AI critics);
 *               default humans
 * @param sample items to label, in [1, 10000000]; default 500
 * @param task   rate (a score per response), prefer (the better of two responses to one prompt) or correct (a
 *               corrected response); default prefer
 */
public record LabelStage(
    By by,
    @Range(min = 1, max = 10_000_000) int sample,
    Task task) implements StageSpec {

  /** Who labels. */
  public enum By {
    /** The human labellers. */
    @JsonProperty("humans") HUMANS,
    /** The AI critics. */
    @JsonProperty("critic") CRITIC
  }

  /** What a label is. */
  public enum Task {
    /** A score per response. */
    @JsonProperty("rate") RATE,
    /** A preference between two responses to one prompt. */
    @JsonProperty("prefer") PREFER,
    /** A corrected response (a demonstration). */
    @JsonProperty("correct") CORRECT
  }

  /** Humans give 500 preference labels. */
  public static LabelStage defaults() {
    return new LabelStage(By.HUMANS, 500, Task.PREFER);
  }
}
