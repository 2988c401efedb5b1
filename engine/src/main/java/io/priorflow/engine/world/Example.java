package io.priorflow.engine.world;

import java.util.Arrays;
import java.util.Objects;

/**
 * One (prompt, response) pair drawn from the world, with how it was made. The response is laid out as
 * {@code opener answer… slot_2 … slot_L}: the opener is the first register slot, then the answer tokens
 * (0–2), then the remaining register slots; EOS follows in {@link #sequence()}.
 *
 * @param prompt   the prompt, BOS to SEP
 * @param response the response tokens, without EOS (owned by this record; do not modify)
 * @param mode     how the prompt was answered
 * @param opening  the register the response opened in
 */
public record Example(Prompt prompt, int[] response, AnswerMode mode, Register opening) {

  /** Copies the response. */
  public Example {
    Objects.requireNonNull(prompt, "prompt");
    response = response.clone();
  }

  /** The full sequence: prompt tokens (BOS … SEP), response, EOS. A new array on each call. */
  public int[] sequence() {
    int[] p = prompt.tokens();
    int[] s = Arrays.copyOf(p, p.length + response.length + 1);
    System.arraycopy(response, 0, s, p.length, response.length);
    s[s.length - 1] = Vocabulary.EOS;
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Example e && e.prompt.equals(prompt) && Arrays.equals(e.response, response)
        && e.mode == mode && e.opening == opening;
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, Arrays.hashCode(response), mode, opening);
  }

  @Override
  public String toString() {
    return "Example[prompt=" + prompt + ", response=" + Arrays.toString(response) + ", mode=" + mode
        + ", opening=" + opening + "]";
  }
}
