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
      Map.entry(MetricNames.LABELS_HUMAN, "Human labelling actions spent so far (cumulative count)."),
      Map.entry(MetricNames.LABELS_AI,
          "AI labelling actions (critic scores, preferences, filters) spent so far (cumulative count)."),
      Map.entry(MetricNames.COST_HUMAN_USD, "Simulated US dollars paid to human labellers so far (cumulative)."),
      Map.entry(MetricNames.TIME_HUMAN_HOURS, "Simulated human labelling hours so far (cumulative)."),
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
