package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Range;

/**
 * A role whose behaviour the stages configure (generators, trainers, evaluators): only how many instances run.
 *
 * @param count instances, in [1, 10000]; default 2
 */
public record RoleSpec(@Range(min = 1, max = 10_000) int count) {

  /** 2 instances. */
  public static RoleSpec defaults() {
    return new RoleSpec(2);
  }
}
