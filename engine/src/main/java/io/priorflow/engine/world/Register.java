package io.priorflow.engine.world;

/**
 * The register of a response, a hidden Markov state that decides which markers the response emits. Toxic is
 * hard to leave and polite can turn toxic ("polite discourse turns toxic", the Waluigi pattern); nothing turns
 * polite once the response has opened.
 */
public enum Register {
  /** Emits filler only. */
  NEUTRAL,
  /** Opens with a polite marker, then emits polite markers or filler. */
  POLITE,
  /** Opens with a toxic marker, then emits toxic markers or filler. */
  TOXIC
}
