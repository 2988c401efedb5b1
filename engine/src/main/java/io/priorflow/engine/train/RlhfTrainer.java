package io.priorflow.engine.train;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * RLHF policy optimisation: the policy samples responses, a reward model scores them, and the policy moves toward
 * higher reward while a KL penalty holds it near a reference policy.
 * <pre>
 *   Ziegler et al., "Fine-Tuning Language Models from Human Preferences", 2019 (reward − β·log-ratio);
 *   Ahmadian et al., "Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human Feedback in
 *   LLMs", 2024 (RLOO); Schulman et al., "Proximal Policy Optimization Algorithms", 2017, eq. 7 (clip).
 *   Shao et al., "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models", 2024, eq. 3
 *   and 4 (GRPO).
 *   per step, on a batch of B prompts (m = B·k samples):
 *   1. sample k responses y_1..y_k per prompt x from the current policy π (its own stream per prompt and sample)
 *   2. proxy reward r_i = reward model score of y_i (from the response start); gold reward from the oracle (logged)
 *   3. log-ratio ℓ_i = Σ_{response t} log π(y_t | ·) − log π_ref(y_t | ·)     (a one-sample estimate of the KL)
 *   rloo and ppo (the KL in the reward):
 *   4. penalised reward R_i = r_i − β·ℓ_i                           (the KL enters the reward, per sequence)
 *   5. leave-one-out advantage A_i = R_i − (1/(k−1)) Σ_{j≠i} R_j      (a baseline from the prompt's other samples;
 *      ppo's default too); ppo with baseline "value" instead takes per-token GAE advantages from a learned value
 *      head ({@link #valueTargets}), which takes one squared-error step toward the returns per PPO step
 *   6a. rloo: loss = −(1/m) Σ_i A_i · log π(y_i|x), one step: every response position of y_i gets the
 *       coefficient A_i/m in {@link ModelTraining#stepSum}, whose gradient is −Σ c_t ∇log p_t
 *   6b. ppo: the same samples for {@code ppoEpochs} steps; with per-token ratio ρ_t = π(y_t)/π_old(y_t),
 *       loss = −(1/m) Σ_i Σ_t min(ρ_t A_i, clip(ρ_t, 1 ± ε) A_i), whose gradient is −A_i·ρ_t·∇log π(y_t) where
 *       the min picks the unclipped term and 0 where it picks the clipped one: coefficient A_i·ρ_t/m or 0.
 *       The first PPO step has ρ = 1 and equals the rloo step.
 *   grpo (the KL a loss term, not in the reward):
 *   4. R_i = r_i
 *   5. group-normalised advantage A_i = (r_i − mean_G r) / (sd_G r + 1e-4), sd with k − 1 (TRL's std): zero mean
 *      and unit scale within each prompt's group; a group of equal rewards has A = 0
 *   6c. loss = −(1/m) Σ_i (1/|y_i|) Σ_t [min(ρ_t A_i, clip(ρ_t, 1 ± ε) A_i) − β·D_t], for {@code ppoEpochs} steps
 *       (GRPO's μ), with the per-token KL estimate D_t = π_ref/π − log(π_ref/π) − 1 ≥ 0 (Schulman's k3, unbiased
 *       under sampling from π). ∂D_t/∂log π = 1 − π_ref/π, so the coefficient is
 *       (A_i·ρ_t·[not clipped] − β·(1 − π_ref(y_t)/π(y_t))) / (m·|y_i|), with π the current weights.
 * </pre>
 * A, R and ρ are constants of each step, as autograd's detach would make them. The KL estimate in the reward is the
 * sampled log-ratio (its expectation is the sequence KL, and its score-function gradient is the KL's gradient); the
 * KL logged in the trace is the exact per-position KL summed along the samples, which is never negative. Each step's
 * proxy reward, gold reward and KL go into the trace, so over-optimisation — proxy up, gold flat or down, KL growing
 * — is visible. The outcome's first/last loss is the negated mean objective of the first/last epoch: the penalised
 * reward R (rloo, ppo), or r − β·(exact KL) (grpo, whose reward carries no KL).
 */
public final class RlhfTrainer {
  /** Mean proxy reward of the last step's samples. */
  public static final String PROXY = "rlhf.proxy_reward";
  /** Mean gold reward of the last step's samples. */
  public static final String GOLD = "rlhf.gold_reward";
  /** Mean exact KL to the reference of the last step's samples. */
  public static final String KL = "rlhf.kl";

  private RlhfTrainer() {}

  /**
   * Trains {@code start} on the prompts. Draws the epoch orders from the first split of {@code rng}, LoRA's A from
   * the second, and the sampling seed from the third; sample j of prompt i at step s uses the child stream
   * "step/s/prompt/i/sample/j" of that seed, so a prompt's samples do not depend on which prompts share its batch.
   *
   * @param gold the gold oracle's utility, for the trace only (never trained on); null logs NaN
   */
  public static TrainOutcome train(TokenModel start, TokenModel reference, SequenceScorer reward, SequenceScorer gold,
                                   List<int[]> prompts, TrainParams.Rlhf params, TrainSettings s, KernelBackend be,
                                   SplittableRandom rng) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("rlhf needs at least one prompt");
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i).length == 0) throw new IllegalArgumentException("prompt " + i + " is empty");
    }
    DpoTrainer.requireToken(start, "policy");
    DpoTrainer.requireToken(reference, "reference");
    SplittableRandom orderRng = rng.split(), loraRng = rng.split();
    long sampleSeed = rng.split().nextLong();
    boolean valued = params.baseline().equals("value");
    // PPO's value model: the start policy's body under a fresh scalar head (the fourth split), trained in full
    TokenModel value0 = valued ? start.withNewHead(TokenModelConfig.Head.SCALAR, rng.split()) : null;
    try (ModelTraining tr = s.open(start, be, loraRng);
         ModelTraining vtr = valued ? new ModelTraining(value0, s.optimizer(), be) : null) {
      int k = params.samplesPerPrompt(), n = prompts.size(), batches = s.batches(n);
      String algorithm = params.algorithm();
      boolean grpo = algorithm.equals("grpo");
      int updates = params.ppoEpochs();
      int totalSteps = batches * s.epochs() * updates;
      double beta = params.klCoef();
      List<RlhfStep> trace = new ArrayList<>();
      double lastValueLoss = Double.NaN;
      long tokens = 0;
      double firstLoss = Double.NaN, lastLoss = Double.NaN;
      int step = 0;
      for (int epoch = 0; epoch < s.epochs(); epoch++) {
        int[] order = TrainSettings.permutation(n, orderRng);
        double epochObjective = 0;
        for (int b = 0; b < batches; b++, step++) {
          int lo = b * s.batchSize(), hi = Math.min(n, lo + s.batchSize()), m = (hi - lo) * k;
          // 1. k samples per prompt from the current policy
          TokenModel policy = tr.toModel();
          List<int[]> rep = new ArrayList<>(m);
          List<SplittableRandom> rngs = new ArrayList<>(m);
          int[] from = new int[m];
          for (int j = lo; j < hi; j++) {
            for (int q = 0; q < k; q++) {
              rep.add(prompts.get(order[j]));
              rngs.add(RandomStreams.child(sampleSeed, "step/" + step + "/prompt/" + order[j] + "/sample/" + q));
              from[rep.size() - 1] = prompts.get(order[j]).length;
            }
          }
          List<int[]> samples = policy.sample(be, rep, params.sampling(), rngs);
          // 2. proxy and gold rewards
          double[] proxy = reward.score(samples, from);
          double[] goldR = gold == null ? null : gold.score(samples, from);
          // 3. log-ratios (sampled) and exact KL to the reference
          float[][] oldLp = policy.tokenLogProbs(be, samples, from);
          float[][] refLp = reference.tokenLogProbs(be, samples, from);
          double[] kl = exactKl(policy, reference, samples, from, be);
          // 4. penalised rewards (rloo, ppo), or the proxy rewards as they are (grpo)
          double[] pen = new double[m];
          for (int i = 0; i < m; i++) pen[i] = grpo ? proxy[i] : proxy[i] - beta * (sum(oldLp[i]) - sum(refLp[i]));
          // 5. leave-one-out advantages, or group-normalised ones, within each prompt's k samples; or (ppo with a
          //    value head) per-token GAE advantages from the value model's estimates, whitened over the batch
          double[] adv = grpo ? groupNormalised(pen, k) : leaveOneOut(pen, k);
          ValueTargets vt = valued ? valueTargets(vtr.toModel(), samples, from, proxy, oldLp, refLp, beta,
              params.gaeLambda(), be) : null;
          if (vt != null) lastValueLoss = vt.valueLoss();
          // 6. one rloo step, or ppoEpochs clipped steps on the same samples (ppo, grpo)
          for (int e = 0; e < updates; e++) {
            float[][] nowLp = e == 0 ? oldLp : tr.toModel().tokenLogProbs(be, samples, from);
            float[][] ratio = e == 0 ? null : ratios(nowLp, oldLp);
            SequenceBatch batch = grpo ? grpoBatch(samples, from, adv, ratio, nowLp, refLp, params.clip(), beta, m)
                : vt != null ? tokenPolicyBatch(samples, from, vt.advantages(), ratio, params.clip(), m)
                : policyBatch(samples, from, adv, ratio, params.clip(), m);
            int positions = batch.weightedPositions();
            float lr = s.learningRate(tr.steps(), totalSteps);
            if (positions > 0) tr.stepSum(batch, lr); // no position has a coefficient when every advantage is 0
            tokens += positions;
            if (vt != null) { // the value head's step toward the GAE returns, ½(V(s_t) − G_t)² over the states
              vtr.stepScores(vt.states(), vt.stateFrom(), (sc, d) -> squaredError(sc, vt.returns(), d), lr);
              tokens += vt.states().size();
            }
          }
          double objective = grpo ? mean(proxy) - beta * mean(kl) : mean(pen);
          RlhfStep log = new RlhfStep(step, mean(proxy), goldR == null ? Double.NaN : mean(goldR), mean(kl), objective,
              algorithm);
          trace.add(log);
          epochObjective += log.objective();
        }
        if (epoch == 0) firstLoss = -epochObjective / batches;
        lastLoss = -epochObjective / batches;
      }
      TreeMap<String, Double> stats = TrainOutcome.footprintStats(tr.footprint());
      if (valued) stats.put(VALUE_LOSS, lastValueLoss);
      if (!trace.isEmpty()) {
        RlhfStep last = trace.get(trace.size() - 1);
        stats.put(PROXY, last.proxyReward());
        stats.put(KL, last.kl());
        if (gold != null) stats.put(GOLD, last.goldReward());
      }
      return new TrainOutcome(tr.toModel(), tr.steps(), tokens, firstLoss, lastLoss, stats, trace);
    }
  }

  /** PPO with a value head: mean ½(V(s_t) − G_t)² of the last batch's states, before the value step. */
  public static final String VALUE_LOSS = "rlhf.value_loss";

  /**
   * What PPO's value head gives one batch: per response token of each sample, the whitened GAE advantage; per
   * state s_t (the sequence before response token t, scored at its last window) the return G_t = A_t + V(s_t)
   * (before whitening); and the value loss at the current value weights.
   */
  record ValueTargets(double[][] advantages, List<int[]> states, int[] stateFrom, double[] returns,
                      double valueLoss) {}

  /**
   * Per-token GAE with γ = 1 [Schulman et al., "High-Dimensional Continuous Control Using Generalized Advantage
   * Estimation", 2016; the per-token KL reward of Ouyang et al. 2022]:
   * <pre>
   *   r_t = −β·(log π_old(y_t) − log π_ref(y_t)), plus the proxy reward at the last response token
   *   δ_t = r_t + V(s_{t+1}) − V(s_t)   (V(s_L) = 0: the response has ended)
   *   A_t = δ_t + λ·A_{t+1},  G_t = A_t + V(s_t);  then A whitened over the batch's tokens (mean 0, sd 1)
   * </pre>
   */
  static ValueTargets valueTargets(TokenModel value, List<int[]> samples, int[] from, double[] proxy,
                                   float[][] oldLp, float[][] refLp, double beta, double lambda, KernelBackend be) {
    List<int[]> states = new ArrayList<>();
    List<Integer> stateFrom = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int t = 0; t < samples.get(i).length - from[i]; t++) {
        states.add(java.util.Arrays.copyOf(samples.get(i), from[i] + t));
        stateFrom.add(from[i] + t - 1);
      }
    }
    int[] sf = stateFrom.stream().mapToInt(Integer::intValue).toArray();
    float[] v = states.isEmpty() ? new float[0] : value.scores(be, states, sf);
    double[][] adv = gae(samples, from, proxy, oldLp, refLp, beta, lambda, v);
    double[] ret = new double[v.length];
    double loss = 0;
    int q = 0;
    for (double[] a : adv) {
      for (double x : a) {
        ret[q] = x + v[q];
        loss += 0.5 * (v[q] - ret[q]) * (v[q] - ret[q]);
        q++;
      }
    }
    whiten(adv);
    return new ValueTargets(adv, states, sf, ret, v.length == 0 ? Double.NaN : loss / v.length);
  }

  /** GAE advantages per response token, given the values {@code v} of the states in sample-then-token order. */
  static double[][] gae(List<int[]> samples, int[] from, double[] proxy, float[][] oldLp, float[][] refLp,
                        double beta, double lambda, float[] v) {
    double[][] adv = new double[samples.size()][];
    int base = 0;
    for (int i = 0; i < samples.size(); i++) {
      int len = samples.get(i).length - from[i];
      adv[i] = new double[len];
      double a = 0;
      for (int t = len - 1; t >= 0; t--) {
        double r = -beta * ((double) oldLp[i][t] - refLp[i][t]) + (t == len - 1 ? proxy[i] : 0);
        double next = t + 1 < len ? v[base + t + 1] : 0;
        double delta = r + next - v[base + t];
        a = delta + lambda * a;
        adv[i][t] = a;
      }
      base += len;
    }
    return adv;
  }

  /** (x − mean) / (sd + 1e-8) over every entry, in place. */
  static void whiten(double[][] x) {
    double sum = 0, n = 0;
    for (double[] row : x) for (double d : row) { sum += d; n++; }
    if (n < 2) return;
    double mean = sum / n, ss = 0;
    for (double[] row : x) for (double d : row) ss += (d - mean) * (d - mean);
    double sd = Math.sqrt(ss / n);
    for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = (row[j] - mean) / (sd + 1e-8);
  }

  /** Mean ½(s − y)² and its gradient (s − y)/n. */
  private static double squaredError(float[] s, double[] y, float[] d) {
    double loss = 0;
    for (int i = 0; i < s.length; i++) {
      double e = s[i] - y[i];
      loss += 0.5 * e * e;
      d[i] = (float) (e / s.length);
    }
    return loss / s.length;
  }

  /** PPO's coefficients with per-token advantages: A_t·ρ_t/m, 0 where the clipped objective is flat. */
  static SequenceBatch tokenPolicyBatch(List<int[]> samples, int[] from, double[][] adv, float[][] ratio,
                                        double clip, int m) {
    List<float[]> weights = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      float[] row = new float[samples.get(i).length];
      for (int t = from[i]; t < row.length; t++) {
        double a = adv[i][t - from[i]], c = a / m;
        if (ratio != null) {
          double rho = ratio[i][t - from[i]];
          boolean clipped = (a > 0 && rho > 1 + clip) || (a < 0 && rho < 1 - clip);
          c = clipped ? 0 : c * rho;
        }
        row[t] = (float) c;
      }
      weights.add(row);
    }
    return new SequenceBatch(samples, weights);
  }

  /** A_i = R_i − mean of the other k − 1 samples of the same prompt (samples grouped k at a time). */
  static double[] leaveOneOut(double[] r, int k) {
    double[] a = new double[r.length];
    for (int g = 0; g < r.length; g += k) {
      double total = 0;
      for (int i = g; i < g + k; i++) total += r[i];
      for (int i = g; i < g + k; i++) a[i] = r[i] - (total - r[i]) / (k - 1);
    }
    return a;
  }

  /**
   * GRPO's A_i = (r_i − mean) / (sd + 1e-4) within each group of k (sd with k − 1, as TRL's torch.std): zero mean
   * and, unless the group's rewards are (nearly) equal, unit scale; equal rewards give 0.
   */
  static double[] groupNormalised(double[] r, int k) {
    double[] a = new double[r.length];
    for (int g = 0; g < r.length; g += k) {
      double mean = 0, ss = 0;
      for (int i = g; i < g + k; i++) mean += r[i];
      mean /= k;
      for (int i = g; i < g + k; i++) ss += (r[i] - mean) * (r[i] - mean);
      double sd = Math.sqrt(ss / (k - 1));
      for (int i = g; i < g + k; i++) a[i] = (r[i] - mean) / (sd + GRPO_EPS);
    }
    return a;
  }

  /** GRPO's guard against a zero standard deviation (TRL's). */
  static final double GRPO_EPS = 1e-4;

  /**
   * GRPO's coefficients (step 6c): per response token of y_i, (A_i·ρ_t·[not clipped] − β·(1 − π_ref/π)) / (m·|y_i|),
   * where ρ is null on the first step (ρ = 1) and π is the current policy's log-probabilities {@code nowLp}.
   */
  static SequenceBatch grpoBatch(List<int[]> samples, int[] from, double[] adv, float[][] ratio, float[][] nowLp,
                                 float[][] refLp, double clip, double beta, int m) {
    List<float[]> weights = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      float[] row = new float[samples.get(i).length];
      int len = row.length - from[i];
      for (int t = from[i]; t < row.length; t++) {
        int u = t - from[i];
        double pg = adv[i];
        if (ratio != null) {
          double rho = ratio[i][u];
          boolean clipped = (adv[i] > 0 && rho > 1 + clip) || (adv[i] < 0 && rho < 1 - clip);
          pg = clipped ? 0 : adv[i] * rho;
        }
        double kl = 1 - Math.exp((double) refLp[i][u] - nowLp[i][u]);
        row[t] = (float) ((pg - beta * kl) / ((double) m * len));
      }
      weights.add(row);
    }
    return new SequenceBatch(samples, weights);
  }

  /** ρ_t = exp(log π − log π_old) per response token. */
  private static float[][] ratios(float[][] now, float[][] old) {
    float[][] r = new float[now.length][];
    for (int i = 0; i < now.length; i++) {
      r[i] = new float[now[i].length];
      for (int t = 0; t < now[i].length; t++) r[i][t] = (float) Math.exp((double) now[i][t] - old[i][t]);
    }
    return r;
  }

  /**
   * Coefficients of the policy-gradient step: A_i/m on every response token (rloo, or PPO's first step), or
   * A_i·ρ_t/m where the clipped objective is not flat and 0 where it is (PPO's later steps).
   */
  static SequenceBatch policyBatch(List<int[]> samples, int[] from, double[] adv, float[][] ratio, double clip,
                                   int m) {
    List<float[]> weights = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      float[] row = new float[samples.get(i).length];
      for (int t = from[i]; t < row.length; t++) {
        double c = adv[i] / m;
        if (ratio != null) {
          double rho = ratio[i][t - from[i]];
          boolean clipped = (adv[i] > 0 && rho > 1 + clip) || (adv[i] < 0 && rho < 1 - clip);
          c = clipped ? 0 : c * rho;
        }
        row[t] = (float) c;
      }
      weights.add(row);
    }
    return new SequenceBatch(samples, weights);
  }

  /** Per sample, Σ over response positions of the exact KL(π(·|x_&lt;t) ‖ π_ref(·|x_&lt;t)), in double. */
  static double[] exactKl(TokenModel policy, TokenModel reference, List<int[]> samples, int[] from, KernelBackend be) {
    int v = policy.config().vocab();
    float[][] lp = policy.nextTokenLogProbs(be, samples, from);
    float[][] lq = reference.nextTokenLogProbs(be, samples, from);
    double[] out = new double[samples.size()];
    for (int i = 0; i < out.length; i++) {
      double total = 0;
      for (int off = 0; off < lp[i].length; off += v) total += rowKl(lp[i], lq[i], off, v);
      out[i] = total;
    }
    return out;
  }

  /** KL(p ‖ q) of one row of two log-distributions, both renormalised in double (so p ‖ p is exactly 0). */
  static double rowKl(float[] lp, float[] lq, int off, int v) {
    double zp = logSumExp(lp, off, v), zq = logSumExp(lq, off, v), kl = 0;
    for (int j = 0; j < v; j++) {
      double a = lp[off + j] - zp;
      if (a == Double.NEGATIVE_INFINITY) continue;
      kl += Math.exp(a) * (a - (lq[off + j] - zq));
    }
    return Math.max(0, kl);
  }

  private static double logSumExp(float[] x, int off, int v) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) max = Math.max(max, x[off + j]);
    double s = 0;
    for (int j = 0; j < v; j++) s += Math.exp(x[off + j] - max);
    return max + Math.log(s);
  }

  private static double sum(float[] x) {
    double s = 0;
    for (float f : x) s += f;
    return s;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double d : x) s += d;
    return s / x.length;
  }
}
