package io.priorflow.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataPoliciesTest {

  private static final String M0 = TestData.modelId("M0");
  private static final String M1 = TestData.modelId("M1");

  /** Generation 0's world data, then the new data of generations 1 and 2. */
  private static final Dataset W0 = Dataset.of("g0/train", "world", TestData.world("g0/world", 30, 5, 0));
  private static final Dataset N1 = Dataset.of("g1/new", "g1/generate", TestData.generated("g1/gen", 20, 5, M0, 1));
  private static final Dataset N2 = Dataset.of("g2/new", "g2/generate", TestData.generated("g2/gen", 20, 5, M1, 2));

  private static Set<String> ids(Dataset ds) {
    Set<String> s = new HashSet<>();
    ds.data().forEach(d -> s.add(d.id()));
    return s;
  }

  private static Set<String> union(Dataset... sets) {
    Set<String> s = new HashSet<>();
    for (Dataset ds : sets) {
      s.addAll(ids(ds));
    }
    return s;
  }

  @Test
  void replaceKeepsOnlyTheNewData() {
    Dataset t = DataPolicies.next("g2/train", List.of(W0, N1), N2, FreshData.none(), DataPolicyParams.replace(),
        new SplittableRandom(1));
    assertEquals(N2.data(), t.data());
    assertEquals(List.of(new Transform("replace", List.of("g2/new"), Map.of())), t.lineage().transforms());
    assertEquals("policy", t.lineage().source());
  }

  @Test
  void accumulateKeepsEverythingOnceWhateverTheHistoryOrder() {
    Dataset t1 = DataPolicies.next("g1/train", List.of(W0), N1, FreshData.none(), DataPolicyParams.accumulate(),
        new SplittableRandom(1));
    // Passing the previous training set as well as its parts counts every datum once.
    Dataset t2 = DataPolicies.next("g2/train", List.of(t1, W0, N1), N2, FreshData.none(),
        DataPolicyParams.accumulate(), new SplittableRandom(1));
    Dataset t2b = DataPolicies.next("g2/train", List.of(N1, W0), N2, FreshData.none(),
        DataPolicyParams.accumulate(), new SplittableRandom(99));
    assertEquals(union(W0, N1, N2), ids(t2));
    assertEquals(70, t2.size());
    assertEquals(t2.data(), t2b.data());
    assertEquals(t2.lineage().sha256(), t2b.lineage().sha256());
    assertEquals(List.of("g1/train", "g0/train", "g1/new", "g2/new"), t2.lineage().transforms().get(0).inputs());
  }

  @Test
  void subsampleHasExactlyTheSizeIsReproducibleAndDependsOnTheSeed() {
    DataPolicyParams p = DataPolicyParams.subsample(25);
    Dataset a = DataPolicies.next("g2/train", List.of(W0, N1), N2, FreshData.none(), p, new SplittableRandom(7));
    Dataset b = DataPolicies.next("g2/train", List.of(N1, W0), N2, FreshData.none(), p, new SplittableRandom(7));
    Dataset c = DataPolicies.next("g2/train", List.of(W0, N1), N2, FreshData.none(), p, new SplittableRandom(8));
    assertEquals(25, a.size());
    assertEquals(a.data(), b.data()); // the lineage lists the inputs in the caller's order
    assertEquals(a.lineage().sha256(), b.lineage().sha256());
    assertNotEquals(ids(a), ids(c));
    assertTrue(union(W0, N1, N2).containsAll(ids(a)));
    assertEquals(Map.of("size", "25"), a.lineage().transforms().get(0).params());
    // A pool smaller than the size is kept whole.
    assertEquals(70, DataPolicies.next("t", List.of(W0, N1), N2, FreshData.none(), DataPolicyParams.subsample(500),
        new SplittableRandom(7)).size());
  }

  @Test
  void subsampleIsUniform() {
    // Pool of 20, k = 5, 20 000 draws: each datum's inclusion count ~ Binomial(20000, 1/4), mean 5000,
    // sd = sqrt(20000 · 1/4 · 3/4) = 61.2. Every count within 4.5 sd; chi-square over the 20 counts (19 df) below
    // 43.8, its 0.999 quantile. Pairs: each of the 190 pairs is in P = (5·4)/(20·19) = 1/19 of the draws.
    Dataset pool = Dataset.of("pool", "test", TestData.world("p", 20, 3, 0));
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      index.put(pool.data().get(i).id(), i);
    }
    int trials = 20_000;
    int[] counts = new int[20];
    int[][] pairs = new int[20][20];
    SplittableRandom seeds = new SplittableRandom(2024);
    for (int t = 0; t < trials; t++) {
      Dataset s = DataPolicies.next("s", List.of(), pool, FreshData.none(), DataPolicyParams.subsample(5),
          new SplittableRandom(seeds.nextLong()));
      List<Integer> in = new ArrayList<>();
      s.data().forEach(d -> in.add(index.get(d.id())));
      for (int i : in) {
        counts[i]++;
        for (int j : in) {
          if (i < j) {
            pairs[i][j]++;
          }
        }
      }
    }
    double mean = trials * 0.25, sd = Math.sqrt(trials * 0.25 * 0.75), chi2 = 0;
    for (int c : counts) {
      assertTrue(Math.abs(c - mean) < 4.5 * sd, "inclusion count " + c + " vs " + mean);
      chi2 += (c - mean) * (c - mean) / mean;
    }
    assertTrue(chi2 < 43.8, "chi-square " + chi2);
    double pairMean = trials / 19.0, pairSd = Math.sqrt(trials * (1 / 19.0) * (18 / 19.0));
    for (int i = 0; i < 20; i++) {
      for (int j = i + 1; j < 20; j++) {
        assertTrue(Math.abs(pairs[i][j] - pairMean) < 4.5 * pairSd, "pair " + i + "," + j + ": " + pairs[i][j]);
      }
    }
  }

  @Test
  void freshFractionReplacesThatShareOfTheTrainingSetWithWorldData() {
    World world = World.defaults();
    FreshData fresh = WorldData.fresh(world, "g2/fresh", 2);
    // accumulate: n = 70, m = round(0.1 · 70) = 7 fresh, 63 earlier data.
    Dataset t = DataPolicies.next("g2/train", List.of(W0, N1), N2, fresh,
        DataPolicyParams.accumulate().withFreshFraction(0.1), new SplittableRandom(3));
    assertEquals(70, t.size());
    List<Datum> freshData = t.data().stream().filter(d -> d.id().startsWith("g2/fresh/")).toList();
    assertEquals(7, freshData.size());
    for (Datum d : freshData) {
      assertEquals(Provenance.world(2), d.provenance());
    }
    assertTrue(union(W0, N1, N2).containsAll(ids(t).stream().filter(id -> !id.startsWith("g2/fresh/")).toList()));
    assertEquals(Transform.of("fresh", Map.of("count", "7", "fraction", "0.1")), t.lineage().transforms().get(1));
    // subsample 25 with a quarter fresh: round(6.25) = 6 fresh, 19 drawn, size still 25.
    Dataset s = DataPolicies.next("g2/train", List.of(W0, N1), N2, fresh,
        DataPolicyParams.subsample(25).withFreshFraction(0.25), new SplittableRandom(3));
    assertEquals(25, s.size());
    assertEquals(6, s.data().stream().filter(d -> d.id().startsWith("g2/fresh/")).count());
    // replace 20 with 0.5 fresh: 10 and 10.
    Dataset r = DataPolicies.next("g2/train", List.of(), N2, fresh,
        DataPolicyParams.replace().withFreshFraction(0.5), new SplittableRandom(3));
    assertEquals(10, r.data().stream().filter(d -> d.id().startsWith("g2/gen/")).count());
    assertEquals(10, r.data().stream().filter(d -> d.id().startsWith("g2/fresh/")).count());
  }

  @Test
  void freshDataDoNotShiftTheSampleAndAreReproducible() {
    World world = World.defaults();
    DataPolicyParams p = DataPolicyParams.accumulate().withFreshFraction(0.2);
    Dataset a = DataPolicies.next("t", List.of(W0, N1), N2, WorldData.fresh(world, "f", 2), p, new SplittableRandom(11));
    Dataset b = DataPolicies.next("t", List.of(W0, N1), N2, WorldData.fresh(world, "f", 2), p, new SplittableRandom(11));
    assertEquals(a, b);
    // A supplier that draws nothing random gives the same earlier-data sample: the streams are split first.
    FreshData constant = (count, rng) -> TestData.world("f", count, 2, 2);
    Dataset c = DataPolicies.next("t", List.of(W0, N1), N2, constant, p, new SplittableRandom(11));
    assertEquals(a.data().stream().map(Datum::id).filter(id -> !id.startsWith("f/")).toList(),
        c.data().stream().map(Datum::id).filter(id -> !id.startsWith("f/")).toList());
  }

  @Test
  void freshCountRoundsHalvesUp() {
    assertEquals(0, DataPolicies.freshCount(100, 0));
    assertEquals(7, DataPolicies.freshCount(70, 0.1));
    assertEquals(1, DataPolicies.freshCount(10, 0.05)); // 0.5 rounds up
    assertEquals(0, DataPolicies.freshCount(0, 0.5));
  }

  @Test
  void rejectsConflictingIdsAndMiscountingSuppliers() {
    Dataset clash = Dataset.of("clash", "test", TestData.generated("g0/world", 1, 9, M0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataPolicies.next("t",
        List.of(W0), clash, FreshData.none(), DataPolicyParams.accumulate(), new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("g0/world/0"), e.getMessage());
    FreshData short1 = (count, rng) -> TestData.world("f", count - 1, 2, 2);
    assertThrows(IllegalArgumentException.class, () -> DataPolicies.next("t", List.of(), N2, short1,
        DataPolicyParams.replace().withFreshFraction(0.5), new SplittableRandom(1)));
    assertThrows(IllegalStateException.class, () -> DataPolicies.next("t", List.of(), N2, FreshData.none(),
        DataPolicyParams.replace().withFreshFraction(0.5), new SplittableRandom(1)));
  }
}
