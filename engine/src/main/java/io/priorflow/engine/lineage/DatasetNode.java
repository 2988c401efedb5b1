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
 */
public record DatasetNode(String id, DataLineage lineage, long tokens, Map<String, Double> signal) implements Node {

  /** Checks the id; sorts the signal. */
  public DatasetNode {
    if (lineage == null || id == null || !id.equals(DATASET + lineage.name())) {
      throw new IllegalArgumentException("A dataset node id must be \"dataset:<its lineage's name>\", was " + id
          + " for " + (lineage == null ? "no lineage" : lineage.name()) + ".");
    }
    signal = signal == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(signal));
  }

  /** The dataset's name. */
  public String name() {
    return lineage.name();
  }
}
