package io.priorflow.engine.work;

import java.util.List;

/**
 * What the labeller decided, per sequence in order: accepted or not, and for a rejected sequence under the
 * "correct" task the corrected full sequence (else an empty array); the simulated seconds and dollars it cost.
 */
public record LabelResult(String id, boolean[] accepted, List<int[]> corrections, double seconds, double usd)
    implements WorkResult {
  public LabelResult { corrections = List.copyOf(corrections); }
}
