package io.priorflow.engine.world;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds up gold scores of many sequences into the evaluation metrics, named as in the run outputs:
 * <pre>
 *   trait.&lt;name&gt;             share of sequences with the trait, one per trait in registry order
 *   knowledge.accuracy        share of question prompts (fact and arithmetic) answered correctly
 *   knowledge.rare_accuracy   share of rare-entity fact prompts answered correctly
 *   reward.gold               mean gold utility
 * </pre>
 * A share with no sequences to count is NaN. Mutable and not thread-safe: one tally per evaluation, fed in a
 * fixed order.
 */
public final class TraitTally {

  /** Metric name. */
  public static final String KNOWLEDGE_ACCURACY = "knowledge.accuracy";
  /** Metric name. */
  public static final String KNOWLEDGE_RARE_ACCURACY = "knowledge.rare_accuracy";
  /** Metric name. */
  public static final String REWARD_GOLD = "reward.gold";

  private final Traits traits;
  private final long[] present;
  private long count;
  private long questions;
  private long questionsCorrect;
  private long rareQuestions;
  private long rareCorrect;
  private double utility;

  /** An empty tally over a world's traits. */
  public TraitTally(Traits traits) {
    this.traits = traits;
    this.present = new long[traits.size()];
  }

  /** Counts one scored sequence. */
  public TraitTally add(GoldScore score) {
    if (score.traits().length != present.length) {
      throw new IllegalArgumentException("The score has " + score.traits().length + " traits, the tally expects "
          + present.length + "; it comes from another world.");
    }
    count++;
    for (int i = 0; i < present.length; i++) {
      present[i] += score.has(i) ? 1 : 0;
    }
    questions += score.question() ? 1 : 0;
    questionsCorrect += score.question() && score.correct() ? 1 : 0;
    rareQuestions += score.rareQuestion() ? 1 : 0;
    rareCorrect += score.rareQuestion() && score.correct() ? 1 : 0;
    utility += score.utility();
    return this;
  }

  /** Sequences counted. */
  public long count() {
    return count;
  }

  /** Share of sequences with the i-th trait. */
  public double prevalence(int traitIndex) {
    return present[traitIndex] / (double) count;
  }

  /** Share of question prompts answered correctly. */
  public double knowledgeAccuracy() {
    return questionsCorrect / (double) questions;
  }

  /** Share of rare-entity fact prompts answered correctly. */
  public double rareAccuracy() {
    return rareCorrect / (double) rareQuestions;
  }

  /** Mean gold utility. */
  public double meanUtility() {
    return utility / count;
  }

  /** The metrics in output order (see the class comment). */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < present.length; i++) {
      m.put(traits.get(i).metricName(), prevalence(i));
    }
    m.put(KNOWLEDGE_ACCURACY, knowledgeAccuracy());
    m.put(KNOWLEDGE_RARE_ACCURACY, rareAccuracy());
    m.put(REWARD_GOLD, meanUtility());
    return m;
  }
}
