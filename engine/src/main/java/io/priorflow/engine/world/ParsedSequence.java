package io.priorflow.engine.world;

/**
 * What {@link SequenceParser} read from a token sequence.
 *
 * @param tag           the prompt's quality tag, or null if none
 * @param kind          the prompt kind, or null if the prompt is not well formed
 * @param entity        the entity asked about (FACT), else −1
 * @param answer        the right answer: a value index (FACT) or a result (ARITHMETIC), else −1
 * @param responseStart index of the first response token (just after SEP), or the length if there is no SEP
 * @param responseEnd   index just past the last response token (the first EOS after SEP, or the length)
 * @param correct       the response answers the prompt correctly (see {@link SequenceParser})
 * @param rareEntity    the prompt asks about a rare entity
 */
public record ParsedSequence(
    Tag tag, PromptKind kind, int entity, int answer, int responseStart, int responseEnd, boolean correct,
    boolean rareEntity) {

  /** Number of response tokens, EOS excluded. */
  public int responseLength() {
    return responseEnd - responseStart;
  }

  /** True for a well-formed fact or arithmetic prompt. */
  public boolean isQuestion() {
    return kind != null && kind.isQuestion() && answer >= 0;
  }
}
