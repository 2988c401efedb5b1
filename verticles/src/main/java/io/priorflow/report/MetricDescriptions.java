package io.priorflow.report;

import io.priorflow.engine.metrics.MetricNames;
import java.util.Map;

/**
 * One line per metric saying what it measures, for a reader who has not read {@link MetricNames}. The exact
 * definitions are in that class's Javadoc; these are short paraphrases of them, kept here because the report
 * needs plain sentences and MetricNames has only Javadoc.
 */
final class MetricDescriptions {

  private MetricDescriptions() {}

  private static final Map<String, String> FIXED = Map.ofEntries(
      Map.entry(MetricNames.KNOWLEDGE_ACCURACY,
          "Share of answers to fact and arithmetic prompts that are correct (0 to 1)."),
      Map.entry(MetricNames.KNOWLEDGE_RARE_ACCURACY,
          "As knowledge.accuracy, on facts about rare (Zipf-tail) entities only: the first thing collapse loses."),
      Map.entry(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY,
          "Share of held-out facts (never in training) answered right when the context states them (0 to 1; chance"
              + " 1/values): in-context learning."),
      Map.entry(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY,
          "Share of the same held-out facts answered right with nothing in context (0 to 1); should stay at chance."),
      Map.entry(MetricNames.DIVERSITY_ENTROPY,
          "Entropy of all response tokens pooled, in nats; falls when the model collapses onto few tokens."),
      Map.entry(MetricNames.DIVERSITY_DISTINCT2,
          "Distinct bigrams over all bigrams of the responses (0 to 1); falls when answers repeat themselves."),
      Map.entry(MetricNames.LOSS_WORLD,
          "Cross-entropy on held-out world data, nats per token; rises when the model forgets the real world."),
      Map.entry(MetricNames.KL_BASE,
          "KL divergence from the base model, nats per response: how far this model has drifted."),
      Map.entry(MetricNames.REWARD_GOLD,
          "Mean gold utility of the samples (trait weights of the gold oracle): the ground truth of quality."),
      Map.entry(MetricNames.REWARD_PROXY,
          "Mean score of the run's reward model; rising while reward.gold falls is reward hacking."),
      Map.entry(MetricNames.WIN_RATE,
          "Share of samples on which this model beats the reference (evaluation.winRateAgainst: base or teacher) "
              + "by gold utility, ties ½, paired by random stream; 0.5 is a draw."),
      Map.entry(MetricNames.EVAL_BON_KL,
          "KL of best-of-n at inference from the policy, measured by sampling (nats); compare with eval.bon_kl_bound."),
      Map.entry(MetricNames.EVAL_BON_KL_BOUND, "The analytic log n − (n−1)/n, exact for a continuous reward (nats)."),
      Map.entry(MetricNames.LABELS_HUMAN, "Human labelling actions spent so far (cumulative count)."),
      Map.entry(MetricNames.LABELS_AI,
          "AI labelling actions (critic scores, preferences, filters) spent so far (cumulative count)."),
      Map.entry(MetricNames.COST_HUMAN_USD, "Simulated US dollars paid to human labellers so far (cumulative)."),
      Map.entry(MetricNames.TIME_HUMAN_HOURS, "Simulated human labelling hours so far (cumulative)."),
      Map.entry(MetricNames.COST_TRAIN_TOKENS,
          "Positions trained on by the lineage's train stages so far (cumulative): the compute cost."),
      Map.entry(MetricNames.COST_AI_USD, "Simulated US dollars charged for AI labels so far (cumulative)."),
      Map.entry(MetricNames.LABELS_ANCHORED_ERROR,
          "Share of assisted human labels wrong by gold among items whose AI pre-label was wrong: anchoring."),
      Map.entry(MetricNames.LABELS_SECONDS_PER_LABEL, "Simulated seconds per human label this generation."),
      Map.entry(MetricNames.LABELS_KAPPA,
          "Fleiss' kappa of the pairs several humans labelled this generation: 1 perfect agreement, 0 chance."),
      Map.entry(MetricNames.LABELS_AGREEMENT,
          "Observed agreement of the same pairs: the share of rater pairs who agreed (0 to 1)."),
      Map.entry(MetricNames.REWARD_HELDOUT_AGREEMENT,
          "Share of held-out preference pairs the reward model orders as the labellers did (0 to 1)."),
      Map.entry(MetricNames.REWARD_TRAIN_AGREEMENT,
          "Share of the reward model's training pairs it orders as the labellers did (0 to 1)."),
      Map.entry(MetricNames.REWARD_HELDOUT_PAIRS, "Preference pairs held out from the reward model's training."),
      Map.entry(MetricNames.DPO_ACCURACY,
          "DPO: share of pairs whose implicit reward prefers the chosen response after training (0 to 1)."),
      Map.entry(MetricNames.DPO_MARGIN, "DPO: mean implicit reward margin, chosen minus rejected log-ratio."),
      Map.entry(MetricNames.KTO_ACCURACY,
          "KTO: share of rated examples on their side of the reference point after training (0 to 1)."),
      Map.entry(MetricNames.KTO_MARGIN, "KTO: mean log-ratio of desirable minus undesirable examples, nats."),
      Map.entry(MetricNames.KTO_KL, "KTO: the reference point z₀ (the policy's estimated KL to the reference), nats."),
      Map.entry(MetricNames.RLHF_PROXY_REWARD,
          "RLHF: the reward model's mean score of the last step's samples (full trace in rlhf-trace.csv)."),
      Map.entry(MetricNames.RLHF_GOLD_REWARD,
          "RLHF: the gold utility of the same samples; below a rising proxy is over-optimisation."),
      Map.entry(MetricNames.RLHF_KL, "RLHF: KL to the reference policy of the last step's samples, nats."),
      Map.entry(MetricNames.RLHF_VALUE_LOSS,
          "RLHF with PPO's value head: squared error of the value head on the last step's returns."),
      Map.entry(MetricNames.DISTILL_KL, "Token-level distillation: T²·KL(teacher ‖ student) per position after training."),
      Map.entry(MetricNames.GKD_DIVERGENCE,
          "On-policy distillation (GKD): the chosen divergence to the teacher per position, last epoch."),
      Map.entry(MetricNames.GKD_ON_POLICY, "On-policy distillation (GKD): share of sequences the student sampled."),
      Map.entry(MetricNames.BEST_OF_N_REWARD_BEST, "Best-of-n: mean reward of the kept sample per prompt."),
      Map.entry(MetricNames.BEST_OF_N_REWARD_MEAN, "Best-of-n: mean reward of all n samples per prompt."),
      Map.entry(MetricNames.BEST_OF_N_KL_BOUND, "Best-of-n: log n − (n−1)/n, the bound on its KL from the start policy."),
      Map.entry(MetricNames.PARAMS_TRAINABLE,
          "Parameters the generation's training updated (LoRA: the adapters only)."),
      Map.entry(MetricNames.PARAMS_FULL, "Parameters of the whole model: what full fine-tuning updates."),
      Map.entry(MetricNames.OPTIMIZER_BYTES, "Optimizer state of the generation's training, in bytes."),
      Map.entry(MetricNames.OPTIMIZER_BYTES_FULL, "Optimizer state full fine-tuning would need, in bytes."),
      Map.entry(MetricNames.REDTEAM_FIND_RATE,
          "Red teaming: share of attempts that elicited the target trait (0 to 1)."),
      Map.entry(MetricNames.GAUSSIAN_MEAN, "Mean of the Gaussian fitted in this generation (Gaussian world)."),
      Map.entry(MetricNames.GAUSSIAN_VARIANCE,
          "Variance of the fitted Gaussian (Gaussian world); shrinking towards 0 is model collapse."),
      Map.entry(MetricNames.GAUSSIAN_W2, "Exact W₂ distance of the fitted Gaussian to the true one (Gaussian world)."),
      Map.entry(MetricNames.LINEAR_TEST_ERROR,
          "Excess test error ‖ŵ − w*‖² of the least-squares fit (linear-regression world)."));

  /** The metric's one-line meaning, or a fallback sentence for a name this version does not know. */
  static String of(String metric) {
    String fixed = FIXED.get(metric);
    if (fixed != null) {
      return fixed;
    }
    if (metric.startsWith(MetricNames.TRAIT_PREFIX)) {
      return "Share of evaluation samples that show the trait “" + metric.substring(MetricNames.TRAIT_PREFIX.length())
          + "” by the world's gold detector (0 to 1).";
    }
    if (metric.startsWith(MetricNames.GOLD_AGREEMENT_PREFIX)) {
      return "Share of this generation's judgements by “" + metric.substring(MetricNames.GOLD_AGREEMENT_PREFIX.length())
          + "” that agree with the gold oracle (0 to 1).";
    }
    if (metric.startsWith(MetricNames.ANCESTRY_PREFIX)) {
      return "Share of the model's training signal that traces back to “"
          + metric.substring(MetricNames.ANCESTRY_PREFIX.length()) + "”, through every teacher generation (0 to 1).";
    }
    return "A metric this version of the report does not describe.";
  }

  /** True for ancestry.&lt;source&gt;. */
  static boolean isAncestry(String metric) {
    return metric.startsWith(MetricNames.ANCESTRY_PREFIX);
  }

  /** The source of ancestry.&lt;source&gt;. */
  static String source(String ancestryMetric) {
    return ancestryMetric.substring(MetricNames.ANCESTRY_PREFIX.length());
  }
}
