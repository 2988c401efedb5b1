package io.priorflow.engine.train;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Best-of-n: sample n responses per prompt, keep the one a scorer (reward model, critic) likes best; ties go to the
 * earliest sample. No weight changes — a policy at inference time, and, followed by fine-tuning on the winners,
 * rejection-sampling fine-tuning (the "best_of_n" training method).
 *
 * <p>For a discrete base distribution π and a reward with distinct values, the winner's distribution is exact:
 * with F(y) = π(reward &lt; r(y)) + π(y) the base CDF in reward order, P(best = y) = F(y)ⁿ − (F(y) − π(y))ⁿ
 * ({@link #exactDistribution}). Its KL from the base is at most log n − (n−1)/n [Beirami et al., "Theoretical
 * guarantees on the best-of-n alignment policy", 2024; the bound is attained as the top outcome's mass → 0]
 * ({@link #klBound}).
 */
public final class BestOfN {
  private BestOfN() {}

  /**
   * For each prompt, the best of its samples (prompt + response), its score, and the mean score of all its samples.
   */
  public record Selection(List<int[]> best, double[] bestScores, double[] meanScores) {}

  /**
   * Samples n responses for each prompt from {@code model} and keeps the best by {@code scorer} (scored from the
   * response start). Sample j of prompt i draws from the child stream "prompt/i/sample/j" of {@code seed}, so a
   * prompt's result does not depend on the other prompts of the call.
   */
  public static Selection select(KernelBackend be, TokenModel model, List<int[]> prompts, int n,
                                 SamplingConfig sampling, SequenceScorer scorer, long seed) {
    if (n < 1) throw new IllegalArgumentException("best-of-n needs n ≥ 1, was " + n);
    List<int[]> rep = new ArrayList<>(prompts.size() * n);
    List<java.util.SplittableRandom> rngs = new ArrayList<>(prompts.size() * n);
    int[] from = new int[prompts.size() * n];
    for (int i = 0; i < prompts.size(); i++) {
      for (int j = 0; j < n; j++) {
        from[rep.size()] = prompts.get(i).length;
        rep.add(prompts.get(i));
        rngs.add(RandomStreams.child(seed, "prompt/" + i + "/sample/" + j));
      }
    }
    List<int[]> samples = model.sample(be, rep, sampling, rngs);
    double[] scores = scorer.score(samples, from);
    List<int[]> best = new ArrayList<>(prompts.size());
    double[] bestScores = new double[prompts.size()], meanScores = new double[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      int arg = i * n;
      double total = 0;
      for (int j = i * n; j < (i + 1) * n; j++) {
        total += scores[j];
        if (scores[j] > scores[arg]) arg = j;
      }
      best.add(samples.get(arg));
      bestScores[i] = scores[arg];
      meanScores[i] = total / n;
    }
    return new Selection(best, bestScores, meanScores);
  }

  /**
   * The exact distribution of the best of n independent draws from {@code p} (probabilities over outcomes) ranked by
   * {@code reward}; among outcomes of equal reward the earliest draw wins, which splits their group's mass in
   * proportion to p.
   */
  public static double[] exactDistribution(double[] p, double[] reward, int n) {
    if (p.length != reward.length) throw new IllegalArgumentException(p.length + " probabilities, " + reward.length
        + " rewards");
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(reward[a], reward[b]));
    double[] q = new double[p.length];
    double below = 0;
    for (int g = 0; g < order.length; ) {
      int end = g;
      double mass = 0;
      while (end < order.length && reward[order[end]] == reward[order[g]]) mass += p[order[end++]];
      double groupWins = Math.pow(below + mass, n) - Math.pow(below, n);
      for (int i = g; i < end; i++) q[order[i]] = mass > 0 ? groupWins * p[order[i]] / mass : 0;
      below += mass;
      g = end;
    }
    return q;
  }

  /** log n − (n − 1)/n: the largest KL(best-of-n ‖ base) any base and reward can give. */
  public static double klBound(int n) { return Math.log(n) - (n - 1.0) / n; }

  /** KL(q ‖ p) in nats for two distributions over the same outcomes. */
  public static double kl(double[] q, double[] p) {
    double kl = 0;
    for (int i = 0; i < q.length; i++) if (q[i] > 0) kl += q[i] * Math.log(q[i] / p[i]);
    return kl;
  }
}
