package io.priorflow.engine.work;

/** One score per sequence of the {@link ScoreWork}, in its order. */
public record ScoreResult(String id, double[] scores) implements WorkResult {}
