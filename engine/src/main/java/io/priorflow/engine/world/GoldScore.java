package io.priorflow.engine.world;

import java.util.Arrays;

/**
 * The gold oracle's verdict on one sequence.
 *
 * @param traits       traits[i] is true if the sequence has the i-th trait of the world's {@link Traits}
 *                     (owned by this record; do not modify)
 * @param utility      Σ_i weight_i · [trait i present]
 * @param question     the prompt is a well-formed fact or arithmetic question (counts for knowledge.accuracy)
 * @param rareQuestion the prompt asks about a rare entity (counts for knowledge.rare_accuracy)
 * @param correct      the response answers the question correctly
 */
public record GoldScore(boolean[] traits, double utility, boolean question, boolean rareQuestion, boolean correct) {

  /** True if the sequence has the i-th trait. */
  public boolean has(int traitIndex) {
    return traits[traitIndex];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoldScore g && Arrays.equals(g.traits, traits) && Double.compare(g.utility, utility) == 0
        && g.question == question && g.rareQuestion == rareQuestion && g.correct == correct;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(traits) + Double.hashCode(utility) + (question ? 4 : 0) + (rareQuestion ? 2 : 0)
        + (correct ? 1 : 0);
  }

  @Override
  public String toString() {
    return "GoldScore[traits=" + Arrays.toString(traits) + ", utility=" + utility + ", question=" + question
        + ", rareQuestion=" + rareQuestion + ", correct=" + correct + "]";
  }
}
