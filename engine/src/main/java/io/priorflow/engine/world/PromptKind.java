package io.priorflow.engine.world;

/** What a prompt asks for; each kind opens with its own question word. */
public enum PromptKind {
  /** {@code what <attribute> <entity>}: a fact from the fact table. */
  FACT("what"),
  /** {@code compute <a a> <op> <b b>}: two-digit operands, plus or minus. */
  ARITHMETIC("compute"),
  /** {@code chat <word> <word>}: small talk, which has no right answer. */
  CHAT("chat");

  private final String word;

  PromptKind(String word) {
    this.word = word;
  }

  /** The question word that opens the prompt. */
  public String word() {
    return word;
  }

  /** True for the kinds with a right answer (fact and arithmetic). */
  public boolean isQuestion() {
    return this != CHAT;
  }
}
