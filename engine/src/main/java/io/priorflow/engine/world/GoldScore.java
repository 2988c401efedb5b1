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
 * @param wrong        the response answers the question wrongly and without a hedge: a confident wrong answer,
 *                     which {@code utility.wrong} weighs ({@link GoldOracle})
 */
public record GoldScore(boolean[] traits, double utility, boolean question, boolean rareQuestion, boolean correct,
                        boolean wrong) {

  /** A verdict that is not a confident wrong answer. */
  public GoldScore(boolean[] traits, double utility, boolean question, boolean rareQuestion, boolean correct) {
    this(traits, utility, question, rareQuestion, correct, false);
  }

  /** True if the sequence has the i-th trait. */
  public boolean has(int traitIndex) {
    return traits[traitIndex];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoldScore g && Arrays.equals(g.traits, traits) && Double.compare(g.utility, utility) == 0
        && g.question == question && g.rareQuestion == rareQuestion && g.correct == correct && g.wrong == wrong;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(traits) + Double.hashCode(utility) + (question ? 4 : 0) + (rareQuestion ? 2 : 0)
        + (correct ? 1 : 0) + (wrong ? 8 : 0);
  }

  @Override
  public String toString() {
    return "GoldScore[traits=" + Arrays.toString(traits) + ", utility=" + utility + ", question=" + question
        + ", rareQuestion=" + rareQuestion + ", correct=" + correct + ", wrong=" + wrong + "]";
  }
}
