package io.priorflow.engine.analytic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * A K-armed bandit: the smallest world in which the preference methods' optima are known in closed form (Rafailov
 * et al. 2023, "Direct Preference Optimization", §4–5; Gao et al. 2022 for best-of-n). A policy is a softmax over
 * logits θ ∈ ℝᴷ, arm k has gold reward r_k, and each generation the previous generation's policy is the teacher —
 * the sampler of the data and the reference of every KL — so a lineage is a chain of teacher → student fits.
 *
 * <pre>
 * label (prefer, M pairs)  arms i, j ~ π_teacher independently; i ≠ j is judged Bradley–Terry on gold:
 *                          P(i ≻ j) = σ(r_i − r_j); a pair i = j carries no preference and is dropped
 * reward_model             r̂ = argmin −Σ log σ(r̂_w − r̂_l) by gradient descent from 0, centred (mean 0); the
 *                          lineage keeps its latest r̂ for later rlhf and best_of_n steps
 * dpo (β)                  θ from θ_teacher, gradient descent on −mean log σ(β[(θ_w − θ_ref,w) − (θ_l − θ_ref,l)])
 *                          (log-ratios of a softmax: the normaliser cancels). Optimum with enough pairs:
 *                          β·log(π/π_ref) = r + c, i.e. π* ∝ π_ref · exp(r/β)
 * rlhf (β)                 θ from θ_teacher, natural policy gradient ascent on J(θ) = Σ π_k r̃_k − β·KL(π ‖ π_ref),
 *                          r̃ = r̂ if the lineage has a reward model, else gold r, without sampling noise: the
 *                          gradient is ∂J/∂θ_j = π_j (f_j − Σ π_k f_k) with f = r̃ − β log(π/π_ref), i.e. F·f for
 *                          the softmax's Fisher matrix F = diag(π) − ππᵀ, so the natural step is θ += lr·(f − Σπf).
 *                          Its fixed point is f constant, the optimum π* ∝ π_ref exp(r̃/β), reached at rate
 *                          |1 − lr·β| per step (so 0 &lt; lr·β &lt; 2); plain gradient ascent crawls on arms of small π
 * sft                      θ from θ_teacher, gradient descent on −mean log π(w) over the pairs' winners
 * best_of_n (n)            P prompts, n arms each ~ π_teacher, the best by r̃ kept (ties: the first drawn), then
 *                          sft on the winners. Exact best-of-n policy, for comparison: with arms sorted by r̃,
 *                          π_bon(k) = F(r̃_k)ⁿ − F(r̃_k⁻)ⁿ, F the teacher's CDF over r̃ ({@link #bestOfN})
 * </pre>
 * Steps run in the order given, each in the generations it is scheduled for; each policy step starts from the teacher, and the generation's student is the last
 * policy step's result (a generation without one keeps the teacher). Gradient steps are full batch: {@code epochs}
 * steps of size {@code lr} (sft's and best_of_n's cross-entropy has curvature ≤ ½ in the logits, so lr &lt; 4
 * converges; dpo's and the reward model's ≤ β²/4 and ¼ per pair share). All draws come from the caller's stream, in a fixed order, so a run is a pure function of
 * its seed.
 *
 * @param rewards gold rewards r, one per arm (K ≥ 2)
 * @param prior   the base policy π₀ (generation 0's), positive, summing to 1
 * @param steps   one generation's steps, in order
 */
public record BanditWorld(double[] rewards, double[] prior, List<Step> steps) {

  /** Checks the arrays and copies them. */
  public BanditWorld {
    if (rewards.length < 2 || prior.length != rewards.length) {
      throw new IllegalArgumentException("A bandit needs K ≥ 2 rewards and a prior of K weights, got "
          + rewards.length + " and " + prior.length + ".");
    }
    double sum = 0;
    for (double p : prior) {
      if (!(p > 0)) throw new IllegalArgumentException("Prior weights must be > 0, got " + Arrays.toString(prior));
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("The prior must sum to 1, sums to " + sum);
    rewards = rewards.clone();
    prior = prior.clone();
    steps = List.copyOf(steps);
  }

  /** What a step does. */
  public enum Kind { LABEL, REWARD_MODEL, DPO, RLHF, SFT, BEST_OF_N }

  /**
   * One step of a generation.
   *
   * @param kind    what it does
   * @param pairs   label: preference pairs drawn; best_of_n: prompts
   * @param beta    dpo, rlhf: β
   * @param n       best_of_n: arms drawn per prompt
   * @param epochs  gradient steps
   * @param lr      gradient step size
   * @param runsIn  the generations (≥ 1) the step runs in
   */
  public record Step(Kind kind, int pairs, double beta, int n, int epochs, double lr, IntPredicate runsIn) {

    /** A step of every generation. */
    public Step(Kind kind, int pairs, double beta, int n, int epochs, double lr) {
      this(kind, pairs, beta, n, epochs, lr, g -> true);
    }
  }

  /**
   * One generation of a lineage.
   *
   * @param generation  n ≥ 0; generation 0 is the prior
   * @param pi          the generation's policy π_n
   * @param teacher     its teacher and reference π_{n−1} (generation 0: the prior)
   * @param rewardModel the lineage's reward model r̂ after this generation, or null before any
   * @param optimum     the closed-form optimum the generation's last policy step aims at (dpo: π_ref·exp(r/β),
   *                    rlhf: π_ref·exp(r̃/β), normalised), or null for sft, best_of_n and no step
   * @param pairs       informative preference pairs drawn this generation
   */
  public record Generation(int generation, double[] pi, double[] teacher, double[] rewardModel, double[] optimum,
                           int pairs) {}

  /** Generations 0..G of one lineage, drawing from {@code rng}. */
  public List<Generation> run(int generations, SplittableRandom rng) {
    List<Generation> out = new ArrayList<>(generations + 1);
    double[] theta = new double[prior.length];
    for (int k = 0; k < theta.length; k++) theta[k] = Math.log(prior[k]);
    out.add(new Generation(0, softmax(theta), prior.clone(), null, null, 0));
    double[] rewardModel = null;
    for (int g = 1; g <= generations; g++) {
      double[] ref = theta.clone(), piRef = softmax(ref);
      double[] student = null, optimum = null;
      List<int[]> pairs = new ArrayList<>();
      for (Step s : steps) {
        if (!s.runsIn.test(g)) continue;
        switch (s.kind) {
          case LABEL -> {
            pairs = new ArrayList<>();
            for (int p = 0; p < s.pairs; p++) {
              int i = draw(piRef, rng), j = draw(piRef, rng);
              double u = rng.nextDouble();
              if (i == j) continue;
              pairs.add(u < sigmoid(rewards[i] - rewards[j]) ? new int[] {i, j} : new int[] {j, i});
            }
          }
          case REWARD_MODEL -> rewardModel = fitRewards(pairs, rewards.length, s.epochs, s.lr);
          case DPO -> {
            student = dpo(ref, pairs, s.beta, s.epochs, s.lr);
            optimum = tilt(piRef, rewards, s.beta);
          }
          case RLHF -> {
            double[] r = rewardModel != null ? rewardModel : rewards;
            student = rlhf(ref, r, s.beta, s.epochs, s.lr);
            optimum = tilt(piRef, r, s.beta);
          }
          case SFT -> {
            List<Integer> winners = new ArrayList<>();
            for (int[] p : pairs) winners.add(p[0]);
            student = sft(ref, winners, s.epochs, s.lr);
            optimum = null;
          }
          case BEST_OF_N -> {
            double[] r = rewardModel != null ? rewardModel : rewards;
            List<Integer> winners = new ArrayList<>();
            for (int p = 0; p < s.pairs; p++) {
              int best = draw(piRef, rng);
              for (int c = 1; c < s.n; c++) {
                int k = draw(piRef, rng);
                if (r[k] > r[best]) best = k;
              }
              winners.add(best);
            }
            student = sft(ref, winners, s.epochs, s.lr);
            optimum = null;
          }
        }
      }
      if (student != null) theta = student;
      out.add(new Generation(g, softmax(theta), piRef, rewardModel == null ? null : rewardModel.clone(), optimum,
          pairs.size()));
    }
    return out;
  }

  /** σ(x) = 1 / (1 + e^(−x)), without overflow for large |x|. */
  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  /** softmax(θ), shifted by max θ. */
  public static double[] softmax(double[] theta) {
    double max = Double.NEGATIVE_INFINITY, z = 0;
    for (double t : theta) max = Math.max(max, t);
    double[] p = new double[theta.length];
    for (int k = 0; k < p.length; k++) z += p[k] = Math.exp(theta[k] - max);
    for (int k = 0; k < p.length; k++) p[k] /= z;
    return p;
  }

  /** π* ∝ π·exp(r/β): the KL-regularised optimum of E[r] − β·KL(· ‖ π). */
  public static double[] tilt(double[] pi, double[] r, double beta) {
    double[] t = new double[pi.length];
    for (int k = 0; k < t.length; k++) t[k] = Math.log(pi[k]) + r[k] / beta;
    return softmax(t);
  }

  /** KL(p ‖ q) in nats (terms with p = 0 count 0). */
  public static double kl(double[] p, double[] q) {
    double s = 0;
    for (int k = 0; k < p.length; k++) if (p[k] > 0) s += p[k] * Math.log(p[k] / q[k]);
    return Math.max(0, s);
  }

  /**
   * The exact best-of-n policy over a base policy π by rewards r (ties between arms of equal reward split in
   * proportion to π): π_bon(k) = π_k / m(r_k) · (F(r_k)ⁿ − F(r_k⁻)ⁿ), F(x) = Σ_{r_j ≤ x} π_j, m(x) = Σ_{r_j = x} π_j.
   */
  public static double[] bestOfN(double[] pi, double[] r, int n) {
    double[] out = new double[pi.length];
    for (int k = 0; k < pi.length; k++) {
      double le = 0, lt = 0, eq = 0;
      for (int j = 0; j < pi.length; j++) {
        if (r[j] <= r[k]) le += pi[j];
        if (r[j] < r[k]) lt += pi[j];
        if (r[j] == r[k]) eq += pi[j];
      }
      out[k] = pi[k] / eq * (Math.pow(le, n) - Math.pow(lt, n));
    }
    return out;
  }

  /** An arm drawn from π by inverse CDF (the last arm takes any rounding remainder). */
  static int draw(double[] pi, SplittableRandom rng) {
    double u = rng.nextDouble(), c = 0;
    for (int k = 0; k < pi.length - 1; k++) {
      c += pi[k];
      if (u < c) return k;
    }
    return pi.length - 1;
  }

  /** Bradley–Terry rewards by gradient descent from 0 on −mean log σ(r_w − r_l), centred to mean 0. */
  static double[] fitRewards(List<int[]> pairs, int arms, int epochs, double lr) {
    double[] r = new double[arms];
    if (pairs.isEmpty()) return r;
    for (int e = 0; e < epochs; e++) {
      double[] grad = new double[arms];
      for (int[] p : pairs) {
        double d = sigmoid(-(r[p[0]] - r[p[1]])) / pairs.size(); // −∂/∂margin of −log σ(margin)
        grad[p[0]] -= d;
        grad[p[1]] += d;
      }
      for (int k = 0; k < arms; k++) r[k] -= lr * grad[k];
    }
    double mean = 0;
    for (double x : r) mean += x / arms;
    for (int k = 0; k < arms; k++) r[k] -= mean;
    return r;
  }

  /** DPO by gradient descent from the reference logits (see the class comment). */
  static double[] dpo(double[] ref, List<int[]> pairs, double beta, int epochs, double lr) {
    double[] theta = ref.clone();
    if (pairs.isEmpty()) return theta;
    for (int e = 0; e < epochs; e++) {
      double[] grad = new double[theta.length];
      for (int[] p : pairs) {
        double margin = beta * ((theta[p[0]] - ref[p[0]]) - (theta[p[1]] - ref[p[1]]));
        double d = beta * sigmoid(-margin) / pairs.size();
        grad[p[0]] -= d;
        grad[p[1]] += d;
      }
      for (int k = 0; k < theta.length; k++) theta[k] -= lr * grad[k];
    }
    return theta;
  }

  /** RLHF by natural policy gradient on J(θ) = Σ π r − β·KL(π ‖ π_ref) from the reference logits. */
  static double[] rlhf(double[] ref, double[] r, double beta, int epochs, double lr) {
    double[] theta = ref.clone(), logRef = logSoftmax(ref);
    for (int e = 0; e < epochs; e++) {
      double[] f = advantages(theta, logRef, r, beta);
      for (int k = 0; k < theta.length; k++) theta[k] += lr * f[k];
    }
    return theta;
  }

  /** f − Σ π f with f = r − β log(π/π_ref): the natural gradient of J; J's gradient is π ⊙ (this). */
  static double[] advantages(double[] theta, double[] logRef, double[] r, double beta) {
    double[] pi = softmax(theta), logPi = logSoftmax(theta), f = new double[theta.length];
    double mean = 0;
    for (int k = 0; k < f.length; k++) {
      f[k] = r[k] - beta * (logPi[k] - logRef[k]);
      mean += pi[k] * f[k];
    }
    for (int k = 0; k < f.length; k++) f[k] -= mean;
    return f;
  }

  /** J(θ) = Σ π r − β·KL(π ‖ π_ref), the objective rlhf ascends. */
  static double objective(double[] theta, double[] ref, double[] r, double beta) {
    double[] pi = softmax(theta);
    double j = 0;
    for (int k = 0; k < pi.length; k++) j += pi[k] * r[k];
    return j - beta * kl(pi, softmax(ref));
  }

  /** SFT by gradient descent on −mean log π(w) from the reference logits: ∂/∂θ_k = π_k − (share of k among w). */
  static double[] sft(double[] ref, List<Integer> targets, int epochs, double lr) {
    double[] theta = ref.clone();
    if (targets.isEmpty()) return theta;
    double[] freq = new double[theta.length];
    for (int w : targets) freq[w] += 1.0 / targets.size();
    for (int e = 0; e < epochs; e++) {
      double[] pi = softmax(theta);
      for (int k = 0; k < theta.length; k++) theta[k] -= lr * (pi[k] - freq[k]);
    }
    return theta;
  }

  static double[] logSoftmax(double[] theta) {
    double max = Double.NEGATIVE_INFINITY, z = 0;
    for (double t : theta) max = Math.max(max, t);
    for (double t : theta) z += Math.exp(t - max);
    double lz = max + Math.log(z);
    double[] out = new double[theta.length];
    for (int k = 0; k < out.length; k++) out[k] = theta[k] - lz;
    return out;
  }
}
