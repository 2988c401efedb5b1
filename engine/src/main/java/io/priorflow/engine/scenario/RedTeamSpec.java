package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Range;

/**
 * The red teamers, who search for prompts that elicit undesirable traits.
 *
 * @param count  red teamers, in [1, 10000]; default 1
 * @param budget prompts the red team may try per generation, in [0, 10000000]; 0 turns red teaming off; default 1000
 */
public record RedTeamSpec(
    @Range(min = 1, max = 10_000) int count,
    @Range(min = 0, max = 10_000_000) int budget) {

  /** 1 red teamer with 1000 prompts per generation. */
  public static RedTeamSpec defaults() {
    return new RedTeamSpec(1, 1000);
  }
}
