package io.priorflow.engine.work;

import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Prompt;
import java.util.List;

/**
 * A human labeller checks sequences one after another: for each, accept or reject (task "rate"), or reject and
 * write a correction (task "correct"). With {@code preLabels} the labelling is model-assisted: the human sees an AI
 * critic's verdict on each sequence, confirms or overrides it, and sometimes copies it without judging (anchoring).
 * See {@link io.priorflow.engine.label.HumanJudge} for the model of accuracy, bias, fatigue, anchoring and time.
 *
 * @param labellerId     the labeller's actor id, e.g. "human-2"
 * @param human          the labellers' parameters
 * @param hoursBefore    simulated hours this labeller had already worked in the session (for fatigue)
 * @param prompts        the prompt of each sequence (a correction answers it anew)
 * @param sequences      full sequences: prompt then response
 * @param task           "rate" or "correct"
 * @param preLabels      the AI pre-label of each sequence (true = accept), or null for unassisted labelling
 */
public record LabelWork(String id, String labellerId, HumanSpec human, double hoursBefore, List<Prompt> prompts,
                        List<int[]> sequences, String task, boolean[] preLabels) implements WorkItem {
  public LabelWork {
    prompts = List.copyOf(prompts);
    sequences = List.copyOf(sequences);
  }

  /** Unassisted labelling: no pre-labels. */
  public LabelWork(String id, String labellerId, HumanSpec human, double hoursBefore, List<Prompt> prompts,
                   List<int[]> sequences, String task) {
    this(id, labellerId, human, hoursBefore, prompts, sequences, task, null);
  }

  @Override
  public Role role() { return Role.HUMAN; }
}
