package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * {@code kind: label}: labellers label a sample of this generation's data.
 *
 * @param by     humans (the human labellers, with accuracy, biases, anchoring and cost) or critic (the AI critics);
 *               default humans
 * @param sample items to label, in [1, 10000000]; default 500
 * @param task   rate (a score per response), prefer (the better of two responses to one prompt), correct (a
 *               corrected response) or demonstrate (humans write a response to each of {@code sample} fresh world
 *               prompts; the demonstrations join this generation's data; by humans only); default prefer
 * @param overlap  task prefer by humans: share of the sampled pairs that several humans label, so that their
 *                 agreement can be measured
 *                 (labels.kappa, labels.agreement); an overlapped item's label is the majority's; in [0, 1];
 *                 default 0
 * @param raters   humans per overlapped item, in [2, 100] and at most actors.humans.count when overlap &gt; 0;
 *                 default 2
 * @param assisted model-assisted labelling (humans, tasks rate and correct): the critic pre-labels each item
 *                 (accept when its score ≥ 0) and the humans see the pre-label; faster per item, but anchoring
 *                 copies some wrong pre-labels; default false
 */
public record LabelStage(
    By by,
    @Range(min = 1, max = 10_000_000) int sample,
    Task task,
    @Range(min = 0, max = 1) double overlap,
    @Range(min = 2, max = 100) int raters,
    boolean assisted) implements StageSpec {

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
    @JsonProperty("correct") CORRECT,
    /** A response written from scratch to a world prompt. */
    @JsonProperty("demonstrate") DEMONSTRATE
  }

  /** Humans give 500 preference labels, no overlap (2 raters if overlapped), unassisted. */
  public static LabelStage defaults() {
    return new LabelStage(By.HUMANS, 500, Task.PREFER, 0, 2, false);
  }

  /** A stage with the other fields at their defaults. */
  public static LabelStage of(By by, int sample, Task task) {
    return new LabelStage(by, sample, task, 0, 2, false);
  }
}
