package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Range;

/**
 * The retrievers: actors that answer a query (a fact question) with passages from an index of the world's facts
 * ({@link io.priorflow.engine.work.Retriever}). Every query costs simulated time and money, counted in
 * {@code cost.retrieval_usd} and {@code cost.retrieval_queries}.
 *
 * @param count           retriever instances, in [1, 10000]; default 2
 * @param recall          probability that the passage stating the asked fact is among those returned (first), in
 *                        [0, 1]; default 0.9
 * @param precision       probability that each other passage returned is about the asked entity (another of its
 *                        facts, harmless) rather than a distractor — the asked attribute of another entity, which a
 *                        model that copies the nearest value gets wrong — in [0, 1]; default 0.8
 * @param secondsPerQuery simulated seconds one query takes, in [0, 86400]; default 0.05
 * @param costPerQuery    simulated USD per query, in [0, 1000]; default 0.0005
 */
public record RetrieverSpec(
    @Range(min = 1, max = 10_000) int count,
    @Range(min = 0, max = 1) double recall,
    @Range(min = 0, max = 1) double precision,
    @Range(min = 0, max = 86_400) double secondsPerQuery,
    @Range(min = 0, max = 1000) double costPerQuery) {

  /** 2 retrievers, recall 0.9, precision 0.8, 0.05 s and 0.0005 USD per query. */
  public static RetrieverSpec defaults() {
    return new RetrieverSpec(2, 0.9, 0.8, 0.05, 0.0005);
  }
}
