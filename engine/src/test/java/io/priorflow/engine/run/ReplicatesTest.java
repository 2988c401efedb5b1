package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Replicate seeds: replicate 0 is the scenario's seed, the others distinct, reproducible and documented. */
class ReplicatesTest {

  @Test
  void replicateZeroIsTheScenarioSeedAndTheOthersFollowTheDocumentedDerivation() {
    assertEquals(42L, Replicates.seed(42, 0));
    assertEquals(RandomStreams.derive(42, "replicate/1"), Replicates.seed(42, 1));
    assertEquals(RandomStreams.derive(-7, "replicate/9999"), Replicates.seed(-7, 9999));
    assertThrows(IllegalArgumentException.class, () -> Replicates.seed(42, -1));
  }

  @Test
  void seedsAreDistinctAndReproducible() {
    for (long base : new long[] {0, 1, 42, -1, Long.MIN_VALUE}) {
      Set<Long> seen = new HashSet<>();
      for (int r = 0; r < 10_000; r++) {
        long s = Replicates.seed(base, r);
        assertEquals(s, Replicates.seed(base, r), "reproducible");
        assertEquals(true, seen.add(s), "replicate " + r + " of seed " + base + " repeats a seed");
      }
    }
    // pinned: a change of the derivation would silently change every replicate of every run
    assertEquals(Replicates.seed(42, 1), RandomStreams.derive(42, "replicate/1"));
    assertEquals(PINNED_42_1, Replicates.seed(42, 1));
  }

  static final long PINNED_42_1 = -2825781750084609511L;

  @Test
  void namesArePaddedToSortInRunOrder() {
    assertEquals("r7", Replicates.name(0, -1, 7, 9));
    assertEquals("r007", Replicates.name(0, -1, 7, 199));
    assertEquals("p03-r0", Replicates.name(3, 11, 0, 4));
    assertEquals("p3-r12", Replicates.name(3, 5, 12, 12));
    assertEquals("p0-r3", Replicates.name(0, 0, 3, 3), "a sweep of one point (largest index 0) is still a sweep");
  }

  @Test
  void theGridRunsEveryPointOfAReplicateBeforeTheNextReplicate() {
    LoadedScenario l = ScenarioLoader.parse("seed: 3\nsweep:\n  lineages[0].generations: [1, 2]\n", "g.yaml",
        List.of());
    List<RunSpec> runs = RunSpec.grid(l.sweep(), List.of(0, 1), List.of(0, 1, 2), true);
    assertEquals(List.of("p0-r0", "p1-r0", "p0-r1", "p1-r1", "p0-r2", "p1-r2"),
        runs.stream().map(RunSpec::name).toList());
    assertEquals(new TreeMap<>(Map.of("lineages[0].generations", "2")), runs.get(3).params());
    LoadedScenario p1r2 = runs.get(5).scenario(l);
    assertEquals(Replicates.seed(3, 2), p1r2.scenario().seed());
    assertEquals(2, p1r2.scenario().lineages().get(0).generations());
    assertEquals("", RunSpec.grid(l.sweep(), List.of(1), List.of(4), false).get(0).name());
  }
}
