package io.priorflow.engine.work;

import java.util.List;

/** The full sequences (prompt + continuation), one per prompt of the {@link SampleWork}, in its order. */
public record SampleResult(String id, List<int[]> sequences) implements WorkResult {
  public SampleResult { sequences = List.copyOf(sequences); }
}
