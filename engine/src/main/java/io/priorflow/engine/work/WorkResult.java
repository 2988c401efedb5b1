package io.priorflow.engine.work;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The result of one {@link WorkItem}, carrying the item's id. Equal items give equal results. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SampleResult.class, name = "sampled"),
    @JsonSubTypes.Type(value = ScoreResult.class, name = "scored"),
    @JsonSubTypes.Type(value = LabelResult.class, name = "labelled"),
    @JsonSubTypes.Type(value = PreferResult.class, name = "preferred"),
    @JsonSubTypes.Type(value = DemonstrateResult.class, name = "demonstrated"),
    @JsonSubTypes.Type(value = RedTeamResult.class, name = "red_teamed"),
    @JsonSubTypes.Type(value = TrainResult.class, name = "trained"),
    @JsonSubTypes.Type(value = EvaluateResult.class, name = "evaluated"),
    @JsonSubTypes.Type(value = RetrieveResult.class, name = "retrieved")})
public sealed interface WorkResult permits SampleResult, ScoreResult, LabelResult, PreferResult,
    DemonstrateResult, RedTeamResult, TrainResult, EvaluateResult, RetrieveResult {
  /** The id of the item this answers. */
  String id();
}
