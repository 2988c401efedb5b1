package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A Bradley–Terry reward model: a scalar-head model r fitted to preference pairs so that
 * P(chosen ≻ rejected) = σ(r(chosen) − r(rejected)).
 * <pre>
 *   Bradley &amp; Terry, "Rank Analysis of Incomplete Block Designs", Biometrika 1952;
 *   Ouyang et al., "Training language models to follow instructions with human feedback", 2022, eq. 1.
 *   loss = mean over pairs of −log σ(r_c − r_r) = softplus(r_r − r_c)
 *   dloss/dr_c = −σ(r_r − r_c) / P,   dloss/dr_r = +σ(r_r − r_c) / P
 * </pre>
 * Rewards are identified only up to a constant: the loss sees differences. A share of the pairs, drawn from the
 * stream, is held out; held-out agreement is the fraction of those ordered right (r_c &gt; r_r; a tie counts ½).
 */
public final class RewardModelTrainer {
  /** Fraction of held-out pairs the trained model orders right. */
  public static final String HELDOUT_AGREEMENT = "reward.heldout_agreement";
  /** Fraction of training pairs the trained model orders right. */
  public static final String TRAIN_AGREEMENT = "reward.train_agreement";
  /** Number of held-out pairs. */
  public static final String HELDOUT_PAIRS = "reward.heldout_pairs";

  private RewardModelTrainer() {}

  /**
   * Trains {@code start} (scalar head) on the pairs; sequences are scored from {@code from[i]}. Draws the held-out
   * split from the first split of {@code rng}, the epoch orders from the second.
   */
  public static TrainOutcome train(TokenModel start, List<int[]> seqs, int[] from, TrainParams.RewardBt params,
                                   TrainSettings s, KernelBackend be, SplittableRandom rng) {
    SupervisedTrainer.checkSizes(seqs, from);
    if (start.config().head() != TokenModelConfig.Head.SCALAR) {
      throw new IllegalArgumentException("a reward model needs the SCALAR head, was " + start.config().head());
    }
    if (s.lora() != null) throw new IllegalArgumentException("LoRA trains token-head models only, not reward_bt");
    PreferencePairs pairs = params.pairs();
    pairs.checkAgainst(seqs.size());
    SplittableRandom splitRng = rng.split(), orderRng = rng.split();
    // held-out split: the first ⌊fraction·P⌉ pairs of a permutation
    int total = pairs.size();
    int heldOut = (int) Math.round(params.heldOutFraction() * total);
    if (heldOut >= total) {
      throw new IllegalArgumentException("holding out " + heldOut + " of " + total + " pairs leaves none to train on");
    }
    int[] perm = TrainSettings.permutation(total, splitRng);
    int[] test = java.util.Arrays.copyOfRange(perm, 0, heldOut);
    int[] train = java.util.Arrays.copyOfRange(perm, heldOut, total);
    java.util.Arrays.sort(test);
    java.util.Arrays.sort(train);

    try (ModelTraining tr = new ModelTraining(start, s.optimizer(), be)) {
      Epochs.Result r = Epochs.run(train.length, s, orderRng, tr, (items, lr) -> {
        // the batch's sequences: chosen then rejected of each pair, in batch order
        List<int[]> batchSeqs = new ArrayList<>(2 * items.length);
        int[] batchFrom = new int[2 * items.length];
        long tokens = 0;
        for (int j = 0; j < items.length; j++) {
          int p = train[items[j]], k = 2 * j;
          batchSeqs.add(seqs.get(pairs.chosen(p)));
          batchSeqs.add(seqs.get(pairs.rejected(p)));
          batchFrom[k] = from[pairs.chosen(p)];
          batchFrom[k + 1] = from[pairs.rejected(p)];
        }
        for (int j = 0; j < batchSeqs.size(); j++) tokens += batchSeqs.get(j).length - batchFrom[j];
        return new Epochs.Done(tr.stepScores(batchSeqs, batchFrom, RewardModelTrainer::bradleyTerry, lr), tokens);
      });
      TokenModel model = tr.toModel();
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      stats.put(TRAIN_AGREEMENT, agreement(model, seqs, from, pairs, train, be));
      stats.put(HELDOUT_PAIRS, (double) heldOut);
      if (heldOut > 0) stats.put(HELDOUT_AGREEMENT, agreement(model, seqs, from, pairs, test, be));
      return new TrainOutcome(model, tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }

  /**
   * Bradley–Terry loss over scores laid out as (chosen, rejected) per pair; writes dLoss/dScore. softplus and σ are
   * computed in the stable forms log1p(e^−|x|) + max(x, 0) and 1/(1 + e^−x).
   */
  static double bradleyTerry(float[] scores, float[] d) {
    int pairs = scores.length / 2;
    double loss = 0;
    for (int p = 0; p < pairs; p++) {
      double diff = (double) scores[2 * p + 1] - scores[2 * p]; // r_r − r_c
      loss += softplus(diff);
      double g = sigmoid(diff) / pairs;
      d[2 * p] = (float) -g;
      d[2 * p + 1] = (float) g;
    }
    return loss / pairs;
  }

  /** Fraction of the given pairs with score(chosen) &gt; score(rejected); ties count ½. */
  public static double agreement(TokenModel model, List<int[]> seqs, int[] from, PreferencePairs pairs, int[] which,
                                 KernelBackend be) {
    if (which.length == 0) return Double.NaN;
    List<int[]> list = new ArrayList<>(2 * which.length);
    int[] f = new int[2 * which.length];
    for (int j = 0; j < which.length; j++) {
      list.add(seqs.get(pairs.chosen(which[j])));
      list.add(seqs.get(pairs.rejected(which[j])));
      f[2 * j] = from[pairs.chosen(which[j])];
      f[2 * j + 1] = from[pairs.rejected(which[j])];
    }
    float[] sc = model.scores(be, list, f);
    double right = 0;
    for (int j = 0; j < which.length; j++) {
      if (sc[2 * j] > sc[2 * j + 1]) right += 1;
      else if (sc[2 * j] == sc[2 * j + 1]) right += 0.5;
    }
    return right / which.length;
  }

  static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

  static double sigmoid(double x) {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
