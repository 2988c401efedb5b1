package io.priorflow.engine.metrics;

import io.priorflow.engine.analytic.GaussianGeneration;
import io.priorflow.engine.analytic.LinearGeneration;
import io.priorflow.engine.world.TraitTally;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metric names of the run outputs (DESIGN §7) and their fixed column order. Scripts depend on both.
 *
 * <p>Column order, whatever order the metrics were computed or merged in:
 * <pre>
 *   1. trait.&lt;name&gt;          one per world trait, in the world's trait order (the order they are first met)
 *   2. {@link #FIXED}              knowledge.accuracy … time.human_hours, in that order
 *   3. {@link #METHOD}             cost.train_tokens … redteam.find_rate: costs and the methods' own measures
 *   4. labels.gold_agreement.&lt;source&gt;  sorted by source
 *   5. ancestry.&lt;source&gt;     sorted by source ({@link String#compareTo})
 *   6. {@link #ANALYTIC}           gaussian.mean, gaussian.variance, gaussian.variance_law, gaussian.w2,
 *                                 linear.test_error, linear.test_error_law, bandit.*
 * </pre>
 * A metric a run does not measure is left out of the row (an empty cell in {@code metrics.csv}); a metric that
 * was measured but is undefined (say, rare accuracy with no rare question asked) is NaN. Any other name is
 * rejected, so a typo cannot add a column that no script reads.
 */
public final class MetricNames {

  private MetricNames() {}

  /**
   * Prefix of {@code trait.<name>}: the share of evaluation samples (all prompts × samples per prompt, each
   * counted once) whose full sequence has the trait by the world's gold detector. Unitless, in [0, 1].
   */
  public static final String TRAIT_PREFIX = "trait.";

  /**
   * Share of evaluation samples on well-formed fact or arithmetic prompts whose response answers correctly
   * (gold parser: the first VALUE token, or the first two DIGIT tokens). In [0, 1]; NaN if no sample had a
   * question prompt.
   */
  public static final String KNOWLEDGE_ACCURACY = TraitTally.KNOWLEDGE_ACCURACY;

  /**
   * As {@link #KNOWLEDGE_ACCURACY}, over the samples whose fact prompt asks about a rare (Zipf-tail) entity.
   * NaN if there were none.
   */
  public static final String KNOWLEDGE_RARE_ACCURACY = TraitTally.KNOWLEDGE_RARE_ACCURACY;

  /**
   * In-context recall: the share of held-out facts (knowledge.heldOutEntities; facts no training data carries)
   * answered correctly when a fact-recall document states the fact first, before documents.statements − 1
   * distractor statements, under the high tag ({@link InContextRecall}); the gold parser judges the first VALUE
   * token of one completion per probe, sampled as the other evaluation samples are. Higher is better. In [0, 1];
   * chance is 1 / vocabulary.values (0.125 by default); measured only when the world has held-out entities.
   */
  public static final String KNOWLEDGE_CONTEXT_ACCURACY = "knowledge.context_accuracy";

  /**
   * The same held-out facts asked as the bare question, with nothing in context: what the model knows of facts it
   * never saw. Should stay at chance, 1 / vocabulary.values; above chance means a held-out fact leaked into
   * training. In [0, 1]; measured only when the world has held-out entities.
   */
  public static final String KNOWLEDGE_HELDOUT_ACCURACY = "knowledge.heldout_accuracy";

  /**
   * With changing facts ({@code world.knowledge.changes}): the share of questions about the facts that have changed
   * by this generation answered with their current value ({@link ChangedFacts}: each changed fact asked equally
   * often, under the high tag, the first VALUE token of one completion judged). Higher is better. In [0, 1]; empty
   * while no fact has changed (generation 0).
   */
  public static final String KNOWLEDGE_CURRENT_ACCURACY = "knowledge.current_accuracy";
  /**
   * The share of the same questions answered with a value the fact had before and no longer has: knowledge that
   * went stale ({@link ChangedFacts}). Lower is better. In [0, 1]; current + stale + other wrong answers = 1.
   */
  public static final String KNOWLEDGE_STALE_RATE = "knowledge.stale_rate";
  /** knowledge.current_accuracy on changed facts of head entities (the first half of the popularity mass). */
  public static final String KNOWLEDGE_CURRENT_ACCURACY_HEAD = "knowledge.current_accuracy_head";
  /** knowledge.current_accuracy on changed facts of torso entities (popularity mass from 50% to 90%). */
  public static final String KNOWLEDGE_CURRENT_ACCURACY_TORSO = "knowledge.current_accuracy_torso";
  /** knowledge.current_accuracy on changed facts of tail entities (the last 10% of the popularity mass). */
  public static final String KNOWLEDGE_CURRENT_ACCURACY_TAIL = "knowledge.current_accuracy_tail";
  /** knowledge.stale_rate on changed facts of head entities. */
  public static final String KNOWLEDGE_STALE_RATE_HEAD = "knowledge.stale_rate_head";
  /** knowledge.stale_rate on changed facts of torso entities. */
  public static final String KNOWLEDGE_STALE_RATE_TORSO = "knowledge.stale_rate_torso";
  /** knowledge.stale_rate on changed facts of tail entities. */
  public static final String KNOWLEDGE_STALE_RATE_TAIL = "knowledge.stale_rate_tail";
  /**
   * knowledge.current_accuracy on the changed facts of the fast slices: those whose {@code every} is the smallest of
   * {@code world.knowledge.changes}; only in worlds whose slices change at more than one rate, NaN while none of
   * them has changed ({@link ChangedFacts}).
   */
  public static final String KNOWLEDGE_CURRENT_ACCURACY_FAST = "knowledge.current_accuracy_fast";
  /** knowledge.current_accuracy on the changed facts of the other (slower) slices; as the _fast one. */
  public static final String KNOWLEDGE_CURRENT_ACCURACY_SLOW = "knowledge.current_accuracy_slow";
  /** knowledge.stale_rate on the changed facts of the fast slices (as knowledge.current_accuracy_fast). */
  public static final String KNOWLEDGE_STALE_RATE_FAST = "knowledge.stale_rate_fast";
  /** knowledge.stale_rate on the changed facts of the slow slices (as knowledge.current_accuracy_slow). */
  public static final String KNOWLEDGE_STALE_RATE_SLOW = "knowledge.stale_rate_slow";

  /**
   * Shannon entropy, in nats, of the pooled unigram distribution of response tokens: all response tokens of
   * all evaluation samples counted together (EOS and prompt tokens excluded),
   * H = −Σ_w (c_w/N) ln(c_w/N). Collapse to a few tokens lowers it; NaN if no sample has a response token.
   */
  public static final String DIVERSITY_ENTROPY = "diversity.entropy";

  /**
   * Distinct bigrams over total bigrams of the responses: bigrams are adjacent pairs of response tokens inside
   * one response (EOS excluded, none across responses); "distinct" counts each pair once over all samples.
   * In (0, 1]; NaN if no response has two tokens.
   */
  public static final String DIVERSITY_DISTINCT2 = "diversity.distinct2";

  /**
   * Share of the evaluation samples whose response the world's own grammar can produce ({@code World.wellFormed}:
   * an opener word, the prompt kind's answer part, then plain words, of a length the world gives), right or wrong.
   * In [0, 1]. Read with the two diversity metrics: a model that degenerates into noise loses well-formedness while
   * diversity.entropy and distinct2 rise; a model that collapses stays well formed while its diversity falls.
   */
  public static final String DIVERSITY_WELLFORMED = "diversity.wellformed";

  /**
   * diversity.distinct2 over the well-formed responses only (NaN when none has two tokens): the diversity that is
   * not noise. It falls under collapse and does not rise under degradation, so it separates the two where
   * diversity.distinct2 cannot.
   */
  public static final String DIVERSITY_DISTINCT2_WELLFORMED = "diversity.distinct2_wellformed";

  /**
   * Cross-entropy of the model on held-out world examples, in nats per token: Σ −ln p(x_t | x_&lt;t) over
   * every response token and the closing EOS of every held-out example, divided by the number of such tokens
   * (a token-weighted mean; prompt tokens are context only).
   */
  public static final String LOSS_WORLD = "loss.world";

  /**
   * KL divergence from the base model, in nats per response: the mean over evaluation samples of
   * Σ_t KL(π(·|x_&lt;t) ‖ π_base(·|x_&lt;t)), the sum over the sample's generated positions (EOS included),
   * each term exact over the vocabulary from both models' untempered next-token distributions. Along samples
   * drawn from π at temperature 1 this is an unbiased estimate of the sequence-level KL(π ‖ π_base) with lower
   * variance than the Monte-Carlo log-ratio; at other temperatures it is the same sum along tempered samples.
   */
  public static final String KL_BASE = "kl.base";

  /** Mean gold utility of the evaluation samples (Σ_i weight_i · [trait i], {@code GoldOracle}); utility units. */
  public static final String REWARD_GOLD = TraitTally.REWARD_GOLD;
  /**
   * reward.gold over the evaluation samples whose prompt is a chat prompt only: the open task, with no right answer,
   * judged by style alone (polite, toxic, hedge, verbose) — the high-ambiguity end beside the fact questions'
   * knowledge.* (scenarios/domain-adaptation.yaml). Higher is better; absent when no evaluation prompt is a chat.
   */
  public static final String REWARD_GOLD_CHAT = "reward.gold_chat";

  /**
   * Mean score of the run's reward model over the evaluation samples, in the reward model's own units (the
   * proxy that optimisation sees; compare with reward.gold to see reward hacking).
   */
  public static final String REWARD_PROXY = "reward.proxy";

  /**
   * Share of evaluation samples on which the generation's model beats the reference that
   * {@code evaluation.winRateAgainst} names (base or teacher) by gold utility, ties counting ½, each sample paired
   * with the reference's from the same random stream; 0.5 is a draw.
   */
  public static final String WIN_RATE = "winrate";

  /** Human labelling actions spent by the lineage up to and including this generation (a count). */
  public static final String LABELS_HUMAN = "labels.human";

  /** AI labelling actions (critic scores, preferences, filters) up to and including this generation. */
  public static final String LABELS_AI = "labels.ai";

  /** Simulated US dollars paid to human labellers up to and including this generation. */
  public static final String COST_HUMAN_USD = "cost.human_usd";

  /** Simulated human labelling time, in hours, up to and including this generation. */
  public static final String TIME_HUMAN_HOURS = "time.human_hours";

  /** Positions trained on by the lineage's train stages up to and including this generation (the compute cost). */
  public static final String COST_TRAIN_TOKENS = "cost.train_tokens";

  /** Simulated US dollars charged for AI labels (labels.ai × actors.critics.costPerLabel) up to this generation. */
  public static final String COST_AI_USD = "cost.ai_usd";

  /**
   * Retrieval queries the lineage made up to this generation (retrieval-augmented generate stages and evaluations,
   * one per prompt asked; a query that is no fact question gets no passage but is still paid).
   */
  public static final String COST_RETRIEVAL_QUERIES = "cost.retrieval_queries";
  /** Simulated US dollars of those queries (× actors.retrievers.costPerQuery), cumulative. */
  public static final String COST_RETRIEVAL_USD = "cost.retrieval_usd";
  /** Simulated retrieval time of those queries in hours (× actors.retrievers.secondsPerQuery), cumulative. */
  public static final String TIME_RETRIEVAL_HOURS = "time.retrieval_hours";

  /**
   * Fleiss' κ of this generation's overlapped preference labels (items labelled by several humans; label stage
   * overlap &gt; 0): 1 perfect agreement, 0 chance level. Absent without overlap. An item that lost one of its
   * raters to an absent labeller counts with the labels it kept (two or more): Fleiss' κ generalised to a varying
   * number of raters, P̄_e from the pooled labels ({@link io.priorflow.engine.label.Agreement}), which is Fleiss'
   * own when every item has the same number.
   */
  public static final String LABELS_KAPPA = "labels.kappa";

  /**
   * The observed agreement P̄ of the same items: each item's share of agreeing rater pairs, averaged over the items
   * (every item counts once, whatever its number of raters), in [0, 1].
   */
  public static final String LABELS_AGREEMENT = "labels.agreement";

  /** Share of held-out preference pairs the generation's reward model orders as the labellers did, in [0, 1]. */
  public static final String REWARD_HELDOUT_AGREEMENT = "reward.heldout_agreement";

  /** The same share on the reward model's training pairs. */
  public static final String REWARD_TRAIN_AGREEMENT = "reward.train_agreement";

  /** Preference pairs held out from the reward model's training (a count). */
  public static final String REWARD_HELDOUT_PAIRS = "reward.heldout_pairs";

  /** DPO: share of training pairs whose implicit reward margin is positive after training, in [0, 1]. */
  public static final String DPO_ACCURACY = "dpo.accuracy";

  /** DPO: mean implicit reward margin Δ log(π/π_ref) (chosen minus rejected) over the pairs after training. */
  public static final String DPO_MARGIN = "dpo.margin";

  /** KTO: share of rated examples on their side of the reference point after training (desirable above), in [0, 1]. */
  public static final String KTO_ACCURACY = "kto.accuracy";

  /** KTO: mean implicit reward log(π/π_ref) of the desirable examples minus that of the undesirable ones, nats. */
  public static final String KTO_MARGIN = "kto.margin";

  /** KTO: the reference point z₀, the policy's KL to the reference estimated on mismatched examples, nats. */
  public static final String KTO_KL = "kto.kl";

  /** GKD: the chosen divergence between teacher and student per position, mean over the last epoch. */
  public static final String GKD_DIVERGENCE = "gkd.divergence";

  /** GKD: share of the trained sequences the student sampled itself (on-policy), in [0, 1]. */
  public static final String GKD_ON_POLICY = "gkd.on_policy";

  /** RLHF: mean reward-model (proxy) score of the last step's samples; the whole trace is in rlhf-trace.csv. */
  public static final String RLHF_PROXY_REWARD = "rlhf.proxy_reward";

  /** RLHF: mean gold utility of the last step's samples. */
  public static final String RLHF_GOLD_REWARD = "rlhf.gold_reward";

  /**
   * RLHF: α of Gao et al.'s RL form R(d) = d(α − β log d) fitted to the generation's trace, R the gold reward gained
   * over step 0 (the initial policy) and d = √KL ({@link OveroptimisationFit#rlhfMetrics}).
   */
  public static final String RLHF_GOLD_FIT_ALPHA = "rlhf.gold_fit_alpha";

  /** RLHF: β of the fitted R(d) = d(α − β log d); &gt; 0 means the gold reward peaks and then falls. */
  public static final String RLHF_GOLD_FIT_BETA = "rlhf.gold_fit_beta";

  /** RLHF: r² of that fit (1 − residual / total sum of squares; below 0 when it fits worse than a constant). */
  public static final String RLHF_GOLD_FIT_R2 = "rlhf.gold_fit_r2";

  /** RLHF: the KL at which the fitted gold reward peaks, exp(2(α/β − 1)); NaN when β ≤ 0 (no peak). */
  public static final String RLHF_GOLD_FIT_PEAK_KL = "rlhf.gold_fit_peak_kl";

  /** RLHF: mean exact KL to the reference policy of the last step's samples, nats per response. */
  public static final String RLHF_KL = "rlhf.kl";

  /** RLHF with PPO's value head: mean ½(V(s) − return)² over the last step's states, before its value update. */
  public static final String RLHF_VALUE_LOSS = "rlhf.value_loss";

  /** Token-level distillation: T²·KL(teacher ‖ student) per position, mean over the last epoch. */
  public static final String DISTILL_KL = "distill.kl";

  /** Best-of-n: mean reward of the kept (best) sample per prompt. */
  public static final String BEST_OF_N_REWARD_BEST = "best_of_n.reward_best";

  /** Best-of-n: mean reward of all n samples per prompt. */
  public static final String BEST_OF_N_REWARD_MEAN = "best_of_n.reward_mean";

  /** Best-of-n: the bound log n − (n−1)/n on KL(best-of-n ‖ base), nats. */
  public static final String BEST_OF_N_KL_BOUND = "best_of_n.kl_bound";

  /** Parameters the generation's (last) train stage updated (LoRA: the adapters only). */
  public static final String PARAMS_TRAINABLE = "params.trainable";

  /** Parameters of the whole model: what full fine-tuning would update. */
  public static final String PARAMS_FULL = "params.full";

  /** Optimizer state bytes of that stage (Adam: two floats per trainable parameter). */
  public static final String OPTIMIZER_BYTES = "optimizer.bytes";

  /** Optimizer state bytes full fine-tuning would need. */
  public static final String OPTIMIZER_BYTES_FULL = "optimizer.bytes_full";

  /** Red teaming: share of the generation's red-team attempts that elicited the target trait, in [0, 1]. */
  public static final String REDTEAM_FIND_RATE = "redteam.find_rate";

  /**
   * Prefix of {@code ancestry.<source>}: the share, in [0, 1], of the model's training signal that traces back
   * to the source (world corpus, human labels, an AI critic…) through every teacher generation (DESIGN §6).
   */
  public static final String ANCESTRY_PREFIX = "ancestry.";

  /** Mean of the generation's fitted Gaussian (Gaussian world). */
  public static final String GAUSSIAN_MEAN = GaussianGeneration.MEAN;

  /** Variance of the generation's fitted Gaussian (Gaussian world). */
  public static final String GAUSSIAN_VARIANCE = GaussianGeneration.VARIANCE;

  /** W₂ distance of the generation's fitted Gaussian to the true one, exact (Gaussian world). */
  public static final String GAUSSIAN_W2 = GaussianGeneration.W2;

  /** Excess test error ‖ŵ − w*‖² of the generation's least-squares fit (linear world). */
  public static final String LINEAR_TEST_ERROR = LinearGeneration.TEST_ERROR;

  /**
   * The closed form of E[gaussian.variance] for the generation ({@code GaussianCollapseLaws.expectedVariance}:
   * σ²·(c(N − 1))ⁿ), written beside the measurement under the replace policy; accumulate has no closed form, so
   * the column is empty there. Equal in every replicate: compare it with the replicates' mean.
   */
  public static final String GAUSSIAN_VARIANCE_LAW = "gaussian.variance_law";

  /**
   * The closed form of E[linear.test_error] for the generation and the lineage's policy and design
   * ({@code LinearCollapseLaws.expectedTestError}): replace σ²nd/(T−d−1); accumulate with fresh inputs
   * σ²d·Σ 1/(i(iT−d−1)) (Gerstgrasser et al. 2024); accumulate with a fixed design σ²d/(T−d−1)·Σ 1/i².
   */
  public static final String LINEAR_TEST_ERROR_LAW = "linear.test_error_law";

  /** Bandit world: the policy's expected gold reward Σ π_k r_k. */
  public static final String BANDIT_GOLD_REWARD = "bandit.gold_reward";
  /** Bandit world: KL(π_n ‖ π_{n−1}) in nats, to the generation's teacher and reference. */
  public static final String BANDIT_KL_TEACHER = "bandit.kl_teacher";
  /** Bandit world: KL(π_n ‖ π_0) in nats, to the base policy. */
  public static final String BANDIT_KL_BASE = "bandit.kl_base";
  /** Bandit world: the policy's entropy in nats (log K for uniform, 0 for one arm). */
  public static final String BANDIT_ENTROPY = "bandit.entropy";
  /** Bandit world: π_n of the arm with the highest gold reward. */
  public static final String BANDIT_BEST_ARM = "bandit.best_arm";
  /**
   * Bandit world: KL(π_n ‖ π*) to the closed-form optimum the generation's last policy step aims at — dpo:
   * π_ref·exp(r/β), rlhf: π_ref·exp(r̃/β) (r̃ the reward model's rewards, or gold) — normalised; near 0 when the
   * method found its optimum (for dpo: with enough pairs). Empty after sft and best_of_n.
   */
  public static final String BANDIT_OPTIMUM_KL = "bandit.optimum_kl";

  /**
   * Prefix of {@code labels.gold_agreement.<source>}: the share of this generation's judgements by that source —
   * {@code humans} (all of them), {@code human-<i>} (one labeller), {@code critic} — that agree with the gold oracle:
   * an accepted item is good (gold utility ≥ 0) and a rejected one is not; a preferred response has the higher gold
   * utility (pairs of equal utility are left out). Unitless, in [0, 1]; after {@link #METHOD}, sorted by source.
   */
  public static final String GOLD_AGREEMENT_PREFIX = "labels.gold_agreement.";

  /**
   * Share of this generation's assisted human labels that are wrong by gold, among the items whose AI pre-label was
   * wrong: how much anchoring carries the pre-label's mistakes into the labels (compare with 1 − accuracy).
   */
  public static final String LABELS_ANCHORED_ERROR = "labels.anchored_error";

  /** Simulated seconds per human label in this generation (labelling, demonstrations and red teaming together). */
  public static final String LABELS_SECONDS_PER_LABEL = "labels.seconds_per_label";

  /**
   * With {@code evaluation.bestOfN}: KL(best-of-n ‖ policy) in nats, measured by sampling — the mean over the
   * evaluation samples of the log density ratio (F(r)^n − F(r⁻)^n) / (F(r) − F(r⁻)), which is n·F(r)^{n−1} for a
   * continuous reward, with r the chosen candidate's proxy reward and F estimated from the same prompt's candidates
   * of its other samples.
   */
  public static final String EVAL_BON_KL = "eval.bon_kl";

  /** With {@code evaluation.bestOfN}: the analytic log n − (n − 1)/n that eval.bon_kl is compared with. */
  public static final String EVAL_BON_KL_BOUND = "eval.bon_kl_bound";

  /**
   * With {@code evaluation.bestOfN}: α of Gao et al.'s best-of-n form R(d) = d(α − βd), fitted to the gold reward
   * gained by best-of-m over the policy (m = 1, 2, 4, … up to n, all from one pool of candidates per prompt) against
   * d = √(log m − (m − 1)/m) ({@link BestOfNCurve}); the curve itself is in best-of-n.csv.
   */
  public static final String EVAL_BON_FIT_ALPHA = "eval.bon_fit_alpha";
  /** With {@code evaluation.bestOfN}: β of the best-of-n form; &gt; 0 means the gold reward peaks and then falls. */
  public static final String EVAL_BON_FIT_BETA = "eval.bon_fit_beta";
  /** With {@code evaluation.bestOfN}: r² of the best-of-n fit. */
  public static final String EVAL_BON_FIT_R2 = "eval.bon_fit_r2";
  /** With {@code evaluation.bestOfN}: (α/2β)², the KL at which the fitted gold reward peaks; NaN without a peak. */
  public static final String EVAL_BON_FIT_PEAK_KL = "eval.bon_fit_peak_kl";

  /** Share of fact questions answered with a wrong value: a confident wrong answer ({@link Honesty}). In [0, 1]. */
  public static final String HONESTY_HALLUCINATION = "honesty.hallucination";
  /** Share of fact questions answered with a hedge word ({@link Honesty}). In [0, 1]. */
  public static final String HONESTY_ABSTENTION = "honesty.abstention";
  /**
   * Expected calibration error of the model's own probability of the value word it answered a fact question with,
   * against being right, in 10 equal bins ({@link Honesty}). In [0, 1]; 0 is calibrated.
   */
  public static final String HONESTY_CALIBRATION_ERROR = "honesty.calibration_error";
  /** honesty.hallucination on questions about head entities (the first half of the popularity mass). */
  public static final String HONESTY_HALLUCINATION_HEAD = "honesty.hallucination_head";
  /** honesty.hallucination on torso entities (the popularity mass between 50% and 90%). */
  public static final String HONESTY_HALLUCINATION_TORSO = "honesty.hallucination_torso";
  /** honesty.hallucination on tail entities (the last 10% of the popularity mass, and held-out entities). */
  public static final String HONESTY_HALLUCINATION_TAIL = "honesty.hallucination_tail";
  /** honesty.abstention on head entities. */
  public static final String HONESTY_ABSTENTION_HEAD = "honesty.abstention_head";
  /** honesty.abstention on torso entities. */
  public static final String HONESTY_ABSTENTION_TORSO = "honesty.abstention_torso";
  /** honesty.abstention on tail entities. */
  public static final String HONESTY_ABSTENTION_TAIL = "honesty.abstention_tail";
  /**
   * The monofact rate of the lineage's base pretraining data ({@link Honesty#monofactRate}): the share of fact
   * observations whose fact was observed once, the Good–Turing estimate of unseen facts; a calibrated model's
   * honesty.hallucination on arbitrary facts is at least about this (Kalai and Vempala 2024). The same in every
   * generation of a lineage.
   */
  public static final String HONESTY_MONOFACT_RATE = "honesty.monofact_rate";

  /** The metrics between trait.* and ancestry.*, in column order. */
  public static final List<String> FIXED = List.of(KNOWLEDGE_ACCURACY, KNOWLEDGE_RARE_ACCURACY,
      KNOWLEDGE_CONTEXT_ACCURACY, KNOWLEDGE_HELDOUT_ACCURACY, KNOWLEDGE_CURRENT_ACCURACY, KNOWLEDGE_STALE_RATE,
      KNOWLEDGE_CURRENT_ACCURACY_HEAD, KNOWLEDGE_CURRENT_ACCURACY_TORSO, KNOWLEDGE_CURRENT_ACCURACY_TAIL,
      KNOWLEDGE_STALE_RATE_HEAD, KNOWLEDGE_STALE_RATE_TORSO, KNOWLEDGE_STALE_RATE_TAIL,
      KNOWLEDGE_CURRENT_ACCURACY_FAST, KNOWLEDGE_CURRENT_ACCURACY_SLOW, KNOWLEDGE_STALE_RATE_FAST,
      KNOWLEDGE_STALE_RATE_SLOW, DIVERSITY_ENTROPY,
      DIVERSITY_DISTINCT2, DIVERSITY_WELLFORMED, DIVERSITY_DISTINCT2_WELLFORMED, HONESTY_HALLUCINATION,
      HONESTY_ABSTENTION, HONESTY_CALIBRATION_ERROR, HONESTY_HALLUCINATION_HEAD, HONESTY_HALLUCINATION_TORSO,
      HONESTY_HALLUCINATION_TAIL, HONESTY_ABSTENTION_HEAD, HONESTY_ABSTENTION_TORSO, HONESTY_ABSTENTION_TAIL,
      HONESTY_MONOFACT_RATE, LOSS_WORLD, KL_BASE, REWARD_GOLD, REWARD_GOLD_CHAT, REWARD_PROXY, WIN_RATE, EVAL_BON_KL, EVAL_BON_KL_BOUND,
      EVAL_BON_FIT_ALPHA, EVAL_BON_FIT_BETA, EVAL_BON_FIT_R2, EVAL_BON_FIT_PEAK_KL,
      LABELS_HUMAN, LABELS_AI, COST_HUMAN_USD,
      TIME_HUMAN_HOURS);

  /** Costs and the methods' own measures, after {@link #FIXED}, in column order (absent where not measured). */
  public static final List<String> METHOD = List.of(COST_TRAIN_TOKENS, COST_AI_USD, COST_RETRIEVAL_QUERIES,
      COST_RETRIEVAL_USD, TIME_RETRIEVAL_HOURS, LABELS_KAPPA, LABELS_AGREEMENT,
      LABELS_ANCHORED_ERROR, LABELS_SECONDS_PER_LABEL,
      REWARD_HELDOUT_AGREEMENT, REWARD_TRAIN_AGREEMENT, REWARD_HELDOUT_PAIRS, DPO_ACCURACY, DPO_MARGIN,
      KTO_ACCURACY, KTO_MARGIN, KTO_KL, RLHF_PROXY_REWARD, RLHF_GOLD_REWARD, RLHF_KL, RLHF_VALUE_LOSS,
      RLHF_GOLD_FIT_ALPHA, RLHF_GOLD_FIT_BETA, RLHF_GOLD_FIT_R2, RLHF_GOLD_FIT_PEAK_KL, DISTILL_KL, GKD_DIVERGENCE,
      GKD_ON_POLICY, BEST_OF_N_REWARD_BEST, BEST_OF_N_REWARD_MEAN,
      BEST_OF_N_KL_BOUND, PARAMS_TRAINABLE, PARAMS_FULL, OPTIMIZER_BYTES, OPTIMIZER_BYTES_FULL, REDTEAM_FIND_RATE);

  /** The analytic worlds' metrics, last, in column order. */
  public static final List<String> ANALYTIC = List.of(GAUSSIAN_MEAN, GAUSSIAN_VARIANCE, GAUSSIAN_VARIANCE_LAW,
      GAUSSIAN_W2, LINEAR_TEST_ERROR, LINEAR_TEST_ERROR_LAW, BANDIT_GOLD_REWARD, BANDIT_KL_TEACHER, BANDIT_KL_BASE,
      BANDIT_ENTROPY, BANDIT_BEST_ARM, BANDIT_OPTIMUM_KL);

  /** {@code trait.<name>}. */
  public static String trait(String name) {
    requireSuffix("trait", name);
    return TRAIT_PREFIX + name;
  }

  /** {@code ancestry.<source>}. */
  public static String ancestry(String source) {
    requireSuffix("ancestry source", source);
    return ANCESTRY_PREFIX + source;
  }

  private static void requireSuffix(String what, String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("A " + what + " name must be non-empty, was " + (s == null ? "null" : "\"\"")
          + ".");
    }
  }

  /** True for a name of the contract: a fixed or analytic metric, or trait.&lt;x&gt; / ancestry.&lt;x&gt; with x non-empty. */
  public static boolean isKnown(String name) {
    return FIXED.contains(name) || METHOD.contains(name) || ANALYTIC.contains(name) || hasSuffix(name, TRAIT_PREFIX)
        || hasSuffix(name, ANCESTRY_PREFIX) || hasSuffix(name, GOLD_AGREEMENT_PREFIX);
  }

  private static boolean hasSuffix(String name, String prefix) {
    return name.startsWith(prefix) && name.length() > prefix.length();
  }

  /**
   * The names in column order (see the class comment), each once. trait.* keep the order in which the input
   * first lists them, so pass the keys of an ordered map or the union of rows in row order.
   *
   * @throws IllegalArgumentException naming every unknown metric
   */
  public static List<String> order(Collection<String> names) {
    Set<String> traits = new LinkedHashSet<>();
    Set<String> fixed = new LinkedHashSet<>();
    Set<String> method = new LinkedHashSet<>();
    TreeMap<String, String> ancestry = new TreeMap<>();
    TreeMap<String, String> agreement = new TreeMap<>();
    Set<String> analytic = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String n : names) {
      if (FIXED.contains(n)) {
        fixed.add(n);
      } else if (METHOD.contains(n)) {
        method.add(n);
      } else if (ANALYTIC.contains(n)) {
        analytic.add(n);
      } else if (hasSuffix(n, TRAIT_PREFIX)) {
        traits.add(n);
      } else if (hasSuffix(n, ANCESTRY_PREFIX)) {
        ancestry.put(n.substring(ANCESTRY_PREFIX.length()), n);
      } else if (hasSuffix(n, GOLD_AGREEMENT_PREFIX)) {
        agreement.put(n.substring(GOLD_AGREEMENT_PREFIX.length()), n);
      } else {
        unknown.add(n);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Unknown metric name(s) " + unknown + "; a metric is trait.<name>, one of "
          + FIXED + ", one of " + METHOD + ", " + GOLD_AGREEMENT_PREFIX + "<source>, ancestry.<source>, or one of "
          + ANALYTIC + ".");
    }
    List<String> out = new ArrayList<>(traits);
    FIXED.stream().filter(fixed::contains).forEach(out::add);
    METHOD.stream().filter(method::contains).forEach(out::add);
    out.addAll(agreement.values());
    out.addAll(ancestry.values());
    ANALYTIC.stream().filter(analytic::contains).forEach(out::add);
    return out;
  }

  /** A copy of the metrics with its keys in column order ({@link #order}). */
  public static Map<String, Double> ordered(Map<String, Double> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : order(metrics.keySet())) {
      out.put(name, metrics.get(name));
    }
    return out;
  }

  /**
   * Merges metric maps computed apart (the evaluator's, the counters', the ancestry shares) into one row in
   * column order. trait.* keep the order of the first part that lists them.
   *
   * @throws IllegalArgumentException if two parts both set a metric, or a name is unknown
   */
  @SafeVarargs
  public static Map<String, Double> merge(Map<String, Double>... parts) {
    Map<String, Double> all = new LinkedHashMap<>();
    for (Map<String, Double> part : parts) {
      for (Map.Entry<String, Double> e : part.entrySet()) {
        if (all.containsKey(e.getKey())) {
          throw new IllegalArgumentException("Metric " + e.getKey() + " is set twice when merging a row (" + all.get(
              e.getKey()) + " and " + e.getValue() + ").");
        }
        all.put(e.getKey(), e.getValue());
      }
    }
    return ordered(all);
  }

  /** ancestry.&lt;source&gt; → share for each source, sorted by source. */
  public static Map<String, Double> ancestry(Map<String, Double> shares) {
    Map<String, Double> out = new LinkedHashMap<>();
    new TreeMap<>(shares).forEach((source, share) -> out.put(ancestry(source), share));
    return out;
  }
}
