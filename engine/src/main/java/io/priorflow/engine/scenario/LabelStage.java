package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

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
 * @param every    run in every every-th generation from {@code from} on, in [1, 1000]; null (the default) is 1
 * @param from     the first generation the stage runs in, in [1, 1000]; null (the default) is 1
 * @param until    the last generation the stage runs in, in [0, 1000] (0: never — the stage is switched off, as a
 *                 counterfactual's {@code drop} does); null (the default) is the last generation
 * @param assistant assisted stages only: who pre-labels — critic (the critic fitted once on world data, with its
 *                 temperature) or classifier (the data-engine loop: before each assisted stage a classifier of the
 *                 critic's size is trained afresh on every accept/reject label the lineage's humans have given so
 *                 far, and pre-labels without noise; before any human label exists, the critic pre-labels); null
 *                 (the default) is critic
 * @param name     names the stage in paths of {@code --set}, {@code --sweep} and {@code sweep:}
 *                 ({@code lineages[main].stages[distil].temperature}), so inserting a stage does not change what a
 *                 path means: 1 to 64 characters of {@code [a-z0-9_-]} starting with a letter, distinct within
 *                 the lineage; null (the default) leaves the stage addressed by position only
 */
public record LabelStage(
    By by,
    @Range(min = 1, max = 10_000_000) int sample,
    Task task,
    @Range(min = 0, max = 1) double overlap,
    @Range(min = 2, max = 100) int raters,
    boolean assisted,
    @Nullable @Range(min = 1, max = 1000) Integer every,
    @Nullable @Range(min = 1, max = 1000) Integer from,
    @Nullable @Range(min = 0, max = 1000) Integer until,
    @Nullable Assistant assistant,
    @Nullable @Pattern("[a-z][a-z0-9_-]*") @Size(min = 1, max = 64) String name) implements StageSpec {

  /** A stage that runs in every generation, pre-labelled (if assisted) by the critic. */
  public LabelStage(By by, int sample, Task task, double overlap, int raters, boolean assisted) {
    this(by, sample, task, overlap, raters, assisted, null, null, null, null, null);
  }

  /** Who pre-labels an assisted stage's items (the critic when the stage names no one). */
  public Assistant assistantOrDefault() { return assistant != null ? assistant : Assistant.CRITIC; }

  /** Who pre-labels in model-assisted labelling. */
  public enum Assistant {
    /** The critic, fitted once on world data. */
    @JsonProperty("critic") CRITIC,
    /** A classifier retrained before each assisted stage on the lineage's human labels so far. */
    @JsonProperty("classifier") CLASSIFIER
  }

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
