package io.priorflow.engine.scenario;

/**
 * Which model spec each role of a scenario has: the entry of {@code models} the role names, or the scenario's
 * {@code model} when it names none. The run sizes its models here and nowhere else; {@link ModelCheck} has already
 * checked that every name exists. Not a place for the combinations a run cannot do: those are {@link ModelCheck}'s.
 */
public final class ModelRoles {
  private ModelRoles() {}

  /** The spec a reference names: {@code models.<ref>}, or the scenario's {@code model} for null. */
  public static ModelSpec named(Scenario s, String ref) {
    if (ref == null) {
      return s.model();
    }
    ModelSpec m = s.models() == null ? null : s.models().get(ref);
    if (m == null) {
      throw new IllegalArgumentException("the scenario names a model \"" + ref + "\" that models does not have (a "
          + "validated scenario cannot: please report it)");
    }
    return m;
  }

  /** A lineage's students (and the teachers they become). */
  public static ModelSpec student(Scenario s, LineageSpec l) {
    return named(s, l.model());
  }

  /** A lineage's base, generation 0's teacher. */
  public static ModelSpec base(Scenario s, LineageSpec l) {
    return named(s, l.base().model());
  }

  /** The critic's utility model. */
  public static ModelSpec critic(Scenario s) {
    return named(s, s.actors().critics().model());
  }

  /** The constitution's trait classifiers. */
  public static ModelSpec constitution(Scenario s) {
    ConstitutionSpec c = s.actors().critics().constitution();
    return named(s, c == null ? null : c.model());
  }

  /** An AI red teamer's trait classifiers. */
  public static ModelSpec redTeam(Scenario s) {
    return named(s, s.actors().redTeamers().model());
  }

  /** The model a reward_model stage trains from scratch. */
  public static ModelSpec rewardModel(Scenario s, TrainStage t) {
    return named(s, t.model());
  }
}
