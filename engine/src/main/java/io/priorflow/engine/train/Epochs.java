package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The loop every trainer shares [nanoGPT train.py]: for each epoch, a permutation of the n training items from the
 * order stream; for each mini-batch of {@code batchSize} items (the last may be shorter), the learning rate from
 * the schedule, then the trainer's own step. It keeps the first and last epochs' mean batch loss (a skipped batch
 * counts as 0) and the tokens trained on.
 */
final class Epochs {
  private Epochs() {}

  /** What one mini-batch step did: its loss, and the positions (tokens) it trained on. */
  record Done(double loss, long tokens) {}

  /** One mini-batch: the indices of its items, in order; returns what it did, or null when it had nothing to train. */
  @FunctionalInterface
  interface Batch {
    Done step(int[] items, float lr);
  }

  /** The first and last epochs' mean batch loss (NaN with no epoch), and the tokens trained on over all epochs. */
  record Result(double firstLoss, double lastLoss, long tokens) {}

  static Result run(int n, TrainSettings s, SplittableRandom orderRng, ModelTraining tr, Batch batch) {
    int batches = s.batches(n), totalSteps = batches * s.epochs();
    long tokens = 0;
    double firstLoss = Double.NaN, lastLoss = Double.NaN;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      int[] order = TrainSettings.permutation(n, orderRng);
      double epochLoss = 0;
      for (int b = 0; b < batches; b++) {
        int lo = b * s.batchSize(), hi = Math.min(n, lo + s.batchSize());
        // lr schedule: linear warm-up, then constant or cosine decay to 0 at the last step
        float lr = s.learningRate(tr.steps(), totalSteps);
        Done done = batch.step(Arrays.copyOfRange(order, lo, hi), lr);
        if (done == null) continue;
        epochLoss += done.loss();
        tokens += done.tokens();
      }
      if (epoch == 0) firstLoss = epochLoss / batches;
      lastLoss = epochLoss / batches;
    }
    return new Result(firstLoss, lastLoss, tokens);
  }
}
