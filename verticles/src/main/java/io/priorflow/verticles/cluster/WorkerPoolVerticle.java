package io.priorflow.verticles.cluster;

import io.priorflow.engine.work.Role;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.bus.ActorsDeployed;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.DeployActors;
import io.priorflow.verticles.bus.UndeployActors;
import io.priorflow.verticles.bus.WorkerJoined;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.cluster.NodeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The director's side of the cluster protocol: keeps the run's actors deployed on every worker node of the cluster
 * and re-sends the work of a node that leaves.
 * <pre>
 * director                                   worker node
 *   start: for each member (and on WorkerJoined, on nodeAdded)
 *     DeployActors(run, scenario, backend, instances) ──>  parse, check, build context, deploy actors
 *                                            <── ActorsDeployed        (or INCOMPATIBLE)
 *   the run: Perform / Performed on the role addresses, to any node's actors
 *   nodeLeft(a worker that hosted actors): EventBusExecutor.redispatch(its roles), after SETTLE (0.5 s)
 *   stop: UndeployActors(run) ──> each worker;  <── ActorsUndeployed; the model map is destroyed
 * </pre>
 * A member with no worker control listening answers DeployActors with NO_HANDLERS and is asked again every
 * {@link #ASK_AGAIN} while it is a member (it is not a worker node, or not yet, or this director does not see its
 * consumers yet; a node that starts later also announces itself with {@link WorkerJoined}). In-flight limits follow the
 * number of actors actually deployed. Everything here runs on this verticle's event loop.
 *
 * <p>A pool may be limited to {@code maxNodes} worker nodes (a batch's runs: one node each, so runs go on side by
 * side rather than interleaved on every node): it then asks only that many at a time, the least loaded first (the
 * {@link Placement}, shared by the director's pools), and when one of them leaves it asks another and re-sends the
 * lost node's work once the new one hosts the run.
 */
public final class WorkerPoolVerticle extends VerticleBase {
  /** How long a worker node may take to build the context and deploy (the evaluation set is drawn there). */
  static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(120);
  /** How long the director waits for each node to undeploy at the end. */
  static final Duration UNDEPLOY_TIMEOUT = Duration.ofSeconds(5);
  /**
   * How long after a node left its work is re-sent. Hazelcast has dropped the node's consumers by then, but each
   * Vert.x node's cache of them follows a moment later (an entry listener, throttled to 20 ms): a request sent
   * before the cache has caught up may still go to the dead node and be lost until its time-out. Re-sending after
   * this pause also covers the requests sent during it.
   */
  static final Duration SETTLE = Duration.ofMillis(500);
  /**
   * How long to wait before asking again a member that had no worker control listening, or whose answer was lost
   * (the bus failed to deliver, or no answer in time). Such a member is asked again for as long as it is in the
   * cluster and the run goes on: a node that merges back after being taken for dead re-registers its consumers a
   * moment after it reappears, and a director that joins a cluster formed before it may see the worker nodes'
   * consumers only seconds later — on a busy machine, later than any fixed number of tries (the race that once left
   * a run on one of two nodes: "director and 1 worker node ready"; a worker's WorkerJoined, published before the
   * director existed, cannot help then).
   */
  static final Duration ASK_AGAIN = Duration.ofSeconds(1);
  /**
   * A pool limited to fewer nodes asks the node it chose this many times (a second apart) before it takes another:
   * a worker node that has just joined listens a moment later, and falling back at once would pile a batch's first
   * runs onto the first node to listen.
   */
  static final int PATIENCE = 10;

  private final ClusterNode node;
  private final DeployActors command;
  private final EventBusExecutor executor;
  private final Consumer<String> log;
  private final Runnable cleanup;
  private final int maxNodes;
  private final Placement placement;
  private final NodeListener membership = new NodeListener() {
    @Override
    public void nodeAdded(String nodeId) {
      context.runOnContext(v -> offer(nodeId));
    }

    @Override
    public void nodeLeft(String nodeId) {
      long at = System.nanoTime();
      context.runOnContext(v -> onLeft(nodeId, at));
    }
  };
  private final Map<String, Map<Role, Integer>> hosting = new LinkedHashMap<>();
  private final Set<String> asked = new HashSet<>();
  /** Limited pools: members that did not answer as worker nodes, skipped until asked again. */
  private final Set<String> notListening = new HashSet<>();
  /** Limited pools: roles whose work is to be re-sent once a node hosts the run again. */
  private final Set<Role> orphaned = EnumSet.noneOf(Role.class);
  /** Limited pools: how often each node answered as no worker node; at {@link #PATIENCE} another is chosen. */
  private final Map<String, Integer> unanswered = new java.util.HashMap<>();
  /** Limited pools: the nodes this pool took from the placement and has not given back. */
  private final Set<String> taken = new HashSet<>();
  private final Map<String, String> refusals = new LinkedHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean closing;

  private record Waiter(int workers, Promise<Integer> promise) {}

  /**
   * Which worker nodes a director's runs use: the director's pools take and give back nodes here, so that runs
   * limited to fewer nodes than the cluster has spread over the least loaded ones. Thread-safe.
   */
  public static final class Placement {
    private final Map<String, Integer> runs = new java.util.HashMap<>();

    /**
     * The node, of {@code candidates}, hosting (or being asked to host) the fewest runs, ties to the smallest id;
     * counted as taken from now on. Null when there is no candidate.
     */
    synchronized String take(java.util.Collection<String> candidates) {
      String best = null;
      for (String id : candidates) {
        int n = runs.getOrDefault(id, 0), b = best == null ? 0 : runs.getOrDefault(best, 0);
        if (best == null || n < b || n == b && id.compareTo(best) < 0) best = id;
      }
      if (best != null) runs.merge(best, 1, Integer::sum);
      return best;
    }

    /** Gives back a node {@link #take} returned. */
    synchronized void release(String nodeId) {
      runs.computeIfPresent(nodeId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Runs each node hosts or is being asked to host now. */
    public synchronized Map<String, Integer> load() {
      return Map.copyOf(runs);
    }
  }

  /**
   * @param command  what every worker node is asked to deploy
   * @param executor the run's executor: its in-flight limits follow the deployed actors; it re-sends lost work
   * @param log      where one-line notes go (a node hosts actors, refused, left)
   * @param cleanup  run on a worker thread when this verticle stops, after the nodes undeployed (e.g. destroy the
   *                 model map, stop local node processes)
   */
  public WorkerPoolVerticle(ClusterNode node, DeployActors command, EventBusExecutor executor, Consumer<String> log,
                            Runnable cleanup) {
    this(node, command, executor, log, cleanup, Integer.MAX_VALUE, null);
  }

  /**
   * As {@link #WorkerPoolVerticle(ClusterNode, DeployActors, EventBusExecutor, Consumer, Runnable)}, on at most
   * {@code maxNodes} worker nodes chosen by {@code placement} (which may be null when {@code maxNodes} is unlimited).
   */
  public WorkerPoolVerticle(ClusterNode node, DeployActors command, EventBusExecutor executor, Consumer<String> log,
                            Runnable cleanup, int maxNodes, Placement placement) {
    if (maxNodes < 1) throw new IllegalArgumentException("maxNodes must be ≥ 1, was " + maxNodes);
    if (maxNodes != Integer.MAX_VALUE && placement == null) {
      throw new IllegalArgumentException("a pool limited to " + maxNodes + " nodes needs a placement");
    }
    if (!command.runId().equals(executor.run())) {
      throw new IllegalArgumentException("the executor sends to run " + executor.run() + "'s addresses, but the "
          + "worker nodes deploy run " + command.runId() + "'s actors");
    }
    this.maxNodes = maxNodes;
    this.placement = placement;
    this.node = Objects.requireNonNull(node, "node");
    this.command = Objects.requireNonNull(command, "command");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.log = Objects.requireNonNull(log, "log");
    this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
  }

  @Override
  public Future<?> start() {
    node.addNodeListener(membership);
    return vertx.eventBus().<Object>consumer(Addresses.WORKERS, this::onJoined).completion()
        .onSuccess(v -> fill());
  }

  /**
   * Completes with the number of worker nodes hosting actors once at least {@code workers} do; fails after the
   * time-out, naming the nodes that refused and why.
   */
  public Future<Integer> awaitWorkers(int workers, Duration timeout) {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> {
      if (hosting.size() >= workers) {
        p.complete(hosting.size());
        return;
      }
      Waiter w = new Waiter(workers, p);
      waiters.add(w);
      vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
        if (waiters.remove(w)) {
          p.fail(new IllegalStateException(hosting.size() + " of " + workers + " worker node"
              + (workers == 1 ? "" : "s") + " joined cluster " + node.config().name() + " within "
              + timeout.toSeconds() + " s" + (refusals.isEmpty() ? "" : "; refused: " + String.join("; ",
              refusals.values()))));
        }
      });
    });
    return p.future();
  }

  /** How many worker nodes host the run's actors now. */
  public Future<Integer> workers() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> p.complete(hosting.size()));
    return p.future();
  }

  private void onJoined(Message<Object> m) {
    try {
      if (m.body() instanceof WorkerJoined(String nodeId)) offer(nodeId);
    } catch (RuntimeException undecodable) {
      // not from a priorflow node of this build: nothing to deploy on
    }
  }

  /** Gives a node this pool took back to the placement (once). */
  private void giveBack(String nodeId) {
    if (taken.remove(nodeId)) placement.release(nodeId);
  }

  private boolean limited() {
    return maxNodes != Integer.MAX_VALUE;
  }

  /** A node became available (joined, announced itself): an unlimited pool asks it, a limited one fills up. */
  private void offer(String nodeId) {
    if (!limited()) {
      ask(nodeId);
      return;
    }
    notListening.remove(nodeId);
    fill();
  }

  /**
   * Asks nodes until the pool hosts on, or is asking, as many as it may: every member when unlimited, else the
   * least loaded members ({@link Placement}) not hosting, asked or found not listening.
   */
  private void fill() {
    if (!limited()) {
      for (String id : node.members()) ask(id);
      return;
    }
    while (!closing && taken.size() < maxNodes) { // taken: hosting, being asked, or waited for
      List<String> candidates = new ArrayList<>();
      for (String id : node.members()) {
        if (!id.equals(node.nodeId()) && !taken.contains(id) && !notListening.contains(id)
            && !refusals.containsKey(id)) {
          candidates.add(id);
        }
      }
      String chosen = placement.take(candidates);
      if (chosen == null) return;
      taken.add(chosen);
      ask(chosen);
    }
  }

  /**
   * Sends DeployActors to the node unless it hosts the run already or was asked and has not answered; a member not
   * listening (yet), or whose answer was lost, is asked again {@link #ASK_AGAIN} later while it is a member. Only an
   * answer (ActorsDeployed, or a refusal: INCOMPATIBLE) ends the asking.
   */
  private void ask(String nodeId) {
    if (closing || nodeId.equals(node.nodeId()) || hosting.containsKey(nodeId) || !asked.add(nodeId)) return;
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(DEPLOY_TIMEOUT.toMillis());
    vertx.eventBus().<Object>request(Addresses.node(nodeId), command, o).onComplete(ar -> {
      asked.remove(nodeId);
      if (ar.succeeded() && ar.result().body() instanceof ActorsDeployed d) {
        if (closing || !node.isMember(nodeId)) {
          if (closing) undeploy(nodeId);
          if (limited()) {
            giveBack(nodeId);
            fill();
          }
          return;
        }
        hosting.put(nodeId, d.instances());
        refusals.remove(nodeId);
        unanswered.remove(nodeId);
        limits();
        log.accept("worker node " + shortId(nodeId) + " hosts " + WorkerNodeVerticle.describe(d.instances())
            + " (" + hosting.size() + " worker node" + (hosting.size() == 1 ? "" : "s") + ")");
        waiters.removeIf(w -> {
          if (hosting.size() < w.workers()) return false;
          w.promise().complete(hosting.size());
          return true;
        });
        if (!orphaned.isEmpty()) { // a replacement for a node that left: its work goes here now
          Set<Role> roles = EnumSet.copyOf(orphaned);
          orphaned.clear();
          executor.redispatch(roles).onSuccess(n -> log.accept("worker node " + shortId(nodeId) + " took over "
              + "the run; re-sent " + n + " in-flight item" + (n == 1 ? "" : "s")));
        }
      } else if (ar.failed() && ar.cause() instanceof ReplyException re
          && re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        // not a worker node, not listening yet, or its answer lost on the way: ask again while it is a member
        if (limited() && !closing && node.isMember(nodeId)
            && unanswered.merge(nodeId, 1, Integer::sum) < PATIENCE) {
          // most likely a worker node whose control is not listening yet: the least loaded node, so ask it again
          vertx.setTimer(ASK_AGAIN.toMillis(), t -> {
            if (taken.contains(nodeId) && !hosting.containsKey(nodeId)) ask(nodeId);
          });
        } else if (limited()) { // not a worker node, it seems: another node takes the run meanwhile
          giveBack(nodeId);
          if (!closing && node.isMember(nodeId)) {
            notListening.add(nodeId);
            vertx.setTimer(ASK_AGAIN.toMillis(), t -> {
              notListening.remove(nodeId);
              fill();
            });
          }
          fill();
        } else if (!closing && node.isMember(nodeId)) {
          vertx.setTimer(ASK_AGAIN.toMillis(), t -> ask(nodeId));
        }
      } else if (!closing) {
        String why = ar.failed() ? ar.cause().getMessage() : "it answered " + ar.result().body();
        refusals.put(nodeId, "worker node " + shortId(nodeId) + ": " + why);
        log.accept("worker node " + shortId(nodeId) + " takes no work: " + why);
        if (limited()) {
          giveBack(nodeId);
          fill();
        }
      }
    });
  }

  private void onLeft(String nodeId, long at) {
    Map<Role, Integer> had = hosting.remove(nodeId);
    giveBack(nodeId);
    // a limited pool waiting on a node that left asks another now, not after the deploy time-out
    if (limited() && asked.remove(nodeId) && !closing) fill();
    if (had == null || closing) return;
    limits();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    had.forEach((r, n) -> {
      if (n > 0) roles.add(r);
    });
    if (limited() && hosting.isEmpty()) {
      // no node hosts the run now: another takes it, and the lost work is re-sent once it does
      orphaned.addAll(roles);
      log.accept("worker node " + shortId(nodeId) + " left the cluster with the run; asking another");
      fill();
      return;
    }
    vertx.setTimer(SETTLE.toMillis(), t -> executor.redispatch(roles).onSuccess(n -> log.accept(String.format(
        Locale.ROOT, "worker node %s left the cluster; re-sent %d in-flight item%s of its roles %.0f ms later (%d "
            + "worker node%s left)", shortId(nodeId), n, n == 1 ? "" : "s", (System.nanoTime() - at) / 1e6,
        hosting.size(), hosting.size() == 1 ? "" : "s"))));
  }

  /** In-flight limits for the actors deployed now (unchanged while none are). */
  private void limits() {
    Map<Role, Integer> total = new EnumMap<>(Role.class);
    for (Map<Role, Integer> counts : hosting.values()) counts.forEach((r, n) -> total.merge(r, n, Integer::sum));
    if (total.isEmpty()) return;
    executor.config(executor.config().withMaxInFlight(ExecutorConfig.forActors(total).maxInFlight()));
  }

  private Future<Void> undeploy(String nodeId) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(UNDEPLOY_TIMEOUT.toMillis());
    return vertx.eventBus().request(Addresses.node(nodeId), new UndeployActors(command.runId()), o).mapEmpty();
  }

  /** Undeploys the run on every node that hosts it or was asked, then runs the cleanup; never fails. */
  @Override
  public Future<?> stop() {
    closing = true;
    node.removeNodeListener(membership);
    List<Future<Void>> all = new ArrayList<>();
    Set<String> nodes = new HashSet<>(hosting.keySet());
    nodes.addAll(asked);
    for (String id : nodes) {
      all.add(undeploy(id));
      giveBack(id);
    }
    waiters.forEach(w -> w.promise().tryFail("the run is over"));
    return Future.join(all).transform(ar -> vertx.executeBlocking(() -> {
      cleanup.run();
      return null;
    }, false)).recover(e -> Future.succeededFuture());
  }

  static String shortId(String nodeId) {
    return nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId;
  }
}
