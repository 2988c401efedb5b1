package io.priorflow.engine.train;

import java.util.Arrays;

/**
 * Preference pairs as indices into a list of sequences: pair p says sequence {@code chosen[p]} was preferred to
 * sequence {@code rejected[p]} (usually two responses to one prompt). A sequence may appear in several pairs.
 */
public record PreferencePairs(int[] chosen, int[] rejected) {
  public PreferencePairs {
    if (chosen == null || rejected == null) throw new IllegalArgumentException("chosen and rejected must not be null");
    if (chosen.length != rejected.length) {
      throw new IllegalArgumentException(chosen.length + " chosen but " + rejected.length + " rejected indices");
    }
    if (chosen.length == 0) throw new IllegalArgumentException("there must be at least one preference pair");
    chosen = chosen.clone();
    rejected = rejected.clone();
  }

  public int size() { return chosen.length; }

  public int chosen(int p) { return chosen[p]; }

  public int rejected(int p) { return rejected[p]; }

  /** Checks every index against the number of sequences. */
  public void checkAgainst(int sequences) {
    for (int p = 0; p < chosen.length; p++) {
      if (chosen[p] < 0 || chosen[p] >= sequences || rejected[p] < 0 || rejected[p] >= sequences) {
        throw new IllegalArgumentException("preference pair " + p + " is (" + chosen[p] + ", " + rejected[p]
            + "), but there are " + sequences + " sequences");
      }
    }
  }

  @Override
  public int[] chosen() { return chosen.clone(); }

  @Override
  public int[] rejected() { return rejected.clone(); }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreferencePairs p && Arrays.equals(p.chosen, chosen) && Arrays.equals(p.rejected, rejected);
  }

  @Override
  public int hashCode() { return 31 * Arrays.hashCode(chosen) + Arrays.hashCode(rejected); }

  @Override
  public String toString() { return "PreferencePairs[" + chosen.length + " pairs]"; }
}
