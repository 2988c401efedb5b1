package io.priorflow.engine.metrics;

import static io.priorflow.engine.metrics.MetricDefinition.Direction.HIGHER_IS_BETTER;
import static io.priorflow.engine.metrics.MetricDefinition.Direction.LOWER_IS_BETTER;
import static io.priorflow.engine.metrics.MetricDefinition.Direction.NEITHER;
import static io.priorflow.engine.metrics.MetricDefinition.Kind.ANCESTRY;
import static io.priorflow.engine.metrics.MetricDefinition.Kind.BOOKKEEPING;
import static io.priorflow.engine.metrics.MetricDefinition.Kind.COST;
import static io.priorflow.engine.metrics.MetricDefinition.Kind.OUTCOME;

import io.priorflow.engine.world.Traits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definition of every metric of {@link MetricNames}: one line each below, and one rule per family
 * ({@code trait.<name>}, {@code labels.gold_agreement.<source>}, {@code ancestry.<source>}). The exact
 * definitions stay in MetricNames' Javadoc; these are the short sentences, units, directions and domains that the
 * outputs need. {@code MetricCatalogTest} checks that every fixed name has a line here, and docs/metrics.md is
 * generated from this class ({@link MetricReference}).
 */
public final class MetricCatalog {

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Map<String, MetricDefinition> FIXED = new LinkedHashMap<>();

  private MetricCatalog() {}

  private static void def(String name, String unit, MetricDefinition.Direction direction, double low, double high,
      MetricDefinition.Kind kind, String description) {
    FIXED.put(name, new MetricDefinition(name, description, unit, direction, low, high, kind));
  }

  static {
    def(MetricNames.KNOWLEDGE_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of answers to fact and arithmetic prompts that are correct (0 to 1).");
    def(MetricNames.KNOWLEDGE_RARE_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "As knowledge.accuracy, on facts about rare (Zipf-tail) entities only: the first thing collapse loses.");
    def(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of held-out facts (never in training) answered right when the context states them (0 to 1; chance"
              + " 1/values): in-context learning.");
    def(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY, "share", NEITHER, 0, 1, OUTCOME,
        "Share of the same held-out facts answered right with nothing in context (0 to 1); should stay at chance.");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of questions about facts that changed (knowledge.changes) answered with the current value (0 to 1).");
    def(MetricNames.KNOWLEDGE_STALE_RATE, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "Share of questions about changed facts answered with a value the fact no longer has: stale knowledge.");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_HEAD, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.current_accuracy on changed facts of head entities (the first half of the popularity mass).");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TORSO, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.current_accuracy on changed facts of torso entities (popularity mass from 50% to 90%).");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TAIL, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.current_accuracy on changed facts of tail entities (the last 10% of the mass).");
    def(MetricNames.KNOWLEDGE_STALE_RATE_HEAD, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.stale_rate on changed facts of head entities.");
    def(MetricNames.KNOWLEDGE_STALE_RATE_TORSO, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.stale_rate on changed facts of torso entities.");
    def(MetricNames.KNOWLEDGE_STALE_RATE_TAIL, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.stale_rate on changed facts of tail entities.");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.current_accuracy on changed facts of the fastest-changing slices (the smallest every).");
    def(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_SLOW, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.current_accuracy on changed facts of the slower slices.");
    def(MetricNames.KNOWLEDGE_STALE_RATE_FAST, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.stale_rate on changed facts of the fastest-changing slices (the smallest every).");
    def(MetricNames.KNOWLEDGE_STALE_RATE_SLOW, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "knowledge.stale_rate on changed facts of the slower slices.");
    def(MetricNames.DIVERSITY_ENTROPY, "nats", HIGHER_IS_BETTER, 0, INF, OUTCOME,
        "Entropy of all response tokens pooled, in nats; falls when the model collapses onto few tokens.");
    def(MetricNames.DIVERSITY_DISTINCT2, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Distinct bigrams over all bigrams of the responses (0 to 1); falls when answers repeat themselves.");
    def(MetricNames.DIVERSITY_WELLFORMED, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of responses the world's own grammar can produce, right or wrong (0 to 1); falls when a model "
              + "degenerates into noise, which raises entropy and distinct2.");
    def(MetricNames.DIVERSITY_DISTINCT2_WELLFORMED, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "distinct2 over the well-formed responses only (0 to 1): falls under collapse, cannot rise from noise.");
    def(MetricNames.HONESTY_HALLUCINATION, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "Share of fact questions answered with a wrong value: a confident wrong answer (0 to 1).");
    def(MetricNames.HONESTY_ABSTENTION, "share", NEITHER, 0, 1, OUTCOME,
        "Share of fact questions answered with a hedge (idk, unsure, …) (0 to 1).");
    def(MetricNames.HONESTY_CALIBRATION_ERROR, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "Expected calibration error of the model's own probability of the value it answered with, 10 bins (0 is "
              + "calibrated).");
    def(MetricNames.HONESTY_HALLUCINATION_HEAD, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "honesty.hallucination on questions about head entities (the first half of the popularity mass).");
    def(MetricNames.HONESTY_HALLUCINATION_TORSO, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "honesty.hallucination on torso entities (popularity mass from 50% to 90%).");
    def(MetricNames.HONESTY_HALLUCINATION_TAIL, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "honesty.hallucination on tail entities (the last 10% of the mass, and held-out entities).");
    def(MetricNames.HONESTY_ABSTENTION_HEAD, "share", NEITHER, 0, 1, OUTCOME,
        "honesty.abstention on head entities.");
    def(MetricNames.HONESTY_ABSTENTION_TORSO, "share", NEITHER, 0, 1, OUTCOME,
        "honesty.abstention on torso entities.");
    def(MetricNames.HONESTY_ABSTENTION_TAIL, "share", NEITHER, 0, 1, OUTCOME,
        "honesty.abstention on tail entities.");
    def(MetricNames.HONESTY_MONOFACT_RATE, "share", NEITHER, 0, 1, BOOKKEEPING,
        "Share of fact observations in the base's pretraining data whose fact was seen once (Good–Turing): a "
              + "calibrated model hallucinates at least about this often (Kalai and Vempala 2024).");
    def(MetricNames.LOSS_WORLD, "nats per token", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "Cross-entropy on held-out world data, nats per token; rises when the model forgets the real world.");
    def(MetricNames.KL_BASE, "nats per response", NEITHER, 0, INF, OUTCOME,
        "KL divergence from the base model, nats per response: how far this model has drifted.");
    def(MetricNames.REWARD_GOLD, "utility", HIGHER_IS_BETTER, -INF, INF, OUTCOME,
        "Mean gold utility of the samples (trait weights of the gold oracle): the ground truth of quality.");
    def(MetricNames.REWARD_GOLD_CHAT, "utility", HIGHER_IS_BETTER, -INF, INF, OUTCOME,
        "reward.gold on chat prompts only: the open task without a right answer, judged by style alone.");
    def(MetricNames.REWARD_PROXY, "reward-model score", NEITHER, -INF, INF, OUTCOME,
        "Mean score of the run's reward model; rising while reward.gold falls is reward hacking.");
    def(MetricNames.WIN_RATE, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of samples on which this model beats the reference (evaluation.winRateAgainst: base or teacher) "
              + "by gold utility, ties ½, paired by random stream; 0.5 is a draw.");
    def(MetricNames.EVAL_BON_KL, "nats", NEITHER, -INF, INF, OUTCOME,
        "KL of best-of-n at inference from the policy, measured by sampling (nats); compare with eval.bon_kl_bound.");
    def(MetricNames.EVAL_BON_KL_BOUND, "nats", NEITHER, 0, INF, BOOKKEEPING,
        "The analytic log n − (n−1)/n, exact for a continuous reward (nats).");
    def(MetricNames.EVAL_BON_FIT_ALPHA, "utility per √nat", NEITHER, -INF, INF, OUTCOME,
        "α of Gao et al.'s best-of-n form d(α − βd) fitted to the gold gain of best-of-m, m = 1, 2, 4, … n "
            + "(curve in best-of-n.csv): the initial slope.");
    def(MetricNames.EVAL_BON_FIT_BETA, "utility per nat", LOWER_IS_BETTER, -INF, INF, OUTCOME,
        "β of the best-of-n fit: > 0 means choosing harder by the proxy reward eventually lowers the gold reward "
            + "(over-optimisation); larger is sooner.");
    def(MetricNames.EVAL_BON_FIT_R2, "r²", NEITHER, -INF, 1, BOOKKEEPING,
        "r² of the best-of-n fit; low means the form does not describe this curve.");
    def(MetricNames.EVAL_BON_FIT_PEAK_KL, "nats", NEITHER, 0, INF, OUTCOME,
        "KL (α/2β)² at which the fitted best-of-n gold reward peaks; empty when it never peaks.");
    def(MetricNames.LABELS_HUMAN, "count", NEITHER, 0, INF, BOOKKEEPING,
        "Human labelling actions spent so far (cumulative count).");
    def(MetricNames.LABELS_AI, "count", NEITHER, 0, INF, BOOKKEEPING,
        "AI labelling actions (critic scores, preferences, filters) spent so far (cumulative count).");
    def(MetricNames.COST_HUMAN_USD, "USD", NEITHER, 0, INF, COST,
        "Simulated US dollars paid to human labellers so far (cumulative).");
    def(MetricNames.TIME_HUMAN_HOURS, "hours", NEITHER, 0, INF, COST,
        "Simulated human labelling hours so far (cumulative).");
    def(MetricNames.COST_TRAIN_TOKENS, "tokens", NEITHER, 0, INF, COST,
        "Positions trained on by the lineage's train stages so far (cumulative): the compute cost.");
    def(MetricNames.COST_AI_USD, "USD", NEITHER, 0, INF, COST,
        "Simulated US dollars charged for AI labels so far (cumulative).");
    def(MetricNames.COST_RETRIEVAL_QUERIES, "queries", NEITHER, 0, INF, COST,
        "Retrieval queries made so far by retrieval-augmented generate stages and evaluations (cumulative).");
    def(MetricNames.COST_RETRIEVAL_USD, "USD", NEITHER, 0, INF, COST,
        "Simulated US dollars of those retrieval queries (cumulative).");
    def(MetricNames.TIME_RETRIEVAL_HOURS, "hours", NEITHER, 0, INF, COST,
        "Simulated hours of those retrieval queries (cumulative).");
    def(MetricNames.LABELS_KAPPA, "Fleiss' κ", HIGHER_IS_BETTER, -1, 1, OUTCOME,
        "Fleiss' kappa of the pairs several humans labelled this generation: 1 perfect agreement, 0 chance.");
    def(MetricNames.LABELS_AGREEMENT, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Observed agreement of the same pairs: the share of rater pairs who agreed on each, averaged over them"
            + " (0 to 1).");
    def(MetricNames.LABELS_ANCHORED_ERROR, "share", LOWER_IS_BETTER, 0, 1, OUTCOME,
        "Share of assisted human labels wrong by gold among items whose AI pre-label was wrong: anchoring.");
    def(MetricNames.LABELS_SECONDS_PER_LABEL, "seconds", NEITHER, 0, INF, BOOKKEEPING,
        "Simulated seconds per human label this generation.");
    def(MetricNames.REWARD_HELDOUT_AGREEMENT, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of held-out preference pairs the reward model orders as the labellers did (0 to 1).");
    def(MetricNames.REWARD_TRAIN_AGREEMENT, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Share of the reward model's training pairs it orders as the labellers did (0 to 1).");
    def(MetricNames.REWARD_HELDOUT_PAIRS, "count", NEITHER, 0, INF, BOOKKEEPING,
        "Preference pairs held out from the reward model's training.");
    def(MetricNames.DPO_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "DPO: share of pairs whose implicit reward prefers the chosen response after training (0 to 1).");
    def(MetricNames.DPO_MARGIN, "nats", NEITHER, -INF, INF, OUTCOME,
        "DPO: mean implicit reward margin, chosen minus rejected log-ratio.");
    def(MetricNames.KTO_ACCURACY, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "KTO: share of rated examples on their side of the reference point after training (0 to 1).");
    def(MetricNames.KTO_MARGIN, "nats", NEITHER, -INF, INF, OUTCOME,
        "KTO: mean log-ratio of desirable minus undesirable examples, nats.");
    def(MetricNames.KTO_KL, "nats", NEITHER, -INF, INF, OUTCOME,
        "KTO: the reference point z₀ (the policy's estimated KL to the reference), nats.");
    def(MetricNames.RLHF_PROXY_REWARD, "reward-model score", NEITHER, -INF, INF, OUTCOME,
        "RLHF: the reward model's mean score of the last step's samples (full trace in rlhf-trace.csv).");
    def(MetricNames.RLHF_GOLD_REWARD, "utility", HIGHER_IS_BETTER, -INF, INF, OUTCOME,
        "RLHF: the gold utility of the same samples; below a rising proxy is over-optimisation.");
    def(MetricNames.RLHF_KL, "nats per response", NEITHER, 0, INF, OUTCOME,
        "RLHF: KL to the reference policy of the last step's samples, nats.");
    def(MetricNames.RLHF_VALUE_LOSS, "squared return", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "RLHF with PPO's value head: squared error of the value head on the last step's returns.");
    def(MetricNames.RLHF_GOLD_FIT_ALPHA, "utility per √nat", NEITHER, -INF, INF, OUTCOME,
        "RLHF: α of Gao et al.'s R(d) = d(α − β log d) fitted to the trace's gold gain against d = √KL.");
    def(MetricNames.RLHF_GOLD_FIT_BETA, "utility per √nat", LOWER_IS_BETTER, -INF, INF, OUTCOME,
        "RLHF: β of the same fit; above 0 the gold reward peaks and falls (over-optimisation).");
    def(MetricNames.RLHF_GOLD_FIT_R2, "r²", NEITHER, -INF, 1, BOOKKEEPING,
        "RLHF: r² of the fit (below 0: worse than a constant).");
    def(MetricNames.RLHF_GOLD_FIT_PEAK_KL, "nats", NEITHER, 0, INF, OUTCOME,
        "RLHF: the KL at which the fitted gold reward peaks, exp(2(α/β − 1)); NaN without a peak.");
    def(MetricNames.DISTILL_KL, "nats per position", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "Token-level distillation: T²·KL(teacher ‖ student) per position after training.");
    def(MetricNames.GKD_DIVERGENCE, "nats per position", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "On-policy distillation (GKD): the chosen divergence to the teacher per position, last epoch.");
    def(MetricNames.GKD_ON_POLICY, "share", NEITHER, 0, 1, BOOKKEEPING,
        "On-policy distillation (GKD): share of sequences the student sampled.");
    def(MetricNames.BEST_OF_N_REWARD_BEST, "reward", NEITHER, -INF, INF, OUTCOME,
        "Best-of-n: mean reward of the kept sample per prompt.");
    def(MetricNames.BEST_OF_N_REWARD_MEAN, "reward", NEITHER, -INF, INF, OUTCOME,
        "Best-of-n: mean reward of all n samples per prompt.");
    def(MetricNames.BEST_OF_N_KL_BOUND, "nats", NEITHER, 0, INF, BOOKKEEPING,
        "Best-of-n: log n − (n−1)/n, the bound on its KL from the start policy.");
    def(MetricNames.PARAMS_TRAINABLE, "count", NEITHER, 0, INF, BOOKKEEPING,
        "Parameters the generation's training updated (LoRA: the adapters only).");
    def(MetricNames.PARAMS_FULL, "count", NEITHER, 0, INF, BOOKKEEPING,
        "Parameters of the whole model: what full fine-tuning updates.");
    def(MetricNames.OPTIMIZER_BYTES, "bytes", NEITHER, 0, INF, BOOKKEEPING,
        "Optimizer state of the generation's training, in bytes.");
    def(MetricNames.OPTIMIZER_BYTES_FULL, "bytes", NEITHER, 0, INF, BOOKKEEPING,
        "Optimizer state full fine-tuning would need, in bytes.");
    def(MetricNames.REDTEAM_FIND_RATE, "share", NEITHER, 0, 1, OUTCOME,
        "Red teaming: share of attempts that elicited the target trait (0 to 1).");
    def(MetricNames.GAUSSIAN_MEAN, "value", NEITHER, -INF, INF, OUTCOME,
        "Mean of the Gaussian fitted in this generation (Gaussian world).");
    def(MetricNames.GAUSSIAN_VARIANCE, "value²", NEITHER, 0, INF, OUTCOME,
        "Variance of the fitted Gaussian (Gaussian world); shrinking towards 0 is model collapse.");
    def(MetricNames.GAUSSIAN_W2, "value", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "Exact W₂ distance of the fitted Gaussian to the true one (Gaussian world).");
    def(MetricNames.GAUSSIAN_VARIANCE_LAW, "value²", NEITHER, 0, INF, OUTCOME,
        "The closed form of E[gaussian.variance], σ²(c(N−1))ⁿ, under the replace policy: compare with the mean.");
    def(MetricNames.LINEAR_TEST_ERROR, "squared error", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "Excess test error ‖ŵ − w*‖² of the least-squares fit (linear-regression world).");
    def(MetricNames.LINEAR_TEST_ERROR_LAW, "squared error", NEITHER, 0, INF, OUTCOME,
        "The closed form of E[linear.test_error] for the lineage's policy and design: compare with the mean.");
    def(MetricNames.BANDIT_GOLD_REWARD, "reward", HIGHER_IS_BETTER, -INF, INF, OUTCOME,
        "Bandit world: the policy's expected gold reward Σ π_k r_k.");
    def(MetricNames.BANDIT_KL_TEACHER, "nats", NEITHER, 0, INF, OUTCOME,
        "Bandit world: KL of the policy from its teacher and reference, the previous generation's policy.");
    def(MetricNames.BANDIT_KL_BASE, "nats", NEITHER, 0, INF, OUTCOME,
        "Bandit world: KL of the policy from the base policy π₀.");
    def(MetricNames.BANDIT_ENTROPY, "nats", NEITHER, 0, INF, OUTCOME,
        "Bandit world: the policy's entropy (log K uniform, 0 on one arm).");
    def(MetricNames.BANDIT_BEST_ARM, "share", HIGHER_IS_BETTER, 0, 1, OUTCOME,
        "Bandit world: the policy's probability of the arm with the highest gold reward.");
    def(MetricNames.BANDIT_OPTIMUM_KL, "nats", LOWER_IS_BETTER, 0, INF, OUTCOME,
        "Bandit world: KL of the policy from the closed-form optimum π_ref·exp(r/β) its dpo or rlhf step aims at.");
  }

  /** The fixed metrics' definitions, in column order ({@link MetricNames#FIXED}, METHOD, ANALYTIC). */
  public static List<MetricDefinition> fixed() {
    return MetricNames.order(FIXED.keySet()).stream().map(FIXED::get).toList();
  }

  /** Names of the desirable default traits; the others (toxic, hedge, verbose) are undesirable. */
  private static final List<String> DESIRABLE_TRAITS = List.of(Traits.POLITE, Traits.CORRECT, Traits.RARE_CORRECT);

  /**
   * The definition of a metric. A trait the default world does not have (an extra trait) has no direction here; use
   * {@link #of(String, Map)} with the world's desirability to give it one.
   *
   * @throws IllegalArgumentException for a name that is not a metric ({@link MetricNames#isKnown})
   */
  public static MetricDefinition of(String name) {
    return of(name, Collections.emptyMap());
  }

  /**
   * As {@link #of(String)}, with trait name → desirable for the world's extra traits.
   */
  public static MetricDefinition of(String name, Map<String, Boolean> extraTraits) {
    MetricDefinition fixed = FIXED.get(name);
    if (fixed != null) {
      return fixed;
    }
    if (!MetricNames.isKnown(name)) {
      throw new IllegalArgumentException("Unknown metric " + name + "; docs/metrics.md lists them.");
    }
    if (name.startsWith(MetricNames.TRAIT_PREFIX)) {
      String trait = name.substring(MetricNames.TRAIT_PREFIX.length());
      MetricDefinition.Direction d = Traits.DEFAULT_NAMES.contains(trait)
          ? (DESIRABLE_TRAITS.contains(trait) ? HIGHER_IS_BETTER : LOWER_IS_BETTER)
          : extraTraits.containsKey(trait) ? (extraTraits.get(trait) ? HIGHER_IS_BETTER : LOWER_IS_BETTER) : NEITHER;
      return new MetricDefinition(name, "Share of evaluation samples that show the trait “" + trait
          + "” by the world's gold detector (0 to 1).", "share", d, 0, 1, OUTCOME);
    }
    if (name.startsWith(MetricNames.GOLD_AGREEMENT_PREFIX)) {
      return new MetricDefinition(name, "Share of this generation's judgements by “"
          + name.substring(MetricNames.GOLD_AGREEMENT_PREFIX.length()) + "” that agree with the gold oracle (0 to 1).",
          "share", HIGHER_IS_BETTER, 0, 1, OUTCOME);
    }
    return new MetricDefinition(name, "Share of the model's training signal that traces back to “"
        + name.substring(MetricNames.ANCESTRY_PREFIX.length()) + "”, through every teacher generation (0 to 1).",
        "share", NEITHER, 0, 1, ANCESTRY);
  }
}
