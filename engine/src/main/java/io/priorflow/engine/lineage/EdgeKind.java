package io.priorflow.engine.lineage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The relation an {@link Edge} records; "from" is always the later thing. */
public enum EdgeKind {
  /** model → dataset: the model was trained on the dataset. */
  @JsonProperty("trained_on") TRAINED_ON,
  /** model → model: training started from the other model's weights. */
  @JsonProperty("initialized_from") INITIALIZED_FROM,
  /**
   * teacher model → student model: the student trained on data the teacher generated or gave targets for
   * ({@code targets} labels), the student's own init excepted (that is {@link #INITIALIZED_FROM}).
   */
  @JsonProperty("teacher_of") TEACHER_OF,
  /** dataset → model or actor: some of the dataset's data were produced by it. */
  @JsonProperty("generated_by") GENERATED_BY,
  /** dataset → model or actor: some of the dataset's data carry its labels (other than keep decisions). */
  @JsonProperty("labelled_by") LABELLED_BY,
  /** dataset → model or actor: some of the dataset's data carry its keep/drop decision. */
  @JsonProperty("filtered_by") FILTERED_BY,
  /** dataset → dataset: a transform read the other dataset (e.g. accumulate). */
  @JsonProperty("derived_from") DERIVED_FROM
}
