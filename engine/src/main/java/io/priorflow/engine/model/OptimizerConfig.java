package io.priorflow.engine.model;

/**
 * AdamW settings (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019) and gradient clipping.
 * Weight decay applies to matrices and embeddings only, never to biases.
 *
 * @param beta1       first-moment decay, in [0, 1)
 * @param beta2       second-moment decay, in [0, 1)
 * @param eps         added to √v̂, &gt; 0
 * @param weightDecay decoupled decay per unit learning rate, ≥ 0
 * @param gradClip    clip the global gradient norm to this; 0 disables clipping
 */
public record OptimizerConfig(float beta1, float beta2, float eps, float weightDecay, float gradClip) {
  public OptimizerConfig {
    if (!(beta1 >= 0f && beta1 < 1f)) throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
    if (!(beta2 >= 0f && beta2 < 1f)) throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
    if (!(eps > 0f)) throw new IllegalArgumentException("eps must be > 0, was " + eps);
    if (!(weightDecay >= 0f)) throw new IllegalArgumentException("weightDecay must be ≥ 0, was " + weightDecay);
    if (!(gradClip >= 0f)) throw new IllegalArgumentException("gradClip must be ≥ 0 (0 disables), was " + gradClip);
  }

  /** β = (0.9, 0.99), ε = 1e−8, weight decay 0.01, clip at norm 1. */
  public static OptimizerConfig defaults() { return new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0.01f, 1.0f); }
}
