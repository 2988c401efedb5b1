package io.priorflow.engine.work;

/** The actor roles of DESIGN.md §4 that perform work items; the director is not one of them (it dispatches). */
public enum Role {
  GENERATOR, CRITIC, HUMAN, TRAINER, EVALUATOR, RED_TEAMER, RETRIEVER;

  /** Lower-case name used in addresses, ids and reports: "generator", "red_teamer". */
  public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
