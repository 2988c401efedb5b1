package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.scenario.LoadedScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch with runners written here (no scenario is run): the start order, what the listener hears, the top files
 * (metrics, runs.csv with each run's seed and status, the first run's lineage, every run's events), a failure
 * named after its run and stopping the others, an interruption, a finished run read back instead of run again.
 */
class BatchLanesTest {
  @TempDir Path tmp;

  static final LoadedScenario GAUSSIAN = BatchTest.load(BatchTest.GAUSSIAN); // sweep analytic.samples: [10, 40]

  /** 2 points × 2 replicates, in grid order: p0-r0, p1-r0, p0-r1, p1-r1. */
  static List<RunSpec> runs() {
    return RunSpec.grid(GAUSSIAN.sweep(), List.of(0, 1), List.of(0, 1), true);
  }

  /** A row naming the run, so the top table shows which runs it holds. */
  static MetricsTable table(RunSpec spec, double value) {
    return MetricsTable.of(List.of(new MetricsRow("replace", 0, spec.name(), spec.replicate(), spec.params(),
        Map.of("gaussian.mean", value))));
  }

  static String text(Path f) throws Exception { return Files.readString(f); }

  @Test
  void aBatchNeedsALaneAndARunAndHasNoMoreLanesThanRuns() {
    assertEquals("A batch runs at least 1 run at once, was asked for 0.", assertThrows(IllegalArgumentException.class,
        () -> new Batch(GAUSSIAN, runs(), tmp, 0, null, new Batch.Listener() {})).getMessage());
    assertEquals("A batch needs at least one run.", assertThrows(IllegalArgumentException.class,
        () -> new Batch(GAUSSIAN, List.of(), tmp, 1, null, new Batch.Listener() {})).getMessage());
    assertEquals(4, new Batch(GAUSSIAN, runs(), tmp, 9, null, new Batch.Listener() {}).parallel());
    assertEquals(1, new Batch(GAUSSIAN, runs(), tmp, 1, null, new Batch.Listener() {}).parallel());
  }

  /** One lane: the runs start replicate by replicate in turn; every top file reflects every run at the end. */
  @Test
  void oneLaneRunsThemInTurnAndTheTopFilesHoldEveryRun() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      if (spec.name().equals("p0-r0")) {
        try { // the top files are written before the first run starts
          heard.add("runs.csv " + Files.readString(tmp.resolve("runs.csv")).split("pending", -1).length);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      heard.add("run " + spec.name() + " lane " + lane + " seed " + scenario.scenario().seed());
      listener.stageStarted("s", "analytic", 1);
      listener.stageFinished(new StageEvent("replace/analytic", "replace", 1, "analytic", 1, 1, 0, 0, 0, 0, 0, 0, 0,
          "t"));
      listener.generationFinished("replace", 1, 1);
      outputs.writeText(RunOutputs.LINEAGE, "{\"run\":\"" + spec.name() + "\"}");
      return table(spec, spec.point() + 10 * spec.replicate());
    };
    Batch.Listener listener = new Batch.Listener() {
      @Override public ScenarioRun.Listener forRun(RunSpec run) {
        return new ScenarioRun.Listener() {
          @Override public void stageStarted(String stage, String kind, int items) {
            heard.add("started " + run.name() + " " + stage);
          }

          @Override public void stageFinished(StageEvent e) { heard.add("finished " + run.name() + " " + e.stage()); }

          @Override public void generationFinished(String lineage, int generation, int generations) {
            heard.add("generation " + run.name() + " " + generation + "/" + generations);
          }
        };
      }

      @Override public void runStarted(RunSpec run) { heard.add("started " + run.name()); }

      @Override public void runFinished(RunSpec run, int finished, int total) {
        heard.add("finished " + run.name() + " " + finished + "/" + total);
      }
    };
    List<RunSpec> runs = runs();
    MetricsTable t = new Batch(GAUSSIAN, runs, tmp, 1, runner, listener).run();
    assertTrue(heard.contains("runs.csv 5"), "four runs pending before the first starts: " + heard);
    List<String> order = heard.stream().filter(h -> h.startsWith("run ")).toList();
    long seed0 = Replicates.seed(9, 0), seed1 = Replicates.seed(9, 1);
    assertEquals(List.of("run p0-r0 lane 0 seed " + seed0, "run p0-r1 lane 0 seed " + seed1,
        "run p1-r0 lane 0 seed " + seed0, "run p1-r1 lane 0 seed " + seed1), order, "replicate by replicate");
    assertEquals(List.of("started p0-r0", "runs.csv 5", "run p0-r0 lane 0 seed " + seed0, "started p0-r0 s",
        "finished p0-r0 replace/analytic", "generation p0-r0 1/1", "finished p0-r0 1/4"), heard.subList(0, 7));
    assertTrue(heard.contains("finished p1-r1 4/4"), heard.toString());

    List<MetricsRow> rows = new ArrayList<>();
    for (RunSpec r : runs) rows.addAll(table(r, r.point() + 10 * r.replicate()).rows());
    MetricsTable all = MetricsTable.of(rows);
    assertEquals(all.rows(), t.rows());
    assertEquals(MetricsCsv.format(all), text(tmp.resolve("metrics.csv")));
    assertEquals(GAUSSIAN.resolvedYaml(), text(tmp.resolve("scenario.yaml")));
    assertEquals("{\"run\":\"p0-r0\"}", text(tmp.resolve("lineage.json")), "the first run's, in run order");
    assertEquals("run,point,replicate,seed,param.analytic.samples,status\n"
        + "p0-r0,0,0," + seed0 + ",10,done\n" + "p1-r0,1,0," + seed0 + ",40,done\n"
        + "p0-r1,0,1," + seed1 + ",10,done\n" + "p1-r1,1,1," + seed1 + ",40,done\n",
        text(tmp.resolve("runs.csv")).replace("\r\n", "\n"));
    List<String> events = Files.readAllLines(tmp.resolve("events.jsonl"));
    assertEquals(4, events.size());
    assertTrue(events.get(0).startsWith("{\"run\":\"p0-r0\",\"stage\":\"replace/analytic\""), events.get(0));
  }

  /**
   * A failing run: the batch stops the other lanes, writes the top files, and throws the failure of the same kind
   * with the run named in front; runs.csv says failed, and pending for runs never started.
   */
  @Test
  void aFailureIsNamedAfterItsRunAndStopsTheBatch() throws Exception {
    for (String kind : List.of("argument", "work", "state", "error")) {
      Path dir = tmp.resolve(kind);
      RuntimeException state = new IllegalStateException("broken");
      AssertionError error = new AssertionError("bug");
      Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
        if (!spec.name().equals("p0-r1")) return table(spec, 1);
        switch (kind) {
          case "argument" -> throw new IllegalArgumentException("bad");
          case "work" -> throw new WorkFailedException("item/1", "item/1: failed");
          case "state" -> throw state;
          default -> throw error;
        }
      };
      Batch b = new Batch(GAUSSIAN, runs(), dir, 1, runner, new Batch.Listener() {});
      Throwable thrown = assertThrows(Throwable.class, b::run);
      String where = "run p0-r1 (replicate 1, analytic.samples=10): ";
      switch (kind) {
        case "argument" -> {
          assertEquals(IllegalArgumentException.class, thrown.getClass());
          assertEquals(where + "bad", thrown.getMessage());
        }
        case "work" -> {
          assertEquals(WorkFailedException.class, thrown.getClass());
          assertEquals(where + "item/1: failed", thrown.getMessage());
          assertEquals("item/1", ((WorkFailedException) thrown).itemId());
        }
        case "state" -> assertSame(state, thrown);
        default -> assertSame(error, thrown);
      }
      String csv = text(dir.resolve("runs.csv")).replace("\r\n", "\n");
      assertTrue(csv.contains("\np0-r0,0,0,") && csv.contains(",10,done\n"), csv);
      assertTrue(csv.contains("\np0-r1,0,1,") && csv.contains(",10,failed\n"), csv);
      assertTrue(csv.endsWith("\np1-r1,1,1," + Replicates.seed(9, 1) + ",40,pending\n"),
          "never started, its seed known: " + csv);
      assertEquals(MetricsCsv.format(table(runs().get(0), 1)), text(dir.resolve("metrics.csv")),
          "the finished run only");
    }
  }

  /** Interrupting the batch interrupts its lanes; it says how many runs finished, and runs.csv which were cut. */
  @Test
  void anInterruptionStopsTheLanesAndSaysHowManyFinished() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      if (spec.name().equals("p0-r0")) return table(spec, 1);
      started.countDown();
      new CountDownLatch(1).await(); // until interrupted
      return table(spec, 2);
    };
    Batch b = new Batch(GAUSSIAN, runs(), tmp, 2, runner, new Batch.Listener() {});
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        b.run();
      } catch (Throwable e) {
        thrown.set(e);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    t.start();
    started.await();
    t.interrupt();
    t.join();
    assertEquals(InterruptedException.class, thrown.get().getClass());
    assertEquals("the batch was interrupted; 1 of 4 runs finished", thrown.get().getMessage());
    assertTrue(!stillInterrupted.get(), "one interruption, reported by the exception: the thread's flag is clear");
    String csv = text(tmp.resolve("runs.csv"));
    assertEquals(2, csv.split("interrupted", -1).length - 1, csv);
    assertTrue(csv.contains(",done"), csv);
    assertEquals(1, b.table().rows().size());
  }

  /** A run whose directory says it finished is read back from its metrics.csv, not run again. */
  @Test
  void aFinishedRunIsReadBackNotRunAgain() throws Exception {
    List<RunSpec> runs = runs();
    Path done = tmp.resolve("runs").resolve("p1-r0");
    Files.createDirectories(done.resolve(CheckpointExecutor.DIR));
    Files.writeString(done.resolve(CheckpointExecutor.DIR).resolve(CheckpointExecutor.DONE), "");
    MetricsTable before = table(runs.get(1), 99);
    Files.writeString(done.resolve("metrics.csv"), MetricsCsv.format(before));
    List<String> ran = new CopyOnWriteArrayList<>();
    MetricsTable t = new Batch(GAUSSIAN, runs, tmp, 2, (spec, scenario, outputs, listener, lane) -> {
      ran.add(spec.name());
      listener.stageStarted("s", "analytic", 1); // the default listener of a run hears nothing, and does not fail
      listener.generationFinished("replace", 1, 1);
      assertTrue(lane == 0 || lane == 1, "lane " + lane);
      return table(spec, 1);
    }, new Batch.Listener() {}).run();
    assertEquals(3, ran.size());
    assertTrue(!ran.contains("p1-r0"));
    assertEquals(99.0, t.rows().stream().filter(r -> r.model().equals("p1-r0")).findFirst().orElseThrow()
        .metrics().get("gaussian.mean"));
  }

  @Test
  void theStartOrderIsRoundRobinOverReplicates() {
    List<RunSpec> runs = RunSpec.grid(GAUSSIAN.sweep(), List.of(0, 1), List.of(0, 1, 2), true);
    // grid: p0-r0 p1-r0 p0-r1 p1-r1 p0-r2 p1-r2 → the first of each replicate, then the second of each
    assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, Batch.startOrder(runs));
    List<RunSpec> uneven = List.of(runs.get(0), runs.get(1), runs.get(2));
    assertArrayEquals(new int[] {0, 2, 1}, Batch.startOrder(uneven));
  }

  /**
   * With two lanes, a failure interrupts the other lane's run; that run, cut short, is "interrupted" however its
   * runner wraps the interruption; a batch without a sweep names the run by its replicate alone.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aFailureInterruptsTheOtherLanes() throws Exception {
    List<RunSpec> runs = RunSpec.grid(io.priorflow.engine.scenario.Sweep.NONE, List.of(0), List.of(0, 1), true);
    LoadedScenario plain = BatchTest.load(BatchTest.GAUSSIAN.substring(0, BatchTest.GAUSSIAN.indexOf("sweep:")));
    CountDownLatch started = new CountDownLatch(1);
    Batch.Runner failing = (spec, scenario, outputs, listener, lane) -> {
      if (spec.replicate() == 1) {
        started.await(); // replicate 0 is running (an interruption now ends its wait at once)
        throw new IllegalArgumentException("bad");
      }
      started.countDown();
      try {
        new CountDownLatch(1).await(); // until interrupted
      } catch (InterruptedException e) { // wrapped twice, as a library might
        throw new IllegalStateException(new RuntimeException(e));
      }
      return table(spec, 1);
    };
    Batch b = new Batch(plain, runs, tmp, 2, failing, new Batch.Listener() {});
    var e = assertThrows(IllegalArgumentException.class, b::run);
    assertEquals("run " + runs.get(1).name() + " (replicate 1): bad", e.getMessage());
    String csv = text(tmp.resolve("runs.csv")).replace("\r\n", "\n");
    assertTrue(csv.contains(",interrupted\n") && csv.contains(",failed\n"), csv);
  }

  /** A run's checked exception (a runner may throw one by stealth) is wrapped, its text kept. */
  @Test
  void aCheckedFailureIsWrapped() {
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> BatchLanesTest.<RuntimeException>sneaky(
        new java.io.IOException("disk"));
    var e = assertThrows(IllegalStateException.class,
        () -> new Batch(GAUSSIAN, runs().subList(0, 1), tmp, 1, runner, new Batch.Listener() {}).run());
    assertEquals("java.io.IOException: disk", e.getMessage());
    assertEquals(java.io.IOException.class, e.getCause().getClass());
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> MetricsTable sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * The top files are rewritten while runs finish, at most every PUBLISH_MILLIS: here when a run of 2.1 s ends, and
   * runs.csv then shows the other lane's run as running.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aRunFinishingLaterThanThePublishIntervalIsPublishedAtOnce() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      if (spec.name().equals("p0-r0")) {
        Thread.sleep(Batch.PUBLISH_MILLIS + 100);
      } else {
        try {
          String csv = "";
          while (!csv.contains(",done")) { // p0-r0's end, published
            Thread.sleep(20);
            csv = Files.exists(tmp.resolve("runs.csv")) ? Files.readString(tmp.resolve("runs.csv")) : "";
          }
          seen.add(spec.name() + " sees " + Files.readString(tmp.resolve("metrics.csv")).contains(",p0-r0,") + " "
              + csv.lines().filter(l -> l.startsWith(spec.name() + ",")).findFirst().orElse(""));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return table(spec, 1);
    };
    new Batch(GAUSSIAN, runs().subList(0, 2), tmp, 2, runner, new Batch.Listener() {}).run();
    assertEquals(List.of("p1-r0 sees true p1-r0,1,0," + Replicates.seed(9, 0) + ",40,running"), seen);
  }

  /** A run that fails on its own after the batch stopped (not by the interruption) is failed, not interrupted. */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aRunFailingForItsOwnReasonAfterTheStopIsFailed() throws Exception {
    List<RunSpec> runs = runs().subList(0, 2); // p0-r0, p1-r0: one replicate, two lanes
    CountDownLatch started = new CountDownLatch(1);
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      if (spec.point() == 1) {
        started.await();
        throw new IllegalArgumentException("bad");
      }
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        throw new IllegalStateException("its own failure"); // no interruption among the causes
      }
      return table(spec, 1);
    };
    assertThrows(IllegalArgumentException.class, () -> new Batch(GAUSSIAN, runs, tmp, 2, runner,
        new Batch.Listener() {}).run());
    String csv = text(tmp.resolve("runs.csv"));
    assertEquals(2, csv.split(",failed", -1).length - 1, csv);
  }

  /** A swept seed: a pending run's seed is not known, a started run's is its own. */
  @Test
  void aSweptSeedIsKnownOnlyOnceTheRunStarts() throws Exception {
    LoadedScenario seeds = BatchTest.load(BatchTest.GAUSSIAN.replace("analytic.samples: [10, 40]", "seed: [3, 4]"));
    List<RunSpec> runs = RunSpec.grid(seeds.sweep(), List.of(0, 1), List.of(0), true);
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      if (spec.point() == 0) throw new IllegalArgumentException("stop");
      return table(spec, 1);
    };
    assertThrows(IllegalArgumentException.class,
        () -> new Batch(seeds, runs, tmp, 1, runner, new Batch.Listener() {}).run());
    assertEquals("run,point,replicate,seed,param.seed,status\np0-r0,0,0,3,3,failed\np1-r0,1,0,,4,pending\n",
        text(tmp.resolve("runs.csv")).replace("\r\n", "\n"));
  }

  /** With counterfactuals, attribution.csv holds each intervention's paired effect over the finished runs. */
  @Test
  void counterfactualsGetTheirAttribution() throws Exception {
    LoadedScenario cf = BatchTest.load(BatchTest.GAUSSIAN.substring(0, BatchTest.GAUSSIAN.indexOf("sweep:"))
        + "counterfactuals:\n  - name: big\n    set: { analytic.samples: 40 }\n");
    List<RunSpec> runs = RunSpec.grid(cf.sweep(), List.of(0), List.of(0, 1), cf.counterfactuals(), true);
    MetricsTable t = new Batch(cf, runs, tmp, 1, (spec, scenario, outputs, listener, lane) ->
        table(spec, spec.replicate() + (spec.counterfactual() == null ? 0 : 5)), new Batch.Listener() {}).run();
    Map<String, String> interventions = new java.util.LinkedHashMap<>();
    cf.counterfactuals().forEach(c -> interventions.put(c.name(), c.description()));
    assertEquals(io.priorflow.engine.metrics.Attribution.of(t, interventions).format(),
        text(tmp.resolve(io.priorflow.engine.metrics.Attribution.FILE_NAME)));
    String csv = text(tmp.resolve("runs.csv")).replace("\r\n", "\n");
    assertTrue(csv.startsWith("run,point,replicate,seed,param.counterfactual,status\n"), csv);
    assertTrue(csv.contains(",big,done\n") && csv.contains(",factual,done\n"), csv);
  }

  /** runs.csv's parameter columns are sorted by path, whatever the sweep's order. */
  @Test
  void runsCsvSortsTheParameterColumns() throws Exception {
    LoadedScenario two = BatchTest.load(BatchTest.GAUSSIAN.substring(0, BatchTest.GAUSSIAN.indexOf("sweep:"))
        + "sweep:\n  lineages[0].generations: [2, 3]\n  analytic.samples: [10, 40]\n");
    assertEquals(List.of("lineages[0].generations", "analytic.samples"), two.sweep().paths(), "the file's order");
    List<RunSpec> runs = RunSpec.grid(two.sweep(), List.of(0), List.of(0), true);
    new Batch(two, runs, tmp, 1, (spec, scenario, outputs, listener, lane) -> table(spec, 1),
        new Batch.Listener() {}).run();
    String csv = text(tmp.resolve("runs.csv")).replace("\r\n", "\n");
    assertTrue(csv.startsWith("run,point,replicate,seed,param.analytic.samples,param.lineages[0].generations,status\n"),
        csv);
  }

  /** With Shapley players, the top directory holds their Shapley values over the finished runs. */
  @Test
  void shapleyPlayersGetTheirValues() throws Exception {
    LoadedScenario sh = BatchTest.load(BatchTest.GAUSSIAN.substring(0, BatchTest.GAUSSIAN.indexOf("sweep:"))
        + "shapley: [{name: big, set: {analytic.samples: 40}}, {name: long, set: {'lineages[0].generations': 5}}]\n");
    List<RunSpec> runs = RunSpec.grid(sh.sweep(), List.of(0), List.of(0, 1), sh.counterfactuals(), true);
    MetricsTable t = new Batch(sh, runs, tmp, 1, (spec, scenario, outputs, listener, lane) ->
        table(spec, spec.replicate() + (spec.counterfactual() == null ? 0 : spec.counterfactual().length())),
        new Batch.Listener() {}).run();
    String expected = io.priorflow.engine.metrics.Shapley.of(t, sh.shapley(),
        io.priorflow.engine.scenario.Counterfactual.JOIN).format();
    assertEquals(expected, text(tmp.resolve(io.priorflow.engine.metrics.Shapley.FILE_NAME)));
    assertTrue(expected.contains("big") && expected.contains("long"), expected);
  }

  /** The statuses of runs.csv's records, in run order, separated by spaces. */
  static String statuses(Path runsCsv) throws java.io.IOException {
    return String.join(" ", Files.readAllLines(runsCsv).stream().skip(1)
        .map(l -> l.substring(l.lastIndexOf(',') + 1)).toList());
  }

  /**
   * While runs finish, the top files are rewritten only once PUBLISH_MILLIS have passed since they were last
   * written, read from the batch's clock (here the test's): a run ending 1 ns short of the interval is not
   * published, one ending exactly at it is (with the one before), the next interval counts from that publish, and
   * the end always publishes. runs.csv lists p0-r0, p1-r0, p0-r1, p1-r1; one lane starts p0-r0, p0-r1, p1-r0, p1-r1.
   */
  @Test
  void runsFinishingWithinThePublishIntervalWaitForTheNextPublish() throws Exception {
    long start = 7_000_000_000_000L, interval = Batch.PUBLISH_MILLIS * 1_000_000;
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(start);
    Map<String, Long> finishAt = Map.of("p0-r0", start + interval - 1, "p0-r1", start + interval,
        "p1-r0", start + 2 * interval - 1, "p1-r1", start + 2 * interval - 1);
    List<String> seen = new CopyOnWriteArrayList<>();
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      try {
        seen.add(spec.name() + ": " + statuses(tmp.resolve("runs.csv")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      clock.set(finishAt.get(spec.name()));
      return table(spec, 1);
    };
    new Batch(GAUSSIAN, runs(), tmp, 1, runner, new Batch.Listener() {}, clock::get).run();
    assertEquals(List.of("p0-r0: pending pending pending pending",
        "p0-r1: pending pending pending pending", // p0-r0 ended 1 ns short of the interval
        "p1-r0: done pending done pending", // p0-r1 ended exactly at it: published, p0-r0 with it
        "p1-r1: done pending done pending"), // p1-r0 ended 1 ns short of the interval after that publish
        seen);
    assertEquals("done done done done", statuses(tmp.resolve("runs.csv")), "the end publishes whatever the clock");
  }

  /** A lane that finds no run left ends quietly: no lane's thread dies of an exception past the last run. */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void lanesEndQuietlyPastTheLastRun() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ThreadGroup group = new ThreadGroup("batch-test") { // the lanes are made in the batch's thread, so in it
      @Override public void uncaughtException(Thread t, Throwable e) {
        uncaught.add(e);
      }
    };
    AtomicReference<MetricsTable> result = new AtomicReference<>();
    Thread t = new Thread(group, () -> {
      try {
        result.set(new Batch(GAUSSIAN, runs(), tmp, 2, (spec, scenario, outputs, listener, lane) -> table(spec, 1),
            new Batch.Listener() {}).run());
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, "batch");
    t.start();
    t.join();
    assertEquals(List.of(), uncaught);
    assertEquals(4, result.get().rows().size());
  }

  /**
   * Interrupted again while it waits for its interrupted lanes to end, the batch still waits for them, throws the
   * InterruptedException, and leaves its thread interrupted: the second interruption is not lost.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aSecondInterruptionWhileTheLanesStopIsKept() throws Exception {
    CountDownLatch started = new CountDownLatch(1), cut = new CountDownLatch(1), release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean laneEnded = new java.util.concurrent.atomic.AtomicBoolean();
    Batch.Runner runner = (spec, scenario, outputs, listener, lane) -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // until interrupted
      } catch (InterruptedException e) {
        cut.countDown();
        release.await(); // the lane is slow to stop; nothing interrupts it again
        laneEnded.set(true);
        throw e;
      }
      return table(spec, 1);
    };
    Batch b = new Batch(GAUSSIAN, runs().subList(0, 1), tmp, 1, runner, new Batch.Listener() {});
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean laneEndedFirst = new java.util.concurrent.atomic.AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        b.run();
      } catch (Throwable e) {
        thrown.set(e);
        laneEndedFirst.set(laneEnded.get());
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    t.start();
    started.await();
    t.interrupt();
    cut.await(); // the batch caught the first interruption and interrupted its lane
    while (t.getState() != Thread.State.WAITING) Thread.sleep(1); // now joining it (the lane has not ended)
    t.interrupt();
    // released only once the batch took the interruption and joins again: a lane that ended first would let the
    // join return without looking at the flag, and a wake-up both notified and interrupted may do the same
    while (t.isInterrupted() || t.getState() != Thread.State.WAITING) Thread.sleep(1);
    release.countDown();
    t.join();
    assertEquals(InterruptedException.class, thrown.get().getClass());
    assertEquals("the batch was interrupted; 0 of 1 runs finished", thrown.get().getMessage());
    assertTrue(laneEndedFirst.get(), "the batch waited for its lane");
    assertTrue(stillInterrupted.get(), "the second interruption is kept as the thread's flag");
    assertEquals("interrupted", statuses(tmp.resolve("runs.csv")));
  }
}
