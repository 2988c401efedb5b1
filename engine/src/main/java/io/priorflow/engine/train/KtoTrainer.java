package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Kahneman–Tversky optimisation: the policy learns from unpaired examples, each labelled desirable or undesirable
 * (what a rating stage produces), against a frozen reference; no preference pairs are needed.
 * <pre>
 *   Ethayarajh et al., "KTO: Model Alignment as Prospect Theoretic Optimization", 2024, eq. 8; reference point as
 *   in TRL's KTOTrainer (mismatched completions in the batch).
 *   per batch of N examples (x_i, y_i), each desirable (D) or undesirable (U):
 *   1. implicit reward r_i = log π(y_i|x_i) − log π_ref(y_i|x_i), summed over the response tokens
 *   2. reference point z₀ = max(0, mean_i [log π(y_{i+1}|x_i) − log π_ref(y_{i+1}|x_i)]): the policy's KL to the
 *      reference estimated on mismatched (prompt, response) pairs of the batch (response of the next example,
 *      cyclically); a constant of the step (not differentiated), as the paper prescribes
 *   3. value v_i = λ_D·σ(β(r_i − z₀)) if desirable, λ_U·σ(β(z₀ − r_i)) if undesirable
 *   4. loss = (1/N) Σ_i (λ_{y_i} − v_i)
 *   5. ∂loss/∂r_i = −λ_D·β·σ(u)σ(−u)/N with u = β(r_i − z₀) (desirable), +λ_U·β·σ(w)σ(−w)/N with w = β(z₀ − r_i)
 *      (undesirable); since ∇r_i = ∇log π(y_i|x_i), every response position of y_i gets the coefficient
 *      c_i = −∂loss/∂r_i in {@link ModelTraining#stepSum} (whose gradient is −Σ c_t ∇log p_t)
 * </pre>
 * Desirable examples are pushed above the reference point and undesirable ones below it, each with a sigmoid that
 * saturates (prospect theory's concave gains, convex losses); λ_D/λ_U weigh the two sides (the paper advises
 * λ_D·n_D / (λ_U·n_U) in [1, 4/3]). With a batch of one the mismatched pair is the example itself.
 */
public final class KtoTrainer {
  /** Share of desirable examples with r &gt; z₀ and undesirable ones with r &lt; z₀ after training. */
  public static final String ACCURACY = "kto.accuracy";
  /** Mean implicit reward r of the desirable examples minus that of the undesirable ones, after training (nats). */
  public static final String MARGIN = "kto.margin";
  /** The reference point z₀ over all examples after training (nats). */
  public static final String KL = "kto.kl";

  private KtoTrainer() {}

  /**
   * Trains {@code start} against {@code reference} on the examples; responses start at {@code from[i]} (≥ 1).
   * Draws the epoch orders from the first split of {@code rng}, LoRA's A from the second.
   */
  public static TrainOutcome train(TokenModel start, TokenModel reference, List<int[]> seqs, int[] from,
                                   TrainParams.Kto params, TrainSettings s, KernelBackend be, SplittableRandom rng) {
    SupervisedTrainer.checkSizes(seqs, from);
    DpoTrainer.requireToken(start, "policy");
    DpoTrainer.requireToken(reference, "reference");
    boolean[] desirable = params.desirable();
    if (desirable.length != seqs.size()) {
      throw new IllegalArgumentException(seqs.size() + " sequences but " + desirable.length + " desirable flags");
    }
    for (int i = 0; i < seqs.size(); i++) {
      if (from[i] < 1 || from[i] > seqs.get(i).length) {
        throw new IllegalArgumentException("example " + i + " has its response at " + from[i] + ", expected 1.."
            + seqs.get(i).length + " (a prompt of at least one token)");
      }
    }
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    try (ModelTraining tr = s.open(start, be, loraRng)) {
      double[] refLogProbs = reference.logProbs(be, seqs, from);
      Epochs.Result r = Epochs.run(seqs.size(), s, orderRng, tr, (items, lr) -> {
        TokenModel policy = tr.toModel();
        // 1-2. implicit rewards and the batch's reference point, with the current weights
        double[] rew = rewards(policy, seqs, from, items, refLogProbs, be);
        double z0 = referencePoint(policy, reference, seqs, from, items, be);
        // 3-5. loss and per-sequence coefficients −∂loss/∂r_i on the response tokens
        double[] dr = new double[items.length];
        double loss = loss(rew, flags(desirable, items), z0, params, dr);
        List<int[]> batchSeqs = new ArrayList<>(items.length);
        List<float[]> weights = new ArrayList<>(items.length);
        for (int j = 0; j < items.length; j++) {
          batchSeqs.add(seqs.get(items[j]));
          weights.add(DpoTrainer.responseWeights(seqs.get(items[j]).length, from[items[j]], (float) -dr[j]));
        }
        SequenceBatch batch = new SequenceBatch(batchSeqs, weights);
        int positions = batch.weightedPositions();
        if (positions > 0) tr.stepSum(batch, lr); // every coefficient 0 only if every sigmoid saturated
        return new Epochs.Done(loss, positions);
      });
      TokenModel model = tr.toModel();
      int[] all = new int[seqs.size()];
      for (int i = 0; i < all.length; i++) all[i] = i;
      double[] rew = rewards(model, seqs, from, all, refLogProbs, be);
      double z0 = referencePoint(model, reference, seqs, from, all, be);
      double right = 0, sumD = 0, sumU = 0;
      int nD = 0;
      for (int i = 0; i < all.length; i++) {
        right += desirable[i] == (rew[i] > z0) ? 1 : 0;
        if (desirable[i]) {
          sumD += rew[i];
          nD++;
        } else {
          sumU += rew[i];
        }
      }
      int nU = all.length - nD;
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      stats.put(ACCURACY, right / all.length);
      stats.put(MARGIN, nD == 0 || nU == 0 ? Double.NaN : sumD / nD - sumU / nU);
      stats.put(KL, z0);
      return new TrainOutcome(model, tr.steps(), r.tokens(), r.firstLoss(), r.lastLoss(), stats, List.of());
    }
  }

  /**
   * The KTO loss (steps 3-4) of a batch with implicit rewards {@code r} and reference point {@code z0}; writes
   * ∂loss/∂r_i into {@code dLossDr}.
   */
  static double loss(double[] r, boolean[] desirable, double z0, TrainParams.Kto p, double[] dLossDr) {
    int n = r.length;
    double beta = p.beta(), loss = 0;
    for (int i = 0; i < n; i++) {
      if (desirable[i]) {
        double u = beta * (r[i] - z0), sig = RewardModelTrainer.sigmoid(u);
        loss += p.desirableWeight() * (1 - sig);
        dLossDr[i] = -p.desirableWeight() * beta * sig * RewardModelTrainer.sigmoid(-u) / n;
      } else {
        double w = beta * (z0 - r[i]), sig = RewardModelTrainer.sigmoid(w);
        loss += p.undesirableWeight() * (1 - sig);
        dLossDr[i] = p.undesirableWeight() * beta * sig * RewardModelTrainer.sigmoid(-w) / n;
      }
    }
    return loss / n;
  }

  /** r_i = log π(y_i|x_i) − log π_ref(y_i|x_i) of the listed examples. */
  static double[] rewards(TokenModel policy, List<int[]> seqs, int[] from, int[] which, double[] refLogProbs,
                          KernelBackend be) {
    List<int[]> list = new ArrayList<>(which.length);
    int[] f = new int[which.length];
    for (int j = 0; j < which.length; j++) {
      list.add(seqs.get(which[j]));
      f[j] = from[which[j]];
    }
    double[] lp = policy.logProbs(be, list, f);
    for (int j = 0; j < which.length; j++) lp[j] -= refLogProbs[which[j]];
    return lp;
  }

  /**
   * z₀ = max(0, mean over the listed examples j of log π(y_{j+1}|x_j) − log π_ref(y_{j+1}|x_j)): the prompt of
   * example j with the response of the next listed example (cyclically).
   */
  static double referencePoint(TokenModel policy, TokenModel reference, List<int[]> seqs, int[] from, int[] which,
                               KernelBackend be) {
    List<int[]> mismatched = new ArrayList<>(which.length);
    int[] f = new int[which.length];
    for (int j = 0; j < which.length; j++) {
      int[] x = seqs.get(which[j]), y = seqs.get(which[(j + 1) % which.length]);
      int px = from[which[j]], py = from[which[(j + 1) % which.length]];
      int[] joined = Arrays.copyOf(x, px + y.length - py);
      System.arraycopy(y, py, joined, px, y.length - py);
      mismatched.add(joined);
      f[j] = px;
    }
    double[] lp = policy.logProbs(be, mismatched, f), lq = reference.logProbs(be, mismatched, f);
    double kl = 0;
    for (int j = 0; j < which.length; j++) kl += lp[j] - lq[j];
    return Math.max(0, kl / which.length);
  }

  private static boolean[] flags(boolean[] desirable, int[] items) {
    boolean[] b = new boolean[items.length];
    for (int j = 0; j < items.length; j++) b[j] = desirable[items[j]];
    return b;
  }
}
