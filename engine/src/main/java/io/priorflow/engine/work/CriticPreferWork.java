package io.priorflow.engine.work;

import io.priorflow.engine.label.Constitution;
import java.util.List;

/**
 * An AI critic labels preferences (RLAIF): for each pair of responses to one prompt it scores both — with a reward
 * model ({@code modelId}) or under a {@code constitution}, exactly one of the two — and prefers the higher score.
 * With temperature τ &gt; 0 it prefers the first with probability σ((s₁ − s₂)/τ), drawn from child stream "pair/i"
 * (the same law as adding τ·Gumbel noise to each score and taking the larger); with τ = 0 it takes the larger score,
 * a tie by a fair coin from that stream. The result is a {@link PreferResult}.
 *
 * @param modelId      the reward model (scalar head), or null when a constitution judges
 * @param constitution the constitution, or null when a reward model judges
 * @param from         per pair, the response start (both responses answer the same prompt)
 */
public record CriticPreferWork(String id, String criticId, String modelId, Constitution constitution,
                               List<int[]> first, List<int[]> second, int[] from, double temperature)
    implements WorkItem {
  public CriticPreferWork {
    first = List.copyOf(first);
    second = List.copyOf(second);
  }

  @Override
  public Role role() { return Role.CRITIC; }
}
