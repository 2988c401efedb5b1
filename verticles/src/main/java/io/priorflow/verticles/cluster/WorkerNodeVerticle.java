package io.priorflow.verticles.cluster;

import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.work.Role;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.verticles.ActorNode;
import io.priorflow.verticles.bus.ActorsDeployed;
import io.priorflow.verticles.bus.ActorsUndeployed;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.DeployActors;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.UndeployActors;
import io.priorflow.verticles.bus.WorkerJoined;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A worker node's control: takes {@link DeployActors} and {@link UndeployActors} from directors on
 * {@link Addresses#node} (this node's id), and hosts the actors of each run it is asked to on an {@link ActorNode}
 * with the run's {@link NodeWork} context and a {@link HazelcastModelStore}. Once listening it publishes
 * {@link WorkerJoined}, so a director already running deploys on it.
 *
 * <ul>
 *   <li>The same DeployActors again gets the same answer (directors may send it twice).</li>
 *   <li>Several runs at once (a batch's runs, or several directors'): each run's actors listen on the run's own role
 *       addresses ({@link Addresses#role(Role, String)}) and work on their own pools, so an actor always works with
 *       the context of the run that sends to it.</li>
 *   <li>A node that cannot take the run as given refuses with {@link Failure#INCOMPATIBLE}: another priorflow
 *       version, a scenario it reads differently, a backend it lacks.</li>
 *   <li>When the director of the hosted run leaves the cluster, the node undeploys the run's actors and waits for
 *       the next run; it never exits by itself.</li>
 * </ul>
 */
public final class WorkerNodeVerticle extends VerticleBase {
  private final ClusterNode node;
  private final int threads;
  private final Consumer<String> log;
  private final NodeListener membership = new NodeListener() {
    @Override
    public void nodeAdded(String nodeId) {}

    @Override
    public void nodeLeft(String nodeId) {
      context.runOnContext(v -> onNodeLeft(nodeId));
    }
  };
  private MessageConsumer<Object> consumer;
  private final Map<String, Hosted> hosted = new LinkedHashMap<>(); // by run id; touched only on this context

  /** The actors, context and store of the run this node hosts. */
  private static final class Hosted {
    final DeployActors command;
    final Future<ActorsDeployed> deployed;
    ActorNode actors;
    KernelBackend backend;
    HazelcastModelStore store;

    Hosted(DeployActors command, java.util.function.Function<Hosted, Future<ActorsDeployed>> deploy) {
      this.command = command;
      this.deployed = deploy.apply(this);
    }
  }

  /**
   * @param threads kernel threads of this node's backend (results do not depend on it)
   * @param log     where one-line notes go (deployments, refusals)
   */
  public WorkerNodeVerticle(ClusterNode node, int threads, Consumer<String> log) {
    this.node = Objects.requireNonNull(node, "node");
    if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, was " + threads);
    this.threads = threads;
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public Future<?> start() {
    node.addNodeListener(membership);
    consumer = vertx.eventBus().consumer(Addresses.node(node.nodeId()), this::onCommand);
    return consumer.completion()
        .onSuccess(v -> vertx.eventBus().publish(Addresses.WORKERS, new WorkerJoined(node.nodeId())));
  }

  @Override
  public Future<?> stop() {
    node.removeNodeListener(membership);
    List<Future<Void>> all = new ArrayList<>();
    hosted.values().forEach(h -> all.add(release(h)));
    hosted.clear();
    return Future.join(all);
  }

  private void onCommand(Message<Object> m) {
    Object body;
    try {
      body = m.body();
    } catch (RuntimeException e) {
      m.fail(Failure.BAD_MESSAGE.code(), "undecodable message on " + m.address() + ": " + e.getMessage());
      return;
    }
    switch (body) {
      case DeployActors d -> onDeploy(d, m);
      case UndeployActors u -> onUndeploy(u, m);
      case null, default -> m.fail(Failure.BAD_MESSAGE.code(), "a worker node takes DeployActors and "
          + "UndeployActors, got " + (body == null ? "no body" : body.getClass().getName()));
    }
  }

  private void onDeploy(DeployActors d, Message<Object> m) {
    Hosted h = hosted.get(d.runId());
    if (h != null) {
      answer(h, m);
      return;
    }
    // runs whose director has gone are not coming back: their actors go before new ones come
    List<Future<Void>> gone = new ArrayList<>();
    hosted.values().removeIf(o -> {
      if (node.isMember(o.command.directorNodeId())) return false;
      gone.add(release(o));
      return true;
    });
    Future<Void> cleared = Future.join(gone).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    Hosted mine = new Hosted(d, self -> cleared.compose(v -> deploy(self)));
    hosted.put(d.runId(), mine);
    mine.deployed.onFailure(e -> {
      hosted.remove(d.runId(), mine);
      release(mine);
    });
    answer(mine, m);
  }

  private Future<ActorsDeployed> deploy(Hosted h) {
    DeployActors d = h.command;
    return vertx.executeBlocking(() -> {
      LoadedScenario loaded = NodeWork.scenario(d);
      try {
        h.backend = Backends.create(d.backend(), threads);
      } catch (IllegalArgumentException e) {
        throw new NodeWork.IncompatibleNodeException(e.getMessage());
      }
      h.store = new HazelcastModelStore(node.hazelcast(), d.runId());
      h.actors = new ActorNode(vertx, NodeWork.context(loaded.scenario(), h.store, h.backend), d.runId());
      return h.actors;
    }, false).compose(actors -> actors.deploy(d.instances()))
        .map(v -> new ActorsDeployed(d.runId(), node.nodeId(), d.instances()))
        .andThen(ar -> {
          if (ar.succeeded()) log.accept("run " + d.runId() + ": hosting " + describe(d.instances()));
          else log.accept("run " + d.runId() + ": refused: " + ar.cause().getMessage());
        });
  }

  private static void answer(Hosted h, Message<Object> m) {
    h.deployed.onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else if (ar.cause() instanceof NodeWork.IncompatibleNodeException e) {
        m.fail(Failure.INCOMPATIBLE.code(), e.getMessage());
      } else {
        m.fail(Failure.ACTOR_ERROR.code(), "could not deploy the actors: " + ar.cause());
      }
    });
  }

  private void onUndeploy(UndeployActors u, Message<Object> m) {
    Hosted h = hosted.remove(u.runId());
    Future<Void> done = Future.succeededFuture();
    if (h != null) {
      done = release(h).andThen(ar -> log.accept("run " + u.runId() + ": done; actors undeployed"));
    }
    done.onComplete(ar -> m.reply(new ActorsUndeployed(u.runId(), node.nodeId())));
  }

  private void onNodeLeft(String nodeId) {
    hosted.values().removeIf(h -> {
      if (!h.command.directorNodeId().equals(nodeId)) return false;
      release(h).andThen(ar -> log.accept("run " + h.command.runId() + ": its director left the cluster; actors "
          + "undeployed"));
      return true;
    });
  }

  /** Undeploys the run's actors (once their deployment has settled) and frees its backend and model cache. */
  private Future<Void> release(Hosted h) {
    return h.deployed.transform(ar -> h.actors == null ? Future.<Void>succeededFuture() : h.actors.undeploy())
        .eventually(() -> vertx.executeBlocking(() -> {
          if (h.backend != null) h.backend.close();
          if (h.store != null) h.store.clearCache();
          return null;
        }, false))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  static String describe(Map<Role, Integer> instances) {
    return instances.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(e -> e.getValue() + " " + e.getKey().key() + (e.getValue() == 1 ? "" : "s"))
        .collect(Collectors.joining(", "));
  }
}
