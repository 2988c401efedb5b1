package io.priorflow.engine.run;

import io.priorflow.engine.metrics.Attribution;
import io.priorflow.engine.metrics.Csv;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.scenario.LoadedScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Several runs of one scenario — replicates and sweep points ({@link RunSpec}) — as one command: each run is
 * independent work with its own seed, scenario, model store and actors, so the runs go on at once, at most
 * {@code parallel} of them (one per <i>lane</i>). They are started replicate by replicate in turn (the first run of
 * each replicate, then the second of each, …, each replicate's in {@link RunSpec#grid} order), so runs going on at
 * once have different seeds and share no work ({@link SharedResults}), and a later sweep point finds what it shares
 * with an earlier one already performed instead of waiting for it. Outputs do not depend on that order.
 *
 * <pre>
 * DIR/scenario.yaml          the resolved scenario, sweep: section included
 * DIR/runs/&lt;run&gt;/            one complete run directory per run, as `priorflow run … --replicate r --point p` writes it
 * DIR/metrics.csv, .jsonl    the rows of every finished run (replicate and param.&lt;path&gt; columns)
 * DIR/summary.csv            their statistics over replicates, per (lineage, generation, sweep point)
 * DIR/attribution.csv        with counterfactuals: each intervention's paired effect on every metric ({@link Attribution})
 * DIR/lineage.json           the lineage of the first finished run in run order (runs/&lt;run&gt;/ has every run's)
 * DIR/events.jsonl           every stage of every run, each line naming its run first
 * DIR/runs.csv               run, point, replicate, seed, param.&lt;path&gt;…, status (pending, running, done,
 *                            interrupted, failed)
 * </pre>
 * A batch started again over its directory (resumed) reads back each run that finished ({@link
 * CheckpointExecutor#isDone}) and runs the others, each of which resumes from its own checkpoint.
 *
 * <p>Memory: a run's models live in its own store, which the runner drops when the run ends (the models are in
 * its directory by then), so at most {@code parallel} runs' models are held at once; the batch itself keeps only
 * finished runs' metrics rows. The top files are rewritten (atomically) at most every {@link #PUBLISH_MILLIS} while
 * runs finish, and always at the end — also when the batch is interrupted (Ctrl-C) or a run fails: then they hold
 * exactly the runs that finished, each complete, and runs.csv says what became of the others.
 */
public final class Batch {

  /** How often, at most, the top files are rewritten while runs finish. */
  static final long PUBLISH_MILLIS = 2000;

  /** Performs one run into its directory. */
  @FunctionalInterface
  public interface Runner {
    /**
     * Runs {@code scenario} (the run's own: {@link RunSpec#scenario}) into {@code outputs}, reporting to
     * {@code listener}, and returns its metrics.
     *
     * @param lane which of the batch's {@code parallel} lanes runs it, 0-based: no two runs share a lane at once
     */
    MetricsTable run(RunSpec spec, LoadedScenario scenario, RunOutputs outputs, ScenarioRun.Listener listener,
                     int lane) throws InterruptedException;
  }

  /** Progress of a batch; called from the lanes' threads, so implementations must be thread-safe. */
  public interface Listener {
    /** The listener of one run's stages and generations. */
    default ScenarioRun.Listener forRun(RunSpec run) {
      return new ScenarioRun.Listener() {};
    }

    default void runStarted(RunSpec run) {}

    /** A run finished; {@code finished} of {@code total} runs are now done. */
    default void runFinished(RunSpec run, int finished, int total) {}
  }

  private enum Status { PENDING, RUNNING, DONE, INTERRUPTED, FAILED }

  private final LoadedScenario base;
  private final List<RunSpec> runs;
  private final Path dir;
  private final int parallel;
  private final Runner runner;
  private final Listener listener;
  private final RunOutputs top;
  private final java.util.function.LongSupplier nanoTime; // System::nanoTime; a test's clock in BatchLanesTest
  private final Status[] status;
  private final MetricsTable[] tables;
  private final Long[] seeds; // of the runs started (a pending run's is known only without a swept seed)
  private final int[] order; // the runs' indices in the order they start
  private final List<Thread> lanes = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;
  private long lastPublish;
  private int lineageFrom = -1;

  /**
   * @param base     the loaded scenario, sweep and all
   * @param runs     the runs, in the order to start them (distinct names)
   * @param dir      the batch's directory
   * @param parallel runs at once, ≥ 1
   */
  public Batch(LoadedScenario base, List<RunSpec> runs, Path dir, int parallel, Runner runner, Listener listener) {
    this(base, runs, dir, parallel, runner, listener, System::nanoTime);
  }

  /** As above, reading the time for {@link #PUBLISH_MILLIS} from {@code nanoTime} (a test's clock). */
  Batch(LoadedScenario base, List<RunSpec> runs, Path dir, int parallel, Runner runner, Listener listener,
        java.util.function.LongSupplier nanoTime) {
    if (parallel < 1) {
      throw new IllegalArgumentException("A batch runs at least 1 run at once, was asked for " + parallel + ".");
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("A batch needs at least one run.");
    }
    this.base = base;
    this.runs = List.copyOf(runs);
    this.dir = dir;
    this.parallel = Math.min(parallel, runs.size());
    this.runner = runner;
    this.listener = listener;
    this.nanoTime = nanoTime;
    this.top = RunOutputs.forBatch(dir);
    this.status = new Status[runs.size()];
    java.util.Arrays.fill(status, Status.PENDING);
    this.tables = new MetricsTable[runs.size()];
    this.seeds = new Long[runs.size()];
    this.order = startOrder(this.runs);
  }

  /**
   * The indices of {@code runs} in the order they start: round robin over the replicates (in order of first
   * appearance), each replicate's runs in list order.
   */
  static int[] startOrder(List<RunSpec> runs) {
    Map<Integer, List<Integer>> byReplicate = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      byReplicate.computeIfAbsent(runs.get(i).replicate(), r -> new ArrayList<>()).add(i);
    }
    int[] order = new int[runs.size()];
    int k = 0;
    for (int round = 0; k < order.length; round++) {
      for (List<Integer> replicate : byReplicate.values()) {
        if (round < replicate.size()) {
          order[k++] = replicate.get(round);
        }
      }
    }
    return order;
  }

  /** Runs at once: the lanes. */
  public int parallel() {
    return parallel;
  }

  /**
   * Runs every run and returns the metrics of all of them.
   *
   * @throws InterruptedException when this thread is interrupted: the lanes are interrupted, and the top files
   *                              hold the runs that finished
   * @throws RuntimeException     the first failure of a run ({@link WorkFailedException}, IllegalArgumentException,
   *                              …), after the other lanes were stopped and the top files written
   */
  public MetricsTable run() throws InterruptedException {
    top.writeScenario(base.resolvedYaml());
    publish(true);
    synchronized (lanes) {
      for (int lane = 0; lane < parallel; lane++) {
        int l = lane;
        lanes.add(new Thread(() -> lane(l), "pf-run-" + lane));
      }
      lanes.forEach(Thread::start);
    }
    boolean interrupted = false;
    try {
      for (Thread t : lanes) {
        t.join();
      }
    } catch (InterruptedException e) {
      interrupted = true;
      stopping = true;
      lanes.forEach(Thread::interrupt);
      for (Thread t : lanes) {
        joinUninterruptibly(t);
      }
    }
    publish(true);
    if (interrupted) {
      throw new InterruptedException("the batch was interrupted; " + finished.get() + " of " + runs.size()
          + " runs finished");
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    if (f != null) {
      throw new IllegalStateException(f.toString(), f);
    }
    return table();
  }

  private void lane(int lane) {
    while (!stopping) {
      int k = next.getAndIncrement();
      if (k >= runs.size()) {
        return;
      }
      int i = order[k];
      RunSpec spec = runs.get(i);
      setStatus(i, Status.RUNNING);
      listener.runStarted(spec);
      try {
        LoadedScenario scenario = spec.scenario(base);
        synchronized (this) {
          seeds[i] = scenario.scenario().seed();
        }
        Path runDir = dir.resolve(RunOutputs.RUNS).resolve(spec.name());
        // a resumed batch: a run that finished before the interruption is read back, not run again
        MetricsTable t = CheckpointExecutor.isDone(runDir)
            ? MetricsCsv.read(runDir.resolve(MetricsCsv.FILE_NAME))
            : runner.run(spec, scenario, new RunOutputs(runDir), listenerFor(spec), lane);
        synchronized (this) {
          tables[i] = t;
          status[i] = Status.DONE;
        }
        int done = finished.incrementAndGet();
        listener.runFinished(spec, done, runs.size());
        publish(false);
      } catch (InterruptedException e) {
        setStatus(i, Status.INTERRUPTED);
        return;
      } catch (Throwable e) {
        setStatus(i, stopping && isInterruption(e) ? Status.INTERRUPTED : Status.FAILED);
        if (!stopping) {
          failure.compareAndSet(null, named(spec, e));
          stopping = true;
          // the other lanes stop too: a failing run is a bug or a broken setup, not bad luck
          synchronized (lanes) {
            lanes.stream().filter(t -> t != Thread.currentThread()).forEach(Thread::interrupt);
          }
        }
        return;
      }
    }
  }

  /** The failure with the run named in front of its message, of the same kind (exit status and handling agree). */
  private static Throwable named(RunSpec spec, Throwable e) {
    String where = "run " + spec.name() + " (replicate " + spec.replicate()
        + (spec.params().isEmpty() ? "" : ", " + String.join(", ", spec.params().entrySet().stream()
            .map(p -> p.getKey() + "=" + p.getValue()).toList())) + "): ";
    if (e instanceof WorkFailedException w) {
      return new WorkFailedException(w.itemId(), where + w.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return new IllegalArgumentException(where + e.getMessage(), e);
    }
    return e;
  }

  private static boolean isInterruption(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  private synchronized void setStatus(int i, Status s) {
    status[i] = s;
  }

  /** The run's listener, which also appends each of its stages to the top events.jsonl with the run's name. */
  private ScenarioRun.Listener listenerFor(RunSpec spec) {
    ScenarioRun.Listener inner = listener.forRun(spec);
    return new ScenarioRun.Listener() {
      @Override
      public void stageStarted(String stage, String kind, int items) {
        inner.stageStarted(stage, kind, items);
      }

      @Override
      public void stageFinished(StageEvent event) {
        top.appendEvent(event, spec.name());
        inner.stageFinished(event);
      }

      @Override
      public void generationFinished(String lineage, int generation, int generations) {
        inner.generationFinished(lineage, generation, generations);
      }
    };
  }

  /** The metrics of the runs finished so far, sorted. */
  public synchronized MetricsTable table() {
    List<MetricsRow> rows = new ArrayList<>();
    java.util.Set<String> columns = new java.util.LinkedHashSet<>(); // each run's, empty ones included
    for (MetricsTable t : tables) {
      if (t != null) {
        rows.addAll(t.rows());
        columns.addAll(t.metricNames());
      }
    }
    return MetricsTable.of(rows, columns);
  }

  /** Rewrites the top files, unless they were written less than PUBLISH_MILLIS ago and {@code force} is false. */
  private synchronized void publish(boolean force) {
    long now = nanoTime.getAsLong();
    if (!force && (now - lastPublish) / 1_000_000 < PUBLISH_MILLIS) {
      return;
    }
    lastPublish = now;
    MetricsTable table = table();
    top.writeMetrics(table);
    if (!base.counterfactuals().isEmpty()) {
      Map<String, String> interventions = new LinkedHashMap<>();
      base.counterfactuals().forEach(c -> interventions.put(c.name(), c.description()));
      top.writeText(Attribution.FILE_NAME, Attribution.of(table, interventions).format());
    }
    if (!base.shapley().isEmpty()) {
      top.writeText(io.priorflow.engine.metrics.Shapley.FILE_NAME, io.priorflow.engine.metrics.Shapley.of(table,
          base.shapley(), io.priorflow.engine.scenario.Counterfactual.JOIN).format());
    }
    top.writeRuns(runsCsv());
    for (int i = 0; i < runs.size(); i++) {
      if (status[i] == Status.DONE) {
        if (i != lineageFrom) {
          Path from = dir.resolve(RunOutputs.RUNS).resolve(runs.get(i).name()).resolve(RunOutputs.LINEAGE);
          if (Files.exists(from)) {
            top.copyLineage(from);
            lineageFrom = i;
          }
        }
        break;
      }
    }
  }

  /** runs.csv: one record per run, in run order. */
  private String runsCsv() {
    List<String> paths = new ArrayList<>(base.sweep().paths());
    if (!base.counterfactuals().isEmpty()) paths.add(io.priorflow.engine.scenario.Counterfactual.PARAM);
    paths.sort(null);
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("run", "point", "replicate", "seed"));
    paths.forEach(p -> header.add(MetricsTable.PARAM_PREFIX + p));
    header.add("status");
    Csv.appendRecord(out, header);
    for (int i = 0; i < runs.size(); i++) {
      RunSpec r = runs.get(i);
      List<String> cells = new ArrayList<>(List.of(r.name(), Integer.toString(r.point()),
          Integer.toString(r.replicate())));
      if (seeds[i] != null) {
        cells.add(String.valueOf(seeds[i]));
      } else if (!r.params().containsKey("seed")) {
        cells.add(Long.toString(Replicates.seed(base.scenario().seed(), r.replicate())));
      } else {
        cells.add("");
      }
      for (String p : paths) {
        cells.add(r.params().getOrDefault(p, ""));
      }
      cells.add(status[i].name().toLowerCase(java.util.Locale.ROOT));
      Csv.appendRecord(out, cells);
    }
    return out.toString();
  }

  private static void joinUninterruptibly(Thread t) {
    boolean again = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        again = true;
      }
    }
    if (again) {
      Thread.currentThread().interrupt();
    }
  }

}
