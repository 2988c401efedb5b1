package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * The defaults of every train stage (a stage may override {@code lr} and {@code epochs}), and of pretraining.
 *
 * @param lr          peak learning rate, in (0, 10]; default 0.01
 * @param batchSize   sequences per optimizer step, in [1, 65536]; default 32
 * @param epochs      passes over a stage's training data, in [1, 1000]; default 1
 * @param lrSchedule  constant, or cosine decay from lr to 0 over the stage; default cosine
 * @param warmupSteps steps of linear warm-up from 0 to lr, in [0, 10000000]; default 0
 * @param optimizer   AdamW settings and gradient clipping
 */
public record TrainingSpec(
    @Range(min = 0, max = 10, minOpen = true) double lr,
    @Range(min = 1, max = 65_536) int batchSize,
    @Range(min = 1, max = 1000) int epochs,
    Schedule lrSchedule,
    @Range(min = 0, max = 10_000_000) int warmupSteps,
    OptimizerSpec optimizer) {

  /** How the learning rate moves over a stage, after warm-up. */
  public enum Schedule {
    /** lr throughout. */
    @JsonProperty("constant") CONSTANT,
    /** lr · ½(1 + cos(π · step / steps)). */
    @JsonProperty("cosine") COSINE
  }

  /** lr 0.01 with cosine decay, batches of 32 sequences, one epoch, no warm-up, {@link OptimizerSpec#defaults()}. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(0.01, 32, 1, Schedule.COSINE, 0, OptimizerSpec.defaults());
  }
}
