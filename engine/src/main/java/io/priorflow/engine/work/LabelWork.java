package io.priorflow.engine.work;

import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Prompt;
import java.util.List;

/**
 * A human labeller checks sequences one after another: for each, accept or reject (task "rate"), or reject and
 * write a correction (task "correct"). See {@link HumanLabeller} for the model of accuracy, bias and fatigue.
 *
 * @param labellerId     the labeller's actor id, e.g. "human-2"
 * @param human          the labellers' parameters
 * @param hoursBefore    simulated hours this labeller had already worked in the session (for fatigue)
 * @param prompts        the prompt of each sequence (a correction answers it anew)
 * @param sequences      full sequences: prompt then response
 * @param task           "rate" or "correct"
 */
public record LabelWork(String id, String labellerId, HumanSpec human, double hoursBefore, List<Prompt> prompts,
                        List<int[]> sequences, String task) implements WorkItem {
  public LabelWork {
    prompts = List.copyOf(prompts);
    sequences = List.copyOf(sequences);
  }

  @Override
  public Role role() { return Role.HUMAN; }
}
