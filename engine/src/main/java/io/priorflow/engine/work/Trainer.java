package io.priorflow.engine.work;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The trainer actor: turns a {@link TrainWork} into a new model in the store. The loop reads top to bottom
 * [nanoGPT train.py]: for each epoch, a permutation of the sequences from the item's stream; for each batch, the
 * learning rate from the schedule, then one optimizer step (forward, loss, backward, clip, AdamW).
 */
final class Trainer {
  private Trainer() {}

  static TrainResult train(TrainWork w, WorkContext ctx) {
    int n = w.sequences().size();
    if (n == 0) throw new IllegalArgumentException(w.id() + ": nothing to train on (the dataset is empty)");
    if (w.lossFrom().length != n) {
      throw new IllegalArgumentException(w.id() + ": " + n + " sequences but " + w.lossFrom().length + " lossFrom");
    }
    boolean regression = switch (w.method()) {
      case "lm" -> false;
      case "score_regression" -> true;
      default -> throw new IllegalArgumentException(w.id() + ": unknown training method " + w.method()
          + " (expected lm or score_regression)");
    };
    if (regression && (w.targets() == null || w.targets().length != n)) {
      throw new IllegalArgumentException(w.id() + ": score_regression needs one target per sequence");
    }
    SplittableRandom rng = ctx.streams().forItem(w.id());
    SplittableRandom initRng = rng.split(), orderRng = rng.split();
    TokenModelConfig cfg = regression ? w.config().withScalarHead() : w.config();
    TokenModel start = w.initModelId() == null ? TokenModel.initialize(cfg, initRng) : ctx.models().get(w.initModelId());
    ModelTraining tr = new ModelTraining(start, w.optimizer(), ctx.backend());

    int batches = (n + w.batchSize() - 1) / w.batchSize();
    int totalSteps = batches * w.epochs();
    long tokens = 0;
    double firstLoss = Double.NaN, lastLoss = Double.NaN;
    for (int epoch = 0; epoch < w.epochs(); epoch++) {
      int[] order = permutation(n, orderRng);
      double epochLoss = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * w.batchSize(), to = Math.min(n, from + w.batchSize());
        List<int[]> seqs = new ArrayList<>(to - from);
        int[] lossFrom = new int[to - from];
        for (int j = from; j < to; j++) {
          seqs.add(w.sequences().get(order[j]));
          lossFrom[j - from] = w.lossFrom()[order[j]];
        }
        // lr schedule: linear warm-up, then constant or cosine decay to 0 at the last step
        float lr = learningRate(w, tr.steps(), totalSteps);
        if (regression) {
          double[] y = new double[to - from];
          for (int j = from; j < to; j++) y[j - from] = w.targets()[order[j]];
          epochLoss += tr.stepScores(seqs, lossFrom, (s, d) -> squaredError(s, y, d), lr);
          for (int j = 0; j < seqs.size(); j++) tokens += seqs.get(j).length - lossFrom[j];
        } else {
          SequenceBatch batch = SequenceBatch.fromPositions(seqs, lossFrom);
          int positions = batch.weightedPositions();
          if (positions == 0) continue;
          epochLoss += tr.step(batch, lr);
          tokens += positions;
        }
      }
      if (epoch == 0) firstLoss = epochLoss / batches;
      lastLoss = epochLoss / batches;
    }
    String id = ctx.models().put(tr.toModel());
    return new TrainResult(w.id(), id, tr.steps(), tokens, firstLoss, lastLoss);
  }

  static float learningRate(TrainWork w, int step, int totalSteps) {
    double peak = w.lr();
    if (step < w.warmupSteps()) return (float) (peak * (step + 1) / w.warmupSteps());
    if (w.schedule().equals("cosine")) {
      double progress = (step - w.warmupSteps()) / (double) Math.max(1, totalSteps - w.warmupSteps());
      return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
    return (float) peak;
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

  /** Fisher–Yates from the given stream. */
  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
