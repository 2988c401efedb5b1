package io.priorflow.engine.model;

/**
 * Low-rank adapters for parameter-efficient fine-tuning (Hu et al., "LoRA: Low-Rank Adaptation of Large Language
 * Models", 2021): every dense layer W (nOut, nIn) of a token model — each hidden layer and the output layer — gets
 * y = x·Wᵀ + b + (alpha / rank) · x·Aᵀ·Bᵀ with A (rank, nIn) and B (nOut, rank); the base weights, biases and
 * embeddings stay frozen. The embedding table has no adapter.
 *
 * @param rank  r ≥ 1, the adapters' inner width
 * @param alpha the adapter path is scaled by alpha / r, so changing r does not change the initial step size
 */
public record LoraConfig(int rank, double alpha) {
  public LoraConfig {
    if (rank < 1 || rank > TokenModelConfig.MAX_WIDTH) {
      throw new IllegalArgumentException("LoRA rank must be in [1, " + TokenModelConfig.MAX_WIDTH + "], was " + rank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("LoRA alpha must be a finite number > 0, was " + alpha);
    }
  }

  /** alpha / rank, the factor on the adapter path. */
  public float scale() { return (float) (alpha / rank); }
}
