package io.priorflow.engine.work;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One unit of work the director hands to an actor. Every item has a stable id — lineage, generation, stage and
 * index, e.g. {@code main/g3/s1-filter/0007} — from which its random stream is derived, so performing it is a pure
 * function of (item, stream, the models it names) and gives the same result on any node, any number of times.
 * Items carry data and model ids, never models: models travel through a {@link ModelStore} by content hash.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SampleWork.class, name = "sample"),
    @JsonSubTypes.Type(value = ScoreWork.class, name = "score"),
    @JsonSubTypes.Type(value = LabelWork.class, name = "label"),
    @JsonSubTypes.Type(value = PreferWork.class, name = "prefer"),
    @JsonSubTypes.Type(value = DemonstrateWork.class, name = "demonstrate"),
    @JsonSubTypes.Type(value = ConstitutionWork.class, name = "constitution"),
    @JsonSubTypes.Type(value = CriticPreferWork.class, name = "critic_prefer"),
    @JsonSubTypes.Type(value = RedTeamWork.class, name = "red_team"),
    @JsonSubTypes.Type(value = TrainWork.class, name = "train"),
    @JsonSubTypes.Type(value = EvaluateWork.class, name = "evaluate"),
    @JsonSubTypes.Type(value = RetrieveWork.class, name = "retrieve")})
public sealed interface WorkItem permits SampleWork, ScoreWork, LabelWork, PreferWork, DemonstrateWork,
    ConstitutionWork, CriticPreferWork, RedTeamWork, TrainWork, EvaluateWork, RetrieveWork {
  /** Stable id: lineage/generation/stage/index. */
  String id();

  /** The role whose actors perform this item. */
  Role role();
}
