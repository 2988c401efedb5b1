package io.priorflow.engine.scenario;

/**
 * How many actors of each role a run starts, and their parameters. More instances of a role make a run faster,
 * never different (the determinism contract): results depend on the parameters, not on the counts.
 *
 * @param humans     human labellers
 * @param critics    AI critics
 * @param generators synthetic-data generators
 * @param trainers   trainers
 * @param evaluators evaluators
 * @param redTeamers red teamers
 * @param retrievers retrievers, for retrieval-augmented prompting ({@code retrieval:} on a generate stage, the
 *                   evaluation, a lineage or the critic); null (the default) is {@link RetrieverSpec#defaults()}, left out of the resolved
 *                   scenario
 */
public record ActorsSpec(
    HumanSpec humans,
    CriticSpec critics,
    RoleSpec generators,
    RoleSpec trainers,
    RoleSpec evaluators,
    RedTeamSpec redTeamers,
    @Rules.Nullable RetrieverSpec retrievers) {

  /** Actors with the default retrievers. */
  public ActorsSpec(HumanSpec humans, CriticSpec critics, RoleSpec generators, RoleSpec trainers, RoleSpec evaluators,
                    RedTeamSpec redTeamers) {
    this(humans, critics, generators, trainers, evaluators, redTeamers, null);
  }

  /** Every role's defaults; 2 generators, 2 trainers, 2 evaluators. */
  public static ActorsSpec defaults() {
    return new ActorsSpec(HumanSpec.defaults(), CriticSpec.defaults(), RoleSpec.defaults(), RoleSpec.defaults(),
        RoleSpec.defaults(), RedTeamSpec.defaults());
  }

  /** The retrievers given, or {@link RetrieverSpec#defaults()}. */
  public RetrieverSpec retrieversOrDefault() {
    return retrievers == null ? RetrieverSpec.defaults() : retrievers;
  }
}
