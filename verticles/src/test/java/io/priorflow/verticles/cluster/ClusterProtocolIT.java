package io.priorflow.verticles.cluster;

import static io.priorflow.verticles.cluster.ClusterTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.ModelFileException;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.run.LocalExecutor;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.kernels.backend.ReferenceBackend;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.TestWork;
import io.priorflow.verticles.bus.ActorsDeployed;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.DeployActors;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.UndeployActors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The director–worker protocol with real Hazelcast nodes in one JVM (loopback, a cluster name per test): worker
 * nodes refuse a run they cannot take, deploy the director's run, give LocalExecutor's results through the wire,
 * share models through the cluster store, refuse a second director, undeploy at the end and take the next run;
 * and a worker node that leaves mid-stage has its in-flight items re-sent at once, not after the time-out.
 */
@Tag("cluster")
@Timeout(240)
class ClusterProtocolIT {
  private final String cluster = ClusterTesting.clusterName();
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final LoadedScenario scenario = ClusterTesting.defaultScenario();

  private ClusterNode node(String members) throws Exception {
    ClusterNode n = await(ClusterNode.start(ClusterTesting.loopback(cluster, members)));
    nodes.add(n);
    return n;
  }

  private ClusterNode worker(String members) throws Exception {
    ClusterNode n = node(members);
    await(n.vertx().deployVerticle(new WorkerNodeVerticle(n, 1, line -> notes.add(n.nodeId() + ": " + line))));
    return n;
  }

  @AfterEach
  void closeNodes() throws InterruptedException {
    ClusterTesting.closeSafely(nodes);
  }

  private static Map<Role, Integer> each(int n) {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role r : Role.values()) counts.put(r, n);
    return counts;
  }

  private DeployActors command(ClusterNode director, String runId, String version, String sha, String backend) {
    return new DeployActors(runId, director.nodeId(), scenario.resolvedYaml(), sha, version, backend, each(1));
  }

  private DeployActors command(ClusterNode director, String runId) {
    return command(director, runId, RunLineage.currentProjectVersion(), scenario.sha256(), "reference");
  }

  private static ReplyException refusal(ClusterNode from, ClusterNode to, DeployActors d) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(from.vertx().eventBus().request(Addresses.node(to.nodeId()), d)));
    return assertInstanceOf(ReplyException.class, e.getCause());
  }

  static String json(List<WorkResult> results) throws Exception {
    return Json.messages().writerFor(Json.messages().getTypeFactory()
        .constructCollectionType(List.class, WorkResult.class)).writeValueAsString(results);
  }

  /** What LocalExecutor gives with the context a worker node builds from the scenario. */
  private String local(List<WorkItem> items) throws Exception {
    MemoryModelStore store = new MemoryModelStore();
    new TestWork(store);
    return json(new LocalExecutor(NodeWork.context(scenario.scenario(), store, new ReferenceBackend()))
        .execute("reference", items));
  }

  @Test
  void workerNodesRefuseDeployGiveLocalResultsShareModelsAndUndeploy() throws Exception {
    ClusterNode director = node(null);
    ClusterNode w1 = worker(director.memberAddress());
    ClusterNode w2 = worker(director.memberAddress());

    ReplyException version = refusal(director, w1, command(director, "run-x", "0.0-other", scenario.sha256(), "java"));
    assertEquals(Failure.INCOMPATIBLE.code(), version.failureCode());
    assertTrue(version.getMessage().contains("the director 0.0-other"), version.getMessage());
    ReplyException reading = refusal(director, w1, command(director, "run-x", RunLineage.currentProjectVersion(),
        "0".repeat(64), "java"));
    assertEquals(Failure.INCOMPATIBLE.code(), reading.failureCode());
    assertTrue(reading.getMessage().contains("reads the director's scenario differently"), reading.getMessage());
    ReplyException backend = refusal(director, w1, command(director, "run-x", RunLineage.currentProjectVersion(),
        scenario.sha256(), "no-such-backend"));
    assertEquals(Failure.INCOMPATIBLE.code(), backend.failureCode());

    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
    TestWork work = new TestWork(store); // the teacher and the critic, in the cluster's store
    EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(each(1)), runId);
    WorkerPoolVerticle pool = new WorkerPoolVerticle(director, command(director, runId), bus, notes::add,
        store::destroy);
    await(director.vertx().deployVerticle(pool));
    assertEquals(2, await(pool.awaitWorkers(2, Duration.ofSeconds(60))));
    assertEquals(4, bus.config().maxInFlight(Role.GENERATOR), "in-flight limits follow the actors deployed: 2 "
        + "nodes x 1 generator x " + ExecutorConfig.IN_FLIGHT_PER_ACTOR);

    List<WorkItem> items = work.stage("cluster/g0", 3);
    List<WorkResult> results = bus.execute("cluster/g0/all", items);
    assertEquals(local(items), json(results));
    String trained = results.stream().filter(r -> r instanceof TrainResult).map(r -> ((TrainResult) r).modelId())
        .findFirst().orElseThrow();
    HazelcastModelStore fresh = new HazelcastModelStore(director.hazelcast(), runId);
    assertEquals(trained, fresh.get(trained).id(), "a worker's model is fetched, verified, by content hash");

    // a second run at once: its actors listen on its own addresses, and the first run's items still reach only
    // the first run's actors
    Object other = await(director.vertx().eventBus().request(Addresses.node(w1.nodeId()), command(director,
        "run-other"))).body();
    assertEquals("run-other", assertInstanceOf(ActorsDeployed.class, other).runId());
    List<WorkItem> more = work.stage("cluster/g1", 2);
    assertEquals(local(more), json(bus.execute("cluster/g1/all", more)));
    await(director.vertx().eventBus().request(Addresses.node(w1.nodeId()), new UndeployActors("run-other")));

    await(director.vertx().undeploy(pool.deploymentID()));
    for (ClusterNode w : List.of(w1, w2)) {
      assertTrue(notes.contains(w.nodeId() + ": run " + runId + ": done; actors undeployed"), notes.toString());
    }
    Object next = await(director.vertx().eventBus().request(Addresses.node(w2.nodeId()), command(director, "run-2")))
        .body();
    assertEquals("run-2", assertInstanceOf(ActorsDeployed.class, next).runId(), "the node takes the next run");
  }

  @Test
  void theClusterStoreVerifiesWhatItFetches() throws Exception {
    ClusterNode a = node(null);
    ClusterNode b = node(a.memberAddress());
    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore onA = new HazelcastModelStore(a.hazelcast(), runId);
    TestWork work = new TestWork(onA);
    TokenModel teacher = new HazelcastModelStore(b.hazelcast(), runId).get(work.teacherId);
    assertEquals(work.teacherId, teacher.id());

    IMap<String, byte[]> map = a.hazelcast().getMap(onA.mapName());
    byte[] bytes = ModelFile.toBytes(teacher);
    bytes[bytes.length / 2] ^= 1;
    map.set("corrupted", bytes);
    map.set("mislabelled", ModelFile.toBytes(teacher));
    HazelcastModelStore onB = new HazelcastModelStore(b.hazelcast(), runId);
    ModelFileException corrupted = assertThrows(ModelFileException.class, () -> onB.get("corrupted"));
    assertTrue(corrupted.getMessage().contains("does not match the stored"), corrupted.getMessage());
    ModelFileException mislabelled = assertThrows(ModelFileException.class, () -> onB.get("mislabelled"));
    assertTrue(mislabelled.getMessage().contains("under the id mislabelled"), mislabelled.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> onB.get("nothing"));
    assertTrue(missing.getMessage().contains("no model nothing in the cluster's model store"), missing.getMessage());
    onA.destroy();
  }

  @Test
  void theItemsOfAWorkerNodeThatLeavesAreResentAtOnce() throws Exception {
    ClusterNode director = node(null);
    worker(director.memberAddress());
    ClusterNode leaver = worker(director.memberAddress());
    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
    TestWork work = new TestWork(store);
    EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(each(1)), runId);
    WorkerPoolVerticle pool = new WorkerPoolVerticle(director, command(director, runId), bus, notes::add,
        store::destroy);
    await(director.vertx().deployVerticle(pool));
    await(pool.awaitWorkers(2, Duration.ofSeconds(60)));
    BlackHole hole = new BlackHole(runId); // on the leaver: takes generator requests and never answers
    await(leaver.vertx().deployVerticle(hole));

    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) items.add(work.sample("cluster/g1/sample/" + i));
    CompletableFuture<List<WorkResult>> results = CompletableFuture.supplyAsync(() -> {
      try {
        return bus.execute("cluster/g1/generate", items);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (hole.taken.get() == 0 && System.nanoTime() < end) Thread.sleep(10);
    assertTrue(hole.taken.get() > 0, "the leaver took a request");
    long t0 = System.nanoTime();
    await(leaver.close());
    assertEquals(local(items), json(results.get(60, TimeUnit.SECONDS)));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < ExecutorConfig.DEFAULT_TIMEOUT.toSeconds() / 2.0, "re-sent at once, not after the "
        + ExecutorConfig.DEFAULT_TIMEOUT.toSeconds() + " s time-out: " + seconds + " s");
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("worker node " + WorkerPoolVerticle.shortId(leaver.nodeId())
        + " left the cluster; re-sent ")), notes.toString());
    assertTrue(bus.retries() >= 1, "retries " + bus.retries());
  }

  /**
   * A batch's runs on pools limited to one node each: two runs take the two worker nodes, one each (the placement
   * balances them); when a run's node leaves mid-stage, another node takes the run and its lost items are re-sent
   * there, and the stage gives the one-JVM results.
   */
  @Test
  void batchRunsTakeANodeEachAndMoveWhenItLeaves() throws Exception {
    ClusterNode director = node(null);
    ClusterNode w1 = worker(director.memberAddress());
    ClusterNode w2 = worker(director.memberAddress());
    WorkerPoolVerticle.Placement placement = new WorkerPoolVerticle.Placement();
    List<String> runs = List.of("run-" + UUID.randomUUID(), "run-" + UUID.randomUUID());
    List<EventBusExecutor> buses = new ArrayList<>();
    List<TestWork> works = new ArrayList<>();
    for (String runId : runs) {
      HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
      works.add(new TestWork(store));
      EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(each(1)), runId);
      buses.add(bus);
      WorkerPoolVerticle pool = new WorkerPoolVerticle(director, command(director, runId), bus, notes::add,
          store::destroy, 1, placement);
      await(director.vertx().deployVerticle(pool));
      assertEquals(1, await(pool.awaitWorkers(1, Duration.ofSeconds(60))));
    }
    assertEquals(Map.of(w1.nodeId(), 1, w2.nodeId(), 1), placement.load(), "one run per node: " + notes);
    for (int r = 0; r < 2; r++) {
      List<WorkItem> items = works.get(r).stage("cluster/r" + r, 2);
      assertEquals(local(items), json(buses.get(r).execute("cluster/r" + r + "/all", items)));
    }

    // the node of the first run leaves while it holds that run's requests
    ClusterNode leaver = notes.stream().anyMatch(n -> n.startsWith(w1.nodeId() + ": run " + runs.get(0) + ": hosting"))
        ? w1 : w2;
    BlackHole hole = new BlackHole(runs.get(0));
    await(leaver.vertx().deployVerticle(hole));
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) items.add(works.get(0).sample("cluster/g2/sample/" + i));
    CompletableFuture<List<WorkResult>> results = CompletableFuture.supplyAsync(() -> {
      try {
        return buses.get(0).execute("cluster/g2/generate", items);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (hole.taken.get() == 0 && System.nanoTime() < end) Thread.sleep(10);
    assertTrue(hole.taken.get() > 0, "the leaver took a request");
    await(leaver.close());
    assertEquals(local(items), json(results.get(90, TimeUnit.SECONDS)));
    assertTrue(notes.stream().anyMatch(n -> n.contains("left the cluster with the run; asking another")),
        notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.contains("took over the run; re-sent")), notes.toString());
    ClusterNode stayer = leaver == w1 ? w2 : w1;
    assertEquals(Map.of(stayer.nodeId(), 2), placement.load(), "both runs on the node that stayed");
  }

  /** The setting: two worker nodes formed the cluster before the director joined; both host its run. */
  @Test
  void workerNodesThatFormedTheClusterBeforeTheDirectorAllHostItsRun() throws Exception {
    ClusterNode a = worker(null);
    worker(a.memberAddress());
    ClusterNode director = node(a.memberAddress());
    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
    EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(each(1)), runId);
    WorkerPoolVerticle pool = new WorkerPoolVerticle(director, command(director, runId), bus, notes::add,
        store::destroy);
    await(director.vertx().deployVerticle(pool));
    assertEquals(2, await(pool.awaitWorkers(2, Duration.ofSeconds(60))), notes.toString());
  }

  /**
   * A member whose worker control starts listening only after the director asked it for longer than any fixed number
   * of tries, and that never announces itself (its WorkerJoined went out before the director existed): the director,
   * which asks a member again every second while it is one, deploys on it all the same.
   */
  @Test
  void aMemberWhoseWorkerControlListensLateIsStillAsked() throws Exception {
    ClusterNode director = node(null);
    ClusterNode late = node(director.memberAddress());
    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore store = new HazelcastModelStore(director.hazelcast(), runId);
    EventBusExecutor bus = new EventBusExecutor(director.vertx(), ExecutorConfig.forActors(each(1)), runId);
    WorkerPoolVerticle pool = new WorkerPoolVerticle(director, command(director, runId), bus, notes::add,
        store::destroy);
    await(director.vertx().deployVerticle(pool));
    Thread.sleep(12_000); // the director has been answered NO_HANDLERS a dozen times by now
    AtomicInteger asked = new AtomicInteger();
    await(late.vertx().eventBus().<Object>consumer(Addresses.node(late.nodeId()), m -> {
      asked.incrementAndGet();
      m.reply(new ActorsDeployed(runId, late.nodeId(), each(1)));
    }).completion());
    assertEquals(1, await(pool.awaitWorkers(1, Duration.ofSeconds(30))), notes.toString());
    assertTrue(asked.get() >= 1);
  }

  /** A generator that never answers: the requests a node holds when it dies. */
  static final class BlackHole extends VerticleBase {
    final AtomicInteger taken = new AtomicInteger();
    final String run;

    BlackHole(String run) {
      this.run = run;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().<Object>consumer(Addresses.role(Role.GENERATOR, run), (Message<Object> m) -> taken
          .incrementAndGet()).completion();
    }
  }
}
