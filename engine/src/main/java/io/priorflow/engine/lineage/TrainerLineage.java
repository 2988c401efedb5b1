package io.priorflow.engine.lineage;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a trainer made a model [Tribuo TrainerProvenance]: everything that changes the result, nothing that does
 * not (no times, no thread counts).
 *
 * @param method     the training method as a scenario names it (e.g. "pretrain", "sft", "lora", "dpo", "rlhf",
 *                   "distill_tokens")
 * @param config     the trainer's settings as strings (learning rate, epochs, LoRA rank, KL weight…), sorted by key
 * @param seed       the seed of the trainer's stream
 * @param invocation how many times this trainer had trained before this model (0 for the first), so that any
 *                   training can be replayed [Tribuo AbstractSGDTrainer]
 */
public record TrainerLineage(String method, Map<String, String> config, long seed, int invocation) {

  /** Checks the fields; sorts the config. */
  public TrainerLineage {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("A trainer lineage needs a method name, was " + method + ".");
    }
    if (invocation < 0) {
      throw new IllegalArgumentException("invocation must be ≥ 0, was " + invocation + ".");
    }
    config = config == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(config));
  }
}
