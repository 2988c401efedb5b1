package io.priorflow.engine.work;

import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Prompt;
import java.util.List;

/**
 * A human labeller writes a response to each prompt, one after another: a demonstration for supervised
 * fine-tuning, or the better side of a preference pair (e.g. for a prompt the red team found). Prompt i draws from
 * child stream "prompt/i". See {@link io.priorflow.engine.label.HumanJudge#demonstrate}.
 *
 * @param labellerId  the labeller's actor id, e.g. "human-2"
 * @param human       the labellers' parameters
 * @param hoursBefore simulated hours this labeller had already worked in the session (for fatigue)
 * @param prompts     the prompts to answer
 */
public record DemonstrateWork(String id, String labellerId, HumanSpec human, double hoursBefore, List<Prompt> prompts)
    implements WorkItem {
  public DemonstrateWork { prompts = List.copyOf(prompts); }

  @Override
  public Role role() { return Role.HUMAN; }
}
