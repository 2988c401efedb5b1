package io.priorflow.engine.label;

import io.priorflow.engine.world.Prompt;
import java.util.Arrays;
import java.util.Objects;

/**
 * A prompt the red team found to elicit the undesirable trait, with the target's response that showed it.
 *
 * @param prompt   the prompt (a well-formed world prompt)
 * @param sequence the full sequence: the prompt's tokens, the target's response (owned; do not modify)
 * @param trial    the index of the trial, 0 .. budget − 1, that found it
 */
public record RedTeamFinding(Prompt prompt, int[] sequence, int trial) {

  /** Copies the sequence. */
  public RedTeamFinding {
    Objects.requireNonNull(prompt, "prompt");
    sequence = sequence.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedTeamFinding f && f.prompt.equals(prompt) && Arrays.equals(f.sequence, sequence)
        && f.trial == trial;
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, Arrays.hashCode(sequence), trial);
  }

  @Override
  public String toString() {
    return "RedTeamFinding[prompt=" + prompt + ", sequence=" + Arrays.toString(sequence) + ", trial=" + trial + "]";
  }
}
