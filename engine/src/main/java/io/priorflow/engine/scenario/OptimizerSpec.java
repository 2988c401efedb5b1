package io.priorflow.engine.scenario;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * AdamW and gradient clipping, as in {@link OptimizerConfig}.
 *
 * @param beta1       first-moment decay, in [0, 1); default 0.9
 * @param beta2       second-moment decay, in [0, 1); default 0.99
 * @param eps         added to √v̂, in (0, 1]; default 1e-8
 * @param weightDecay decoupled decay per unit learning rate, in [0, 10]; default 0.01
 * @param gradClip    clip the global gradient norm to this, in [0, 1000000]; 0 disables clipping; default 1
 */
public record OptimizerSpec(
    @Range(min = 0, max = 1, maxOpen = true) double beta1,
    @Range(min = 0, max = 1, maxOpen = true) double beta2,
    @Range(min = 0, max = 1, minOpen = true) double eps,
    @Range(min = 0, max = 10) double weightDecay,
    @Range(min = 0, max = 1e6) double gradClip) {

  /** {@link OptimizerConfig#defaults()} written as decimals: β = (0.9, 0.99), ε = 1e-8, decay 0.01, clip 1. */
  public static OptimizerSpec defaults() {
    return new OptimizerSpec(0.9, 0.99, 1e-8, 0.01, 1.0);
  }

  /** The kernel-level config (single precision). */
  public OptimizerConfig toConfig() {
    return new OptimizerConfig((float) beta1, (float) beta2, (float) eps, (float) weightDecay, (float) gradClip);
  }
}
