package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The labour arithmetic of a labelling stage, exactly: paid hours and dollars add over items, the makespan is the
 * busiest labeller's hours, and stages run one after the other. time.human_hours and cost.human_usd are these sums.
 */
class LabourCostTest {

  @Test
  void totalsAddAndTheMakespanIsTheBusiestLabeller() {
    // h-0 does two items (3600 s + 1800 s), h-1 one (2700 s)
    LabourCost c = LabourCost.of(List.of("h-0", "h-1", "h-0"), new long[] {10, 4, 6},
        new double[] {3600, 2700, 1800}, new double[] {25, 20, 12.5});
    assertEquals(20, c.labels());
    assertEquals(2.25, c.hours(), 1e-15);
    assertEquals(57.5, c.usd(), 1e-15);
    assertEquals(1.5, c.makespanHours(), 1e-15);
    assertEquals(Map.of("h-0", 1.5, "h-1", 0.75), c.hoursByLabeller());
    assertEquals(1.5, c.hoursOf("h-0"), 0.0);
    assertEquals(0.0, c.hoursOf("h-9"), 0.0);
  }

  @Test
  void stagesOneAfterTheOtherAddEverything() {
    LabourCost first = LabourCost.of(List.of("a", "b"), new long[] {1, 2}, new double[] {3600, 7200},
        new double[] {1, 2});
    LabourCost second = LabourCost.of(List.of("b", "c"), new long[] {3, 4}, new double[] {1800, 900},
        new double[] {4, 8});
    LabourCost both = first.then(second);
    assertEquals(10, both.labels());
    assertEquals(3.75, both.hours(), 1e-15);
    assertEquals(15.0, both.usd(), 1e-15);
    assertEquals(2.0 + 0.5, both.makespanHours(), 1e-15); // the second starts when the first ends
    assertEquals(Map.of("a", 1.0, "b", 2.5, "c", 0.25), both.hoursByLabeller());
    assertEquals(first, first.then(LabourCost.NONE));
    assertEquals(LabourCost.NONE, LabourCost.of(List.of(), new long[0], new double[0], new double[0]));
  }

  @Test
  void mismatchedArraysAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> LabourCost.of(List.of("a"), new long[] {1, 2}, new double[] {1}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> LabourCost.of(List.of("a"), new long[] {1}, new double[] {1, 2}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> LabourCost.of(List.of("a"), new long[] {1}, new double[] {1}, new double[0]));
  }
}
