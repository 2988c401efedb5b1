package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Supervised training: next-token cross-entropy on a token model from position {@code lossFrom[i]} on (1 for
 * pretraining, the response start for SFT and sequence-level distillation), full or LoRA; and squared-error
 * regression of a scalar head on targets (critics, trait classifiers). The loop reads top to bottom [nanoGPT
 * train.py]: each epoch a permutation of the sequences from the stream; each batch the learning rate from the
 * schedule, then one optimizer step (forward, loss, backward, clip, AdamW).
 */
public final class SupervisedTrainer {
  private SupervisedTrainer() {}

  /**
   * Language-model loss on each sequence's positions from {@code lossFrom[i]}. Draws the epoch orders from the
   * first split of {@code rng}, LoRA's A from the second.
   */
  public static TrainOutcome lm(TokenModel start, List<int[]> seqs, int[] lossFrom, TrainSettings s, KernelBackend be,
                                SplittableRandom rng) {
    checkSizes(seqs, lossFrom);
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    try (ModelTraining tr = s.open(start, be, loraRng)) {
      Epochs.Result r = Epochs.run(seqs.size(), s, orderRng, tr, (items, lr) -> {
        List<int[]> batchSeqs = new ArrayList<>(items.length);
        int[] batchFrom = new int[items.length];
        for (int j = 0; j < items.length; j++) {
          batchSeqs.add(seqs.get(items[j]));
          batchFrom[j] = lossFrom[items[j]];
        }
        SequenceBatch batch = SequenceBatch.fromPositions(batchSeqs, batchFrom);
        int positions = batch.weightedPositions();
        if (positions == 0) return null;
        // forward, loss, backward, clip, AdamW
        return new Epochs.Done(tr.step(batch, lr), positions);
      });
      return new TrainOutcome(tr.toModel(), tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(),
          TrainOutcome.footprintStats(tr.footprint()), List.of());
    }
  }

  /** Mean ½(score − target)² of a scalar-head model, scores pooled from {@code from[i]}. Full fine-tuning only. */
  public static TrainOutcome scoreRegression(TokenModel start, List<int[]> seqs, int[] from, double[] targets,
                                             TrainSettings s, KernelBackend be, SplittableRandom rng) {
    checkSizes(seqs, from);
    if (targets == null || targets.length != seqs.size()) {
      throw new IllegalArgumentException("score_regression needs one target per sequence: " + seqs.size()
          + " sequences, " + (targets == null ? "no" : String.valueOf(targets.length)) + " targets");
    }
    if (s.lora() != null) {
      throw new IllegalArgumentException("LoRA trains token-head models only, not score_regression");
    }
    SplittableRandom orderRng = rng.split();
    try (ModelTraining tr = new ModelTraining(start, s.optimizer(), be)) {
      Epochs.Result r = Epochs.run(seqs.size(), s, orderRng, tr, (items, lr) -> {
        List<int[]> batchSeqs = new ArrayList<>(items.length);
        int[] batchFrom = new int[items.length];
        double[] y = new double[items.length];
        long tokens = 0;
        for (int j = 0; j < items.length; j++) {
          batchSeqs.add(seqs.get(items[j]));
          batchFrom[j] = from[items[j]];
          y[j] = targets[items[j]];
          tokens += seqs.get(items[j]).length - from[items[j]];
        }
        return new Epochs.Done(tr.stepScores(batchSeqs, batchFrom, (sc, d) -> squaredError(sc, y, d), lr), tokens);
      });
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      return new TrainOutcome(tr.toModel(), tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }

  /** Mean of ½(s − y)² and its gradient (s − y)/n. */
  private static double squaredError(float[] s, double[] y, float[] d) {
    double loss = 0;
    for (int i = 0; i < s.length; i++) {
      double e = s[i] - y[i];
      loss += 0.5 * e * e;
      d[i] = (float) (e / s.length);
    }
    return loss / s.length;
  }

  static void checkSizes(List<int[]> seqs, int[] from) {
    if (seqs.isEmpty()) throw new IllegalArgumentException("nothing to train on (the dataset is empty)");
    if (from == null || from.length != seqs.size()) {
      throw new IllegalArgumentException(seqs.size() + " sequences but "
          + (from == null ? "no" : String.valueOf(from.length)) + " start positions");
    }
  }
}
