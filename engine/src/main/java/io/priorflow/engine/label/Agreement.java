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
 *
 *   Fleiss' κ with a varying number of raters, n_i ≥ 2 for subject i (missing ratings; the usual generalisation,
 *   e.g. Gwet, Handbook of Inter-Rater Reliability, 4th ed., ch. 2, for P̄; the chance agreement from the pooled
 *   ratings, as in Fleiss, Levin &amp; Paik, Statistical Methods for Rates and Proportions, 3rd ed., 18.2):
 *     P_i  = Σ_j n[i][j] (n[i][j] − 1) / (n_i (n_i − 1))           agreeing rater pairs of subject i, among its own
 *     P̄    = Σ_i P_i / N                                          each subject counts once, whatever its n_i
 *     p_j  = Σ_i n[i][j] / Σ_i n_i                                share of all ratings in category j
 *     P̄_e = Σ_j p_j²,   κ = (P̄ − P̄_e) / (1 − P̄_e)
 * </pre>
 * With the same n for every subject the generalisation is Fleiss' κ term for term (Σ_i n_i = N n; P_i is the same
 * expression), and computed in the same order it gives the same double. Under chance agreement every P_i has
 * expectation Σ_j π_j² whatever its n_i (pairs are drawn without replacement within a subject), so subjects that
 * lost a rater bias neither P̄ nor κ; they only carry fewer pairs. Weighting P_i by its n_i(n_i − 1)/2 pairs instead
 * would make P̄ the share of all agreeing pairs and give the fully rated subjects more say; averaging per-subject
 * shares for p_j (Gwet's π_k) would weight a rating of a sparsely rated subject more; neither is what Fleiss' own
 * definition reduces from, and only pooling reproduces its P̄_e bit for bit.
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
   * @param raters   labels per subject; where subjects have different numbers of labels, the most any has
   * @param observed P̄: the mean over subjects of the share of agreeing rater pairs, in [0, 1]
   * @param fleiss   Fleiss' κ over every subject (generalised to a varying number of raters where they vary)
   * @param cohen    Cohen's κ of the first versus the second label of each subject (when every subject has exactly
   *                 2; else NaN)
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
    return fleiss(n, true)[1];
  }

  /**
   * Fleiss' κ generalised to a varying number of ratings per subject (the class comment), from the subjects ×
   * categories count matrix {@code n[i][j]}; every row must sum to 2 or more. Equal to {@link #fleissKappa} where
   * every row has the same sum.
   */
  public static double fleissKappaOfVaryingRaters(int[][] n) {
    return fleiss(n, false)[1];
  }

  /**
   * {P̄, κ} of Fleiss' definition; with {@code sameRaters} false, of its generalisation to a varying number (≥ 2) of
   * ratings per subject (the class comment), which for equal numbers is the same arithmetic in the same order.
   */
  private static double[] fleiss(int[][] n, boolean sameRaters) {
    if (n.length == 0) {
      throw new IllegalArgumentException("Fleiss' kappa needs at least one subject.");
    }
    int k = n[0].length;
    int raters = rowSum(n[0]);
    double[] p = new double[k];
    double pBar = 0;
    long total = 0;
    for (int i = 0; i < n.length; i++) {
      int ni = rowSum(n[i]);
      if (n[i].length != k || sameRaters && ni != raters) {
        throw new IllegalArgumentException("Every subject needs " + (sameRaters ? raters + " ratings" : "ratings")
            + " over " + k + " categories, like subject 0; subject " + i + " has " + ni + " over " + n[i].length
            + ".");
      }
      if (ni < 2) {
        throw new IllegalArgumentException("Fleiss' kappa needs at least 2 ratings per subject, subject " + i
            + " has " + ni + ".");
      }
      long squares = 0;
      for (int j = 0; j < k; j++) {
        p[j] += n[i][j];
        squares += (long) n[i][j] * n[i][j];
      }
      pBar += (squares - ni) / (double) (ni * (ni - 1));
      total += ni;
    }
    pBar /= n.length;
    double pe = 0;
    for (int j = 0; j < k; j++) {
      double pj = p[j] / (double) total; // with n_i = n for all i, total = N n exactly: Fleiss' (N n)
      pe += pj * pj;
    }
    return new double[] {pBar, kappa(pBar, pe)};
  }

  /**
   * The agreement among several labels per item: {@code labels[i]} are the labels of item i (the same number, ≥ 2,
   * for every item), in categories 0..categories−1. Cohen's κ takes each item's first two labels as the two raters.
   */
  public static Report of(int[][] labels, int categories) {
    return report(labels, categories, true);
  }

  /**
   * The agreement among several labels per item when items have different numbers of labels, each at least 2 (an
   * item a rater was assigned but did not label keeps the others' labels): {@code labels[i]} are the labels of item
   * i, in categories 0..categories−1. P̄ and κ are Fleiss' generalised to a varying number of raters (the class
   * comment); where every item has the same number this is {@link #of}, double for double. Cohen's κ only where every
   * item has exactly 2 labels (else NaN); {@link Report#raters} is the most labels any item has.
   */
  public static Report ofVaryingRaters(int[][] labels, int categories) {
    return report(labels, categories, false);
  }

  private static Report report(int[][] labels, int categories, boolean sameRaters) {
    if (labels.length == 0) {
      return new Report(0, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    int raters = labels[0].length;
    boolean allTwo = true;
    int[][] counts = new int[labels.length][categories];
    int[] first = new int[labels.length], second = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (sameRaters && labels[i].length != raters) {
        throw new IllegalArgumentException("Every item needs " + raters + " labels, like item 0; item " + i
            + " has " + labels[i].length + ".");
      }
      raters = Math.max(raters, labels[i].length);
      allTwo &= labels[i].length == 2;
      for (int l : labels[i]) counts[i][category(l, categories)]++;
      first[i] = labels[i].length > 0 ? labels[i][0] : 0;
      second[i] = labels[i].length > 1 ? labels[i][1] : 0;
    }
    double[] f = fleiss(counts, sameRaters);
    double cohen = allTwo ? cohenKappa(first, second, categories) : Double.NaN;
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
