package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgreementTest {

  /**
   * The worked example of Wikipedia's "Fleiss' kappa" article: 10 subjects, 14 raters each, 5 categories;
   * P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
   */
  private static final int[][] FLEISS_EXAMPLE = {
      {0, 0, 0, 0, 14},
      {0, 2, 6, 4, 2},
      {0, 0, 3, 5, 6},
      {0, 3, 9, 2, 0},
      {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0},
      {3, 2, 6, 3, 0},
      {2, 5, 3, 2, 2},
      {6, 5, 2, 1, 0},
      {0, 2, 2, 3, 7}};

  @Test
  void fleissKappaOfTheWorkedExampleIs0210() {
    assertEquals(0.210, Agreement.fleissKappa(FLEISS_EXAMPLE), 5e-4);
  }

  @Test
  void fleissReportGivesTheObservedAgreementOfTheWorkedExample() {
    int[][] labels = new int[FLEISS_EXAMPLE.length][];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = new int[14];
      int q = 0;
      for (int j = 0; j < 5; j++) for (int c = 0; c < FLEISS_EXAMPLE[i][j]; c++) labels[i][q++] = j;
    }
    Agreement.Report r = Agreement.of(labels, 5);
    assertEquals(10, r.items());
    assertEquals(14, r.raters());
    assertEquals(0.378, r.observed(), 5e-4);
    assertEquals(0.210, r.fleiss(), 5e-4);
    assertTrue(Double.isNaN(r.cohen()), "Cohen's kappa is for two raters");
  }

  /**
   * Wikipedia's "Cohen's kappa" examples: 50 grant proposals read by A and B. Yes/yes 20, A yes B no 5, A no B yes
   * 10, no/no 15: p_o = 0.7, p_e = 0.5, κ = 0.4. Then two tables with the same p_o = 0.6 but different marginals:
   * κ = 0.1304 and κ = 0.2593.
   */
  @Test
  void cohenKappaOfTheTextbookExamples() {
    assertEquals(0.4, Agreement.cohenKappa(new long[][] {{20, 5}, {10, 15}}), 1e-12);
    assertEquals(0.06 / 0.46, Agreement.cohenKappa(new long[][] {{45, 15}, {25, 15}}), 1e-12);
    assertEquals(0.1304, Agreement.cohenKappa(new long[][] {{45, 15}, {25, 15}}), 5e-5);
    assertEquals(0.2593, Agreement.cohenKappa(new long[][] {{25, 35}, {5, 35}}), 5e-5);
  }

  @Test
  void cohenKappaFromLabelsEqualsTheConfusionMatrixForm() {
    int[] a = new int[50], b = new int[50];
    int i = 0;
    for (int[] cell : new int[][] {{1, 1, 20}, {1, 0, 5}, {0, 1, 10}, {0, 0, 15}}) {
      for (int c = 0; c < cell[2]; c++, i++) {
        a[i] = cell[0];
        b[i] = cell[1];
      }
    }
    assertEquals(0.4, Agreement.cohenKappa(a, b, 2), 1e-12);
    int[][] pairs = new int[50][];
    for (int j = 0; j < 50; j++) pairs[j] = new int[] {a[j], b[j]};
    assertEquals(0.4, Agreement.of(pairs, 2).cohen(), 1e-12);
    assertEquals(0.7, Agreement.of(pairs, 2).observed(), 1e-12);
  }

  @Test
  void perfectAgreementIsOneAndAgreementOnOneCategoryIsUndefined() {
    assertEquals(1.0, Agreement.cohenKappa(new long[][] {{3, 0}, {0, 7}}), 1e-12);
    assertEquals(1.0, Agreement.fleissKappa(new int[][] {{3, 0}, {0, 3}, {3, 0}}), 1e-12);
    assertTrue(Double.isNaN(Agreement.cohenKappa(new long[][] {{10, 0}, {0, 0}})));
    assertTrue(Double.isNaN(Agreement.fleissKappa(new int[][] {{2, 0}, {2, 0}})));
  }

  @Test
  void systematicDisagreementIsNegative() {
    assertEquals(-1.0, Agreement.cohenKappa(new long[][] {{0, 5}, {5, 0}}), 1e-12);
  }

  @Test
  void rejectsRaggedInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Agreement.fleissKappa(new int[][] {{1, 1}, {2, 1}}));
    assertTrue(e.getMessage().contains("subject 1 has 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new int[] {0, 1}, new int[] {0}, 2));
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new int[] {0, 2}, new int[] {0, 1}, 2));
  }

  @Test
  void everyMalformedInputIsRejectedWithItsValues() {
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new long[][] {{1, 2}, {3}}));
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new long[][] {{1, -1}, {3, 4}}));
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new long[][] {{0, 0}, {0, 0}}));
    assertThrows(IllegalArgumentException.class, () -> Agreement.cohenKappa(new int[] {-1}, new int[] {0}, 2));
    assertThrows(IllegalArgumentException.class, () -> Agreement.fleissKappa(new int[0][]));
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> Agreement.fleissKappa(new int[][] {{1, 0}, {0, 1}}));
    assertTrue(one.getMessage().contains("subject 0 has 1"), one.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Agreement.fleissKappa(new int[][] {{2, 0}, {2, 0, 0}}));
    assertThrows(IllegalArgumentException.class, () -> Agreement.fleissKappa(new int[][] {{3, -1}, {1, 1}}));
    assertEquals("Every item needs 2 labels, like item 0; item 1 has 3.", assertThrows(IllegalArgumentException.class,
        () -> Agreement.of(new int[][] {{0, 1}, {0, 1, 1}}, 2)).getMessage());
    assertEquals("A label must be a category in [0, 1], was 2.",
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new int[][] {{0, 2}}, 2)).getMessage());
    // one label per item is no agreement at all: Fleiss' rule, not an index out of range
    assertThrows(IllegalArgumentException.class, () -> Agreement.of(new int[][] {{0}, {1}}, 2));
    // a category index just inside the range is fine
    assertEquals(1.0, Agreement.cohenKappa(new int[] {0, 1}, new int[] {0, 1}, 2), 0.0);
  }

  @Test
  void noItemsReportNothingAndSmallCasesHaveExactValues() {
    Agreement.Report none = Agreement.of(new int[0][], 2);
    assertEquals(0, none.items());
    assertEquals(0, none.raters());
    assertTrue(Double.isNaN(none.observed()) && Double.isNaN(none.fleiss()) && Double.isNaN(none.cohen()));
    // two raters on 4 items: agree on items 0, 1 (category 0) and 3 (category 1), disagree on item 2
    // Fleiss: P̄ = 3/4, p = (4/8, 4/8)... counts per category: 0 → 2+2+1 = 5, 1 → 0+0+1+2 = 3; P̄_e = (25 + 9)/64
    Agreement.Report r = Agreement.of(new int[][] {{0, 0}, {0, 0}, {0, 1}, {1, 1}}, 2);
    double pe = (25 + 9) / 64.0;
    assertEquals(0.75, r.observed(), 1e-15);
    assertEquals((0.75 - pe) / (1 - pe), r.fleiss(), 1e-15);
    // Cohen: rater 1 = 0,0,0,1 and rater 2 = 0,0,1,1: p_o = 3/4, p_e = ¾·½ + ¼·½ = ½, κ = ½
    assertEquals(0.5, r.cohen(), 1e-15);
    // three categories, three raters, a subject with all three categories contributes P_i = 0
    int[][] three = {{3, 0, 0}, {1, 1, 1}};
    double p0 = 4 / 6.0, p1 = 1 / 6.0, p2 = 1 / 6.0, pe3 = p0 * p0 + p1 * p1 + p2 * p2;
    assertEquals((0.5 - pe3) / (1 - pe3), Agreement.fleissKappa(three), 1e-15);
    // Cohen with three categories, marginals differing between the raters
    long[][] n = {{4, 1, 0}, {0, 3, 2}, {1, 0, 4}};
    double po = 11 / 15.0, pe2 = (5 * 5 + 5 * 4 + 5 * 6) / 225.0;
    assertEquals((po - pe2) / (1 - pe2), Agreement.cohenKappa(n), 1e-15);
  }

  /**
   * With the same number of raters on every item, the varying-raters generalisation is Fleiss' κ double for double
   * (the same arithmetic in the same order): on the worked example, the small cases above, Cohen's 50 proposals,
   * and 2000 random label sets of 1..40 items, 2..9 raters and 2..5 categories.
   */
  @Test
  void varyingRatersEqualsFleissBitForBitWhenEveryItemHasTheSameNumber() {
    int[][] worked = new int[FLEISS_EXAMPLE.length][];
    for (int i = 0; i < worked.length; i++) {
      worked[i] = new int[14];
      int q = 0;
      for (int j = 0; j < 5; j++) for (int c = 0; c < FLEISS_EXAMPLE[i][j]; c++) worked[i][q++] = j;
    }
    assertSameReport(Agreement.of(worked, 5), Agreement.ofVaryingRaters(worked, 5));
    assertEquals(Double.doubleToRawLongBits(Agreement.fleissKappa(FLEISS_EXAMPLE)),
        Double.doubleToRawLongBits(Agreement.fleissKappaOfVaryingRaters(FLEISS_EXAMPLE)));
    int[][] small = {{0, 0}, {0, 0}, {0, 1}, {1, 1}};
    assertSameReport(Agreement.of(small, 2), Agreement.ofVaryingRaters(small, 2));
    assertEquals(0.5, Agreement.ofVaryingRaters(small, 2).cohen(), 1e-15, "every item with two: Cohen's too");
    int[][] three = {{3, 0, 0}, {1, 1, 1}};
    assertEquals(Agreement.fleissKappa(three), Agreement.fleissKappaOfVaryingRaters(three), 0.0);
    int[][] oneCategory = {{2, 0}, {2, 0}};
    assertTrue(Double.isNaN(Agreement.fleissKappaOfVaryingRaters(oneCategory)));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(20240611L);
    for (int t = 0; t < 2000; t++) {
      int items = 1 + rng.nextInt(40), raters = 2 + rng.nextInt(8), categories = 2 + rng.nextInt(4);
      int[][] labels = new int[items][raters];
      for (int[] row : labels) {
        // skewed so that some sets agree a lot and some categories are rare
        int favourite = rng.nextInt(categories);
        double loyalty = rng.nextDouble();
        for (int k = 0; k < raters; k++) row[k] = rng.nextDouble() < loyalty ? favourite : rng.nextInt(categories);
      }
      assertSameReport(Agreement.of(labels, categories), Agreement.ofVaryingRaters(labels, categories));
    }
  }

  private static void assertSameReport(Agreement.Report fleiss, Agreement.Report varying) {
    assertEquals(fleiss.items(), varying.items());
    assertEquals(fleiss.raters(), varying.raters());
    assertEquals(Double.doubleToRawLongBits(fleiss.observed()), Double.doubleToRawLongBits(varying.observed()));
    assertEquals(Double.doubleToRawLongBits(fleiss.fleiss()), Double.doubleToRawLongBits(varying.fleiss()));
    assertEquals(Double.doubleToRawLongBits(fleiss.cohen()), Double.doubleToRawLongBits(varying.cohen()));
  }

  /**
   * By hand, five items with 3, 2, 2, 3 and 4 labels:
   * <pre>
   *   labels      n_i  n_i0 n_i1  P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1))
   *   0 0 0        3    3    0    6/6  = 1
   *   0 1          2    1    1    0/2  = 0
   *   1 1          2    0    2    2/2  = 1
   *   0 0 1        3    2    1    2/6  = 1/3
   *   1 0 1 1      4    1    3    6/12 = 1/2
   *   P̄ = (1 + 0 + 1 + 1/3 + 1/2) / 5 = 17/30;  p_0 = 7/14, p_1 = 7/14 (pooled), P̄_e = 1/2;  κ = (17/30 − 1/2) / (1/2) = 2/15
   * </pre>
   * Each alternative definition gives another number, so the test tells them apart: the share of all agreeing
   * rater pairs is 8/14 ≠ 17/30, and Gwet's π_0 (per-item shares averaged) is 0.4833 ≠ 1/2.
   */
  @Test
  void varyingRatersByHand() {
    int[][] labels = {{0, 0, 0}, {0, 1}, {1, 1}, {0, 0, 1}, {1, 0, 1, 1}};
    Agreement.Report r = Agreement.ofVaryingRaters(labels, 2);
    assertEquals(5, r.items());
    assertEquals(4, r.raters(), "the most labels any item has");
    assertEquals(17 / 30.0, r.observed(), 1e-15);
    assertEquals(2 / 15.0, r.fleiss(), 1e-15);
    assertTrue(Double.isNaN(r.cohen()), "Cohen's kappa is for two raters on every item");
    assertEquals(2 / 15.0, Agreement.fleissKappaOfVaryingRaters(new int[][] {{3, 0}, {1, 1}, {0, 2}, {2, 1}, {1, 3}}),
        1e-15);
    // three categories, unequal marginals: {0,0,1}: P = 2/6; {2,2}: 1; {0,1,2,2}: 2/12
    // pooled: p = (3/9, 2/9, 4/9), P̄_e = (9 + 4 + 16)/81 = 29/81; P̄ = (1/3 + 1 + 1/6)/3 = 1/2
    Agreement.Report c = Agreement.ofVaryingRaters(new int[][] {{0, 0, 1}, {2, 2}, {0, 1, 2, 2}}, 3);
    assertEquals(0.5, c.observed(), 1e-15);
    assertEquals((0.5 - 29 / 81.0) / (1 - 29 / 81.0), c.fleiss(), 1e-15);
    // every item with two labels: Cohen's κ of first against second, as of() gives it
    Agreement.Report two = Agreement.ofVaryingRaters(new int[][] {{0, 1}, {1, 1}, {0, 0}}, 2);
    assertEquals(Agreement.of(new int[][] {{0, 1}, {1, 1}, {0, 0}}, 2).cohen(), two.cohen(), 0.0);
  }

  /**
   * An item with fewer than two labels says nothing about agreement: rejected, as are labels outside the range and
   * rows of another number of categories; each message names what was expected.
   */
  @Test
  void varyingRatersRejectsItemsWithOneLabel() {
    assertEquals("Fleiss' kappa needs at least 2 ratings per subject, subject 1 has 1.",
        assertThrows(IllegalArgumentException.class,
            () -> Agreement.ofVaryingRaters(new int[][] {{0, 1, 1}, {0}}, 2)).getMessage());
    assertEquals("Fleiss' kappa needs at least 2 ratings per subject, subject 1 has 0.",
        assertThrows(IllegalArgumentException.class,
            () -> Agreement.ofVaryingRaters(new int[][] {{0, 1}, {}}, 2)).getMessage());
    assertEquals("Every subject needs ratings over 2 categories, like subject 0; subject 1 has 3 over 3.",
        assertThrows(IllegalArgumentException.class,
            () -> Agreement.fleissKappaOfVaryingRaters(new int[][] {{1, 1}, {1, 1, 1}})).getMessage());
    // Fleiss' own still names the number every subject needs
    assertEquals("Every subject needs 2 ratings over 2 categories, like subject 0; subject 1 has 3 over 2.",
        assertThrows(IllegalArgumentException.class,
            () -> Agreement.fleissKappa(new int[][] {{1, 1}, {2, 1}})).getMessage());
    assertEquals("A label must be a category in [0, 1], was 2.", assertThrows(IllegalArgumentException.class,
        () -> Agreement.ofVaryingRaters(new int[][] {{0, 1}, {0, 2, 1}}, 2)).getMessage());
    Agreement.Report none = Agreement.ofVaryingRaters(new int[0][], 2);
    assertEquals(0, none.items());
    assertTrue(Double.isNaN(none.fleiss()) && Double.isNaN(none.observed()));
  }
}
