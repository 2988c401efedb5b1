package io.priorflow.verticles.cluster;

import static io.priorflow.verticles.cluster.ClusterTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.kernels.backend.ReferenceBackend;
import io.priorflow.verticles.ActorNode;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.TestWork;
import io.priorflow.verticles.bus.DeployActors;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement, not a check (skipped unless {@code PF_BENCH=1}): work items per second through the director's
 * {@link EventBusExecutor} on one node (actors on the director's embedded bus) and on three (the director here, two
 * {@code priorflow node} JVMs on loopback), for cheap items (sampling a few tokens: the bus, the codec and the
 * director's bookkeeping dominate) and for heavier ones (training steps: the actors' CPU dominates). Each node runs
 * two actors per role. Prints a table; README "Cluster" quotes it.
 */
@Tag("cluster")
@Timeout(600)
class ClusterThroughputIT {
  private static final int CHEAP = 1500, HEAVY = 60, ROUNDS = 3;

  private static Map<Role, Integer> each(int n) {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role r : Role.values()) counts.put(r, n);
    return counts;
  }

  private static List<WorkItem> items(TestWork work, String prefix, int n, boolean heavy) {
    List<WorkItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + "/" + String.format(Locale.ROOT, "%05d", i);
      out.add(heavy ? train(work, id) : work.sample(id));
    }
    return out;
  }

  /** A training run of a small model on 200 world examples, 2 epochs: tens of milliseconds of CPU. */
  private static WorkItem train(TestWork work, String id) {
    List<Example> ex = TestWork.examples(id, 200);
    TokenModelConfig model = new TokenModelConfig(TokenModelConfig.Head.TOKEN, TestWork.WORLD.vocabulary().size(), 4,
        16, List.of(64), TokenModelConfig.Activation.GELU, Vocabulary.PAD);
    return new TrainWork(id, "lm", model, null, ex.stream().map(Example::sequence).toList(),
        ex.stream().mapToInt(e -> e.prompt().length()).toArray(), null, 2, 16, 1e-2, "cosine", 1,
        OptimizerConfig.defaults());
  }

  /** Best of {@link #ROUNDS} rounds (after one warm-up round), items per second. */
  private static double rate(EventBusExecutor bus, Function<String, List<WorkItem>> stage) throws Exception {
    bus.execute("warm-up", stage.apply("warm-up"));
    double best = 0;
    for (int r = 0; r < ROUNDS; r++) {
      List<WorkItem> items = stage.apply("round-" + r);
      long t0 = System.nanoTime();
      assertEquals(items.size(), bus.execute("round-" + r, items).size());
      best = Math.max(best, items.size() / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }

  @Test
  void itemsPerSecondThroughTheDirectorOnOneAndThreeNodes() throws Exception {
    assumeTrue(System.getenv("PF_BENCH") != null, "a measurement: PF_BENCH=1 runs it");
    Map<Role, Integer> perNode = each(2);

    Vertx embedded = JacksonCodec.register(Vertx.vertx());
    double oneCheap, oneHeavy;
    try {
      TestWork work = new TestWork(new MemoryModelStore());
      LoadedScenario sc = ClusterTesting.defaultScenario();
      await(new ActorNode(embedded, NodeWork.context(sc.scenario(), work.models, new ReferenceBackend()))
          .deploy(perNode));
      EventBusExecutor bus = new EventBusExecutor(embedded, ExecutorConfig.forActors(perNode));
      oneCheap = rate(bus, p -> items(work, "one/" + p, CHEAP, false));
      oneHeavy = rate(bus, p -> items(work, "one/" + p, HEAVY, true));
    } finally {
      await(embedded.close());
    }

    String cluster = ClusterTesting.clusterName();
    ClusterNode director = await(ClusterNode.start(ClusterTesting.loopback(cluster, null)));
    List<Process> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        workers.add(new ProcessBuilder(JavaCommand.of(LocalNodes.MAIN, List.of("node", "--cluster", cluster,
            "--port", String.valueOf(LocalNodes.freePort("127.0.0.1")), "--members", director.memberAddress(),
            "--threads", "1"))).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
      }
      String runId = "run-" + UUID.randomUUID();
      HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
      TestWork work = new TestWork(store);
      LoadedScenario sc = ClusterTesting.defaultScenario();
      EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(perNode), runId);
      WorkerPoolVerticle pool = new WorkerPoolVerticle(director, new DeployActors(runId, director.nodeId(),
          sc.resolvedYaml(), sc.sha256(), RunLineage.currentProjectVersion(), "reference", perNode), bus, l -> { },
          store::destroy);
      await(director.vertx().deployVerticle(pool));
      await(pool.awaitWorkers(2, Duration.ofSeconds(120)));
      double threeCheap = rate(bus, p -> items(work, "three/" + p, CHEAP, false));
      double threeHeavy = rate(bus, p -> items(work, "three/" + p, HEAVY, true));
      System.out.printf(Locale.ROOT, "%nClusterThroughputIT: work items per second through the director (best of %d; "
              + "%d cores; 2 actors per role per node)%n"
              + "  %-44s %10s %10s%n  %-44s %10.0f %10.0f%n  %-44s %10.0f %10.0f%n",
          ROUNDS, Runtime.getRuntime().availableProcessors(), "", "1 node", "3 nodes",
          "cheap items (sample 5 tokens, " + CHEAP + " a stage)", oneCheap, threeCheap,
          "heavier items (a small training run, " + HEAVY + " a stage)", oneHeavy, threeHeavy);
    } finally {
      await(director.close());
      for (Process p : workers) {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
      }
    }
  }
}
