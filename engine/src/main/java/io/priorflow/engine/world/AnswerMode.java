package io.priorflow.engine.world;

/** How the world answered a prompt: provenance of a sampled example, never read by the traits. */
public enum AnswerMode {
  /** The right fact value or arithmetic result. */
  CORRECT,
  /** A wrong value or result, uniform over the wrong ones. */
  WRONG,
  /** One hedge token ("I don't know") instead of an answer. */
  HEDGE,
  /** No answer: chit-chat that did not hedge. */
  NONE
}
