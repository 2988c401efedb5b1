package io.priorflow.engine.lineage;

import java.util.List;

/**
 * What one model was trained from, as the lineage graph records it.
 *
 * @param init     the model whose weights training started from (its id), or null for a fresh initialisation
 * @param datasets the names of the datasets trained on, in the trainer's order; each must be in the graph
 * @param trainer  the trainer and its settings
 */
public record Training(String init, List<String> datasets, TrainerLineage trainer) {

  /** Checks the fields; copies the dataset list. */
  public Training {
    if (trainer == null) {
      throw new IllegalArgumentException("A training record needs its trainer lineage.");
    }
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    if (init == null && datasets.isEmpty()) {
      throw new IllegalArgumentException("A training by " + trainer.method()
          + " needs at least one dataset or an initial model.");
    }
  }
}
