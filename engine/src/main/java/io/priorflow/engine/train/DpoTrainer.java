package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Direct preference optimisation: the policy itself is fitted as a Bradley–Terry model of the preferences, with
 * implicit reward β·log(π/π_ref), against a frozen reference.
 * <pre>
 *   Rafailov et al., "Direct Preference Optimization: Your Language Model is Secretly a Reward Model", 2023, eq. 7.
 *   1. log π(y) = Σ_{t ≥ from} log π(y_t | y_&lt;t) over the response tokens, for the policy and the reference
 *   2. z = β · [(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]
 *   3. loss = mean over the P pairs of the batch of −log σ(z)
 *   4. ∇loss = −(1/P) Σ σ(−z) · β · [∇log π(y_w) − ∇log π(y_l)]           (d/dz of −log σ(z) is −σ(−z))
 * </pre>
 * Step 4 is a weighted sum of log-probability gradients, which is what {@link ModelTraining#stepSum} takes: its
 * gradient is −Σ_t c_t·∇log p(y_t | y_&lt;t), so every response position of y_w gets c = +β·σ(−z)/P and every one
 * of y_l gets c = −β·σ(−z)/P (prompt positions 0). The coefficients use log-probabilities computed with the
 * current weights just before the step, and are constants of the step (σ(−z) is not differentiated), exactly as
 * autograd would treat them. The reference log-probabilities are computed once.
 *
 * <p>At the optimum of the population loss, β·log(π(y)/π_ref(y)) equals the preference-generating reward up to a
 * per-prompt constant, which is the property the tests check on a contextual bandit.
 */
public final class DpoTrainer {
  /** Fraction of all pairs with z &gt; 0 after training (the policy prefers the chosen response, relative to π_ref). */
  public static final String ACCURACY = "dpo.accuracy";
  /** Mean implicit reward margin z/β = Δ log(π/π_ref) over all pairs after training. */
  public static final String MARGIN = "dpo.margin";

  private DpoTrainer() {}

  /**
   * Trains {@code start} against {@code reference} on the pairs; responses start at {@code from[i]} (≥ 1). Draws the
   * epoch orders from the first split of {@code rng}, LoRA's A from the second.
   */
  public static TrainOutcome train(TokenModel start, TokenModel reference, List<int[]> seqs, int[] from,
                                   TrainParams.Dpo params, TrainSettings s, KernelBackend be, SplittableRandom rng) {
    SupervisedTrainer.checkSizes(seqs, from);
    requireToken(start, "policy");
    requireToken(reference, "reference");
    PreferencePairs pairs = params.pairs();
    pairs.checkAgainst(seqs.size());
    double beta = params.beta();
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    try (ModelTraining tr = s.open(start, be, loraRng)) {
      double[] refLogProbs = reference.logProbs(be, seqs, from);

      int n = pairs.size();
      Epochs.Result r = Epochs.run(n, s, orderRng, tr, (batchPairs, lr) -> {
        int size = batchPairs.length;
        // 1-2. sequence log-probs of chosen and rejected under the current policy, and the margins z
        TokenModel policy = tr.toModel();
        double[] z = margins(policy, seqs, from, pairs, batchPairs, refLogProbs, beta, be);
        // 3-4. loss, and per-position coefficients ±β·σ(−z)/P on the response tokens
        List<int[]> batchSeqs = new ArrayList<>(2 * size);
        List<float[]> weights = new ArrayList<>(2 * size);
        double loss = 0;
        for (int j = 0; j < size; j++) {
          int p = batchPairs[j];
          loss += RewardModelTrainer.softplus(-z[j]);
          float c = (float) (beta * RewardModelTrainer.sigmoid(-z[j]) / size);
          batchSeqs.add(seqs.get(pairs.chosen(p)));
          weights.add(responseWeights(seqs.get(pairs.chosen(p)).length, from[pairs.chosen(p)], c));
          batchSeqs.add(seqs.get(pairs.rejected(p)));
          weights.add(responseWeights(seqs.get(pairs.rejected(p)).length, from[pairs.rejected(p)], -c));
        }
        SequenceBatch batch = new SequenceBatch(batchSeqs, weights);
        int positions = batch.weightedPositions();
        if (positions > 0) tr.stepSum(batch, lr); // all coefficients 0 only if every σ(−z) underflowed
        return new Epochs.Done(loss / size, positions);
      });
      TokenModel model = tr.toModel();
      int[] all = new int[n];
      for (int p = 0; p < n; p++) all[p] = p;
      double[] z = margins(model, seqs, from, pairs, all, refLogProbs, beta, be);
      double right = 0, margin = 0;
      for (double x : z) {
        right += x > 0 ? 1 : 0;
        margin += x / beta;
      }
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      stats.put(ACCURACY, right / n);
      stats.put(MARGIN, margin / n);
      return new TrainOutcome(model, tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }

  /** z_j = β·[(log π − log π_ref)(chosen) − (log π − log π_ref)(rejected)] for each listed pair. */
  static double[] margins(TokenModel policy, List<int[]> seqs, int[] from, PreferencePairs pairs, int[] which,
                          double[] refLogProbs, double beta, KernelBackend be) {
    List<int[]> list = new ArrayList<>(2 * which.length);
    int[] f = new int[2 * which.length];
    for (int j = 0; j < which.length; j++) {
      list.add(seqs.get(pairs.chosen(which[j])));
      list.add(seqs.get(pairs.rejected(which[j])));
      f[2 * j] = from[pairs.chosen(which[j])];
      f[2 * j + 1] = from[pairs.rejected(which[j])];
    }
    double[] lp = policy.logProbs(be, list, f);
    double[] z = new double[which.length];
    for (int j = 0; j < which.length; j++) {
      double w = lp[2 * j] - refLogProbs[pairs.chosen(which[j])];
      double l = lp[2 * j + 1] - refLogProbs[pairs.rejected(which[j])];
      z[j] = beta * (w - l);
    }
    return z;
  }

  /** A loss-weight row: 0 before {@code from} (and at 0, never predicted), c from there on. */
  static float[] responseWeights(int length, int from, float c) {
    float[] row = new float[length];
    java.util.Arrays.fill(row, Math.min(length, Math.max(1, from)), length, c);
    return row;
  }

  static void requireToken(TokenModel m, String role) {
    if (m.config().head() != TokenModelConfig.Head.TOKEN) {
      throw new IllegalArgumentException("the " + role + " must be a token-head model, but " + m + " has the "
          + m.config().head() + " head");
    }
  }
}
