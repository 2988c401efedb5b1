package io.priorflow.engine.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a label says about a datum. The meaning of {@link Label#value()} depends on the kind. */
public enum LabelKind {
  /** A score on the labeller's scale (e.g. 1–7 Likert, or a critic's probability that the datum is good). */
  @JsonProperty("rating") RATING,
  /** One side of a comparison: value 1 if this datum was preferred over {@link Label#pairId()}, 0 if not. */
  @JsonProperty("preference") PREFERENCE,
  /** A filter decision: value 1 if the datum was kept, 0 if dropped. */
  @JsonProperty("keep") KEEP,
  /** The labeller judged the response wrong; value 1 if it also wrote a corrected datum (whose parent is this one). */
  @JsonProperty("correction") CORRECTION,
  /** A scalar reward used in policy optimisation (RLHF, best-of-n), usually from a reward model. */
  @JsonProperty("reward") REWARD,
  /** The labeller's token distributions were the training targets (token-level distillation); value unused (1). */
  @JsonProperty("targets") TARGETS
}
