package io.priorflow.engine.model;

/**
 * How a {@link TokenModel} samples continuations.
 *
 * @param temperature   logits are divided by it; 0 means greedy (argmax, lowest id on ties)
 * @param topK          keep only the k most likely tokens (ties broken by lower id); 0 keeps all
 * @param maxNewTokens  stop after this many new tokens
 * @param stopToken     stop after emitting this token (it is kept); −1 for none
 */
public record SamplingConfig(float temperature, int topK, int maxNewTokens, int stopToken) {
  public SamplingConfig {
    if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a finite number ≥ 0, was " + temperature);
    }
    if (topK < 0) throw new IllegalArgumentException("topK must be ≥ 0 (0 keeps every token), was " + topK);
    if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be ≥ 1, was " + maxNewTokens);
    if (stopToken < -1) throw new IllegalArgumentException("stopToken must be a token id or −1, was " + stopToken);
  }
}
