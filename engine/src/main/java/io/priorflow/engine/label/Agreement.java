package io.priorflow.engine.label;

/**
 * Chance-corrected agreement between labellers on categorical labels (categories 0..k−1).
 *
 * <pre>
 *   Cohen's κ, two raters over the same N items (Cohen 1960):
 *     n[a][b] = items rater 1 put in a and rater 2 in b
 *     p_o = Σ_a n[a][a] / N                                  observed agreement
 *     p_e = Σ_a (Σ_b n[a][b] / N) · (Σ_b n[b][a] / N)        agreement expected from each rater's own marginals
 *     κ   = (p_o − p_e) / (1 − p_e)
 *
 *   Fleiss' κ, N subjects each rated by the same number n ≥ 2 of raters, not necessarily the same people
 *   (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5)):
 *     n[i][j] = raters who put subject i in category j            Σ_j n[i][j] = n
 *     p_j  = Σ_i n[i][j] / (N n)                                  share of all ratings in category j
 *     P_i  = (Σ_j n[i][j]² − n) / (n (n − 1))                     agreeing rater pairs of subject i
 *     P̄    = Σ_i P_i / N,   P̄_e = Σ_j p_j²
 *     κ    = (P̄ − P̄_e) / (1 − P̄_e)
 * </pre>
 * Both are 1 for perfect agreement, 0 for agreement at chance level, negative below it. When the expected agreement
 * is already 1 (every label in one category) κ is undefined and these methods return NaN.
 */
public final class Agreement {

  private Agreement() {
  }

  /**
   * What a set of multiply-labelled items says about agreement.
   *
   * @param items    subjects with several labels
   * @param raters   labels per subject
   * @param observed P̄: the share of agreeing rater pairs, in [0, 1]
   * @param fleiss   Fleiss' κ over every subject
   * @param cohen    Cohen's κ of the first versus the second label of each subject (when raters = 2; else NaN)
   */
  public record Report(int items, int raters, double observed, double fleiss, double cohen) {
  }

  /** Cohen's κ from a k × k confusion matrix: {@code n[a][b]} items rater 1 put in a and rater 2 in b. */
  public static double cohenKappa(long[][] n) {
    int k = n.length;
    long total = 0;
    double[] rows = new double[k], cols = new double[k];
    long diagonal = 0;
    for (int a = 0; a < k; a++) {
      if (n[a].length != k) {
        throw new IllegalArgumentException("A confusion matrix must be square; row " + a + " has " + n[a].length
            + " entries, the matrix " + k + " rows.");
      }
      for (int b = 0; b < k; b++) {
        if (n[a][b] < 0) {
          throw new IllegalArgumentException("Counts must be ≥ 0, n[" + a + "][" + b + "] was " + n[a][b] + ".");
        }
        total += n[a][b];
        rows[a] += n[a][b];
        cols[b] += n[a][b];
      }
      diagonal += n[a][a];
    }
    if (total == 0) {
      throw new IllegalArgumentException("Cohen's kappa needs at least one item rated by both raters.");
    }
    double po = diagonal / (double) total;
    double pe = 0;
    for (int a = 0; a < k; a++) pe += (rows[a] / total) * (cols[a] / total);
    return kappa(po, pe);
  }

  /** Cohen's κ of two raters' labels of the same items, in categories 0..categories−1. */
  public static double cohenKappa(int[] rater1, int[] rater2, int categories) {
    if (rater1.length != rater2.length) {
      throw new IllegalArgumentException("Both raters must label the same items: rater 1 has " + rater1.length
          + " labels, rater 2 " + rater2.length + ".");
    }
    long[][] n = new long[categories][categories];
    for (int i = 0; i < rater1.length; i++) n[category(rater1[i], categories)][category(rater2[i], categories)]++;
    return cohenKappa(n);
  }

  /** Fleiss' κ from the subjects × categories count matrix {@code n[i][j]}; every row must have the same sum ≥ 2. */
  public static double fleissKappa(int[][] n) {
    return fleiss(n)[1];
  }

  /** {P̄, κ} of Fleiss' definition. */
  private static double[] fleiss(int[][] n) {
    if (n.length == 0) {
      throw new IllegalArgumentException("Fleiss' kappa needs at least one subject.");
    }
    int k = n[0].length;
    int raters = rowSum(n[0]);
    if (raters < 2) {
      throw new IllegalArgumentException("Fleiss' kappa needs at least 2 ratings per subject, subject 0 has "
          + raters + ".");
    }
    double[] p = new double[k];
    double pBar = 0;
    for (int i = 0; i < n.length; i++) {
      if (n[i].length != k || rowSum(n[i]) != raters) {
        throw new IllegalArgumentException("Every subject needs " + raters + " ratings over " + k
            + " categories, like subject 0; subject " + i + " has " + rowSum(n[i]) + " over " + n[i].length + ".");
      }
      long squares = 0;
      for (int j = 0; j < k; j++) {
        p[j] += n[i][j];
        squares += (long) n[i][j] * n[i][j];
      }
      pBar += (squares - raters) / (double) (raters * (raters - 1));
    }
    pBar /= n.length;
    double pe = 0;
    for (int j = 0; j < k; j++) {
      double pj = p[j] / ((double) n.length * raters);
      pe += pj * pj;
    }
    return new double[] {pBar, kappa(pBar, pe)};
  }

  /**
   * The agreement among several labels per item: {@code labels[i]} are the labels of item i (the same number, ≥ 2,
   * for every item), in categories 0..categories−1. Cohen's κ takes each item's first two labels as the two raters.
   */
  public static Report of(int[][] labels, int categories) {
    if (labels.length == 0) {
      return new Report(0, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    int raters = labels[0].length;
    int[][] counts = new int[labels.length][categories];
    int[] first = new int[labels.length], second = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i].length != raters) {
        throw new IllegalArgumentException("Every item needs " + raters + " labels, like item 0; item " + i
            + " has " + labels[i].length + ".");
      }
      for (int l : labels[i]) counts[i][category(l, categories)]++;
      first[i] = labels[i][0];
      second[i] = raters > 1 ? labels[i][1] : 0;
    }
    double[] f = fleiss(counts);
    double cohen = raters == 2 ? cohenKappa(first, second, categories) : Double.NaN;
    return new Report(labels.length, raters, f[0], f[1], cohen);
  }

  private static double kappa(double observed, double expected) {
    return expected >= 1 ? Double.NaN : (observed - expected) / (1 - expected);
  }

  private static int rowSum(int[] row) {
    int s = 0;
    for (int x : row) {
      if (x < 0) throw new IllegalArgumentException("Counts must be ≥ 0, found " + x + ".");
      s += x;
    }
    return s;
  }

  private static int category(int label, int categories) {
    if (label < 0 || label >= categories) {
      throw new IllegalArgumentException("A label must be a category in [0, " + (categories - 1) + "], was " + label
          + ".");
    }
    return label;
  }
}
