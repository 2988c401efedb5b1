package io.priorflow.engine.work;

import java.util.List;

/**
 * Retrieve passages for each query from the index of the world's facts at generation {@code indexGeneration}
 * ({@link Retriever}); query i draws from child stream {@code "query/i"} of the item's stream.
 *
 * @param queries         prompts (BOS tag question… SEP) to retrieve for
 * @param indexGeneration the generation whose fact values the index holds
 * @param k               passages per query
 * @param recall          P(the asked fact's passage is returned)
 * @param precision       P(another passage is about the asked entity rather than a distractor)
 */
public record RetrieveWork(String id, List<int[]> queries, int indexGeneration, int k, double recall,
                           double precision) implements WorkItem {
  public RetrieveWork { queries = List.copyOf(queries); }

  @Override
  public Role role() { return Role.RETRIEVER; }
}
