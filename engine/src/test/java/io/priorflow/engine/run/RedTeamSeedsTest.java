package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * RedTeamRunner's seeds alone, apart from RedTeamStageRunTest: a test method added there takes the coverage of
 * its shared {@code @BeforeAll} run under PIT (README, Mutation testing) and hides what the run's checks kill.
 */
class RedTeamSeedsTest {
  /**
   * The red team's seeds for later generations are the latest SEEDS_KEPT prompts found, oldest first: past that
   * many the oldest go; at or below it every one stays (the method alone, at its edges;
   * RedTeamStageEdgesTest checks its call from a run that finds more than 256).
   */
  @Test
  void theSeedsKeptAreTheLatest256Found() {
    java.util.List<Integer> found = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) found.add(i);
    RedTeamRunner.keepLatest(found, LineageRun.SEEDS_KEPT);
    assertEquals(256, LineageRun.SEEDS_KEPT);
    assertEquals(java.util.stream.IntStream.range(44, 300).boxed().toList(), found);
    java.util.List<Integer> exactly = new java.util.ArrayList<>(found);
    RedTeamRunner.keepLatest(exactly, 256);
    assertEquals(found, exactly, "256 of 256: all kept");
    java.util.List<Integer> one = new java.util.ArrayList<>(java.util.List.of(7, 8, 9));
    RedTeamRunner.keepLatest(one, 2);
    assertEquals(java.util.List.of(8, 9), one, "one past: the oldest goes");
    java.util.List<Integer> few = new java.util.ArrayList<>(java.util.List.of(1, 2));
    RedTeamRunner.keepLatest(few, 256);
    assertEquals(java.util.List.of(1, 2), few, "fewer: all kept");
  }
}
