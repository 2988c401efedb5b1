package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Token-level distillation: the student matches the teacher's whole next-token distribution at every position of
 * the given sequences, not just the token that was sampled (that is sequence-level distillation, plain SFT on teacher
 * samples). The loss is {@link ModelTraining#stepSoft}'s: T² · soft cross-entropy of student and teacher, both at
 * temperature T [Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", 2015]. The teacher's
 * distributions are computed per batch (one batched forward pass), so memory stays at one batch of (positions, V).
 * The student may have another architecture, but the same vocabulary. The outcome's losses are T²·KL(teacher ‖
 * student) means over the first and last epoch.
 */
public final class DistillTrainer {
  /** T²·KL(teacher ‖ student) per position, mean over the last epoch (measured before each step). */
  public static final String KL_LAST = "distill.kl";

  private DistillTrainer() {}

  /**
   * Distils {@code teacher} into {@code start} at positions from {@code from[i]} on (0 ≤ from ≤ len). Draws the epoch
   * orders from the first split of {@code rng}, LoRA's A from the second.
   */
  public static TrainOutcome train(TokenModel start, TokenModel teacher, List<int[]> seqs, int[] from,
                                   TrainParams.Distill params, TrainSettings s, KernelBackend be,
                                   SplittableRandom rng) {
    SupervisedTrainer.checkSizes(seqs, from);
    DpoTrainer.requireToken(start, "student");
    DpoTrainer.requireToken(teacher, "teacher");
    if (start.config().vocab() != teacher.config().vocab()) {
      throw new IllegalArgumentException("the student has " + start.config().vocab() + " tokens, the teacher "
          + teacher.config().vocab() + "; distillation needs one vocabulary");
    }
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    try (ModelTraining tr = s.open(start, be, loraRng)) {
      float temperature = (float) params.temperature();
      Epochs.Result r = Epochs.run(seqs.size(), s, orderRng, tr, (items, lr) -> {
        List<int[]> batchSeqs = new ArrayList<>(items.length);
        int[] batchFrom = new int[items.length];
        int positions = 0;
        for (int j = 0; j < items.length; j++) {
          batchSeqs.add(seqs.get(items[j]));
          batchFrom[j] = from[items[j]];
          positions += seqs.get(items[j]).length - from[items[j]];
        }
        if (positions == 0) return null;
        // the teacher's next-token log-distributions at the batch's positions
        List<float[]> targets = List.of(teacher.nextTokenLogProbs(be, batchSeqs, batchFrom));
        return new Epochs.Done(tr.stepSoft(batchSeqs, batchFrom, targets, temperature, lr), positions);
      });
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      if (s.epochs() > 0) stats.put(KL_LAST, r.lastLoss());
      return new TrainOutcome(tr.toModel(), tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }
}
