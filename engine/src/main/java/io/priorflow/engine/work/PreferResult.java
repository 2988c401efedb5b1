package io.priorflow.engine.work;

/**
 * Which response of each pair was preferred (true = the first), in the item's order, and the simulated seconds and
 * dollars it cost (0 for an AI critic, whose cost per label the director charges).
 */
public record PreferResult(String id, boolean[] preferFirst, double seconds, double usd) implements WorkResult {}
