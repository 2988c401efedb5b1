package io.priorflow.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences to train a token model on, with a loss weight per position: {@code weights.get(i)[t]} weighs the
 * prediction of token t of sequence i from the tokens before it (t ≥ 1; position 0 is never predicted).
 * A weight of 0 skips the position (e.g. prompt tokens in SFT); other values scale it (e.g. an advantage).
 */
public record SequenceBatch(List<int[]> sequences, List<float[]> weights) {
  public SequenceBatch {
    if (sequences.size() != weights.size()) {
      throw new IllegalArgumentException(sequences.size() + " sequences but " + weights.size() + " weight rows");
    }
    for (int i = 0; i < sequences.size(); i++) {
      if (sequences.get(i).length != weights.get(i).length) {
        throw new IllegalArgumentException("sequence " + i + " has " + sequences.get(i).length
            + " tokens but " + weights.get(i).length + " weights");
      }
    }
    sequences = List.copyOf(sequences);
    weights = List.copyOf(weights);
  }

  /** Every position from 1 on has weight 1 (language-model pretraining). */
  public static SequenceBatch allTokens(List<int[]> seqs) {
    int[] from = new int[seqs.size()];
    Arrays.fill(from, 1);
    return fromPositions(seqs, from);
  }

  /** Positions from {@code from[i]} on have weight 1, earlier ones 0 (e.g. loss on response tokens only). */
  public static SequenceBatch fromPositions(List<int[]> seqs, int[] from) {
    List<float[]> w = new ArrayList<>(seqs.size());
    for (int i = 0; i < seqs.size(); i++) {
      float[] row = new float[seqs.get(i).length];
      Arrays.fill(row, Math.min(row.length, Math.max(1, from[i])), row.length, 1f);
      w.add(row);
    }
    return new SequenceBatch(seqs, w);
  }

  public int size() { return sequences.size(); }

  /** Number of positions with a non-zero weight. */
  public int weightedPositions() {
    int n = 0;
    for (float[] row : weights) for (int t = 1; t < row.length; t++) if (row[t] != 0f) n++;
    return n;
  }
}
