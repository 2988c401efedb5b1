package io.priorflow.engine.work;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import java.util.List;

/**
 * Train a model on a dataset. Methods: {@code lm} (loss on every token after position {@code lossFrom[i]}: 1 for
 * pretraining, the response start for SFT and sequence-level distillation) and {@code score_regression} (a scalar
 * head fitted to {@code targets} by squared error, for critics and reward models).
 *
 * @param initModelId the starting weights' model id, or null for a fresh initialisation from the item's stream
 * @param lossFrom    per sequence, the first position with loss (lm) or the first pooled position (regression)
 * @param targets     per sequence, the regression target (score_regression only; else null)
 * @param schedule    "constant" or "cosine" (after {@code warmupSteps} of linear warm-up)
 */
public record TrainWork(String id, String method, TokenModelConfig config, String initModelId, List<int[]> sequences,
                        int[] lossFrom, double[] targets, int epochs, int batchSize, double lr, String schedule,
                        int warmupSteps, OptimizerConfig optimizer) implements WorkItem {
  public TrainWork { sequences = List.copyOf(sequences); }

  @Override
  public Role role() { return Role.TRAINER; }
}
