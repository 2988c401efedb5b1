package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The actor runtime on a clustered bus: a director node and worker nodes in one JVM, joined over TCP-IP on
 * 127.0.0.1 with multicast off and a random cluster name, so every message crosses the wire through
 * {@link JacksonCodec#encodeToWire} and {@link JacksonCodec#decodeFromWire}. Each worker node has its own model
 * store holding the test models; a cluster-wide store is not part of this test.
 */
@Tag("cluster")
@Timeout(120)
class ClusteredBusIT {
  private final String cluster = "pf-it-" + UUID.randomUUID();
  private final List<Vertx> nodes = new ArrayList<>();

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private Vertx node() throws Exception {
    Config hz = ConfigUtil.loadConfig().setClusterName(cluster);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    hz.setProperty("hazelcast.logging.type", "none");
    Vertx vertx = await(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered());
    nodes.add(vertx);
    return JacksonCodec.register(vertx);
  }

  @AfterEach
  void closeNodes() throws Exception {
    for (Vertx v : nodes.reversed()) {
      try {
        await(v.close());
      } catch (ExecutionException alreadyClosed) {
        // a test closed it on purpose
      }
    }
  }

  private static Map<Role, Integer> each(int n) {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role r : Role.values()) counts.put(r, n);
    return counts;
  }

  @Test
  void workerNodesGiveLocalResultsAndRefuseAnUndecodablePayload() throws Exception {
    Vertx director = node();
    Vertx worker1 = node();
    Vertx worker2 = node();
    await(new ActorNode(worker1, new TestWork().context).deploy(each(2)));
    await(new ActorNode(worker2, new TestWork().context).deploy(each(1)));
    List<WorkItem> items = new TestWork().stage("cluster/g0", 6);
    EventBusExecutor bus = new EventBusExecutor(director, ExecutorConfig.forActors(each(3)));
    assertEquals(EventBusExecutorTest.local(items), EventBusExecutorTest.json(bus.execute("cluster/g0/all", items)));
    assertEquals(0, bus.retries());

    for (Vertx v : nodes) v.eventBus().registerCodec(new Garbled());
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(director.eventBus()
        .request(Addresses.GENERATOR, "x", new DeliveryOptions().setCodecName(Garbled.NAME))));
    ReplyException re = assertInstanceOf(ReplyException.class, e.getCause());
    assertEquals(Failure.BAD_MESSAGE.code(), re.failureCode(), re.getMessage());
    assertTrue(re.getMessage().startsWith("undecodable message on pf.role.generator: "), re.getMessage());
    await(director.eventBus().request(Addresses.GENERATOR, new Perform(new TestWork().sample("cluster/g0/x"))));
  }

  @Test
  void theItemsOfAWorkerNodeThatLeavesAreSentAgain() throws Exception {
    Vertx director = node();
    Vertx survivor = node();
    Vertx leaver = node();
    await(new ActorNode(survivor, new TestWork().context).deploy(each(1)));
    await(leaver.deployVerticle(new FaultyActor(Role.GENERATOR, new TestWork().context, FaultyActor.Fault.SILENT, 0)));
    List<WorkItem> items = new TestWork().stage("cluster/g1", 6);
    EventBusExecutor bus = new EventBusExecutor(director,
        ExecutorConfig.forActors(each(2)).withTimeout(Role.GENERATOR, Duration.ofSeconds(2)));
    director.setTimer(500, t -> leaver.close());
    assertEquals(EventBusExecutorTest.local(items), EventBusExecutorTest.json(bus.execute("cluster/g1/all", items)));
    assertTrue(bus.retries() >= 1, "the leaver's items were sent again: " + bus.retries());
  }

  /** A codec whose bytes no node can read: what a foreign or mismatched node might send. */
  static final class Garbled implements MessageCodec<String, String> {
    static final String NAME = "pf.test.garbled";

    @Override
    public void encodeToWire(Buffer buffer, String s) {
      buffer.appendInt(3).appendString("{{{");
    }

    @Override
    public String decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalArgumentException("garbled bytes at " + pos);
    }

    @Override
    public String transform(String s) {
      return s;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
