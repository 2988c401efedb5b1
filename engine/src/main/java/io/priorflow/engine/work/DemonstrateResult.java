package io.priorflow.engine.work;

import java.util.List;

/**
 * The human's responses as full sequences (the prompt's tokens, the response, EOS), one per prompt in order, and the
 * simulated seconds and dollars they cost.
 */
public record DemonstrateResult(String id, List<int[]> sequences, double seconds, double usd) implements WorkResult {
  public DemonstrateResult { sequences = List.copyOf(sequences); }
}
