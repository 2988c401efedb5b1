package io.priorflow.engine.work;

import io.priorflow.engine.scenario.HumanSpec;
import java.util.List;

/**
 * A human labeller compares pairs of responses to one prompt, one pair after another, and says which is better.
 * With {@code prePreferFirst} the labelling is model-assisted: the human sees an AI critic's preference for each
 * pair. See {@link io.priorflow.engine.label.HumanJudge}. Pair i draws from child streams "pair/i" (the judgement)
 * and "anchor/i" (anchoring on the pre-label).
 *
 * @param labellerId     the labeller's actor id, e.g. "human-2"
 * @param human          the labellers' parameters
 * @param hoursBefore    simulated hours this labeller had already worked in the session (for fatigue)
 * @param first          full sequences (prompt then response), the first of each pair
 * @param second         full sequences answering the same prompts, the second of each pair
 * @param prePreferFirst the AI's preference for each pair (true = the first), or null for unassisted labelling
 */
public record PreferWork(String id, String labellerId, HumanSpec human, double hoursBefore, List<int[]> first,
                         List<int[]> second, boolean[] prePreferFirst) implements WorkItem {
  public PreferWork {
    first = List.copyOf(first);
    second = List.copyOf(second);
  }

  @Override
  public Role role() { return Role.HUMAN; }
}
