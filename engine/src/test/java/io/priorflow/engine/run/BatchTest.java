package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches of analytic runs: the directory layout, runs equal to stand-alone runs, bounds, Ctrl-C and failures. */
class BatchTest {
  static final String GAUSSIAN = """
      name: g
      seed: 9
      analytic: { kind: gaussian, samples: 10, estimator: mle }
      lineages:
        - { name: replace, generations: 4, data: { policy: replace } }
        - { name: accumulate, generations: 3, data: { policy: accumulate } }
      sweep:
        analytic.samples: [10, 40]
      """;

  @TempDir Path tmp;

  static RunLineage lineage(LoadedScenario l) {
    return RunLineage.current(ScenarioRun.resultSha256(l.scenario()), l.scenario().seed(), List.of(), "java", "cpu");
  }

  static final Batch.Runner ANALYTIC = (spec, scenario, outputs, listener, lane) ->
      AnalyticRun.run(scenario, outputs, lineage(scenario), listener, spec.replicate(), spec.params());

  static LoadedScenario load(String text) {
    return ScenarioLoader.parse(text, "g.yaml", List.of());
  }

  static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void aBatchWritesEveryRunAndTheirSummary() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    List<RunSpec> runs = RunSpec.grid(l.sweep(), upTo(2), upTo(3), true);
    MetricsTable t = new Batch(l, runs, tmp.resolve("b"), 3, ANALYTIC, new Batch.Listener() {}).run();
    Path b = tmp.resolve("b");
    assertEquals(6 * (5 + 4), t.rows().size(), "6 runs, generations 0..4 and 0..3");
    assertEquals(l.resolvedYaml(), Files.readString(b.resolve("scenario.yaml")));
    assertEquals(t, MetricsCsv.read(b.resolve("metrics.csv")));
    List<String> csv = Files.readAllLines(b.resolve("metrics.csv"));
    assertEquals("lineage,generation,model,replicate,param.analytic.samples,gaussian.mean,gaussian.variance,"
        + "gaussian.variance_law,gaussian.w2", csv.get(0));
    assertEquals(SummaryTable.of(t).format(), Files.readString(b.resolve("summary.csv")));
    assertArrayEquals(Files.readAllBytes(b.resolve("runs/p0-r0/lineage.json")), Files.readAllBytes(b.resolve(
        "lineage.json")));
    assertEquals("""
        run,point,replicate,seed,param.analytic.samples,status
        p0-r0,0,0,9,10,done
        p1-r0,1,0,9,40,done
        p0-r1,0,1,%d,10,done
        p1-r1,1,1,%d,40,done
        p0-r2,0,2,%d,10,done
        p1-r2,1,2,%d,40,done
        """.formatted(Replicates.seed(9, 1), Replicates.seed(9, 1), Replicates.seed(9, 2), Replicates.seed(9, 2)),
        Files.readString(b.resolve("runs.csv")));
    List<String> events = Files.readAllLines(b.resolve("events.jsonl"));
    assertEquals(12, events.size(), "one per lineage and run");
    assertTrue(events.stream().allMatch(e -> e.startsWith("{\"run\":\"p")), events.get(0));
    var stats = SummaryTable.of(t).get(new MetricsRow.Group("replace", 4, new java.util.TreeMap<>(
        java.util.Map.of("analytic.samples", "40"))), "gaussian.variance");
    assertEquals(3, stats.n());
    assertFalse(Files.exists(b.resolve("models")), "models live in each run's directory");
  }

  @Test
  void eachRunOfABatchEqualsTheSameRunAlone() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    new Batch(l, RunSpec.grid(l.sweep(), upTo(2), upTo(3), true), tmp.resolve("b"), 2, ANALYTIC,
        new Batch.Listener() {}).run();
    for (RunSpec alone : RunSpec.grid(l.sweep(), List.of(1), List.of(2), false)) {
      LoadedScenario s = alone.scenario(l);
      AnalyticRun.run(s, new RunOutputs(tmp.resolve("alone")), lineage(s), new ScenarioRun.Listener() {},
          alone.replicate(), alone.params());
    }
    for (String f : List.of("scenario.yaml", "metrics.csv", "metrics.jsonl", "summary.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("alone").resolve(f)),
          Files.readAllBytes(tmp.resolve("b/runs/p1-r2").resolve(f)), f);
    }
  }

  @Test
  void theTopFilesDoNotDependOnHowManyRunsGoOnAtOnce() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    for (int k : new int[] {1, 4}) {
      new Batch(l, RunSpec.grid(l.sweep(), upTo(2), upTo(4), true), tmp.resolve("k" + k), k, ANALYTIC,
          new Batch.Listener() {}).run();
    }
    for (String f : List.of("scenario.yaml", "metrics.csv", "metrics.jsonl", "summary.csv", "runs.csv",
        "lineage.json", "runs/p1-r3/metrics.csv")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("k1").resolve(f)), Files.readAllBytes(tmp.resolve("k4")
          .resolve(f)), f);
    }
  }

  @Test
  void atMostParallelRunsAreInFlightAndNoTwoShareALane() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    AtomicInteger inFlight = new AtomicInteger(), most = new AtomicInteger();
    boolean[] busy = new boolean[3];
    Batch.Runner counting = (spec, scenario, outputs, listener, lane) -> {
      synchronized (busy) {
        assertFalse(busy[lane], "lane " + lane + " runs two runs at once");
        busy[lane] = true;
      }
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(5);
        return ANALYTIC.run(spec, scenario, outputs, listener, lane);
      } finally {
        inFlight.decrementAndGet();
        synchronized (busy) {
          busy[lane] = false;
        }
      }
    };
    MetricsTable t = new Batch(l, RunSpec.grid(l.sweep(), upTo(2), upTo(10), true), tmp.resolve("b"), 3, counting,
        new Batch.Listener() {}).run();
    assertEquals(20 * 9, t.rows().size());
    assertTrue(most.get() <= 3 && most.get() >= 1, "most in flight: " + most.get());
  }

  @Test
  void anInterruptedBatchKeepsItsFinishedRunsComplete() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    CountDownLatch twoDone = new CountDownLatch(2);
    Batch.Runner slowAfterTwo = (spec, scenario, outputs, listener, lane) -> {
      if (spec.point() > 0 || spec.replicate() > 1) {
        Thread.sleep(60_000); // interrupted
      }
      MetricsTable t = ANALYTIC.run(spec, scenario, outputs, listener, lane);
      twoDone.countDown();
      return t;
    };
    Batch batch = new Batch(l, RunSpec.grid(l.sweep(), upTo(2), upTo(4), true), tmp.resolve("b"), 2, slowAfterTwo,
        new Batch.Listener() {});
    Thread director = Thread.currentThread();
    Thread ctrlC = new Thread(() -> {
      try {
        twoDone.await();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      director.interrupt();
    });
    ctrlC.start();
    assertThrows(InterruptedException.class, batch::run);
    ctrlC.join();
    MetricsTable t = MetricsCsv.read(tmp.resolve("b/metrics.csv"));
    assertEquals(2 * 9, t.rows().size(), "the two finished runs, whole");
    // runs start replicate by replicate in turn: p0-r0, p0-r1, then p0-r2 and p0-r3 (slow), …
    assertTrue(t.rows().stream().allMatch(r -> r.replicate() <= 1 && r.params().get("analytic.samples")
        .equals("10")));
    String runs = Files.readString(tmp.resolve("b/runs.csv"));
    assertTrue(runs.contains("p0-r0,0,0,9,10,done") && runs.contains("\np0-r1,0,1,") && runs.contains(",10,done"),
        runs);
    assertTrue(runs.contains(",interrupted\n") && runs.contains(",pending\n"), runs);
    assertTrue(Files.exists(tmp.resolve("b/lineage.json")) && Files.exists(tmp.resolve("b/summary.csv")));
  }

  @Test
  void aFailingRunStopsTheBatchAndIsNamed() {
    LoadedScenario l = load(GAUSSIAN);
    Batch.Runner failing = (spec, scenario, outputs, listener, lane) -> {
      if (spec.name().equals("p1-r0")) {
        throw new WorkFailedException("replace/g1/x", "replace/g1/x: the actor broke");
      }
      return ANALYTIC.run(spec, scenario, outputs, listener, lane);
    };
    WorkFailedException e = assertThrows(WorkFailedException.class, () -> new Batch(l,
        RunSpec.grid(l.sweep(), upTo(2), upTo(2), true), tmp.resolve("b"), 1, failing, new Batch.Listener() {}).run());
    assertEquals("run p1-r0 (replicate 0, analytic.samples=40): replace/g1/x: the actor broke", e.getMessage());
    assertTrue(Files.exists(tmp.resolve("b/runs.csv")));
  }

  @Test
  void theListenerCountsRuns() throws Exception {
    LoadedScenario l = load(GAUSSIAN);
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    new Batch(l, RunSpec.grid(l.sweep(), upTo(2), upTo(2), true), tmp.resolve("b"), 1, ANALYTIC,
        new Batch.Listener() {
          @Override
          public void runFinished(RunSpec run, int finished, int total) {
            seen.add(run.name() + " " + finished + "/" + total);
          }
        }).run();
    // one lane: replicate by replicate in turn, so p0-r1 (another seed) before p1-r0 (which shares with p0-r0)
    assertEquals(List.of("p0-r0 1/4", "p0-r1 2/4", "p1-r0 3/4", "p1-r1 4/4"), seen);
  }

  @Test
  void runsStartReplicateByReplicateInTurn() {
    LoadedScenario l = load(GAUSSIAN);
    List<RunSpec> grid = RunSpec.grid(l.sweep(), upTo(2), upTo(3), true); // p0-r0 p1-r0 p0-r1 p1-r1 p0-r2 p1-r2
    assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, Batch.startOrder(grid));
    assertArrayEquals(new int[] {0, 1}, Batch.startOrder(RunSpec.grid(l.sweep(), upTo(2), upTo(1), true)));
    // a replicate with fewer runs leaves the turn once it has none left
    List<RunSpec> two = List.of(grid.get(0), grid.get(1), grid.get(2));
    assertArrayEquals(new int[] {0, 2, 1}, Batch.startOrder(two));
  }

  @Test
  void theSummaryOfReplicatesIsTheStatisticsOfTheirRows() throws Exception {
    LoadedScenario l = load(GAUSSIAN.substring(0, GAUSSIAN.indexOf("sweep:")));
    MetricsTable t = new Batch(l, RunSpec.grid(l.sweep(), upTo(1), upTo(5), true), tmp.resolve("b"), 2, ANALYTIC,
        new Batch.Listener() {}).run();
    double[] v = t.rows().stream().filter(r -> r.lineage().equals("replace") && r.generation() == 2)
        .mapToDouble(r -> r.metrics().get("gaussian.variance")).toArray();
    assertEquals(5, v.length);
    SummaryStats s = SummaryTable.of(t).get(new MetricsRow.Group("replace", 2, new java.util.TreeMap<>()),
        "gaussian.variance");
    assertEquals(SummaryStats.of(io.priorflow.engine.metrics.MetricCatalog.of("gaussian.variance"), v), s);
    assertEquals(0.0, s.ciLow(), 0.0, "a variance's interval stops at 0"); // the t interval would start below 0
  }
}
