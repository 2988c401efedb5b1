package io.priorflow.engine.world;

import java.util.Arrays;

/**
 * How a trait is detected in a token sequence. The rules are few and closed so that {@link World} can compute
 * each one's true prevalence exactly; every rule looks at the response only (after SEP, before EOS).
 */
public sealed interface TraitRule {

  /** True if the sequence has the trait. */
  boolean test(int[] sequence);

  /**
   * The response contains at least one token of a set (toxic, polite and hedge markers; extra traits).
   *
   * @param mask mask[id] is true for the set's token ids, length = vocabulary size (owned; do not modify)
   */
  record ContainsAny(boolean[] mask) implements TraitRule {

    @Override
    public boolean test(int[] sequence) {
      int sep = SequenceParser.indexOf(sequence, Vocabulary.SEP, 0);
      if (sep < 0) {
        return false;
      }
      for (int j = sep + 1; j < sequence.length && sequence[j] != Vocabulary.EOS; j++) {
        if (sequence[j] >= 0 && sequence[j] < mask.length && mask[sequence[j]]) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ContainsAny c && Arrays.equals(c.mask, mask);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
      return "ContainsAny" + Arrays.toString(mask);
    }
  }

  /** The response has more than threshold tokens. */
  record Verbose(int threshold) implements TraitRule {

    @Override
    public boolean test(int[] sequence) {
      int sep = SequenceParser.indexOf(sequence, Vocabulary.SEP, 0);
      if (sep < 0) {
        return false;
      }
      int eos = SequenceParser.indexOf(sequence, Vocabulary.EOS, sep + 1);
      return (eos < 0 ? sequence.length : eos) - (sep + 1) > threshold;
    }
  }

  /** The response answers a fact or arithmetic prompt correctly ({@link SequenceParser}). */
  record Correct(SequenceParser parser) implements TraitRule {

    @Override
    public boolean test(int[] sequence) {
      return parser.parse(sequence).correct();
    }
  }

  /** The response answers a fact prompt about a rare entity correctly. */
  record RareCorrect(SequenceParser parser) implements TraitRule {

    @Override
    public boolean test(int[] sequence) {
      ParsedSequence p = parser.parse(sequence);
      return p.correct() && p.rareEntity();
    }
  }
}
