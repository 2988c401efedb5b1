package io.priorflow.engine.lineage;

import io.priorflow.engine.data.DataLineage;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dataset: its lineage and the signal it carries, not its data (those go to data files).
 *
 * @param id      {@code dataset:<name>}
 * @param lineage how the dataset was made
 * @param tokens  its signal tokens, Σ over data of response tokens
 * @param signal  origin → signal tokens from that origin, by the rule in {@link Ancestry}; sums to tokens
 * @param judgement origin → the tokens of the dataset's labels alone (each labelled datum's tokens split among its
 *                labels, λ not applied): what a model trained on it learnt to judge from ({@link Ancestry}, step 5);
 *                empty for a dataset without labels
 */
public record DatasetNode(String id, DataLineage lineage, long tokens, Map<String, Double> signal,
                          Map<String, Double> judgement) implements Node {

  /** A dataset without a judgement map (no labels). */
  public DatasetNode(String id, DataLineage lineage, long tokens, Map<String, Double> signal) {
    this(id, lineage, tokens, signal, Map.of());
  }

  /** Checks the id; sorts the signal. */
  public DatasetNode {
    if (lineage == null || id == null || !id.equals(DATASET + lineage.name())) {
      throw new IllegalArgumentException("A dataset node id must be \"dataset:<its lineage's name>\", was " + id
          + " for " + (lineage == null ? "no lineage" : lineage.name()) + ".");
    }
    signal = signal == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(signal));
    judgement = judgement == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(judgement));
  }

  /** The dataset's name. */
  public String name() {
    return lineage.name();
  }
}
