package io.priorflow.engine.train;

import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.SplittableRandom;

/**
 * The settings every method shares: how long, how big a step, which optimizer, and whether the base is frozen
 * under LoRA.
 *
 * @param epochs      passes over the data (for RLHF: over the prompts), ≥ 0
 * @param batchSize   sequences, pairs or prompts per optimizer step, ≥ 1
 * @param lr          peak learning rate, finite and ≥ 0
 * @param schedule    "constant" or "cosine" (decay to 0 at the last step), after {@code warmupSteps}
 * @param warmupSteps steps of linear warm-up from lr/warmupSteps to lr, ≥ 0
 * @param optimizer   AdamW settings
 * @param lora        rank-r adapters with the base frozen, or null to train every weight
 */
public record TrainSettings(int epochs, int batchSize, double lr, String schedule, int warmupSteps,
                            OptimizerConfig optimizer, LoraConfig lora) {
  public TrainSettings {
    if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, was " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1, was " + batchSize);
    if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be finite and ≥ 0, was " + lr);
    if (!"constant".equals(schedule) && !"cosine".equals(schedule)) {
      throw new IllegalArgumentException("schedule must be constant or cosine, was " + schedule);
    }
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be ≥ 0, was " + warmupSteps);
    if (optimizer == null) throw new IllegalArgumentException("optimizer must not be null");
  }

  /** Learning rate of 0-based optimizer step {@code step} of {@code totalSteps}: linear warm-up, then the schedule. */
  public float learningRate(int step, int totalSteps) {
    if (step < warmupSteps) return (float) (lr * (step + 1) / warmupSteps);
    if (schedule.equals("cosine")) {
      double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
      return (float) (lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
    return (float) lr;
  }

  /** A training session from {@code start}: full fine-tuning, or LoRA with adapters drawn from {@code loraRng}. */
  public ModelTraining open(TokenModel start, KernelBackend be, SplittableRandom loraRng) {
    return lora == null ? new ModelTraining(start, optimizer, be)
        : ModelTraining.lora(start, lora, optimizer, be, loraRng);
  }

  /** Number of batches of {@code batchSize} in n items (the last one may be short). */
  public int batches(int n) { return (n + batchSize - 1) / batchSize; }

  /** A Fisher–Yates permutation of 0..n−1 from the given stream. */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
