package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The human labellers: a pool of {@code count} people who share these parameters (each draws its own noise).
 * Simulated time and money come from {@code secondsPerLabel} and {@code costPerHour}.
 *
 * @param count           labellers in the pool, in [1, 10000]; default 8
 * @param accuracy        probability that a label agrees with the gold oracle before biases, anchoring and
 *                        fatigue act, in [0, 1]; default 0.9
 * @param biases          trait name → preference shift in [-1, 1]: the change in the probability of preferring
 *                        (rating up) a response that has the trait, e.g. {@code polite: 0.2} favours polite answers;
 *                        names are traits of the world (default or extra), at most 64; default none
 * @param secondsPerLabel simulated seconds one label takes, in (0, 86400]; default 30
 * @param costPerHour     simulated wage in USD per hour, in [0, 10000]; default 25
 * @param fatiguePerHour  accuracy lost per simulated hour of continuous labelling, in [0, 1]; default 0.02
 * @param anchoring       probability of copying an AI pre-label when one is shown, in [0, 1]; default 0.2
 * @param individuals     labeller id ({@code human-0} … {@code human-<count−1>}) → how that one labeller differs from
 *                        the pool ({@link HumanOverride}), at most 64; default none (null: all alike, left out of the
 *                        resolved scenario)
 * @param utility         the scoring the labellers judge by: utility weights (names of {@code world.utility}: the
 *                        default traits and {@code wrong}, each in [-100, 100]) that replace the world's for their
 *                        rate and prefer judgements and their demonstrations, e.g. {@code { hedge: 0, wrong: -1 }} for
 *                        labellers who credit abstention; default none (null: they judge by the world's gold
 *                        utility, left out of the resolved scenario)
 */
public record HumanSpec(
    @Range(min = 1, max = 10_000) int count,
    @Range(min = 0, max = 1) double accuracy,
    @Size(max = 64) @Range(min = -1, max = 1) Map<String, Double> biases,
    @Range(min = 0, max = 86_400, minOpen = true) double secondsPerLabel,
    @Range(min = 0, max = 10_000) double costPerHour,
    @Range(min = 0, max = 1) double fatiguePerHour,
    @Range(min = 0, max = 1) double anchoring,
    @Nullable @Size(max = 64) Map<String, HumanOverride> individuals,
    @Nullable @Size(max = 8) @Range(min = -100, max = 100) Map<String, Double> utility) {

  /** The prefix of a human labeller's id: labeller i is {@code human-i}. */
  public static final String ID_PREFIX = "human-";

  /** Copies the maps, keeping their order (null stays null, for the validator to report). */
  public HumanSpec {
    biases = biases == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(biases));
    individuals = individuals == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(individuals));
    utility = utility == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(utility));
  }

  /** A pool judging by the world's utility. */
  public HumanSpec(int count, double accuracy, Map<String, Double> biases, double secondsPerLabel, double costPerHour,
                   double fatiguePerHour, double anchoring, Map<String, HumanOverride> individuals) {
    this(count, accuracy, biases, secondsPerLabel, costPerHour, fatiguePerHour, anchoring, individuals, null);
  }

  /** A pool whose labellers are all alike. */
  public HumanSpec(int count, double accuracy, Map<String, Double> biases, double secondsPerLabel, double costPerHour,
                   double fatiguePerHour, double anchoring) {
    this(count, accuracy, biases, secondsPerLabel, costPerHour, fatiguePerHour, anchoring, null);
  }

  /** The id of labeller {@code i}: {@code human-i}. */
  public static String id(int i) {
    return ID_PREFIX + i;
  }

  /**
   * Labeller {@code i}'s own parameters: the pool's, with its {@link #individuals} entry's fields in their place, and
   * no individuals (what its work items carry).
   */
  public HumanSpec forLabeller(int i) {
    HumanOverride o = individuals == null ? null : individuals.get(id(i));
    if (o == null) {
      return individuals == null ? this
          : new HumanSpec(count, accuracy, biases, secondsPerLabel, costPerHour, fatiguePerHour, anchoring, null,
              utility);
    }
    return new HumanSpec(count, o.accuracy() != null ? o.accuracy() : accuracy,
        o.biases() != null ? o.biases() : biases,
        o.secondsPerLabel() != null ? o.secondsPerLabel() : secondsPerLabel,
        o.costPerHour() != null ? o.costPerHour() : costPerHour,
        o.fatiguePerHour() != null ? o.fatiguePerHour() : fatiguePerHour,
        o.anchoring() != null ? o.anchoring() : anchoring, null, utility);
  }

  /** True when labeller {@code i} is {@link HumanOverride#absent}: it does no work. */
  public boolean absent(int i) {
    HumanOverride o = individuals == null ? null : individuals.get(id(i));
    return o != null && o.absent();
  }

  /**
   * 8 labellers, 90% accurate, unbiased, 30 s per label at 25 USD per hour, fatigue 0.02 per hour, anchoring 0.2, all
   * alike.
   */
  public static HumanSpec defaults() {
    return new HumanSpec(8, 0.9, Map.of(), 30, 25, 0.02, 0.2, null);
  }
}
