package io.priorflow.engine.scenario;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" for misspelt keys and values: the closest known word by edit distance, or by prefix. */
final class Suggest {
  private Suggest() {}

  /**
   * The candidate closest to {@code word}, ignoring case: within edit distance 2 (and less than half the longer
   * word, so "lr" does not suggest "by"), or one a prefix of the other with at least 3 characters. Ties go to the
   * earlier candidate.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      String lc = c.toLowerCase(Locale.ROOT);
      int d = distance(w, lc);
      boolean close = d <= 2 && 2 * d < Math.max(w.length(), lc.length());
      boolean prefix = Math.min(w.length(), lc.length()) >= 3 && (lc.startsWith(w) || w.startsWith(lc));
      if ((close || prefix) && (prefix && !close ? 3 : d) < bestDistance) {
        best = c;
        bestDistance = prefix && !close ? 3 : d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** " (did you mean \"x\"?)" or "". */
  static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
  }

  /** Levenshtein distance (Commons Text): insertions, deletions and substitutions each cost 1. */
  static int distance(String a, String b) {
    return LevenshteinDistance.getDefaultInstance().apply(a, b);
  }
}
