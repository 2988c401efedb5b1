package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.run.LocalExecutor;
import io.priorflow.engine.run.RunOutputs;
import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.run.WorkExecutor;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The director under failure, end to end: a whole scenario runs on the actor runtime while one extra generator
 * instance misbehaves (drops, answers late, answers twice, or dies mid-stage). The run completes, and its
 * metrics.csv and lineage.json are byte-identical to an undisturbed run on the local executor.
 */
class DirectorFailureTest {
  static final String SCENARIO = """
      name: failures
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 32, epochs: 1 }
      actors: { humans: { count: 2 }, critics: { count: 1, temperature: 0.2 } }
      lineages:
        - name: distill
          generations: 2
          base: { pretrainExamples: 400, epochs: 1 }
          stages:
            - { kind: generate, samples: 320 }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: label, by: humans, sample: 10, task: correct }
            - { kind: train, method: sft }
      evaluation: { prompts: 20, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;

  private static void run(Path dir, FaultyActor.Fault fault) throws Exception {
    LoadedScenario loaded = ScenarioLoader.parse(SCENARIO, "failures.yaml", List.of());
    World world = ScenarioRun.world(loaded.scenario());
    RandomStreams streams = new RandomStreams(loaded.scenario().seed());
    try (KernelBackend be = Backends.create("java", 2)) {
      MemoryModelStore store = new MemoryModelStore();
      var ev = loaded.scenario().evaluation();
      WorkContext ctx = new WorkContext(world, streams, store, be,
          EvaluationSet.draw(world, ev.prompts(), ev.samplesPerPrompt(), (float) ev.temperature(), 50, streams));
      RunLineage lineage = RunLineage.current(ScenarioRun.resultSha256(loaded.scenario()), 5, List.of(), be.name(),
          be.device());
      Vertx vertx = null;
      try {
        WorkExecutor executor;
        if (fault == null) {
          executor = new LocalExecutor(ctx);
        } else {
          vertx = JacksonCodec.register(Vertx.vertx());
          new ActorNode(vertx, ctx).deploy(Map.of(Role.GENERATOR, 1, Role.CRITIC, 1, Role.HUMAN, 1, Role.TRAINER, 1,
              Role.EVALUATOR, 1)).toCompletionStage().toCompletableFuture().get();
          vertx.deployVerticle(new FaultyActor(Role.GENERATOR, ctx, fault, 700),
              new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).toCompletionStage()
              .toCompletableFuture().get();
          executor = new EventBusExecutor(vertx, ExecutorConfig.forActors(Map.of(Role.GENERATOR, 2, Role.CRITIC, 1,
              Role.HUMAN, 1, Role.TRAINER, 1, Role.EVALUATOR, 1)).withTimeout(Role.GENERATOR, Duration.ofMillis(400))
              .withRetryDelay(Duration.ofMillis(50)));
        }
        new ScenarioRun(loaded, world, store, executor, new RunOutputs(dir), lineage, new ScenarioRun.Listener() {})
            .run();
        if (fault != null) assertTrue(executor.retries() > 0 || fault == FaultyActor.Fault.TWICE, "no retries");
      } finally {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = FaultyActor.Fault.class, names = {"DROP_FIRST", "LATE_FIRST", "TWICE", "DIE"})
  void aMisbehavingActorChangesNothing(FaultyActor.Fault fault) throws Exception {
    run(tmp.resolve("calm"), null);
    run(tmp.resolve("faulty"), fault);
    for (String f : List.of("metrics.csv", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("calm").resolve(f)),
          Files.readAllBytes(tmp.resolve("faulty").resolve(f)), f + " differs under " + fault);
    }
  }
}
