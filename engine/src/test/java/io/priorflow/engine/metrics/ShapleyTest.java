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
  }
}
