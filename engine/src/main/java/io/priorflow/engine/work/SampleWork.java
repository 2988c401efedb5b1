package io.priorflow.engine.work;

import io.priorflow.engine.model.SamplingConfig;
import java.util.List;

/**
 * Continue each prompt with the named model. Prompt i draws from the child stream {@code "prompt/" + i} of the
 * item's stream, so a prompt's continuation does not depend on the others in the item.
 *
 * @param modelId the teacher's content hash
 * @param prompts token sequences (BOS tag prompt… SEP) to continue
 */
public record SampleWork(String id, String modelId, List<int[]> prompts, SamplingConfig sampling) implements WorkItem {
  public SampleWork { prompts = List.copyOf(prompts); }

  @Override
  public Role role() { return Role.GENERATOR; }
}
