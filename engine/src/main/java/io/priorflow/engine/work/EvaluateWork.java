package io.priorflow.engine.work;

/**
 * Measure a model against the gold oracle on the run's fixed evaluation set.
 *
 * @param baseModelId   the base model for kl.base, or null
 * @param rewardModelId the reward model (critic) for reward.proxy, or null
 */
public record EvaluateWork(String id, String modelId, String baseModelId, String rewardModelId,
                           String referenceModelId, int bestOfN) implements WorkItem {

  /** An evaluation without a win rate. */
  public EvaluateWork(String id, String modelId, String baseModelId, String rewardModelId) {
    this(id, modelId, baseModelId, rewardModelId, null, 0);
  }

  @Override
  public Role role() { return Role.EVALUATOR; }
}
