package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.List;

/**
 * One stage of a generation, chosen by the key {@code kind}. This interface is the registry of stage kinds: to add
 * one, write a record with a static {@code defaults()} and Javadoc for every field, and name it in {@code permits}
 * and in {@link JsonSubTypes}. The validator, the JSON Schema and the error for an unknown kind read the list from
 * here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @Type(value = GenerateStage.class, name = "generate"),
    @Type(value = FilterStage.class, name = "filter"),
    @Type(value = LabelStage.class, name = "label"),
    @Type(value = TrainStage.class, name = "train"),
    @Type(value = RedTeamStage.class, name = "redteam")})
public sealed interface StageSpec permits GenerateStage, FilterStage, LabelStage, TrainStage, RedTeamStage {

  /** Every stage kind, in registry order: generate, filter, label, train, redteam. */
  static List<String> kinds() {
    return Arrays.stream(StageSpec.class.getAnnotation(JsonSubTypes.class).value()).map(Type::name).toList();
  }

  /** This stage's kind, as written in files. */
  default String kind() {
    for (Type t : StageSpec.class.getAnnotation(JsonSubTypes.class).value()) {
      if (t.value() == getClass()) {
        return t.name();
      }
    }
    throw new IllegalStateException(getClass() + " is missing from StageSpec's @JsonSubTypes");
  }
}
