package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.verticles.FaultyActor.Fault;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link EventBusExecutor#redispatch}: what the cluster director calls when a worker node leaves. The requests the
 * node held would only come back as time-outs (a minute later by default); re-dispatch sends them again at once,
 * without using up their attempts, and still takes a late answer to an abandoned request.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class EventBusExecutorRedispatchTest {
  /** Long enough that a test passing in seconds proves the items did not come back by time-out. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final TestWork work = new TestWork();
  private final List<WorkItem> items = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = JacksonCodec.register(vertx);
    for (int i = 0; i < 6; i++) items.add(work.sample("redispatch/g0/sample/" + i));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Sized for two generators; one attempt only, so any retry that used an attempt would fail the stage. */
  private static ExecutorConfig config() {
    Map<Role, Integer> n = new EnumMap<>(Role.class);
    for (Role r : Role.values()) n.put(r, 1);
    n.put(Role.GENERATOR, 2);
    return ExecutorConfig.forActors(n).withTimeout(TIMEOUT).withMaxAttempts(1);
  }

  private FaultyActor deploy(Fault fault, long delayMillis) throws Exception {
    FaultyActor actor = new FaultyActor(Role.GENERATOR, work.context, fault, delayMillis);
    await(vertx.deployVerticle(actor, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    return actor;
  }

  private CompletableFuture<List<WorkResult>> executeInBackground(EventBusExecutor bus, String stage) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return bus.execute(stage, items);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void awaitReceived(FaultyActor actor, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (actor.received.get() < n && System.nanoTime() < end) Thread.sleep(10);
    assertTrue(actor.received.get() >= n, "the actor got " + actor.received.get() + " requests, expected " + n);
  }

  @Test
  void resendsTheInFlightItemsAtOnceWithoutUsingAttempts() throws Exception {
    FaultyActor lost = deploy(Fault.SILENT, 0); // a node that died holding its requests
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    CompletableFuture<List<WorkResult>> results = executeInBackground(bus, "redispatch/g0/lost");
    awaitReceived(lost, 4); // the in-flight limit: 2 generators x 2
    await(vertx.undeploy(lost.deploymentID()));
    await(new ActorNode(vertx, work.context).deploy(Role.GENERATOR, 1));
    long t0 = System.nanoTime();
    assertEquals(4, await(bus.redispatch(Set.of(Role.GENERATOR))), "the four requests the lost actor held");
    assertEquals(EventBusExecutorTest.local(items), EventBusExecutorTest.json(results.get(10, TimeUnit.SECONDS)));
    assertTrue(System.nanoTime() - t0 < TIMEOUT.toNanos() / 2, "done long before the time-out");
    assertEquals(4, bus.retries(), "each re-sent item counts as a retry in events.jsonl");
  }

  @Test
  void takesALateAnswerToAnAbandonedRequestAndIgnoresItsDuplicate() throws Exception {
    FaultyActor slow = deploy(Fault.SLOW, 300); // answers everything, late
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    CompletableFuture<List<WorkResult>> results = executeInBackground(bus, "redispatch/g0/slow");
    awaitReceived(slow, 4);
    int resent = await(bus.redispatch(Set.of(Role.GENERATOR))); // a false alarm: the node is alive
    assertEquals(4, resent);
    assertEquals(EventBusExecutorTest.local(items), EventBusExecutorTest.json(results.get(10, TimeUnit.SECONDS)));
    assertTrue(slow.received.get() >= items.size() + 1, "abandoned and re-sent requests both reached the actor: "
        + slow.received.get());
  }

  @Test
  void touchesOnlyTheGivenRolesAndNothingBetweenStages() throws Exception {
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    assertEquals(0, await(bus.redispatch(Set.of(Role.GENERATOR))), "no stage has run");
    FaultyActor slow = deploy(Fault.SLOW, 300);
    CompletableFuture<List<WorkResult>> results = executeInBackground(bus, "redispatch/g0/other");
    awaitReceived(slow, 4);
    assertEquals(0, await(bus.redispatch(Set.of(Role.TRAINER, Role.CRITIC))), "no trainer or critic item is out");
    assertEquals(EventBusExecutorTest.local(items), EventBusExecutorTest.json(results.get(10, TimeUnit.SECONDS)));
    assertEquals(0, bus.retries());
    assertEquals(0, await(bus.redispatch(Set.of(Role.GENERATOR))), "the stage is over");
  }
}
