package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Range;

/**
 * Retrieval-augmented prompting where a model answers or judges (a generate stage, the evaluation, the critic): before
 * each fact question the retrievers' top-{@code k} passages from an index of the world's facts go into the context,
 * each a statement {@code entity attribute value}, the best nearest the question. How well they retrieve is {@code actors.retrievers}.
 *
 * @param k            passages per query, in [1, 8]; default 2. A window model sees only what fits its window
 *                     ({@code model.context}): with the default 8 tokens, the nearest passage only
 * @param rebuildEvery the index is rebuilt from the world's facts every this many generations (at generations 0,
 *                     k, 2k, …), in [0, 1000]; 0 freezes it at generation 0, so changed facts are retrieved stale;
 *                     default 1 (always fresh)
 */
public record RetrievalSpec(@Range(min = 1, max = 8) int k, @Range(min = 0, max = 1000) int rebuildEvery) {

  /** Two passages from an index rebuilt every generation. */
  public static RetrievalSpec defaults() {
    return new RetrievalSpec(2, 1);
  }

  /** The generation whose facts the index holds when generation g asks: g rounded down to a rebuild, or 0. */
  public int indexGeneration(int g) {
    return rebuildEvery == 0 ? 0 : g / rebuildEvery * rebuildEvery;
  }
}
