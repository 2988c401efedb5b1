package io.priorflow.engine.world;

/** The arithmetic operators of the world, each a token of the same name. */
public enum Operator {
  /** a + b. */
  PLUS,
  /** a − b, with a ≥ b in world prompts so results are never negative. */
  MINUS;

  /** The token name: "plus" or "minus". */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The result of a op b. */
  public int apply(int a, int b) {
    return this == PLUS ? a + b : a - b;
  }
}
