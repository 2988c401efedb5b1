package io.priorflow.engine.work;

import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.train.TrainParams;
import java.util.List;

/**
 * Train a model on a dataset with one of the methods below ({@link Trainer} performs it; the pure code is in
 * {@code io.priorflow.engine.train}). Every method shares the dataset, the schedule and the optimizer; what else a
 * method needs comes in {@code params}, whose type must match the method:
 * <pre>
 *   method           params               sequences are            lossFrom[i] is              start model
 *   lm               —                    training text            first position with loss    init or fresh
 *   lora             — (lora required)    training text            first position with loss    init or fresh
 *   score_regression —                    scored sequences         first pooled position       init or fresh, scalar
 *   reward_bt        TrainParams.RewardBt sequences of the pairs   first pooled position       init or fresh, scalar
 *   dpo              TrainParams.Dpo      sequences of the pairs   response start              init (required)
 *   kto              TrainParams.Kto      rated examples           response start              init (required)
 *   rlhf             TrainParams.Rlhf     prompts                  (unused; prompt length)     init (required)
 *   distill_token    TrainParams.Distill  contexts                 first distilled position    init or fresh
 *   gkd              TrainParams.Gkd      dataset (prompt+response) response start (≥ 1)       init or fresh
 *   best_of_n        TrainParams.BestOfN  prompts                  (unused; prompt length)     init (required)
 * </pre>
 * For the scalar-head methods an init model with the token head lends its body (embeddings and hidden layers) to a
 * fresh scalar head. {@code lora} (rank-r adapters, base frozen, merged at the end) applies to every token-head
 * method; {@code lora} the method is {@code lm} with adapters.
 *
 * @param initModelId the starting weights' model id, or null for a fresh initialisation from the item's stream
 * @param lossFrom    per sequence, as in the table
 * @param targets     per sequence, the regression target (score_regression only; else null)
 * @param schedule    "constant" or "cosine" (after {@code warmupSteps} of linear warm-up)
 * @param lora        LoRA adapters with the base frozen, or null to train every weight
 * @param params      the method's own parameters, or null for lm, lora and score_regression
 */
public record TrainWork(String id, String method, TokenModelConfig config, String initModelId, List<int[]> sequences,
                        int[] lossFrom, double[] targets, int epochs, int batchSize, double lr, String schedule,
                        int warmupSteps, OptimizerConfig optimizer, LoraConfig lora, TrainParams params)
    implements WorkItem {
  public TrainWork { sequences = List.copyOf(sequences); }

  /** An lm or score_regression item: full fine-tuning, no method parameters. */
  public TrainWork(String id, String method, TokenModelConfig config, String initModelId, List<int[]> sequences,
                   int[] lossFrom, double[] targets, int epochs, int batchSize, double lr, String schedule,
                   int warmupSteps, OptimizerConfig optimizer) {
    this(id, method, config, initModelId, sequences, lossFrom, targets, epochs, batchSize, lr, schedule, warmupSteps,
        optimizer, null, null);
  }

  @Override
  public Role role() { return Role.TRAINER; }
}
