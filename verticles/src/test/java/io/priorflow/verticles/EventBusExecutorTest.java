package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.run.LocalExecutor;
import io.priorflow.engine.run.WorkFailedException;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.ModelStore;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The director's executor under a misbehaving bus: actors that drop a reply, answer late, answer twice, die
 * mid-stage or are not there yet. Whatever happens, the results are LocalExecutor's, byte for byte.
 *
 * <p>{@link EventBusExecutor#execute} blocks by design (the director calls it from its own thread), so these tests
 * call it on the test thread and assert there, rather than inside a VertxTestContext.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class EventBusExecutorTest {
  /** The generator's time-out here; faults are injected on the generator address. */
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private final TestWork work = new TestWork();
  private final List<WorkItem> items = work.stage("bus/g0", 4); // 4 of them are generator items
  private Vertx vertx;
  private ActorNode node;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = JacksonCodec.register(vertx);
    this.node = new ActorNode(vertx, work.context);
  }

  /** One actor per role, but {@code generators} for the generator. */
  private static Map<Role, Integer> counts(int generators) {
    Map<Role, Integer> n = new EnumMap<>(Role.class);
    for (Role r : Role.values()) n.put(r, 1);
    n.put(Role.GENERATOR, generators);
    return n;
  }

  /** Sized for one actor per role; 10 s per item, but {@link #TIMEOUT} on the generator; 4 attempts. */
  private static ExecutorConfig config() {
    return ExecutorConfig.forActors(counts(1)).withTimeout(Duration.ofSeconds(10))
        .withTimeout(Role.GENERATOR, TIMEOUT).withRetryDelay(Duration.ofMillis(20)).withMaxAttempts(4);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Every actor but the generators, which the test brings (or not). */
  private void deployAllButGenerators() throws Exception {
    await(node.deploy(counts(0)));
  }

  private FaultyActor deployFaulty(Fault fault) throws Exception {
    FaultyActor actor = new FaultyActor(Role.GENERATOR, work.context, fault, 2 * TIMEOUT.toMillis());
    await(vertx.deployVerticle(actor, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    return actor;
  }

  static String json(List<WorkResult> results) throws Exception {
    return Json.messages().writerFor(Json.messages().getTypeFactory()
        .constructCollectionType(List.class, WorkResult.class)).writeValueAsString(results);
  }

  /** What the reference executor gives, on a store of its own. */
  static String local(List<WorkItem> items) throws Exception {
    return json(new LocalExecutor(new TestWork().context).execute("reference", items));
  }

  @Test
  void givesLocalResultsWhenNothingGoesWrong() throws Exception {
    await(node.deploy(counts(1)));
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    List<WorkResult> results = bus.execute("bus/g0/all", items);
    assertEquals(local(items), json(results));
    assertEquals(items.stream().map(WorkItem::id).sorted().toList(), results.stream().map(WorkResult::id).toList());
    assertEquals(0, bus.retries());
  }

  @Test
  void resendsAnItemWhoseReplyWasDropped() throws Exception {
    deployAllButGenerators();
    FaultyActor dropper = deployFaulty(Fault.DROP_FIRST);
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    assertEquals(local(items), json(bus.execute("bus/g0/dropped", items)));
    assertEquals(4, bus.retries());
    assertEquals(8, dropper.received.get());
  }

  @Test
  void resendsAnItemAnsweredAfterItsTimeOutAndIgnoresTheLateAnswer() throws Exception {
    deployAllButGenerators();
    FaultyActor late = deployFaulty(Fault.LATE_FIRST);
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    assertEquals(local(items), json(bus.execute("bus/g0/late", items)));
    assertEquals(4, bus.retries());
    Thread.sleep(2 * TIMEOUT.toMillis()); // the late answers arrive now, to nobody
    assertEquals(local(items), json(bus.execute("bus/g0/late", items)), "the executor still works afterwards");
    assertEquals(4, bus.retries(), "the second time every item was known already, and answered at once");
    assertEquals(12, late.received.get());
  }

  @Test
  void keepsOneResultWhenAnActorAnswersTwice() throws Exception {
    deployAllButGenerators();
    deployFaulty(Fault.TWICE);
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    List<WorkResult> results = bus.execute("bus/g0/twice", items);
    assertEquals(local(items), json(results));
    assertEquals(items.size(), results.size());
    assertEquals(0, bus.retries());
  }

  @Test
  void resendsTheItemsOfAnActorThatDiedMidStage() throws Exception {
    await(node.deploy(counts(1)));
    FaultyActor dying = deployFaulty(Fault.DIE);
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    assertEquals(local(items), json(bus.execute("bus/g0/died", items)));
    assertTrue(dying.received.get() >= 1, "the bus handed the dying actor an item");
    assertTrue(bus.retries() >= 1, "and that item was sent again");
    assertFalse(vertx.deploymentIDs().contains(dying.deploymentID()), "the dying actor is gone");
  }

  @Test
  void waitsForActorsThatAreNotThereYet() throws Exception {
    deployAllButGenerators();
    vertx.setTimer(150, t -> node.deploy(Role.GENERATOR, 2));
    EventBusExecutor bus = new EventBusExecutor(vertx, config().withMaxAttempts(50));
    assertEquals(local(items), json(bus.execute("bus/g0/late-actors", items)));
    assertTrue(bus.retries() >= 4, "every generator item found no handler at least once: " + bus.retries());
  }

  @Test
  void failsWhenEveryAttemptTimesOut() throws Exception {
    deployAllButGenerators();
    FaultyActor silent = deployFaulty(Fault.SILENT);
    List<WorkItem> two = List.of(work.sample("bus/g0/a"), work.sample("bus/g0/b"));
    EventBusExecutor bus = new EventBusExecutor(vertx, config().withMaxAttempts(2));
    WorkFailedException e = assertThrows(WorkFailedException.class, () -> bus.execute("bus/g0/silent", two));
    assertTrue(List.of("bus/g0/a", "bus/g0/b").contains(e.itemId()), e.itemId());
    assertEquals(e.itemId() + ": no result after 2 attempts on pf.role.generator (last: no reply within 300 ms)",
        e.getMessage());
    assertEquals(4, silent.received.get(), "2 items × 2 attempts");
  }

  @Test
  void failsFastWithLocalExecutorsMessageOnARejectedItem() throws Exception {
    await(node.deploy(counts(1)));
    LabelWork good = work.label("bus/g0/label/bad");
    List<WorkItem> withBad = new ArrayList<>(items);
    withBad.add(new LabelWork(good.id(), good.labellerId(), good.human(), 0, good.prompts(), good.sequences(), "rank"));
    WorkFailedException expected = assertThrows(WorkFailedException.class,
        () -> new LocalExecutor(new TestWork().context).execute("reference", withBad));
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    WorkFailedException e = assertThrows(WorkFailedException.class, () -> bus.execute("bus/g0/bad", withBad));
    assertEquals(expected.itemId(), e.itemId());
    assertEquals(expected.getMessage(), e.getMessage());
    assertEquals("bus/g0/label/bad: label task must be rate or correct, was rank", e.getMessage());
    assertEquals(0, bus.retries());
  }

  @Test
  void failsFastOnAnActorError() throws Exception {
    ModelStore offline = new ModelStore() {
      @Override
      public String put(TokenModel model) {
        return model.id();
      }

      @Override
      public TokenModel get(String id) {
        throw new IllegalStateException("the store is offline");
      }
    };
    await(new ActorNode(vertx, new TestWork(offline).context).deploy(counts(1)));
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    WorkItem score = work.score("bus/g0/score");
    WorkFailedException e = assertThrows(WorkFailedException.class, () -> bus.execute("bus/g0/error", List.of(score)));
    assertEquals("bus/g0/score: java.lang.IllegalStateException: the store is offline", e.getMessage());
    assertEquals(0, bus.retries());
  }

  @Test
  void keepsAtMostMaxInFlightItemsPerRoleOut() throws Exception {
    FaultyActor slow = new FaultyActor(Role.GENERATOR, work.context, Fault.SLOW, 30);
    await(vertx.deployVerticle(slow, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    List<WorkItem> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) ten.add(work.sample("bus/g0/sample/" + i));
    ExecutorConfig three = ExecutorConfig.forActors(counts(1)).withTimeout(Duration.ofSeconds(10));
    three = new ExecutorConfig(three.timeouts(), Map.of(Role.GENERATOR, 3, Role.CRITIC, 1, Role.HUMAN, 1,
        Role.TRAINER, 1, Role.EVALUATOR, 1, Role.RED_TEAMER, 1, Role.RETRIEVER, 1), 1, Duration.ZERO);
    EventBusExecutor bus = new EventBusExecutor(vertx, three);
    assertEquals(local(ten), json(bus.execute("bus/g0/slow", ten)));
    assertEquals(3, slow.maxHolding.get());
  }

  @Test
  void throwsInterruptedExceptionPromptly() throws Exception {
    FaultyActor silent = new FaultyActor(Role.GENERATOR, work.context, Fault.SILENT, 0);
    await(vertx.deployVerticle(silent, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    EventBusExecutor bus = new EventBusExecutor(vertx, config().withTimeout(Duration.ofSeconds(30)));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread director = new Thread(() -> {
      try {
        bus.execute("bus/g0/interrupted", List.of(work.sample("bus/g0/sample/0")));
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    director.start();
    while (silent.received.get() == 0) Thread.sleep(5); // the item is out: execute is waiting
    long t0 = System.nanoTime();
    director.interrupt();
    director.join(2_000);
    assertFalse(director.isAlive(), "execute returned");
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "within a second of the interrupt");
  }

  @Test
  void rejectsTwoItemsWithOneIdAndReturnsNothingForNoItems() throws Exception {
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    WorkItem a = work.sample("bus/g0/a");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bus.execute("s", List.of(a, a)));
    assertEquals("stage s has two items with id bus/g0/a", e.getMessage());
    assertEquals(List.of(), bus.execute("s", List.of()));
  }

  @Test
  void refusesToBlockAnEventLoop() throws Exception {
    EventBusExecutor bus = new EventBusExecutor(vertx, config());
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        bus.execute("s", List.of(work.sample("bus/g0/a")));
        thrown.complete(null);
      } catch (Throwable e) {
        thrown.complete(e);
      }
    });
    IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get(5, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("not from an event loop"), e.getMessage());
  }
}
