package io.priorflow.engine.work;

import java.util.List;

/**
 * An AI critic scores sequences with its model (scalar head), from position {@code from[i]} on. With temperature
 * τ &gt; 0 the critic is noisy: each score gets τ·g added, g a standard Gumbel draw from child stream "seq/i", so a
 * top-k filter on noisy scores samples without replacement ∝ exp(score/τ) (the Gumbel-top-k trick).
 */
public record ScoreWork(String id, String criticId, String modelId, List<int[]> sequences, int[] from,
                        double temperature) implements WorkItem {
  public ScoreWork { sequences = List.copyOf(sequences); }

  @Override
  public Role role() { return Role.CRITIC; }
}
