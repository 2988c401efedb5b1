package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.analytic.GaussianCollapseLaws;
import io.priorflow.engine.analytic.VarianceEstimator;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import io.priorflow.engine.run.Replicates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replicates and sweeps through the command line: the law of the Gaussian world, runs equal to runs alone, errors. */
class BatchCommandTest {
  /** The quickstart, tiny: a run takes about a second. */
  static final List<String> TINY = List.of(
      "--set", "lineages[0].generations=1",
      "--set", "lineages[0].base.pretrainExamples=400",
      "--set", "lineages[0].base.epochs=1",
      "--set", "lineages[0].stages[0].samples=120",
      "--set", "lineages[0].stages[2].sample=12",
      "--set", "training.epochs=1",
      "--set", "evaluation.prompts=20",
      "--set", "evaluation.samplesPerPrompt=1");

  @TempDir Path tmp;
  @RegisterExtension final CapturedOutput io = new CapturedOutput();


  static Path scenario(String name) {
    return Path.of(System.getProperty("user.dir")).resolve("../scenarios/" + name);
  }

  private int run(String scenario, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("run", scenario(scenario).toString()));
    args.addAll(extra);
    return Main.execute(args.toArray(String[]::new));
  }

  private String err() {
    return io.err();
  }

  /**
   * Shumailov et al.'s Gaussian, refitted by maximum likelihood on N = 20 of its own samples per generation: over
   * 200 replicates, the mean fitted variance of every generation is within 3 standard errors of the exact law
   * E[σ²_n] = σ²((N − 1)/N)^n, and the mean fitted mean within 3 standard errors of μ = 0.
   */
  @Test
  void theGaussianWorldReproducesItsCollapseLawOver200Replicates() throws Exception {
    Path dir = tmp.resolve("g");
    assertEquals(0, run("gaussian-collapse.yaml", List.of("--replicates", "200", "--parallel", "2", "--out",
        dir.toString())), err());
    SummaryTable summary = SummaryTable.of(MetricsCsv.read(dir.resolve("metrics.csv")));
    double worst = 0;
    for (int n = 1; n <= 50; n++) {
      MetricsRow.Group g = new MetricsRow.Group("replace", n, new TreeMap<>());
      SummaryStats v = summary.get(g, "gaussian.variance");
      assertEquals(200, v.n());
      double law = GaussianCollapseLaws.expectedVariance(1, 20, VarianceEstimator.MLE, n);
      double z = Math.abs(v.mean() - law) / v.se();
      worst = Math.max(worst, z);
      assertTrue(z <= 3, "generation " + n + ": mean variance " + v.mean() + ", law " + law + ", se " + v.se());
      SummaryStats m = summary.get(g, "gaussian.mean");
      assertTrue(Math.abs(m.mean()) <= 3 * m.se(), "generation " + n + ": mean " + m.mean() + ", se " + m.se());
    }
    assertTrue(worst > 0, "the law is checked");
    // the variance has collapsed to a tenth under replace, and not under accumulate
    SummaryStats last = summary.get(new MetricsRow.Group("replace", 50, new TreeMap<>()), "gaussian.variance");
    SummaryStats kept = summary.get(new MetricsRow.Group("accumulate", 50, new TreeMap<>()), "gaussian.variance");
    assertTrue(last.ciHigh() < 0.2 && kept.ciLow() > 0.8, last + " " + kept);
    assertEquals(Files.readString(dir.resolve("summary.csv")), summary.format());
    assertEquals(201, Files.readAllLines(dir.resolve("runs.csv")).size());
    assertTrue(Files.readString(dir.resolve("runs.csv")).contains("\nr199,0,199," + Replicates.seed(2024, 199)
        + ",done\n"));
    assertTrue(io.out().contains("means over 200 replicates"), io.out());
    assertTrue(io.out().lines().anyMatch(l -> l.startsWith("  gaussian.variance") && l.endsWith(" ↓")), io.out());
  }

  @Test
  void eachSweepPointAndReplicateEqualsTheSameRunAlone() throws Exception {
    Path batch = tmp.resolve("batch");
    List<String> args = new ArrayList<>(TINY);
    args.addAll(List.of("--sweep", "actors.critics.temperature=0,0.5", "--replicates", "2", "--out",
        batch.toString()));
    assertEquals(0, run("quickstart.yaml", args), err());
    // the critic's temperature leaves the base and the critic as they are: point 1 takes them from point 0
    assertTrue(err().contains(" work items were shared between runs of the batch"), err());
    MetricsTable t = MetricsCsv.read(batch.resolve("metrics.csv"));
    assertEquals(2 * 2 * 2, t.rows().size(), "2 points × 2 replicates × generations 0, 1");
    assertEquals(List.of("actors.critics.temperature"), t.paramPaths());
    assertTrue(t.columns().subList(0, 5).equals(List.of("lineage", "generation", "model", "replicate",
        "param.actors.critics.temperature")), t.columns().toString());
    assertTrue(Files.readString(batch.resolve("summary.csv")).startsWith("lineage,generation,"
        + "param.actors.critics.temperature,metric,n,mean,sd,se,ci95_low,ci95_high\n"));

    Path alone = tmp.resolve("alone");
    List<String> one = new ArrayList<>(TINY);
    one.addAll(List.of("--sweep", "actors.critics.temperature=0,0.5", "--point", "1", "--replicate", "1", "--out",
        alone.toString()));
    assertEquals(0, run("quickstart.yaml", one), err());
    for (String f : List.of("scenario.yaml", "metrics.csv", "metrics.jsonl", "summary.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(batch.resolve("runs/p1-r1/" + f)), f);
    }
    try (var models = Files.list(alone.resolve("models"))) {
      for (Path m : models.toList()) {
        assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(batch.resolve("runs/p1-r1/models")
            .resolve(m.getFileName())), m.toString());
      }
    }
    // the batch's rows of that run are the run's rows
    List<MetricsRow> mine = t.rows().stream().filter(r -> r.replicate() == 1
        && r.params().equals(new TreeMap<>(Map.of("actors.critics.temperature", "0.5")))).toList();
    assertEquals(MetricsCsv.read(alone.resolve("metrics.csv")).rows(), mine);
    assertArrayEquals(Files.readAllBytes(batch.resolve("runs/p0-r0/lineage.json")),
        Files.readAllBytes(batch.resolve("lineage.json")), "the top lineage.json is the first run's");
    // the report carries every run's lineage graph, in runs.csv's order, behind a run picker
    String report = Files.readString(batch.resolve("report.html"));
    java.util.regex.Matcher picked = java.util.regex.Pattern.compile("<option>([^<]*)</option>").matcher(report);
    List<String> runs = new ArrayList<>();
    while (picked.find()) runs.add(picked.group(1));
    List<String> csv = Files.readAllLines(batch.resolve("runs.csv")).stream().skip(1)
        .map(l -> l.substring(0, l.indexOf(','))).toList();
    assertEquals(csv, runs);
    assertEquals(4, runs.size());
  }

  @Test
  void replicateZeroIsThePlainRun() throws Exception {
    List<String> a = new ArrayList<>(TINY);
    a.addAll(List.of("--out", tmp.resolve("plain").toString()));
    assertEquals(0, run("quickstart.yaml", a), err());
    List<String> b = new ArrayList<>(TINY);
    b.addAll(List.of("--replicate", "0", "--out", tmp.resolve("zero").toString()));
    assertEquals(0, run("quickstart.yaml", b), err());
    for (String f : List.of("scenario.yaml", "metrics.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve(f)),
          Files.readAllBytes(tmp.resolve("zero").resolve(f)), f);
    }
    assertTrue(!Files.exists(tmp.resolve("plain/runs")) && !Files.exists(tmp.resolve("plain/runs.csv")));
  }

  @Test
  void badBatchesAreExitTwoWithAClearMessage() {
    assertEquals(2, run("gaussian-collapse.yaml", List.of("--replicates", "5000", "--sweep",
        "analytic.samples=10,20,30", "--out", tmp.resolve("x").toString())));
    assertTrue(err().contains("3 sweep points × 5000 replicates = 15000 runs, more than the 10000 one command may "
        + "start"), err());
    assertEquals(2, run("gaussian-collapse.yaml", List.of("--replicates", "3", "--replicate", "1")));
    assertTrue(err().contains("--replicate R runs one replicate and --replicates N runs N; give one"), err());
    assertEquals(2, run("gaussian-collapse.yaml", List.of("--point", "2", "--sweep", "analytic.samples=10,20")));
    assertTrue(err().contains("--point must be in [0, 1] (the sweep has 2 points), was 2"), err());
    assertEquals(2, run("gaussian-collapse.yaml", List.of("--sweep", "analytic.samples=10,1")));
    assertTrue(err().contains("--sweep analytic.samples=10,1: analytic.samples: expected an integer in [2, "
        + "10000000], found 1"), err());
    assertEquals(2, run("gaussian-collapse.yaml", List.of("--sweep", "analytic.sample=10,20")));
    assertTrue(err().contains("analytic.sample: unknown key (did you mean \"samples\"?)"), err());
  }
}
