package io.priorflow.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/attribution.yaml, run as a researcher would (one generation, five replicates): counterfactual runs with
 * common random numbers attribute the students' verbosity to the one labeller biased toward it, and not to an
 * unbiased one; and the factual run of the batch is the plain scenario's run, number for number.
 */
class AttributionScenarioTest {
  @TempDir Path tmp;

  /** attribution.csv's record of (generation, intervention, metric): column name → text. */
  private static Map<String, String> record(List<String> lines, int generation, String intervention, String metric) {
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      if (cells[1].equals(Integer.toString(generation)) && cells[2].equals(intervention) && cells[4].equals(metric)) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < header.size(); i++) out.put(header.get(i), i < cells.length ? cells[i] : "");
        return out;
      }
    }
    throw new AssertionError("no record " + generation + "/" + intervention + "/" + metric);
  }

  private static double num(Map<String, String> r, String column) {
    return Double.parseDouble(r.get(column));
  }

  @Test
  void theBiasedLabellerCausesTheTraitAndAnUnbiasedOneDoesNot() throws Exception {
    Path file = Path.of("attribution.yaml");
    Path out = tmp.resolve("run");
    assertEquals(0, Main.execute("run", file.toString(), "--out", out.toString(), "--replicates", "5",
        "--set", "lineages[0].generations=1"));
    List<String> lines = Files.readAllLines(out.resolve("attribution.csv"));

    Map<String, String> biased = record(lines, 1, "without-human-1", "trait.verbose");
    assertEquals("5", biased.get("n"));
    assertTrue(num(biased, "effect") > 0.15 && num(biased, "ci95_low") > 0, "human-1's labels raise verbosity: "
        + biased);
    Map<String, String> bias = record(lines, 1, "neutral-human-1.biases", "trait.verbose");
    assertTrue(num(bias, "ci95_low") > 0, "and it is its bias that does: " + bias);
    Map<String, String> unbiased = record(lines, 1, "without-human-2", "trait.verbose");
    assertTrue(Math.abs(num(unbiased, "effect")) < num(biased, "effect") / 3
        && num(unbiased, "ci95_low") < 0 && num(unbiased, "ci95_high") > 0, "an unbiased labeller: " + unbiased);

    // where the counterfactual says human-1 matters, ancestry must not call it negligible (Ancestry's Javadoc);
    // removing it takes its preference labels out of the students' signal
    Map<String, String> share = record(lines, 1, "without-human-1", "ancestry.human:human-1");
    assertTrue(num(share, "factual") > 0.01 && num(share, "counterfactual") == 0, share.toString());

    // generation 0 is the shared base: every intervention's effect there is exactly 0
    assertEquals(0.0, num(record(lines, 0, "without-human-1", "trait.verbose"), "effect"));
    // a removed labeller's share goes unlabelled: a quarter of the 400 pairs, each pair labelled once
    Map<String, String> labels = record(lines, 1, "without-human-1", "labels.human");
    assertEquals(400.0, num(labels, "factual"));
    assertEquals(100.0, num(labels, "effect"));
    assertEquals(0.0, num(record(lines, 1, "neutral-human-1.biases", "labels.human"), "effect"));

    // Shapley values over the two players add up to factual − both removed, and human-1's is the larger
    List<String> shapley = Files.readAllLines(out.resolve("shapley.csv"));
    double one = 0, two = 0, all = 0, none = 0;
    for (String line : shapley.subList(1, shapley.size())) {
      String[] c = line.split(",");
      if (!c[1].equals("1") || !c[3].equals("trait.verbose")) continue;
      if (c[2].equals("without-human-1")) one = Double.parseDouble(c[5]);
      if (c[2].equals("without-human-2")) two = Double.parseDouble(c[5]);
      all = Double.parseDouble(c[8]);
      none = Double.parseDouble(c[9]);
    }
    assertEquals(all - none, one + two, 1e-9, shapley.get(0));
    assertTrue(one > 0.15 && Math.abs(two) < one / 2, "human-1 " + one + ", human-2 " + two);

    // the report's "what caused what": trait.verbose by generation, human-1's effect marked as sure (bold)
    String report = Files.readString(out.resolve("report.html"));
    int section = report.indexOf("<section id=\"attribution\">");
    assertTrue(section > 0, "the report has a what-caused-what section");
    int table = report.indexOf("<b>trait.verbose</b> in prefer", section);
    assertTrue(table > 0, report.substring(section, Math.min(report.length(), section + 3000)));
    String row = report.substring(report.indexOf("<tr><th>g1</th>", table), report.indexOf("</tr>",
        report.indexOf("<tr><th>g1</th>", table)));
    String effect = String.format(java.util.Locale.ROOT, "%+.3f", num(biased, "effect"));
    assertTrue(row.contains("<b>" + effect.substring(0, 4)), row + " should mark " + effect);

    // the batch's factual run is the scenario without its counterfactuals, number for number
    String text = Files.readString(file);
    Path plain = tmp.resolve("plain.yaml");
    Files.writeString(plain, text.substring(0, text.indexOf("\ncounterfactuals:") + 1));
    Path alone = tmp.resolve("alone");
    assertEquals(0, Main.execute("run", plain.toString(), "--out", alone.toString(), "--replicate", "3",
        "--set", "lineages[0].generations=1"));
    List<String> factual = Files.readAllLines(out.resolve("runs/r3-factual/metrics.csv"));
    List<String> single = Files.readAllLines(alone.resolve("metrics.csv"));
    assertEquals(single.size(), factual.size());
    int col = List.of(factual.get(0).split(",")).indexOf("param.counterfactual");
    assertTrue(col > 0, factual.get(0));
    for (int i = 0; i < single.size(); i++) {
      List<String> f = new java.util.ArrayList<>(List.of(factual.get(i).split(",", -1)));
      f.remove(col);
      assertEquals(single.get(i), String.join(",", f), "row " + i);
    }
  }
}
