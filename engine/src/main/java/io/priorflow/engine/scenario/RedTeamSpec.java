package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * The red teamers, who search for prompts that elicit undesirable traits.
 *
 * @param count  red teamers, in [1, 10000]; default 1
 * @param budget prompts the red team may try per generation, in [0, 10000000]; 0 turns red teaming off; default 1000
 * @param model  names the entry of {@code models} an AI red teamer's trait classifiers have; null (the default)
 *               takes the scenario's {@code model}
 */
public record RedTeamSpec(
    @Range(min = 1, max = 10_000) int count,
    @Range(min = 0, max = 10_000_000) int budget,
    @Nullable String model) {

  /** Red teamers whose classifiers the scenario's {@code model} sizes. */
  public RedTeamSpec(int count, int budget) {
    this(count, budget, null);
  }

  /** 1 red teamer with 1000 prompts per generation. */
  public static RedTeamSpec defaults() {
    return new RedTeamSpec(1, 1000);
  }
}
