package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The terminal summary's arrows: only where the interval of the change excludes 0, good or bad by direction. */
class SummaryTest {

  private static MetricsRow row(int gen, int rep, Map<String, Double> m) {
    return new MetricsRow("l", gen, "m" + gen + rep, rep, new TreeMap<>(), m);
  }

  private static String print(List<MetricsRow> rows, Map<String, Boolean> extra) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Summary.print(MetricsTable.of(rows), new PrintStream(b, true, StandardCharsets.UTF_8), List.of(), extra);
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String line(String out, String metric) {
    return out.lines().filter(l -> l.startsWith("  " + metric + " ")).findFirst().orElseThrow();
  }

  @Test
  void arrowsOnlyWhereTheIntervalExcludesZeroMarkedByDirection() {
    List<MetricsRow> rows = new ArrayList<>();
    double[] noise = {0.01, -0.02, 0.015, 0.0};
    for (int rep = 0; rep < 4; rep++) {
      rows.add(row(0, rep, Map.of("trait.toxic", 0.2, "trait.polite", 0.3, "knowledge.accuracy", 0.5,
          "kl.base", 0.0, "trait.gratitude", 0.1)));
      rows.add(row(3, rep, Map.of("trait.toxic", 0.4 + noise[rep], "trait.polite", 0.5 + noise[rep],
          "knowledge.accuracy", 0.5 + 3 * noise[rep], "kl.base", 2 + noise[rep], "trait.gratitude", 0.3 + noise[rep])));
    }
    String out = print(rows, Map.of("gratitude", true));
    assertTrue(out.contains("means over 4 replicates"), out);
    assertTrue(line(out, "trait.toxic").endsWith("↑ bad"), out);
    assertTrue(line(out, "trait.polite").endsWith("↑ good"), out);
    assertTrue(line(out, "trait.gratitude").endsWith("↑ good"), out);
    assertTrue(line(out, "kl.base").endsWith("↑"), out); // a drift: no verdict
    String acc = line(out, "knowledge.accuracy"); // changes of both signs: the interval holds 0, so no arrow
    assertTrue(!acc.contains("↑") && !acc.contains("↓") && acc.contains("["), acc);
    assertTrue(line(print(rows, Map.of()), "trait.gratitude").endsWith("↑"), "an extra trait without direction");
  }

  @Test
  void oneReplicateSaysThereIsNoIntervalAndDrawsNoArrow() {
    String out = print(List.of(row(0, 0, Map.of("trait.toxic", 0.2)), row(2, 0, Map.of("trait.toxic", 0.6))),
        Map.of());
    assertTrue(out.contains("One replicate: no interval"), out);
    String toxic = line(out, "trait.toxic");
    assertTrue(!toxic.contains("↑") && !toxic.contains("bad"), toxic);
    assertEquals("0.4000", toxic.trim().split(" +")[3], toxic);
  }
}
