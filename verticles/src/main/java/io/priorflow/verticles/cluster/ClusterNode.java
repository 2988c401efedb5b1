package io.priorflow.verticles.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One member of a priorflow cluster: a clustered Vertx on the Hazelcast cluster manager, configured by
 * {@link HazelcastSettings} from a {@link ClusterConfig}, with the {@link JacksonCodec} registered and the event bus
 * bound to the same single interface as Hazelcast (TLS on it if configured). Director and worker nodes both start
 * here; the first one in a JVM quiets Hazelcast's logging ({@link ClusterLogging}).
 *
 * <p>Membership: the cluster manager takes one {@link NodeListener}; this class owns it and passes every event on
 * to the listeners added with {@link #addNodeListener}. They run on a Hazelcast thread after Vert.x has dropped the
 * departed node's consumers, so work re-sent from {@code nodeLeft} cannot go to it again; hop to a Vert.x context
 * before doing anything slow.
 */
public final class ClusterNode {
  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final ClusterConfig config;
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager, ClusterConfig config) {
    this.vertx = vertx;
    this.manager = manager;
    this.config = config;
    manager.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
        for (NodeListener l : listeners) l.nodeAdded(nodeId);
      }

      @Override
      public void nodeLeft(String nodeId) {
        for (NodeListener l : listeners) l.nodeLeft(nodeId);
      }
    });
  }

  /** Joins (or founds) the cluster; completes once this node's event bus is up. */
  public static Future<ClusterNode> start(ClusterConfig config) {
    Objects.requireNonNull(config, "config");
    ClusterLogging.quiet();
    EventBusOptions bus = new EventBusOptions().setHost(config.host()).setPort(config.busPort());
    if (config.tls() != null) config.tls().apply(bus);
    // Training items run for minutes on worker threads, which is their place: raise the blocked-worker warning.
    VertxOptions options = new VertxOptions().setEventBusOptions(bus)
        .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS);
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.config(config));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(v -> new ClusterNode(JacksonCodec.register(v), manager, config));
  }

  /** The clustered Vertx. */
  public Vertx vertx() {
    return vertx;
  }

  /** The configuration it started with. */
  public ClusterConfig config() {
    return config;
  }

  /** This node's id in the cluster (Vert.x's, as in {@link NodeListener} events). */
  public String nodeId() {
    return manager.getNodeId();
  }

  /** The ids of every member now, this node included. */
  public List<String> members() {
    return manager.getNodes();
  }

  /** Whether the node with this id is a member now. */
  public boolean isMember(String nodeId) {
    return manager.isActive() && manager.getNodes().contains(nodeId);
  }

  /** The Hazelcast instance under the cluster manager (for the model map). */
  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /** The Hazelcast address this node listens on, host:port. */
  public String memberAddress() {
    var a = hazelcast().getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  /** Adds a membership listener (see the class comment for its thread). */
  public void addNodeListener(NodeListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before. */
  public void removeNodeListener(NodeListener listener) {
    listeners.remove(listener);
  }

  /** Undeploys everything on this node and leaves the cluster. */
  public Future<Void> close() {
    return vertx.close();
  }
}
