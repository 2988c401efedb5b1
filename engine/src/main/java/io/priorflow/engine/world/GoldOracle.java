package io.priorflow.engine.world;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth: scores any token sequence by the world's traits and a utility weight per trait,
 * utility = Σ_i weight_i · [trait i present]. Default weights are {@link WorldConfig#DEFAULT_UTILITY}
 * (correct 1, rare_correct 0.5, polite 0.2, toxic −1, hedge −0.1, verbose −0.1); extra traits carry their own.
 *
 * <p>No actor sees the oracle directly — labellers and critics have their own noisy, biased views; the
 * evaluator uses it to measure. Stateless and thread-safe.
 */
public final class GoldOracle {

  private final Traits traits;
  private final SequenceParser parser;
  private final double[] weights; // (traits), in registry order

  GoldOracle(Traits traits, SequenceParser parser, WorldConfig config) {
    this.traits = traits;
    this.parser = parser;
    this.weights = new double[traits.size()];
    for (int i = 0; i < traits.size(); i++) {
      String name = traits.get(i).name();
      weights[i] = i < Traits.DEFAULT_NAMES.size() ? config.utility().get(name)
          : config.extraTraits().get(i - Traits.DEFAULT_NAMES.size()).weight();
    }
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
    return new GoldScore(present, utility, p.isQuestion(), p.isQuestion() && p.rareEntity(), p.correct());
  }
}
