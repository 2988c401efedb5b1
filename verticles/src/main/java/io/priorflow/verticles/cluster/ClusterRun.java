package io.priorflow.verticles.cluster;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.verticles.ActorNode;
import io.priorflow.verticles.EventBusExecutor;
import io.priorflow.verticles.ExecutorConfig;
import io.priorflow.verticles.bus.DeployActors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The director's side of a clustered run, set up in one call: the director joins (or founds) the cluster, starts
 * local worker JVMs if asked, deploys a {@link WorkerPoolVerticle} that has every worker node deploy the scenario's
 * actors, and waits until enough worker nodes host them. The run then uses {@link #vertx()}, {@link #models()} and
 * {@link #executor()} as a one-node run uses its own.
 *
 * <p>Closing the Vertx ({@link #close}, or the {@code run} command's own {@code vertx.close()}) undeploys the pool:
 * the worker nodes undeploy the run's actors (and stay up for the next run), the run's model map is destroyed, and
 * local worker JVMs are stopped. The director hosts no actors: worker nodes do (DESIGN §8).
 */
public final class ClusterRun {
  /** How long the director waits for its worker nodes to join and deploy. */
  public static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(120);

  private final ClusterNode node;
  private final HazelcastModelStore store;
  private final EventBusExecutor executor;
  private final WorkerPoolVerticle pool;
  private final LocalNodes local;
  private final Duration formation;
  private final int workers;

  private ClusterRun(ClusterNode node, HazelcastModelStore store, EventBusExecutor executor, WorkerPoolVerticle pool,
                     LocalNodes local, Duration formation, int workers) {
    this.node = node;
    this.store = store;
    this.executor = executor;
    this.pool = pool;
    this.local = local;
    this.formation = formation;
    this.workers = workers;
  }

  /**
   * Joins the cluster as the director of this scenario and waits until its actors are deployed.
   *
   * @param localWorkers worker JVMs to start on this machine (they join the director); 0 to rely on nodes started
   *                     with {@code priorflow node}
   * @param backend      the kernel backend's name, which every worker node uses
   * @param log          where one-line notes go (formation time, nodes joining and leaving)
   * @throws IllegalStateException when the cluster cannot be joined, a local worker fails, or no worker node hosts
   *                               the actors in time; nothing is left running then
   */
  public static ClusterRun start(ClusterConfig config, int localWorkers, LoadedScenario loaded, String backend,
                                 Consumer<String> log) throws InterruptedException {
    if (localWorkers < 0) throw new IllegalArgumentException("localWorkers must be ≥ 0, was " + localWorkers);
    long t0 = System.nanoTime();
    // Local workers first: their JVMs boot while the director's Hazelcast starts; they join once told where.
    LocalNodes local = localWorkers > 0 ? LocalNodes.start(localWorkers, config) : null;
    ClusterNode node;
    try {
      node = await(ClusterNode.start(config), WORKERS_TIMEOUT);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (local != null) local.stop();
      throw new IllegalStateException("cannot join cluster " + config.name() + " on " + config.host() + ": "
          + cause(e), e);
    }
    long joined = System.nanoTime();
    try {
      if (local != null) local.join(node.memberAddress());
      String runId = "run-" + UUID.randomUUID();
      HazelcastModelStore store = new HazelcastModelStore(node.hazelcast(), runId);
      Map<Role, Integer> perNode = ActorNode.counts(loaded.scenario().actors());
      EventBusExecutor executor = new EventBusExecutor(node.vertx(), ExecutorConfig.forActors(perNode));
      DeployActors command = new DeployActors(runId, node.nodeId(), loaded.resolvedYaml(), loaded.sha256(),
          RunLineage.currentProjectVersion(), backend, perNode);
      WorkerPoolVerticle pool = new WorkerPoolVerticle(node, command, executor, log, () -> {
        try {
          store.destroy();
        } finally {
          if (local != null) local.stop();
        }
      });
      await(node.vertx().deployVerticle(pool), WORKERS_TIMEOUT);
      int expected = Math.max(1, localWorkers);
      if (localWorkers == 0) {
        log.accept("director of cluster " + config.name() + " at " + node.memberAddress() + "; waiting for worker "
            + "nodes (priorflow node --cluster " + config.name() + " --members " + node.memberAddress() + ")");
      }
      var ready = pool.awaitWorkers(expected, WORKERS_TIMEOUT).toCompletionStage().toCompletableFuture();
      while (!ready.isDone()) {
        if (local != null) local.checkAlive();
        try {
          ready.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          // check the children again
        }
      }
      int workers = ready.get();
      Duration formation = Duration.ofNanos(System.nanoTime() - t0);
      log.accept(String.format(Locale.ROOT, "cluster %s: director and %d worker node%s ready in %.1f s (the "
              + "director joined in %.1f s, the workers hosted actors %.1f s later)%s", config.name(), workers,
          workers == 1 ? "" : "s", formation.toMillis() / 1000.0, (joined - t0) / 1e9,
          (System.nanoTime() - joined) / 1e9, config.tls() != null ? "; event bus over mutual TLS" : ""));
      return new ClusterRun(node, store, executor, pool, local, formation, workers);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      try {
        node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException ignored) {
        // the failure below says what went wrong
      } finally {
        if (local != null) local.stop();
      }
      if (e instanceof IllegalStateException ise) throw ise;
      throw new IllegalStateException("cluster " + config.name() + ": " + cause(e), e);
    }
  }

  /** The director's clustered Vertx (deploy the DirectorVerticle on it; close it at the end). */
  public Vertx vertx() {
    return node.vertx();
  }

  /** The cluster's model store, as the director sees it. */
  public ModelStore models() {
    return store;
  }

  /** The executor that sends work to the worker nodes' actors and re-sends a lost node's work. */
  public EventBusExecutor executor() {
    return executor;
  }

  /** The director's node. */
  public ClusterNode node() {
    return node;
  }

  /** The pool of worker nodes. */
  public WorkerPoolVerticle pool() {
    return pool;
  }

  /** The local worker JVMs, or null when none were started. */
  public LocalNodes localNodes() {
    return local;
  }

  /** From the start of the call until the first worker nodes hosted their actors. */
  public Duration formation() {
    return formation;
  }

  /** Worker nodes hosting actors when the run started. */
  public int initialWorkers() {
    return workers;
  }

  /** Closes the director's Vertx: undeploys the run on the workers, destroys its model map, stops local workers. */
  public void close() throws InterruptedException {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // leaving failed or hung: the local workers must still go
    } finally {
      if (local != null) local.stop();
    }
  }

  private static <T> T await(Future<T> f, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String cause(Exception e) {
    Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }
}
