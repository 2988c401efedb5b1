package io.priorflow.engine.work;

import io.priorflow.engine.label.Constitution;
import java.util.List;

/**
 * An AI critic scores sequences under a constitution: each rule's trait classifier judges the response (from
 * position {@code from[i]}), and the verdicts are aggregated ({@link Constitution}: score ≥ 0 means acceptable).
 * With temperature τ &gt; 0 each score gets τ·g added, g a standard Gumbel draw from child stream "seq/i", as in
 * {@link ScoreWork}. The result is a {@link ScoreResult}.
 */
public record ConstitutionWork(String id, String criticId, Constitution constitution, List<int[]> sequences,
                               int[] from, double temperature) implements WorkItem {
  public ConstitutionWork { sequences = List.copyOf(sequences); }

  @Override
  public Role role() { return Role.CRITIC; }
}
