package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Shapley values against hand-computed ones, and their defining properties. */
class ShapleyTest {
  private static MetricsRow row(String run, int replicate, double x) {
    SortedMap<String, String> p = new TreeMap<>();
    p.put("counterfactual", run);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("trait.verbose", x);
    return new MetricsRow("main", 1, "m", replicate, p, m);
  }

  @Test
  void twoPlayersSplitTheirInteractionEqually() {
    // v(∅) = 0.1, v({a}) = 0.4, v({b}) = 0.2, v({a, b}) = 0.9:
    // φ_a = ½(0.4 − 0.1) + ½(0.9 − 0.2) = 0.5,  φ_b = ½(0.2 − 0.1) + ½(0.9 − 0.4) = 0.3;  sum 0.8 = 0.9 − 0.1
    List<MetricsRow> rows = List.of(row("factual", 0, 0.9), row("a", 0, 0.2), row("b", 0, 0.4),
        row("a__b", 0, 0.1));
    Shapley s = Shapley.of(MetricsTable.of(rows), List.of("a", "b"), "__");
    assertEquals(0.5, s.get("main", 1, "a", "trait.verbose").value().mean(), 1e-12);
    assertEquals(0.3, s.get("main", 1, "b", "trait.verbose").value().mean(), 1e-12);
    assertEquals(0.9, s.get("main", 1, "a", "trait.verbose").factual(), 1e-12);
    assertEquals(0.1, s.get("main", 1, "a", "trait.verbose").none(), 1e-12);
  }

  @Test
  void threePlayersAreEfficientSymmetricAndGiveANullPlayerNothing() {
    // v(S) = 1 if a and b are both present (c never matters), for every replicate with an offset r/10
    List<MetricsRow> rows = new ArrayList<>();
    List<String> players = List.of("a", "b", "c");
    for (int r = 0; r < 3; r++) {
      for (int present = 0; present < 8; present++) {
        double v = ((present & 3) == 3 ? 1 : 0) + r / 10.0;
        rows.add(row(Shapley.runOf(players, present, "__"), r, v));
      }
    }
    Shapley s = Shapley.of(MetricsTable.of(rows), players, "__");
    assertEquals(0.5, s.get("main", 1, "a", "trait.verbose").value().mean(), 1e-12);
    assertEquals(0.5, s.get("main", 1, "b", "trait.verbose").value().mean(), 1e-12);
    assertEquals(0.0, s.get("main", 1, "c", "trait.verbose").value().mean(), 1e-12);
    assertEquals(3, s.get("main", 1, "a", "trait.verbose").value().n());
    assertEquals(0.0, s.get("main", 1, "a", "trait.verbose").value().sd(), 1e-12, "the offset cancels in pairs");
    assertEquals("factual", Shapley.runOf(players, 7, "__"));
    assertEquals("a__c", Shapley.runOf(players, 2, "__"));
  }

  @Test
  void aReplicateMissingARunIsLeftOut() {
    List<MetricsRow> rows = List.of(row("factual", 0, 0.9), row("a", 0, 0.2), row("b", 0, 0.4));
    assertNull(Shapley.of(MetricsTable.of(rows), List.of("a", "b"), "__").get("main", 1, "a", "trait.verbose"));
    // a replicate with a NaN in one of its runs is left out; the other replicate stands alone
    List<MetricsRow> nan = List.of(row("factual", 0, 0.9), row("a", 0, 0.2), row("b", 0, Double.NaN),
        row("a__b", 0, 0.1), row("factual", 1, 0.9), row("a", 1, 0.2), row("b", 1, 0.4), row("a__b", 1, 0.1));
    Shapley s = Shapley.of(MetricsTable.of(nan), List.of("a", "b"), "__");
    assertEquals(2, s.rows().size());
    assertEquals(1, s.get("main", 1, "a", "trait.verbose").value().n());
    assertEquals(0.5, s.get("main", 1, "a", "trait.verbose").value().mean(), 1e-12);
    List<MetricsRow> nanFactual = new ArrayList<>(nan);
    nanFactual.set(2, row("b", 0, 0.4));
    nanFactual.set(0, row("factual", 0, Double.NaN));
    assertEquals(0.9, Shapley.of(MetricsTable.of(nanFactual), List.of("a", "b"), "__").get("main", 1, "a",
        "trait.verbose").factual(), 1e-12, "a NaN factual value is left out of the mean");
    // a metric one of a replicate's runs lacks (not an ancestry share): that replicate is left out for it
    List<MetricsRow> lacking = new ArrayList<>(nan.subList(4, 8));
    lacking.set(1, row("a", 1, 0.2).withMetrics(Map.of("dpo.accuracy", 0.6)));
    assertNull(Shapley.of(MetricsTable.of(lacking), List.of("a", "b"), "__").get("main", 1, "a", "dpo.accuracy"));
  }

  /** The Shapley value by its definition: the mean over all n! orders of each player's marginal contribution. */
  private static double[] byOrders(double[] v, int n) {
    double[] phi = new double[n];
    java.util.List<java.util.List<Integer>> orders = new java.util.ArrayList<>();
    permute(new java.util.ArrayList<>(), n, orders);
    for (var order : orders) {
      int present = 0;
      for (int i : order) {
        phi[i] += (v[present | (1 << i)] - v[present]) / orders.size();
        present |= 1 << i;
      }
    }
    return phi;
  }

  private static void permute(java.util.List<Integer> prefix, int n, java.util.List<java.util.List<Integer>> out) {
    if (prefix.size() == n) {
      out.add(java.util.List.copyOf(prefix));
      return;
    }
    for (int i = 0; i < n; i++) {
      if (prefix.contains(i)) continue;
      prefix.add(i);
      permute(prefix, n, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  @Test
  void anAsymmetricGameMatchesTheDefinitionOverAllOrders() {
    // four players, v(S) an arbitrary function of the subset; two replicates whose games differ
    List<String> players = List.of("a", "b", "c", "d");
    List<MetricsRow> rows = new ArrayList<>();
    double[][] v = new double[2][16];
    for (int r = 0; r < 2; r++) {
      for (int present = 0; present < 16; present++) {
        v[r][present] = Math.sin(present * 1.7 + r) + 0.3 * Integer.bitCount(present) * (present & 5);
        rows.add(row(Shapley.runOf(players, present, "__"), r, v[r][present]));
      }
    }
    rows.add(new MetricsRow("main", 1, "m", 0, new TreeMap<>(), Map.of("trait.verbose", 9.0))); // no counterfactual
    Shapley s = Shapley.of(MetricsTable.of(rows), players, "__");
    double[] phi0 = byOrders(v[0], 4), phi1 = byOrders(v[1], 4);
    for (int i = 0; i < 4; i++) {
      Shapley.Row x = s.get("main", 1, players.get(i), "trait.verbose");
      assertEquals((phi0[i] + phi1[i]) / 2, x.value().mean(), 1e-12, players.get(i));
      assertEquals(2, x.value().n());
      assertEquals((v[0][15] + v[1][15]) / 2, x.factual(), 1e-12);
      assertEquals((v[0][0] + v[1][0]) / 2, x.none(), 1e-12);
    }
  }

  @Test
  void aPointWithoutItsFactualRunsHasNoValuesAndAMissingAncestryShareIsZero() {
    List<MetricsRow> rows = List.of(row("a", 0, 0.2), row("b", 0, 0.4), row("a__b", 0, 0.1));
    assertEquals(List.of(), Shapley.of(MetricsTable.of(rows), List.of("a", "b"), "__").rows());
    // ancestry: a source the factual run has and the removals lack counts as 0 there
    List<MetricsRow> anc = new ArrayList<>();
    for (String run : List.of("factual", "a", "b", "a__b")) {
      SortedMap<String, String> p = new TreeMap<>();
      p.put("counterfactual", run);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("trait.verbose", 0.5);
      if (run.equals("factual")) m.put("ancestry.human:h1", 0.2);
      anc.add(new MetricsRow("main", 1, "m", 0, p, m));
    }
    Shapley a = Shapley.of(MetricsTable.of(anc), List.of("a", "b"), "__");
    assertEquals(0.1, a.get("main", 1, "a", "ancestry.human:h1").value().mean(), 1e-12, "the 0.2 split evenly");
  }

  @Test
  void shapleyCsvHasOneRecordPerPlayerAndMetricWithTheSweepPoint() {
    List<MetricsRow> rows = new ArrayList<>();
    for (var e : Map.of("factual", 0.9, "a", 0.2, "b", 0.4, "a__b", 0.1).entrySet()) {
      SortedMap<String, String> p = new TreeMap<>();
      p.put("counterfactual", e.getKey());
      p.put("seed", "3");
      rows.add(new MetricsRow("main", 1, "m", 0, p, Map.of("trait.verbose", e.getValue())));
    }
    List<String> lines = Shapley.of(MetricsTable.of(rows), List.of("a", "b"), "__").format().lines().toList();
    assertEquals(List.of("lineage,generation,param.seed,player,metric,n,shapley,ci95_low,ci95_high,factual,none",
        "main,1,3,a,trait.verbose,1,0.5,NaN,NaN,0.9,0.1", "main,1,3,b,trait.verbose,1,0.3,NaN,NaN,"
        + "0.9,0.1"), lines);
  }
}
