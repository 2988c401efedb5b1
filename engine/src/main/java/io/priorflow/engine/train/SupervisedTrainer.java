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
    ModelTraining tr = s.open(start, be, loraRng);
    int n = seqs.size(), batches = s.batches(n), totalSteps = batches * s.epochs();
    long tokens = 0;
    double firstLoss = Double.NaN, lastLoss = Double.NaN;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      int[] order = TrainSettings.permutation(n, orderRng);
      double epochLoss = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * s.batchSize(), to = Math.min(n, from + s.batchSize());
        List<int[]> batchSeqs = new ArrayList<>(to - from);
        int[] batchFrom = new int[to - from];
        for (int j = from; j < to; j++) {
          batchSeqs.add(seqs.get(order[j]));
          batchFrom[j - from] = lossFrom[order[j]];
        }
        SequenceBatch batch = SequenceBatch.fromPositions(batchSeqs, batchFrom);
        int positions = batch.weightedPositions();
        if (positions == 0) continue;
        // lr schedule: linear warm-up, then constant or cosine decay to 0 at the last step
        float lr = s.learningRate(tr.steps(), totalSteps);
        // forward, loss, backward, clip, AdamW
        epochLoss += tr.step(batch, lr);
        tokens += positions;
      }
      if (epoch == 0) firstLoss = epochLoss / batches;
      lastLoss = epochLoss / batches;
    }
    return new TrainOutcome(tr.toModel(), tr.steps(), tokens, firstLoss, lastLoss,
        TrainOutcome.footprintStats(tr.footprint()), List.of());
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
    ModelTraining tr = new ModelTraining(start, s.optimizer(), be);
    int n = seqs.size(), batches = s.batches(n), totalSteps = batches * s.epochs();
    long tokens = 0;
    double firstLoss = Double.NaN, lastLoss = Double.NaN;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      int[] order = TrainSettings.permutation(n, orderRng);
      double epochLoss = 0;
      for (int b = 0; b < batches; b++) {
        int lo = b * s.batchSize(), hi = Math.min(n, lo + s.batchSize());
        List<int[]> batchSeqs = new ArrayList<>(hi - lo);
        int[] batchFrom = new int[hi - lo];
        double[] y = new double[hi - lo];
        for (int j = lo; j < hi; j++) {
          batchSeqs.add(seqs.get(order[j]));
          batchFrom[j - lo] = from[order[j]];
          y[j - lo] = targets[order[j]];
        }
        float lr = s.learningRate(tr.steps(), totalSteps);
        epochLoss += tr.stepScores(batchSeqs, batchFrom, (sc, d) -> squaredError(sc, y, d), lr);
        for (int j = 0; j < batchSeqs.size(); j++) tokens += batchSeqs.get(j).length - batchFrom[j];
      }
      if (epoch == 0) firstLoss = epochLoss / batches;
      lastLoss = epochLoss / batches;
    }
    TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
    return new TrainOutcome(tr.toModel(), tr.steps(), tokens, firstLoss, lastLoss, stats, List.of());
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
