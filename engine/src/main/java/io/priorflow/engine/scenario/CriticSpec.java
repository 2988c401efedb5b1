package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

/**
 * The AI critics: models (a reward model, or trait classifiers) that score, prefer and filter.
 *
 * @param count           critic instances, in [1, 10000]; default 2
 * @param temperature     softness of the critic's choices: 0 always picks the higher score, larger values pick
 *                        more at random; in [0, 100]; default 1
 * @param secondsPerLabel simulated seconds one label takes, in [0, 86400]; default 0.01
 * @param costPerLabel    simulated USD per label, in [0, 1000]; default 0.0001
 * @param constitution    rules judged by trait classifiers, which then replace the critic's utility model wherever
 *                        the critic scores, labels, pre-labels or prefers (RLAIF with a constitution); null (the
 *                        default) uses the utility model
 * @param model           names the entry of {@code models} the critic's utility model has; null (the default) takes
 *                        the scenario's {@code model}
 * @param utility         the scoring the critic's utility model learns: utility weights (names of {@code
 *                        world.utility}: the default traits and {@code wrong}, each in [-100, 100]) that replace the
 *                        world's in its training targets, e.g. {@code { hedge: 0, wrong: -1 }} for a critic that
 *                        credits abstention; default none (null: the world's gold utility, left out of the resolved
 *                        scenario)
 * @param retrieval       the critic judges with retrieval ({@link RetrievalSpec}): wherever it scores, filters,
 *                        labels, pre-labels or prefers, the retrievers' passages for the prompt go before the question
 *                        of the sequence it reads, so a critic that reads a stated fact judges a changed fact by the
 *                        index's value instead of the one it learnt; null (the default) judges the bare sequence
 */
public record CriticSpec(
    @Range(min = 1, max = 10_000) int count,
    @Range(min = 0, max = 100) double temperature,
    @Range(min = 0, max = 86_400) double secondsPerLabel,
    @Range(min = 0, max = 1000) double costPerLabel,
    @Nullable ConstitutionSpec constitution,
    @Nullable String model,
    @Nullable @Size(max = 8) @Range(min = -100, max = 100) java.util.Map<String, Double> utility,
    @Nullable RetrievalSpec retrieval) {

  /** Copies the utility map, keeping its order (null stays null). */
  public CriticSpec {
    utility = utility == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(utility));
  }

  /** Critics that judge without retrieval. */
  public CriticSpec(int count, double temperature, double secondsPerLabel, double costPerLabel,
                    ConstitutionSpec constitution, String model, java.util.Map<String, Double> utility) {
    this(count, temperature, secondsPerLabel, costPerLabel, constitution, model, utility, null);
  }

  /** Critics learning the world's utility. */
  public CriticSpec(int count, double temperature, double secondsPerLabel, double costPerLabel,
                    ConstitutionSpec constitution, String model) {
    this(count, temperature, secondsPerLabel, costPerLabel, constitution, model, null);
  }

  /** Critics whose utility model the scenario's {@code model} sizes. */
  public CriticSpec(int count, double temperature, double secondsPerLabel, double costPerLabel,
                    ConstitutionSpec constitution) {
    this(count, temperature, secondsPerLabel, costPerLabel, constitution, null);
  }

  /** Critics without a constitution. */
  public CriticSpec(int count, double temperature, double secondsPerLabel, double costPerLabel) {
    this(count, temperature, secondsPerLabel, costPerLabel, null);
  }

  /** 2 critics at temperature 1, 0.01 s and 0.0001 USD per label, no constitution. */
  public static CriticSpec defaults() {
    return new CriticSpec(2, 1.0, 0.01, 0.0001, null, null);
  }
}
