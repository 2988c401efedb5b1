package io.priorflow.engine.work;

import io.priorflow.engine.train.RlhfStep;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trained model's id (it is in the model store), and what the training cost and reached.
 *
 * @param tokens    trained positions summed over steps (the training-token cost)
 * @param firstLoss mean loss of the first epoch
 * @param lastLoss  mean loss of the last epoch
 * @param stats     named numbers, sorted by name: trainable parameters and optimizer bytes beside full
 *                  fine-tuning's ({@code params.trainable}, {@code params.full}, {@code optimizer.bytes},
 *                  {@code optimizer.bytes_full}), then the method's own, e.g. {@code reward.heldout_agreement},
 *                  {@code dpo.accuracy}, {@code rlhf.kl} (see the trainers in {@code io.priorflow.engine.train})
 * @param trace     RLHF only: proxy reward, gold reward and KL at every step; else empty
 */
public record TrainResult(String id, String modelId, int steps, long tokens, double firstLoss, double lastLoss,
                          Map<String, Double> stats, List<RlhfStep> trace) implements WorkResult {
  public TrainResult {
    stats = stats == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(stats));
    trace = trace == null ? List.of() : List.copyOf(trace);
  }

  /** A result without stats or trace. */
  public TrainResult(String id, String modelId, int steps, long tokens, double firstLoss, double lastLoss) {
    this(id, modelId, steps, tokens, firstLoss, lastLoss, Map.of(), List.of());
  }
}
