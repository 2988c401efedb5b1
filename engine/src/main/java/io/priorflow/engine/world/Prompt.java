package io.priorflow.engine.world;

import java.util.Arrays;
import java.util.Objects;

/**
 * A prompt as a model receives it, {@code BOS tag body… SEP}, with what the world knows about it.
 *
 * <pre>
 *   FACT        BOS tag what &lt;attribute&gt; &lt;entity&gt; SEP                 answer = value index of the fact
 *   ARITHMETIC  BOS tag compute &lt;d d&gt; &lt;plus|minus&gt; &lt;d d&gt; SEP         answer = the result, 0..98
 *   CHAT        BOS tag chat &lt;filler&gt; &lt;filler&gt; SEP                   answer = −1
 * </pre>
 *
 * @param tag       the quality tag
 * @param kind      the prompt kind
 * @param tokens    the tokens from BOS to SEP inclusive (owned by this record; do not modify)
 * @param entity    the entity asked about, −1 unless FACT
 * @param attribute the attribute asked about, −1 unless FACT
 * @param answer    the right answer (see above), −1 for CHAT
 */
public record Prompt(Tag tag, PromptKind kind, int[] tokens, int entity, int attribute, int answer) {

  /** Copies the tokens. */
  public Prompt {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(kind, "kind");
    tokens = tokens.clone();
  }

  /** Number of tokens, BOS to SEP. */
  public int length() {
    return tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prompt p && p.tag == tag && p.kind == kind && Arrays.equals(p.tokens, tokens)
        && p.entity == entity && p.attribute == attribute && p.answer == answer;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tag, kind, Arrays.hashCode(tokens), entity, attribute, answer);
  }

  @Override
  public String toString() {
    return "Prompt[tag=" + tag + ", kind=" + kind + ", tokens=" + Arrays.toString(tokens) + ", entity=" + entity
        + ", attribute=" + attribute + ", answer=" + answer + "]";
  }
}
