package io.priorflow.engine.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The two diversity metrics over a list of responses (token ids, EOS already removed):
 * <pre>
 *   diversity.entropy   = −Σ_w (c_w/N) ln(c_w/N)     c_w = count of token w over all responses, N = Σ_w c_w
 *   diversity.distinct2 = |{distinct (a, b)}| / B     over adjacent pairs inside each response, B pairs in all
 * </pre>
 * Both pool the samples rather than average per response: a model that gives every prompt the same fluent
 * answer has high per-response diversity but low pooled diversity, and collapse is what these metrics watch for.
 * Both are NaN when there is nothing to count. Pure static functions.
 */
public final class Diversity {

  private Diversity() {}

  /**
   * Entropy in nats of the pooled unigram distribution, computed as Σ_w (c_w/N) ln(N/c_w) with the sum in
   * ascending token order, so the value does not depend on the order of the responses; every term is ≥ 0, and
   * one token type gives exactly 0.
   */
  public static double entropy(List<int[]> responses) {
    int maxToken = -1;
    for (int[] r : responses) {
      for (int t : r) {
        if (t < 0) {
          throw new IllegalArgumentException("Token ids must be ≥ 0, found " + t + ".");
        }
        maxToken = Math.max(maxToken, t);
      }
    }
    long[] counts = new long[maxToken + 1];
    long n = 0;
    for (int[] r : responses) {
      for (int t : r) {
        counts[t]++;
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        h += (c / (double) n) * Math.log(n / (double) c);
      }
    }
    return h;
  }

  /** Distinct bigrams over total bigrams, pairs taken within each response only. */
  public static double distinct2(List<int[]> responses) {
    Set<Long> distinct = new HashSet<>();
    long total = 0;
    for (int[] r : responses) {
      for (int i = 0; i + 1 < r.length; i++) {
        distinct.add(((long) r[i] << 32) | (r[i + 1] & 0xffffffffL));
        total++;
      }
    }
    return total == 0 ? Double.NaN : distinct.size() / (double) total;
  }
}
