package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Paired effects of interventions, against hand-computed values. */
class AttributionTest {
  private static MetricsRow row(String cf, int replicate, int generation, double x, String point) {
    SortedMap<String, String> p = new TreeMap<>();
    p.put("counterfactual", cf);
    if (point != null) p.put("actors.critics.temperature", point);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("trait.polite", x);
    m.put("labels.human", 100.0);
    return new MetricsRow("main", generation, "m", replicate, p, m);
  }

  private static Map<String, String> interventions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("without-human-1", "remove human-1");
    m.put("b-neutral", "neutralise humans.biases");
    return m;
  }

  @Test
  void theEffectIsTheMeanPairedDifferenceWithAPairedTInterval() {
    List<MetricsRow> rows = new ArrayList<>();
    double[] f = {0.50, 0.60, 0.70}, c = {0.30, 0.45, 0.40};
    for (int r = 0; r < 3; r++) {
      rows.add(row("factual", r, 1, f[r], null));
      rows.add(row("without-human-1", r, 1, c[r], null));
      rows.add(row("b-neutral", r, 1, f[r], null)); // no effect at all
    }
    Attribution a = Attribution.of(MetricsTable.of(rows), interventions());
    Attribution.Row x = a.get("main", 1, "without-human-1", "trait.polite");
    // d = 0.20, 0.15, 0.30: mean 0.2166…, sd = √(Σ(d − mean)² / 2) = √(0.011667 / 2)
    double mean = (0.20 + 0.15 + 0.30) / 3;
    double sd = Math.sqrt((Math.pow(0.20 - mean, 2) + Math.pow(0.15 - mean, 2) + Math.pow(0.30 - mean, 2)) / 2);
    double half = 4.302652729911275 * sd / Math.sqrt(3); // t_{0.975, 2}
    assertEquals(3, x.effect().n());
    assertEquals(mean, x.effect().mean(), 1e-12);
    assertEquals(mean - half, x.effect().ciLow(), 1e-9);
    assertEquals(mean + half, x.effect().ciHigh(), 1e-9);
    assertEquals(0.6, x.factual(), 1e-12);
    assertEquals((0.30 + 0.45 + 0.40) / 3, x.counterfactual(), 1e-12);
    // the interval of paired differences is far tighter than one of unpaired means would be
    Attribution.Row none = a.get("main", 1, "b-neutral", "trait.polite");
    assertEquals(0.0, none.effect().mean());
    assertEquals(0.0, none.effect().ciLow());
    assertEquals(0.0, none.effect().ciHigh());
    // interventions in the scenario's order, not alphabetical; one record per metric
    assertEquals(List.of("without-human-1", "without-human-1", "b-neutral", "b-neutral"),
        a.rows().stream().map(Attribution.Row::intervention).toList());
  }

  @Test
  void onlyReplicatesPresentInBothArePairedAndNaNIsLeftOut() {
    List<MetricsRow> rows = new ArrayList<>();
    rows.add(row("factual", 0, 2, 0.9, null));
    rows.add(row("factual", 1, 2, 0.8, null));
    rows.add(row("factual", 2, 2, Double.NaN, null));
    rows.add(row("without-human-1", 1, 2, 0.5, null)); // replicate 0 unfinished
    rows.add(row("without-human-1", 2, 2, 0.1, null));
    Attribution a = Attribution.of(MetricsTable.of(rows), interventions());
    Attribution.Row x = a.get("main", 2, "without-human-1", "trait.polite");
    assertEquals(1, x.effect().n());
    assertEquals(0.8 - 0.5, x.effect().mean(), 1e-12);
    assertEquals(0.8, x.factual(), 1e-12, "the NaN replicate is left out of the means too");
    assertEquals(0.5, x.counterfactual(), 1e-12);
    List<MetricsRow> cfNan = new ArrayList<>(rows);
    cfNan.set(4, row("without-human-1", 2, 2, Double.NaN, null));
    cfNan.set(2, row("factual", 2, 2, 0.7, null));
    assertEquals(0.5, Attribution.of(MetricsTable.of(cfNan), interventions()).get("main", 2, "without-human-1",
        "trait.polite").counterfactual(), 1e-12, "a NaN counterfactual value is left out too");
    assertTrue(Double.isNaN(x.effect().ciLow()), "one pair has no interval");
    assertNull(a.get("main", 2, "b-neutral", "trait.polite"), "no runs of it: no record");
    // an ancestry share a row lacks is 0, so removing a source shows its whole share
    MetricsRow f = row("factual", 0, 1, 0.5, null).withMetrics(Map.of("ancestry.human:h1", 0.25));
    MetricsRow onlyFactual = f.withMetrics(Map.of("dpo.accuracy", 0.7));
    Attribution b = Attribution.of(MetricsTable.of(List.of(onlyFactual, row("without-human-1", 0, 1, 0.5, null))),
        interventions());
    assertNull(b.get("main", 1, "without-human-1", "dpo.accuracy"), "a metric only one side has: no record");
    Attribution c = Attribution.of(MetricsTable.of(List.of(f, row("without-human-1", 0, 1, 0.5, null)
        .withMetrics(Map.of("dpo.accuracy", 0.7)))), interventions());
    assertNull(c.get("main", 1, "without-human-1", "dpo.accuracy"), "… whichever side it is");
    assertEquals(0.25, b.get("main", 1, "without-human-1", "ancestry.human:h1").effect().mean());
  }

  @Test
  void eachSweepPointIsPairedWithItsOwnFactualRunAndTheFileSaysSo() {
    List<MetricsRow> rows = new ArrayList<>();
    rows.add(row("factual", 0, 1, 0.9, "0"));
    rows.add(row("factual", 0, 1, 0.4, "1"));
    rows.add(row("without-human-1", 0, 1, 0.7, "0"));
    rows.add(row("without-human-1", 0, 1, 0.1, "1"));
    String csv = Attribution.of(MetricsTable.of(rows), interventions()).format();
    List<String> lines = csv.lines().toList();
    assertEquals("lineage,generation,param.actors.critics.temperature,intervention,description,metric,n,factual,"
        + "counterfactual,effect,ci95_low,ci95_high", lines.get(0));
    assertTrue(lines.contains("main,1,0,without-human-1,remove human-1,trait.polite,1,0.9,0.7,0.20000000000000007,NaN,NaN"),
        csv);
    assertTrue(lines.contains("main,1,1,without-human-1,remove human-1,trait.polite,1,0.4,0.1,0.30000000000000004,NaN,NaN"),
        csv);
    assertTrue(lines.contains("main,1,1,without-human-1,remove human-1,labels.human,1,100,100,0,NaN,NaN"), csv);
  }

  @Test
  void rowsWithoutACounterfactualOrWithoutTheirFactualRunAreNotPaired() {
    List<MetricsRow> rows = new ArrayList<>();
    rows.add(row("without-human-1", 0, 1, 0.3, null)); // its factual run has not finished
    rows.add(new MetricsRow("main", 1, "m", 0, new TreeMap<>(), Map.of("trait.polite", 0.9))); // a plain run's row
    assertEquals(List.of(), Attribution.of(MetricsTable.of(rows), interventions()).rows());
  }
}
