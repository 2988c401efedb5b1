package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OverlapTest {

  @Test
  void aFractionOfItemsGetsSeveralDistinctLabellers() {
    Overlap o = Overlap.assign(200, 5, 0.25, 3, new SplittableRandom(1));
    assertEquals(50, o.overlapped().size());
    for (int j = 0; j < 200; j++) {
      List<Integer> who = o.byItem().get(j);
      assertEquals(j % 5, who.get(0), "the primary labeller is round robin");
      assertTrue(who.size() == 1 || who.size() == 3);
      assertEquals(who.size(), new HashSet<>(who).size(), "distinct labellers");
      for (int h : who) assertTrue(o.byLabeller().get(h).contains(j));
    }
    int total = o.byLabeller().stream().mapToInt(List::size).sum();
    assertEquals(200 + 50 * 2, total);
    for (List<Integer> mine : o.byLabeller()) {
      for (int q = 1; q < mine.size(); q++) assertTrue(mine.get(q - 1) < mine.get(q), "labelled in item order");
    }
  }

  @Test
  void noOverlapIsPlainRoundRobinAndTheSameStreamGivesTheSamePlan() {
    Overlap none = Overlap.assign(10, 3, 0, 0, new SplittableRandom(1));
    assertEquals(List.of(0, 3, 6, 9), none.byLabeller().get(0));
    assertTrue(none.overlapped().isEmpty());
    assertEquals(Overlap.assign(100, 4, 0.3, 2, new SplittableRandom(9)),
        Overlap.assign(100, 4, 0.3, 2, new SplittableRandom(9)));
  }

  @Test
  void majorityBreaksTiesByTheFirstLabel() {
    assertEquals(1, Overlap.majority(new int[] {0, 1, 1}));
    assertEquals(0, Overlap.majority(new int[] {0, 1}));
    assertEquals(1, Overlap.majority(new int[] {1, 0}));
  }

  @Test
  void rejectsMoreRatersThanLabellers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Overlap.assign(10, 2, 0.5, 3, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("2..2 raters"), e.getMessage());
  }

  @Test
  void labourMakespanIsTheBusiestLabeller() {
    LabourCost c = LabourCost.of(List.of("h0", "h1", "h0"), new long[] {10, 10, 5}, new double[] {3600, 1800, 1800},
        new double[] {25, 12.5, 12.5});
    assertEquals(25, c.labels());
    assertEquals(2.0, c.hours(), 1e-12);
    assertEquals(50, c.usd(), 1e-12);
    assertEquals(1.5, c.makespanHours(), 1e-12);
    assertEquals(1.5, c.hoursOf("h0"), 1e-12);
    LabourCost twice = c.then(c);
    assertEquals(3.0, twice.makespanHours(), 1e-12);
    assertEquals(3.0, twice.hoursOf("h0"), 1e-12);
  }

  @Test
  void floydsChoiceIsUniformAndDistinct() {
    SplittableRandom rng = new SplittableRandom(17);
    int[] hits = new int[5];
    int draws = 40_000;
    for (int d = 0; d < draws; d++) {
      int[] c = Overlap.choose(5, 2, rng);
      assertEquals(2, c.length);
      assertTrue(c[0] < c[1], "distinct, ascending");
      for (int j : c) hits[j]++;
    }
    // each index is chosen with probability 2/5; SE of a share ≈ 0.0024
    for (int j = 0; j < 5; j++) {
      assertEquals(0.4, hits[j] / (double) draws, 0.012, "index " + j);
    }
    assertArrayEquals(new int[] {0, 1, 2, 3}, Overlap.choose(4, 4, rng));
    assertArrayEquals(new int[0], Overlap.choose(4, 0, rng));
  }

  @Test
  void theRangesOfTheParametersAreInclusiveWhereTheCommentSaysSo() {
    SplittableRandom rng = new SplittableRandom(3);
    // no items, one labeller, the whole range of fractions, raters = labellers
    assertEquals(0, Overlap.assign(0, 1, 0.5, 2, rng).byItem().size());
    Overlap all = Overlap.assign(6, 3, 1.0, 3, rng);
    for (List<Integer> who : all.byItem()) assertEquals(3, who.size());
    assertEquals(List.of(2, 0, 1), all.byItem().get(5), "primary 5 mod 3, then rotating");
    Overlap none = Overlap.assign(6, 1, 0.0, 1, rng);
    assertEquals(List.of(0, 1, 2, 3, 4, 5), none.byLabeller().get(0));
    assertTrue(none.overlapped().isEmpty());
    // rejected: negative items, no labellers, fractions outside [0, 1] or NaN, raters outside 2..L when overlapping
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(-1, 2, 0, 2, rng));
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(4, 0, 0, 2, rng));
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(4, 2, -0.1, 2, rng));
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(4, 2, 1.1, 2, rng));
    assertThrows(IllegalArgumentException.class,
        () -> Overlap.assign(4, 2, Double.NaN, 2, rng));
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(4, 2, 0.5, 1, rng));
    assertThrows(IllegalArgumentException.class, () -> Overlap.assign(4, 2, 0.5, 3, rng));
  }

  @Test
  void aMajorityTieGoesToTheFirstLabel() {
    assertEquals(1, Overlap.majority(new int[] {1, 0}));
    assertEquals(0, Overlap.majority(new int[] {0, 1, 1, 0}));
    assertEquals(1, Overlap.majority(new int[] {0, 1, 1}));
    assertEquals(2, Overlap.majority(new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> Overlap.majority(new int[0]));
  }

  /** Every labeller has its list, also one that gets no item (fewer items than labellers), and no more lists. */
  @Test
  void everyLabellerHasItsListEvenAnEmptyOne() {
    Overlap o = Overlap.assign(3, 5, 0, 2, new SplittableRandom(2));
    assertEquals(List.of(List.of(0), List.of(1), List.of(2), List.of(), List.of()), o.byLabeller());
    assertEquals(List.of(List.of(0), List.of(1), List.of(2)), o.byItem());
  }
}
