package io.priorflow.engine.train;

import io.priorflow.engine.model.Divergence;
import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * On-policy distillation (generalised knowledge distillation): the student trains on a mix of its own samples and
 * a fixed dataset, supervised at every response position by the teacher's whole next-token distribution, with a
 * divergence chosen for the task.
 * <pre>
 *   Agarwal et al., "On-Policy Distillation of Language Models: Learning from Self-Generated Mistakes", ICLR 2024,
 *   algorithm 1 (λ the student-data fraction, D the divergence).
 *   per mini-batch of B items (x_i, y_i) of the dataset:
 *   1. with probability λ (item i's own stream, per step) the item is on-policy: y_i is replaced by the student's
 *      own response to x_i, sampled from the current student; otherwise the dataset's y_i is kept (off-policy)
 *   2. the teacher's next-token log-distributions p(·|x, y_&lt;t) at every response position of the batch
 *   3. loss = mean over those positions of D(p ‖ q_θ) (forward KL, reverse KL or JSD(β); {@link Divergence}),
 *      one optimizer step ({@link ModelTraining#stepDivergence}); the sampled tokens are data, not differentiated
 *      through, as in the paper
 * </pre>
 * λ = 0 with forward KL is token-level distillation on the dataset ({@link DistillTrainer} at T = 1); λ = 1 is
 * purely on-policy. Training on its own samples teaches the student to recover from the prefixes it actually
 * produces, which off-policy data never shows it (the train–inference mismatch). The teacher may have another
 * architecture, but the same vocabulary.
 */
public final class GkdTrainer {
  /** The divergence per position, mean over the last epoch (measured before each step). */
  public static final String DIVERGENCE = "gkd.divergence";
  /** Share of trained sequences the student sampled itself. */
  public static final String ON_POLICY = "gkd.on_policy";

  private GkdTrainer() {}

  /** The teacher's next-token log-distributions at positions from[i].. of each sequence, flat (len − from, V). */
  @FunctionalInterface
  public interface Teacher {
    float[][] nextTokenLogProbs(List<int[]> seqs, int[] from);
  }

  /** Distils {@code teacher} into {@code start}; see {@link #train(TokenModel, Teacher, List, int[], TrainParams.Gkd, TrainSettings, KernelBackend, SplittableRandom)}. */
  public static TrainOutcome train(TokenModel start, TokenModel teacher, List<int[]> seqs, int[] from,
                                   TrainParams.Gkd params, TrainSettings s, KernelBackend be, SplittableRandom rng) {
    DpoTrainer.requireToken(teacher, "teacher");
    if (start.config().vocab() != teacher.config().vocab()) {
      throw new IllegalArgumentException("the student has " + start.config().vocab() + " tokens, the teacher "
          + teacher.config().vocab() + "; distillation needs one vocabulary");
    }
    return train(start, (q, f) -> teacher.nextTokenLogProbs(be, q, f), seqs, from, params, s, be, rng);
  }

  /**
   * Trains {@code start} on the dataset (responses from {@code from[i]} ≥ 1; the prompt is what comes before).
   * Draws the epoch orders from the first split of {@code rng}, LoRA's A from the second, the mixing seed from the
   * third and the sampling seed from the fourth: at optimizer step k, item i is on-policy when the stream
   * "step/k/item/i" of the mixing seed draws below λ, and its response is sampled from the stream "step/k/item/i" of
   * the sampling seed — so an item's fate does not depend on which items share its batch.
   */
  public static TrainOutcome train(TokenModel start, Teacher teacher, List<int[]> seqs, int[] from,
                                   TrainParams.Gkd params, TrainSettings s, KernelBackend be, SplittableRandom rng) {
    SupervisedTrainer.checkSizes(seqs, from);
    DpoTrainer.requireToken(start, "student");
    for (int i = 0; i < seqs.size(); i++) {
      if (from[i] < 1 || from[i] > seqs.get(i).length) {
        throw new IllegalArgumentException("sequence " + i + " has its response at " + from[i] + ", expected 1.."
            + seqs.get(i).length + " (the student needs a prompt to answer)");
      }
    }
    Divergence divergence = params.divergenceKind();
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    long mixSeed = rng.split().nextLong(), sampleSeed = rng.split().nextLong();
    long[] counts = new long[2]; // on-policy sequences, all sequences
    try (ModelTraining tr = s.open(start, be, loraRng)) {
      Epochs.Result r = Epochs.run(seqs.size(), s, orderRng, tr, (items, lr) -> {
        int step = tr.steps();
        // 1. on-policy items get the current student's own responses
        List<int[]> batch = new ArrayList<>(items.length);
        int[] batchFrom = new int[items.length];
        List<int[]> prompts = new ArrayList<>();
        List<SplittableRandom> rngs = new ArrayList<>();
        List<Integer> onPolicy = new ArrayList<>();
        for (int j = 0; j < items.length; j++) {
          int i = items[j];
          batch.add(seqs.get(i));
          batchFrom[j] = from[i];
          String id = "step/" + step + "/item/" + i;
          if (RandomStreams.child(mixSeed, id).nextDouble() < params.onPolicyFraction()) {
            prompts.add(Arrays.copyOf(seqs.get(i), from[i]));
            rngs.add(RandomStreams.child(sampleSeed, id));
            onPolicy.add(j);
          }
        }
        if (!prompts.isEmpty()) {
          List<int[]> own = tr.toModel().sample(be, prompts, params.sampling(), rngs);
          for (int q = 0; q < own.size(); q++) batch.set(onPolicy.get(q), own.get(q));
        }
        counts[0] += onPolicy.size();
        counts[1] += items.length;
        int positions = 0;
        for (int j = 0; j < batch.size(); j++) positions += batch.get(j).length - batchFrom[j];
        if (positions == 0) return null;
        // 2. the teacher's distributions at every response position
        List<float[]> targets = List.of(teacher.nextTokenLogProbs(batch, batchFrom));
        // 3. one step on the mean divergence
        double d = tr.stepDivergence(batch, batchFrom, targets, divergence, params.jsdBeta(), lr);
        return new Epochs.Done(d, positions);
      });
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      if (s.epochs() > 0) {
        stats.put(DIVERGENCE, r.lastLoss());
        stats.put(ON_POLICY, counts[1] == 0 ? 0 : counts[0] / (double) counts[1]);
      }
      return new TrainOutcome(tr.toModel(), tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }
}
