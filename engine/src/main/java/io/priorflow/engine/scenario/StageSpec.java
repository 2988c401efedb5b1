package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.List;

/**
 * One stage of a generation, chosen by the key {@code kind}. This interface is the registry of stage kinds: to add
 * one, write a record with a static {@code defaults()}, Javadoc for every field, the schedule fields
 * {@code every}, {@code from}, {@code until} ({@link #runsIn}) and {@code name}, and name it in {@code permits} and in
 * {@link JsonSubTypes}. The validator, the JSON Schema and the error for an unknown kind read the list from
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

  /** Run in every {@code every}-th generation from {@link #from} on; null is 1. */
  Integer every();

  /** The first generation the stage runs in; null is 1. */
  Integer from();

  /** The last generation the stage runs in (0: never); null is the last generation. */
  Integer until();

  /**
   * True when the stage runs in generation {@code g} (≥ 1): {@code from ≤ g ≤ until} and {@code (g − from)} is a
   * multiple of {@code every}. A stage that does not run leaves the generation's data as they are; a generation in
   * which no train stage runs keeps its teacher as its model.
   */
  default boolean runsIn(int g) {
    int first = from() == null ? 1 : from();
    int step = every() == null ? 1 : every();
    return g >= first && (until() == null || g <= until()) && (g - first) % step == 0;
  }

  /** The stage's name in paths ({@code stages[<name>]}), or null. */
  String name();

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
