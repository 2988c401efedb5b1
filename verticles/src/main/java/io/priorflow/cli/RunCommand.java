package io.priorflow.cli;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.run.AnalyticRun;
import io.priorflow.engine.run.Batch;
import io.priorflow.engine.run.LocalExecutor;
import io.priorflow.engine.run.RunBudget;
import io.priorflow.engine.run.RunOutputs;
import io.priorflow.engine.run.RunSpec;
import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.run.WorkExecutor;
import io.priorflow.engine.run.WorkFailedException;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioException;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.scenario.Sweep;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.report.ReportWriter;
import io.priorflow.verticles.ActorNode;
import io.priorflow.verticles.DirectorVerticle;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.cluster.ClusterRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code priorflow run SCENARIO}: runs a scenario and writes the run directory of DESIGN.md §7 — one run, or a batch
 * of replicates and sweep points ({@link Batch}: each run in {@code runs/<run>/}, the rows of all of them and their
 * replicate statistics at the top).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a scenario: every lineage, generation by generation, then write metrics.csv, summary.csv, "
        + "metrics.jsonl, lineage.json, events.jsonl, scenario.yaml, models/ and report.html into the run directory. "
        + "With --replicates N or a sweep (a sweep: section, or --sweep), every run gets its own directory under "
        + "runs/, and the top files gather them: metrics.csv gains replicate and param.<path> columns, summary.csv "
        + "the mean, sd, standard error and 95%% CI over replicates. With counterfactuals (a counterfactuals: "
        + "section, or --counterfactual), the factual scenario and each intervention run with the same seeds, and "
        + "attribution.csv gives each intervention's paired effect on every metric with its 95%% CI.",
    footer = {"", "Examples:", "  ./priorflow run scenarios/quickstart.yaml",
        "  ./priorflow run scenarios/quickstart.yaml --out runs/qs --seed 7",
        "  ./priorflow run scenarios/tiny.yaml --set lineages[0].generations=1",
        "  ./priorflow run scenarios/gaussian-collapse.yaml --replicates 200",
        "  ./priorflow run scenarios/tiny.yaml --replicates 3 --sweep actors.critics.temperature=0,0.5,1",
        "  ./priorflow run scenarios/tiny.yaml --sweep actors.critics.temperature=0,0.5,1 --point 2 --replicate 1",
        "  ./priorflow run scenarios/attribution.yaml --replicates 3 --counterfactual remove=human-0",
        "  ./priorflow run --resume runs/qs",
        "  ./priorflow run scenarios/*.yaml scenarios/papers/*.yaml --out runs/library",
        "", "Replicate r runs with seed s if r = 0 (s: the scenario's seed), else with the first 8 bytes of "
        + "SHA-256(s as 8 big-endian bytes, \"replicate/r\"); --replicate r alone gives byte for byte the files of "
        + "runs/<...-r>/ of a batch.",
        "", "Exit status: 0 done; 2 the scenario or an argument is invalid; 1 the run failed; 130 interrupted "
        + "(Ctrl-C: the generations and runs already finished stay complete in the run directory; run --resume DIR "
        + "continues it)."})
final class RunCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "SCENARIO", description = "The scenario file (YAML); not with --resume. "
      + "Several files run one after the other in this JVM (each into runs/<its name>, or --out DIR/<its name>), "
      + "all of them checked before the first starts; the same results as running each alone.")
  List<Path> scenarioFiles = new ArrayList<>();

  /** The scenario of the run this command performs now: one of {@link #scenarioFiles}, or a resumed run's copy. */
  Path scenarioFile;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted run (or batch) in DIR, "
      + "from its last finished stage, with the scenario and options it was started with: the result is "
      + "byte-identical to an uninterrupted run. --nodes, --cluster, --threads, --parallel and --local may differ.")
  Path resume;

  /** True when this command continues a run (its directory holds the run's checkpoint). */
  private boolean resuming;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<scenario name>). It must "
      + "not hold a run already. With several SCENARIO files, the directory that holds their run directories.")
  Path out;

  @Option(names = "--seed", description = "Override the scenario's seed.")
  Long seed;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a field, e.g. "
      + "lineages[0].generations=3 (repeatable); validated like the file.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--sweep", paramLabel = "PATH=V1,V2,...", description = "Sweep a field over these values "
      + "(repeatable): adds to the file's sweep: section, or replaces its entry for the same field. Every "
      + "combination of values is a sweep point; each point's scenario is validated like the file.")
  List<String> sweeps = new ArrayList<>();

  @Option(names = "--counterfactual", paramLabel = "[NAME:]FORM=TARGET", description = "Also run the scenario with "
      + "one intervention (repeatable; adds to the file's counterfactuals: section): remove=human-<i>, "
      + "remove=critic, remove=red_teamers or remove=fresh_data, drop=lineages[<i>].stages[<j>], "
      + "neutralise=human-<i>.biases (also .accuracy, .anchoring, .fatigue; humans.<field> for "
      + "everyone; critic.temperature), or NAME:set=PATH=VALUE. Each counterfactual runs with the factual run's "
      + "seeds; attribution.csv gives each one's paired effect on every metric.")
  List<String> counterfactuals = new ArrayList<>();

  @Option(names = "--provenance", description = "Also write provenance/<dataset>.jsonl in each run directory: every "
      + "dataset a model trained on, datum by datum, with its origin, producing model, parents, text, gold traits "
      + "and labels (labeller ids), for pandas (pd.read_json(path, lines=True)). Off by default: it is large.")
  boolean provenance;

  @Option(names = "--replicates", paramLabel = "N", description = "Run N independent replicates of every sweep "
      + "point (default 1), at most " + Sweep.MAX_RUNS + " runs in all.")
  Integer replicates;

  @Option(names = "--replicate", paramLabel = "R", description = "Run replicate R only (of every sweep point, or of "
      + "--point): the same results as run R of a batch.")
  Integer replicate;

  @Option(names = "--point", paramLabel = "P", description = "Run sweep point P only (0-based; runs.csv of a batch "
      + "gives each run's point).")
  Integer point;

  @Option(names = "--parallel", paramLabel = "K", description = "Runs of a batch at once (default: the number of "
      + "cores, at most the number of runs). Results do not depend on it.")
  Integer parallel;

  @Option(names = "--backend", description = "Kernel backend: java (default), reference, or tornado (TornadoVM; needs "
      + "TORNADOVM_HOME set to an SDK, see README). Recorded in lineage.json with its device.")
  String backend = Backends.DEFAULT;

  @Option(names = "--threads", description = "Kernel threads (default: all cores). Results do not depend on it.")
  Integer threads;

  @Option(names = "--local", description = "Perform every work item in the director's thread instead of sending it to "
      + "actor verticles on the event bus (for debugging; the results are identical).")
  boolean local;

  @Option(names = "--no-reuse", description = "In a batch, let every run perform all of its work, instead of taking "
      + "from another run of the batch the results of work items they have in common (a lineage or base a sweep "
      + "point does not touch). Results are byte-identical either way; this is for checking that and for timing.")
  boolean noReuse;

  @Option(names = "--ignore-budget", description = "Run even when the memory estimate printed before the run exceeds "
      + "the JVM's heap (the estimate is rounded up; a run that does run out of memory ends with exit 1).")
  boolean ignoreBudget;

  @Option(names = "--serve", arity = "0..1", fallbackValue = "" + DEFAULT_SERVE_PORT, paramLabel = "PORT",
      description = "Serve a live view while the run goes: a page at http://HOST:PORT/ that updates as stages and "
          + "generations finish, and /metrics in Prometheus' text format (default port " + DEFAULT_SERVE_PORT
          + "; 0 picks a free one). It only watches: outputs are the same with or without it.")
  Integer serve;

  @Option(names = "--serve-host", paramLabel = "HOST", description = "The address the live view binds (default "
      + "127.0.0.1: this machine only; 0.0.0.0 exposes it, unauthenticated, to the network).")
  String serveHost = "127.0.0.1";

  /** The batch's shared work results, once the run has started; null for one run or with --no-reuse. */
  private io.priorflow.engine.run.SharedResults sharedResults;

  /** The live view's port when --serve names none. */
  static final int DEFAULT_SERVE_PORT = 8321;

  @picocli.CommandLine.Mixin
  RunClusterOptions cluster = new RunClusterOptions(); // --nodes, --cluster, --members, --tls: the README's Cluster

  @Override
  public Integer call() throws Exception {
    if (resume != null) return resumed().runOne();
    if (scenarioFiles.isEmpty()) {
      throw new IllegalArgumentException("give a SCENARIO file to run, or --resume DIR to continue a run");
    }
    if (scenarioFiles.size() > 1) return runEach();
    scenarioFile = scenarioFiles.get(0);
    return runOne();
  }

  /** Performs the run of {@link #scenarioFile} into {@link #out} (or runs/&lt;its name&gt;): the exit status. */
  private Integer runOne() throws Exception {
    List<String> overrides = overrides();
    LoadedScenario loaded = loadOrSay(scenarioFile, overrides);
    if (loaded == null) return 2;
    Scenario sc = loaded.scenario();
    List<RunSpec> runs = runs(loaded.sweep(), loaded.counterfactuals());
    ScenarioRun.checkSupported(sc);
    int t = checkOptions();
    Path dir = out != null ? out : Path.of("runs", sc.name());
    if (!resuming) requireFreshDirectory(dir);
    boolean batch = runs.size() > 1;
    int lanes = batch ? lanes(runs.size()) : 1;
    checkBudget(RunBudget.ofRuns(loaded, runs, lanes), ignoreBudget);
    if (!resuming) ResumeCommand.save(this, dir); // before any work: from here on, the run can be resumed

    Map<String, Integer> generations = new LinkedHashMap<>();
    sc.lineages().forEach(l -> generations.put(l.name(), l.generations()));
    Throwable failure = null;
    MetricsTable table = null;
    long t0 = System.nanoTime();
    Vertx vertx = null;
    RunLanes vertxLanes = null;
    io.priorflow.live.LiveView live = null;
    try (KernelBackend be = Backends.create(backend, t);
         RunProgress progress = new RunProgress(System.console() != null, System.err, generations,
             batch ? runs.size() : 0)) {
      // The director's Vertx, whose event bus also carries the actors of lane 0; other lanes get their own.
      ClusterRun clustered = cluster.start(local); // null: this JVM only; else the director of a cluster
      io.priorflow.live.LiveMetrics liveMetrics = serve == null ? null : new io.priorflow.live.LiveMetrics(
          System::nanoTime, () -> clustered == null ? 1 : clustered.node().members().size());
      // Vert.x's own metrics need the registry when the Vertx is made; a cluster's Vertx is made without them.
      vertx = clustered != null ? clustered.vertx()
          : RunLanes.newVertx(liveMetrics == null ? null : liveMetrics.registry());
      if (liveMetrics != null) {
        live = io.priorflow.live.LiveView.start(vertx, serveHost, serve, liveMetrics, sc.name());
        progress.watchedBy(live);
        System.err.println("priorflow: live view " + live.url() + " (Prometheus metrics: " + live.url() + "metrics)");
      }
      DirectorVerticle[] directorOf = new DirectorVerticle[1];
      // An Error no handler caught (out of memory while decoding, say) ends the run now rather than leaving an
      // item to time out; exceptions are for their handlers, which the bus's own logging reports.
      RunLanes perLane = new RunLanes(vertx, e -> {
        if (e instanceof Error && directorOf[0] != null) directorOf[0].abort(e);
      });
      vertxLanes = perLane;
      // work the runs of a batch have in common (an unswept lineage, a shared base) is performed once; only runs of
      // equal contexts can share, so a batch whose runs each have their own (replicates: a seed each) keys nothing
      io.priorflow.engine.run.SharedResults shared = batch && !noReuse
          && io.priorflow.engine.run.SharedResults.anyShared(runs.stream().map(r -> io.priorflow.engine.run
              .SharedResults.context(r.scenario(loaded).scenario(), be.name(), be.device())).toList())
          ? new io.priorflow.engine.run.SharedResults() : null;
      sharedResults = shared;
      Batch.Runner runner = (spec, scenario, outputs, listener, lane) ->
          perform(spec, scenario, outputs.withProvenance(provenance), listener, be, local ? null
              : clustered != null ? clustered::vertx : () -> perLane.vertx(lane), overrides,
              batch ? 1 : Integer.MAX_VALUE, shared); // on a cluster, a batch's runs take a worker node each
      DirectorVerticle.Work work;
      if (batch) {
        Batch b = new Batch(loaded, runs, dir, lanes, runner, progress);
        work = b::run;
      } else {
        RunSpec only = runs.get(0);
        work = () -> runner.run(only, only.scenario(loaded), new RunOutputs(dir), progress, 0);
      }
      DirectorVerticle director = new DirectorVerticle(work);
      directorOf[0] = director;
      String deployment = vertx.deployVerticle(director).toCompletionStage().toCompletableFuture().get();
      Vertx v = vertx;
      Thread hook = new Thread(() -> {
        try { // Ctrl-C: stop the director; it returns once the run's thread has stopped writing
          v.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // the JVM is exiting either way
        }
        System.err.println("\npriorflow: interrupted; the " + (batch ? "runs" : "generations") + " already finished "
            + "are complete in " + dir + (batch ? " (runs.csv says which)" : "") + " (priorflow report " + dir
            + " draws their report)");
      }, "pf-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        table = director.result().toCompletionStage().toCompletableFuture().get();
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
      }
      if (live != null) {
        live.ended(failure == null ? "done" : failure instanceof InterruptedException ? "interrupted" : "failed");
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      if (live != null) live.close();
      if (vertxLanes != null) vertxLanes.close();
      if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    Throwable f = failure;
    if (f instanceof InterruptedException) return 130;
    if (f instanceof IllegalArgumentException e) throw e;
    if (f != null) {
      System.err.println("priorflow: the run failed: " + describe(f) + "; the " + (batch ? "runs" : "generations")
          + " already finished are complete in " + dir + (System.getenv("PF_DEBUG") != null ? ""
          : " (PF_DEBUG=1 prints the stack trace)"));
      if (System.getenv("PF_DEBUG") != null) f.printStackTrace(System.err);
      return 1;
    }
    ResumeCommand.finished(dir);
    if (sharedResults != null && sharedResults.reused() > 0) {
      System.err.printf(java.util.Locale.ROOT, "priorflow: %d of %d work items were shared between runs of the batch "
          + "(performed once; --no-reuse performs each run's own)%n", sharedResults.reused(),
          sharedResults.reused() + sharedResults.performed());
    }
    Summary.print(table, System.out, loaded.counterfactuals().stream().map(c -> c.name()).toList(),
        extraTraits(loaded.scenario()));
    ReportWriter.Result report = ReportWriter.write(dir);
    System.out.printf(java.util.Locale.ROOT, "%nrun directory: %s (%.1f s)%s%nreport: %s%n", dir,
        (System.nanoTime() - t0) / 1e9, batch ? String.format(java.util.Locale.ROOT, "; %d runs in %s/, their "
            + "statistics in %s", runs.size(), RunOutputs.RUNS, io.priorflow.engine.metrics.SummaryTable.FILE_NAME)
            : "", report.file());
    return 0;
  }

  /**
   * Several scenario files, one after the other in this JVM. Every one is checked first — its file, the options
   * against it, a run directory of its own that holds no run, its memory budget — so that bad input is exit 2
   * before any work; then each runs exactly as it would alone (the same files, but for the times in events.jsonl
   * and the report). A run that fails does not stop the others; Ctrl-C does. Exit status: 130 interrupted; else 1
   * if a run failed; else 2 if a run was refused when its turn came (its directory could not be written); else 0.
   */
  private Integer runEach() throws Exception {
    List<String> overrides = overrides();
    Path parent = out;
    checkOptions();
    Map<Path, Path> fileOfDir = new LinkedHashMap<>(); // run directory → its scenario file, in the files' order
    for (Path f : scenarioFiles) {
      LoadedScenario loaded = loadOrSay(f, overrides);
      if (loaded == null) return 2;
      Scenario sc = loaded.scenario();
      Path dir = parent != null ? parent.resolve(sc.name()) : Path.of("runs", sc.name());
      try {
        List<RunSpec> runs = runs(loaded.sweep(), loaded.counterfactuals());
        ScenarioRun.checkSupported(sc);
        requireNoRun(dir);
        String refusal = RunBudget.ofRuns(loaded, runs, runs.size() > 1 ? lanes(runs.size()) : 1)
            .refusal(Runtime.getRuntime().maxMemory());
        if (refusal != null && !ignoreBudget) throw new IllegalArgumentException(refusal);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
      }
      Path other = fileOfDir.putIfAbsent(dir, f);
      if (other != null) {
        throw new IllegalArgumentException(other + " and " + f + " would both run into " + dir + " (both scenarios "
            + "are named " + sc.name() + "); rename one, or run them one at a time with their own --out");
      }
    }
    String row = "  %-11s %8s  %-" + fileOfDir.values().stream().mapToInt(f -> f.toString().length()).max().orElse(1)
        + "s  %s";
    // the directory that holds them all: one that cannot be made or written is bad input found before any run
    requireWritableDirectory(parent != null ? parent : Path.of("runs"));
    List<String> rows = new ArrayList<>();
    int done = 0, failed = 0, refused = 0;
    boolean interrupted = false;
    long t0 = System.nanoTime();
    int i = 0;
    for (Map.Entry<Path, Path> e : fileOfDir.entrySet()) {
      Path dir = e.getKey(), f = e.getValue();
      System.err.printf(java.util.Locale.ROOT, "%npriorflow: scenario %d of %d: %s -> %s%n", ++i, fileOfDir.size(),
          f, dir);
      scenarioFile = f;
      out = dir;
      resuming = false;
      sharedResults = null;
      long s0 = System.nanoTime();
      int rc;
      try {
        rc = runOne();
      } catch (IllegalArgumentException x) {
        System.err.println("priorflow: " + f + ": " + x.getMessage());
        rc = 2;
      } catch (Exception x) { // a bug: the other scenarios still run
        System.err.println("priorflow: " + f + ": failed: " + x + (System.getenv("PF_DEBUG") != null ? ""
            : " (PF_DEBUG=1 prints the stack trace)"));
        if (System.getenv("PF_DEBUG") != null) x.printStackTrace(System.err);
        rc = 1;
      }
      String status = switch (rc) {
        case 0 -> "done";
        case 2 -> "refused";
        case 130 -> "interrupted";
        default -> "failed";
      };
      rows.add(String.format(java.util.Locale.ROOT, row, status,
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - s0) / 1e9), f, dir));
      if (rc == 0) done++;
      else if (rc == 2) refused++;
      else if (rc == 130) interrupted = true;
      else failed++;
      if (interrupted) break;
    }
    for (Map.Entry<Path, Path> e : fileOfDir.entrySet().stream().skip(rows.size()).toList()) {
      rows.add(String.format(java.util.Locale.ROOT, row, "not started", "-", e.getValue(), e.getKey()));
    }
    System.out.printf(java.util.Locale.ROOT, "%n%d scenarios: %d done, %d failed, %d refused%s (%.1f s)%n",
        fileOfDir.size(), done, failed, refused, interrupted ? ", interrupted" : "", (System.nanoTime() - t0) / 1e9);
    System.out.println(String.format(java.util.Locale.ROOT, row, "status", "seconds", "scenario", "run directory"));
    rows.forEach(System.out::println);
    return interrupted ? 130 : failed > 0 ? 1 : refused > 0 ? 2 : 0;
  }

  /** The field overrides of the options: every --set, then --seed as seed=N. */
  private List<String> overrides() {
    List<String> overrides = new ArrayList<>(sets);
    if (seed != null) overrides.add("seed=" + seed);
    return overrides;
  }

  /**
   * The scenario file with these overrides and the options' sweeps and counterfactuals; null, after printing every
   * problem (file, line, column, field) on stderr, when it is invalid — the caller's exit status 2.
   */
  private LoadedScenario loadOrSay(Path file, List<String> overrides) {
    try {
      return ScenarioLoader.load(file, overrides, sweeps, counterfactuals);
    } catch (ScenarioException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  /**
   * The options that do not depend on the scenario, checked before anything is written (IllegalArgumentException:
   * exit 2); returns the kernel thread count. An unknown or unavailable --backend found later left a run directory
   * that looked like an interrupted run, whose --resume failed the same way.
   */
  private int checkOptions() {
    if (!Backends.names().contains(backend)) Backends.create(backend, 1).close(); // throws with Backends' message
    int t = threads != null ? threads : Backends.defaultThreads();
    if (t < 1 || t > 1024) throw new IllegalArgumentException("--threads must be in [1, 1024], was " + t);
    if (serve != null && (serve < 0 || serve > 65535)) {
      throw new IllegalArgumentException("--serve PORT must be in [0, 65535], was " + serve);
    }
    return t;
  }

  /** The world's extra traits: name → desirable (the default traits' directions are in MetricCatalog). */
  static java.util.Map<String, Boolean> extraTraits(io.priorflow.engine.scenario.Scenario sc) {
    java.util.Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    if (sc.world() != null) {
      sc.world().extraTraits().forEach(t -> out.put(t.name(), t.desirable()));
    }
    return out;
  }

  /**
   * The runs the options select: every (or the --point) sweep point × every (or the --replicate) replicate, each
   * under the factual scenario and every counterfactual (a batch whenever there are counterfactuals).
   */
  List<RunSpec> runs(Sweep sweep, List<io.priorflow.engine.scenario.Counterfactual> cfs) {
    if (replicate != null && replicates != null) {
      throw new IllegalArgumentException("--replicate R runs one replicate and --replicates N runs N; give one");
    }
    if (replicates != null && (replicates < 1 || replicates > Sweep.MAX_RUNS)) {
      throw new IllegalArgumentException("--replicates must be in [1, " + Sweep.MAX_RUNS + "], was " + replicates);
    }
    if (replicate != null && replicate < 0) {
      throw new IllegalArgumentException("--replicate must be ≥ 0, was " + replicate);
    }
    if (point != null && (point < 0 || point >= sweep.points())) {
      throw new IllegalArgumentException("--point must be in [0, " + (sweep.points() - 1) + "] (the sweep has "
          + sweep.points() + (sweep.points() == 1 ? " point" : " points") + "), was " + point);
    }
    List<Integer> points = point != null ? List.of(point) : IntStream.range(0, sweep.points()).boxed().toList();
    List<Integer> reps = replicate != null ? List.of(replicate)
        : IntStream.range(0, replicates != null ? replicates : 1).boxed().toList();
    long variants = cfs.isEmpty() ? 1 : cfs.size() + 1;
    long total = (long) points.size() * reps.size() * variants;
    if (total > Sweep.MAX_RUNS) {
      throw new IllegalArgumentException(points.size() + " sweep points × " + reps.size() + " replicates"
          + (cfs.isEmpty() ? "" : " × " + variants + " (factual and counterfactual) runs") + " = " + total
          + " runs, more than the " + Sweep.MAX_RUNS + " one command may start; use fewer replicates or sweep "
          + "fewer values");
    }
    return RunSpec.grid(sweep, points, reps, cfs, total > 1);
  }

  /**
   * Prints the run's budget (memory, work, time) on stderr, and refuses (IllegalArgumentException: exit 2) when its
   * memory exceeds this JVM's heap, unless told to ignore it.
   */
  static void checkBudget(RunBudget budget, boolean ignore) {
    long heap = Runtime.getRuntime().maxMemory();
    System.err.println(budget.describe(heap, Runtime.getRuntime().availableProcessors()));
    String refusal = budget.refusal(heap);
    if (refusal != null && !ignore) throw new IllegalArgumentException(refusal);
    if (refusal != null) System.err.println("priorflow: " + refusal.replace("; --ignore-budget runs it anyway", "")
        + "; running it anyway (--ignore-budget)");
  }

  /**
   * Runs of a batch at once: --parallel, or one per core (with --nodes N, at least one per worker node: each runs
   * whole runs), never more than there are runs.
   */
  int lanes(int runs) {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    int k = parallel != null ? parallel : Math.min(64, Math.max(cores, cluster.nodes - 1));
    if (k < 1 || k > 64) throw new IllegalArgumentException("--parallel must be in [1, 64], was " + k);
    return Math.min(k, runs);
  }

  /**
   * Performs one run into its directory: an analytic world in this thread; a token world by actors deployed for the
   * run alone on its lane's event bus (or, with no lane, in this thread), with the run's own world, random streams,
   * evaluation set and model store, all dropped when the run ends.
   */
  static MetricsTable perform(RunSpec spec, LoadedScenario scenario, RunOutputs outputs,
                              ScenarioRun.Listener listener, KernelBackend be,
                              java.util.function.Supplier<Vertx> lane, List<String> overrides)
      throws InterruptedException {
    return perform(spec, scenario, outputs, listener, be, lane, overrides, Integer.MAX_VALUE, null);
  }

  /**
   * As above, on a cluster on at most {@code maxNodes} worker nodes; with {@code shared} (a batch's), the run takes
   * from it the results of work items another run of the batch performed, and leaves its own there.
   */
  static MetricsTable perform(RunSpec spec, LoadedScenario scenario, RunOutputs outputs,
                              ScenarioRun.Listener listener, KernelBackend be,
                              java.util.function.Supplier<Vertx> lane, List<String> overrides, int maxNodes,
                              io.priorflow.engine.run.SharedResults shared)
      throws InterruptedException {
    Scenario sc = scenario.scenario();
    ScenarioRun.checkSupported(sc);
    RunLineage lineage = RunLineage.current(ScenarioRun.resultSha256(sc), sc.seed(), resultRelevant(overrides),
        be.name(), be.device());
    if (sc.analytic() != null) { // seconds of work: a resumed analytic run starts again
      io.priorflow.engine.metrics.MetricsTable t;
      try {
        java.nio.file.Files.deleteIfExists(outputs.dir().resolve(RunOutputs.EVENTS));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      t = AnalyticRun.run(scenario, outputs, lineage, listener, spec.replicate(), spec.params());
      ResumeCommand.finished(outputs.dir());
      return t;
    }
    // On a cluster director's bus the run's actors go to the worker nodes and its models to the cluster's store.
    ClusterRun.Hosted hosted = lane == null ? null : ClusterRun.host(lane.get(), scenario, be.name(), maxNodes);
    ModelStore store = hosted != null ? hosted.models() : new MemoryModelStore();
    WorkContext ctx = ScenarioRun.context(sc, store, be);
    ActorNode node = null;
    EventBusExecutor busExecutor = null;
    try (hosted) {
      WorkExecutor executor;
      if (lane == null) {
        executor = new LocalExecutor(ctx);
      } else if (hosted != null) {
        executor = hosted.executor();
      } else {
        Vertx bus = lane.get();
        node = new ActorNode(bus, ctx);
        await(node.deploy(sc.actors()));
        busExecutor = new EventBusExecutor(bus, ExecutorConfig.forActors(sc.actors()));
        executor = busExecutor;
      }
      // every stage's results go to the run's checkpoint, and a resumed run replays them from it
      if (shared != null) {
        executor = shared.over(executor, io.priorflow.engine.run.SharedResults.context(sc, be.name(), be.device()),
            store, outputs);
      }
      io.priorflow.engine.run.CheckpointExecutor checkpoint =
          new io.priorflow.engine.run.CheckpointExecutor(outputs, executor, store);
      MetricsTable t = new ScenarioRun(scenario, ctx.world(), store, checkpoint, outputs, lineage, listener,
          spec.replicate(), spec.params()).run();
      checkpoint.finish();
      return t;
    } finally {
      // the lane's bus serves the next run: its actors (and through them the run's models) must go
      if (busExecutor != null) awaitQuietly(busExecutor.close());
      if (node != null) awaitQuietly(node.undeploy());
    }
  }

  private static void await(Future<?> f) throws InterruptedException {
    try {
      f.toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot deploy the run's actors: " + e.getCause(), e.getCause());
    }
  }

  /** Waits up to 30 s, also when this thread was interrupted (keeping the interrupt for its caller). */
  private static void awaitQuietly(Future<?> f) {
    boolean interrupted = Thread.interrupted();
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (Exception ignored) {
      // the bus is closing: nothing left to undeploy
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * A failure in one line: a work item's names the item and the actor's message; running out of heap says what to
   * lower; anything else is its type and message (a bug: PF_DEBUG=1 shows where).
   */
  static String describe(Throwable f) {
    if (f instanceof WorkFailedException w) return w.getMessage();
    for (Throwable c = f; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError oom) {
        return "the director ran " + io.priorflow.verticles.bus.Failure.outOfMemory(oom);
      }
    }
    return f instanceof IllegalStateException && f.getMessage() != null ? f.getMessage() : f.toString();
  }

  /** The overrides lineage records: all but actor instance counts, which cannot change results. */
  static List<String> resultRelevant(List<String> overrides) {
    return overrides.stream()
        .filter(o -> !o.matches("actors\\.(critics|generators|trainers|evaluators|redTeamers|retrievers)\\.count=.*"))
        .toList();
  }

  /**
   * The command that continues the run in {@link #resume}: the scenario and result-relevant options it was started
   * with ({@link ResumeCommand}), and this command's choice of nodes, threads, lanes and executor.
   */
  private RunCommand resumed() {
    if (!scenarioFiles.isEmpty()) {
      throw new IllegalArgumentException("--resume continues a run with the scenario it was started with; give no "
          + "SCENARIO (" + scenarioFiles.get(0) + ")");
    }
    if (out != null || seed != null || !sets.isEmpty() || !sweeps.isEmpty() || !counterfactuals.isEmpty()
        || replicates != null || replicate != null || point != null || provenance) {
      throw new IllegalArgumentException("--resume takes the run's own --out, --seed, --set, --sweep, "
          + "--counterfactual, --replicates, --replicate, --point and --provenance; give none of them");
    }
    RunCommand r = ResumeCommand.load(resume);
    try { // a file being written when the run was killed left its temporary copy: not part of any run's outputs
      io.priorflow.engine.io.AtomicFiles.removeLeftovers(resume);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(resume + ": cannot remove the temporary files of the interrupted run", e);
    }
    r.resuming = true;
    r.out = resume;
    r.threads = threads;
    r.parallel = parallel;
    r.local = local;
    r.cluster = cluster;
    r.ignoreBudget = ignoreBudget;
    System.err.println("priorflow: resuming the run in " + resume);
    return r;
  }

  /**
   * A run never overwrites another: the directory must be missing or empty. It is created here, and a file is
   * written and removed in it, so that a directory that cannot be made or written (under a regular file, in /proc,
   * read-only) is bad input found before any work, not a failure after it.
   */
  static void requireFreshDirectory(Path dir) {
    requireNoRun(dir);
    requireWritableDirectory(dir);
  }

  /** The checks of {@link #requireFreshDirectory} that create nothing: {@code dir} is missing or an empty directory. */
  static void requireNoRun(Path dir) {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": exists and is not a directory");
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          if (ResumeCommand.unfinished(dir)) {
            throw new IllegalArgumentException(dir + ": holds a run that did not finish; continue it with "
                + "priorflow run --resume " + dir + ", or choose another --out");
          }
          throw new IllegalArgumentException(dir + ": already holds files (a previous run?); choose another --out "
              + "or remove it");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(dir + ": cannot list the run directory (" + describeIo(e) + ")");
      }
    }
  }

  /** Creates {@code dir} if needed and checks that a file can be written in it; IllegalArgumentException if not. */
  static void requireWritableDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".pf-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(dir + ": cannot create or write the run directory (" + describeIo(e)
          + "); choose another --out");
    }
  }

  /** An I/O exception's reason, without the exception's class name: "Not a directory", "Permission denied", …. */
  static String describeIo(Exception e) {
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return (fs.getFile() != null ? fs.getFile() + ": " : "") + fs.getReason();
    }
    if (e instanceof java.nio.file.AccessDeniedException) return e.getMessage() + ": permission denied";
    if (e instanceof java.nio.file.FileAlreadyExistsException) return e.getMessage() + " exists and is not a directory";
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
