package io.priorflow.engine.work;

import java.util.List;

/**
 * Measure a model against the gold oracle on the run's fixed evaluation set.
 *
 * @param baseModelId   the base model for kl.base, or null
 * @param rewardModelId the reward model (critic) for reward.proxy, or null
 * @param promptPassages with retrieval, the retrieved passages of each evaluation prompt (empty for none), else null
 * @param probePassages  with retrieval, the passages of each changed-fact probe ({@code ChangedFacts}), else null
 */
public record EvaluateWork(String id, String modelId, String baseModelId, String rewardModelId,
                           String referenceModelId, int bestOfN, List<int[]> promptPassages,
                           List<int[]> probePassages) implements WorkItem {

  /** An evaluation without retrieval. */
  public EvaluateWork(String id, String modelId, String baseModelId, String rewardModelId, String referenceModelId,
                      int bestOfN) {
    this(id, modelId, baseModelId, rewardModelId, referenceModelId, bestOfN, null, null);
  }

  /** An evaluation without a win rate. */
  public EvaluateWork(String id, String modelId, String baseModelId, String rewardModelId) {
    this(id, modelId, baseModelId, rewardModelId, null, 0);
  }

  @Override
  public Role role() { return Role.EVALUATOR; }
}
