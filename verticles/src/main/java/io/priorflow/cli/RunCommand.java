package io.priorflow.cli;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.run.LocalExecutor;
import io.priorflow.engine.run.RunOutputs;
import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.run.WorkExecutor;
import io.priorflow.engine.run.WorkFailedException;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioException;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.report.ReportWriter;
import io.priorflow.verticles.ActorNode;
import io.priorflow.verticles.DirectorVerticle;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code priorflow run SCENARIO}: runs a scenario and writes the run directory of DESIGN.md §7. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a scenario: every lineage, generation by generation, then write metrics.csv, "
        + "metrics.jsonl, lineage.json, events.jsonl, scenario.yaml, models/ and report.html into the run directory.",
    footer = {"", "Examples:", "  ./priorflow run scenarios/quickstart.yaml",
        "  ./priorflow run scenarios/quickstart.yaml --out runs/qs --seed 7",
        "  ./priorflow run scenarios/tiny.yaml --set lineages[0].generations=1",
        "", "Exit status: 0 done; 2 the scenario or an argument is invalid; 1 the run failed; 130 interrupted "
        + "(Ctrl-C: the generations already finished stay complete in the run directory)."})
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (YAML).")
  Path scenarioFile;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<scenario name>). It must "
      + "not hold a run already.")
  Path out;

  @Option(names = "--seed", description = "Override the scenario's seed.")
  Long seed;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a field, e.g. "
      + "lineages[0].generations=3 (repeatable); validated like the file.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--backend", description = "Kernel backend: java (default) or reference.")
  String backend = Backends.DEFAULT;

  @Option(names = "--threads", description = "Kernel threads (default: all cores). Results do not depend on it.")
  Integer threads;

  @Option(names = "--local", description = "Perform every work item in the director's thread instead of sending it to "
      + "actor verticles on the event bus (for debugging; the results are identical).")
  boolean local;

  @Override
  public Integer call() throws Exception {
    List<String> overrides = new ArrayList<>(sets);
    if (seed != null) overrides.add("seed=" + seed);
    LoadedScenario loaded;
    try {
      loaded = ScenarioLoader.load(scenarioFile, overrides);
    } catch (ScenarioException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Scenario sc = loaded.scenario();
    ScenarioRun.checkSupported(sc);
    Path dir = out != null ? out : Path.of("runs", sc.name());
    requireFreshDirectory(dir);
    int t = threads != null ? threads : Backends.defaultThreads();
    if (t < 1 || t > 1024) throw new IllegalArgumentException("--threads must be in [1, 1024], was " + t);

    World world = ScenarioRun.world(sc);
    Map<String, Integer> generations = new LinkedHashMap<>();
    sc.lineages().forEach(l -> generations.put(l.name(), l.generations()));
    Throwable failure = null;
    MetricsTable table = null;
    long t0 = System.nanoTime();
    Vertx vertx = null;
    try (KernelBackend be = Backends.create(backend, t);
         RunProgress progress = new RunProgress(System.console() != null, System.err, generations)) {
      RandomStreams streams = new RandomStreams(sc.seed());
      var ev = sc.evaluation();
      EvaluationSet evalSet = EvaluationSet.draw(world, ev.prompts(), ev.samplesPerPrompt(), (float) ev.temperature(),
          400, streams);
      MemoryModelStore store = new MemoryModelStore();
      WorkContext ctx = new WorkContext(world, streams, store, be, evalSet);
      RunLineage lineage = RunLineage.current(ScenarioRun.resultSha256(sc), sc.seed(), resultRelevant(overrides),
          be.name(), be.device());
      RunOutputs outputs = new RunOutputs(dir);
      // The actors, on an embedded (non-clustered) event bus, and the director. Training items may run for minutes
      // on a worker thread, which is their place, so Vert.x's blocked-worker warning is raised to an hour.
      vertx = JacksonCodec.register(Vertx.vertx(new VertxOptions()
          .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(java.util.concurrent.TimeUnit.HOURS)));
      WorkExecutor executor;
      if (local) {
        executor = new LocalExecutor(ctx);
      } else {
        new ActorNode(vertx, ctx).deploy(sc.actors()).toCompletionStage().toCompletableFuture().get();
        executor = new EventBusExecutor(vertx, ExecutorConfig.forActors(sc.actors()));
      }
      DirectorVerticle director = new DirectorVerticle(
          new ScenarioRun(loaded, world, store, executor, outputs, lineage, progress));
      String deployment = vertx.deployVerticle(director).toCompletionStage().toCompletableFuture().get();
      Vertx v = vertx;
      Thread hook = new Thread(() -> {
        try { // Ctrl-C: stop the director; it returns once the run's thread has stopped writing
          v.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // the JVM is exiting either way
        }
        System.err.println("\npriorflow: interrupted; the generations already finished are complete in " + dir
            + " (priorflow report " + dir + " draws their report)");
      }, "pf-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        table = director.result().toCompletionStage().toCompletableFuture().get();
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    Throwable f = failure;
    if (f instanceof InterruptedException) return 130;
    if (f instanceof WorkFailedException w) {
      System.err.println("priorflow: the run failed: " + w.getMessage());
      return 1;
    }
    if (f instanceof IllegalArgumentException e) throw e;
    if (f != null) throw new IllegalStateException(f.toString(), f);
    Summary.print(table, System.out);
    ReportWriter.Result report = ReportWriter.write(dir);
    System.out.printf(java.util.Locale.ROOT, "%nrun directory: %s (%.1f s)%nreport: %s%n", dir,
        (System.nanoTime() - t0) / 1e9, report.file());
    return 0;
  }

  /** The overrides lineage records: all but actor instance counts, which cannot change results. */
  static List<String> resultRelevant(List<String> overrides) {
    return overrides.stream()
        .filter(o -> !o.matches("actors\\.(critics|generators|trainers|evaluators|redTeamers)\\.count=.*")).toList();
  }

  /** A run never overwrites another: the directory must be missing or empty. */
  static void requireFreshDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": exists and is not a directory");
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException(dir + ": already holds files (a previous run?); choose another --out "
              + "or remove it");
        }
      }
    }
  }
}
