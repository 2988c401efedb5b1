package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.TokenModel;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a training method produced: the new model, what it cost, how the loss moved, method-specific numbers, and
 * (for RLHF) a per-step trace.
 *
 * @param model     the trained model (immutable)
 * @param steps     optimizer steps taken
 * @param tokens    trained (or scored) positions summed over steps: the training-token cost
 * @param firstLoss mean loss of the first epoch (NaN if no step ran)
 * @param lastLoss  mean loss of the last epoch (NaN if no step ran)
 * @param stats     named numbers, sorted by name: {@link #PARAMS_TRAINABLE} and the other footprint keys always,
 *                  then the method's own (held-out agreement, final KL…)
 * @param trace     one entry per RLHF step; empty for other methods
 */
public record TrainOutcome(TokenModel model, int steps, long tokens, double firstLoss, double lastLoss,
                           SortedMap<String, Double> stats, List<RlhfStep> trace) {
  /** Parameters the optimizer updated. */
  public static final String PARAMS_TRAINABLE = "params.trainable";
  /** Every parameter of the model: what full fine-tuning would train. */
  public static final String PARAMS_FULL = "params.full";
  /** AdamW state held for the trainable parameters, in bytes. */
  public static final String OPTIMIZER_BYTES = "optimizer.bytes";
  /** AdamW state full fine-tuning of the same model would hold, in bytes. */
  public static final String OPTIMIZER_BYTES_FULL = "optimizer.bytes_full";

  public TrainOutcome {
    stats = Collections.unmodifiableSortedMap(new TreeMap<>(stats));
    trace = List.copyOf(trace);
  }

  /** The footprint entries of a session, to start a method's stats with. */
  static TreeMap<String, Double> footprintStats(ModelTraining.Footprint f) {
    TreeMap<String, Double> m = new TreeMap<>();
    m.put(PARAMS_TRAINABLE, (double) f.trainableParams());
    m.put(PARAMS_FULL, (double) f.fullParams());
    m.put(OPTIMIZER_BYTES, (double) f.optimizerBytes());
    m.put(OPTIMIZER_BYTES_FULL, (double) f.fullOptimizerBytes());
    return m;
  }
}
