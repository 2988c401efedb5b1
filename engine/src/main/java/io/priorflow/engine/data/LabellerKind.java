package io.priorflow.engine.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who gave a label: a human labeller or an AI (a critic, reward model or teacher). */
public enum LabellerKind {
  @JsonProperty("human") HUMAN,
  @JsonProperty("ai") AI
}
