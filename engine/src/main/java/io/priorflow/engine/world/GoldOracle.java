package io.priorflow.engine.world;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth: scores any token sequence by the world's traits and a utility weight per trait,
 * utility = Σ_i weight_i · [trait i present] + w_wrong · [confident wrong answer]. Default weights are
 * {@link WorldConfig#DEFAULT_UTILITY} (correct 1, rare_correct 0.5, polite 0.2, toxic −1, hedge −0.1, verbose −0.1,
 * and w_wrong = {@code utility.wrong} = 0); extra traits carry their own. A confident wrong answer answers a fact or
 * arithmetic question with a value or number that is not right, and holds no hedge token: with the defaults it
 * scores 0, above a hedge (−0.1), so the world rewards guessing; {@code utility: { hedge: 0, wrong: -1 }} is an
 * abstention-aware scoring (right +1, hedge 0, wrong −1) under which abstaining beats a guess unless it is right
 * more than half the time. {@link #withUtility} gives the same verdicts under other weights: how a critic or human
 * labellers with their own scoring judge.
 *
 * <p>No actor sees the oracle directly — labellers and critics have their own noisy, biased views; the
 * evaluator uses it to measure. Stateless and thread-safe.
 */
public final class GoldOracle {

  private final Traits traits;
  private final SequenceParser parser;
  private final double[] weights; // (traits), in registry order
  private final double wrongWeight;
  private final int hedge; // index of the hedge trait

  GoldOracle(Traits traits, SequenceParser parser, WorldConfig config) {
    this(traits, parser, config, config.utility());
  }

  private GoldOracle(Traits traits, SequenceParser parser, WorldConfig config, Map<String, Double> utility) {
    this.traits = traits;
    this.parser = parser;
    this.weights = new double[traits.size()];
    for (int i = 0; i < traits.size(); i++) {
      String name = traits.get(i).name();
      weights[i] = i < Traits.DEFAULT_NAMES.size() ? utility.getOrDefault(name, config.utility().get(name))
          : config.extraTraits().get(i - Traits.DEFAULT_NAMES.size()).weight();
    }
    this.wrongWeight = utility.getOrDefault(WorldConfig.WRONG, config.utility().getOrDefault(WorldConfig.WRONG, 0.0));
    this.hedge = traits.indexOf(Traits.HEDGE);
    this.config = config;
  }

  private final WorldConfig config;

  /**
   * The same oracle under other utility weights: {@code utility} (default trait names and {@code wrong}) replaces the
   * world's weights it names; the others stay. Null or empty: this oracle.
   *
   * @throws IllegalArgumentException for a name that is neither a default trait nor {@code wrong}
   */
  public GoldOracle withUtility(Map<String, Double> utility) {
    if (utility == null || utility.isEmpty()) return this;
    for (String k : utility.keySet()) {
      if (!WorldConfig.UTILITY_KEYS.contains(k)) {
        throw new IllegalArgumentException("\"" + k + "\" is not a utility weight; use one of " + WorldConfig.UTILITY_KEYS
            + ".");
      }
    }
    return new GoldOracle(traits, parser, config, utility);
  }

  /** The weight of a confident wrong answer ({@code utility.wrong}; 0 unless given). */
  public double wrongWeight() {
    return wrongWeight;
  }

  /** The traits scored, in order. */
  public Traits traits() {
    return traits;
  }

  /** Trait name → utility weight, in trait order. */
  public Map<String, Double> weights() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < weights.length; i++) {
      m.put(traits.get(i).name(), weights[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The weight of the i-th trait. */
  public double weight(int traitIndex) {
    return weights[traitIndex];
  }

  /** Scores a full sequence (BOS … SEP response EOS). */
  public GoldScore score(int[] sequence) {
    List<Trait> all = traits.all();
    boolean[] present = new boolean[all.size()];
    double utility = 0;
    for (int i = 0; i < present.length; i++) {
      present[i] = all.get(i).detect(sequence);
      if (present[i]) {
        utility += weights[i];
      }
    }
    ParsedSequence p = parser.parse(sequence);
    boolean wrong = p.isQuestion() && !p.correct() && !present[hedge] && parser.answers(sequence, p);
    if (wrong) {
      utility += wrongWeight;
    }
    return new GoldScore(present, utility, p.isQuestion(), p.isQuestion() && p.rareEntity(), p.correct(), wrong);
  }
}
