package io.priorflow.engine.work;

import java.util.List;

/** The passages of each query of a {@link RetrieveWork}, in its order: flattened statements, best first. */
public record RetrieveResult(String id, List<int[]> passages) implements WorkResult {
  public RetrieveResult { passages = List.copyOf(passages); }
}
