package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.List;

/**
 * A constitution for the AI critics: rules, each judged by a learned trait classifier, whose verdicts are summed
 * into the critic's score ({@link io.priorflow.engine.label.Constitution}). At the start of a run one classifier per
 * trait is trained on world examples labelled for the trait with label noise; each has a lineage of its own.
 *
 * @param rules            the rules, 1 to 64; each trait at most once
 * @param labelNoise       probability that a classifier's training label is flipped, in [0, 0.5]; default 0.05
 * @param trainingExamples world examples each classifier trains on, in [10, 10000000]; default 2000
 * @param model            names the entry of {@code models} the classifiers have; null (the default) takes the
 *                         scenario's {@code model}
 */
public record ConstitutionSpec(
    @Size(min = 1, max = 64) List<ConstitutionRule> rules,
    @Range(min = 0, max = 0.5) double labelNoise,
    @Range(min = 10, max = 10_000_000) int trainingExamples,
    @Nullable String model) {

  /** Copies the list (null stays null, for the validator to report). */
  public ConstitutionSpec {
    rules = rules == null ? null : List.copyOf(rules);
  }

  /** A constitution whose classifiers the scenario's {@code model} sizes. */
  public ConstitutionSpec(List<ConstitutionRule> rules, double labelNoise, int trainingExamples) {
    this(rules, labelNoise, trainingExamples, null);
  }

  /** "not toxic" (weight 1), label noise 0.05, 2000 examples per classifier. */
  public static ConstitutionSpec defaults() {
    return new ConstitutionSpec(List.of(ConstitutionRule.defaults()), 0.05, 2000);
  }
}
