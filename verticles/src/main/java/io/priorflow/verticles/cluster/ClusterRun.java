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
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The director's side of a clustered run. {@link #start} joins (or founds) the cluster and starts local worker JVMs
 * if asked; then every run {@link #host}s its scenario: a {@link WorkerPoolVerticle} has every worker node deploy
 * the run's actors with the run's own context, and the run uses {@link Hosted#models()} and
 * {@link Hosted#executor()} as a one-node run uses its own store and executor. Closing the Hosted undeploys the
 * run's actors on the worker nodes and destroys its model map; the worker nodes stay for the next run.
 *
 * <p>Runs at once: each run's actors listen on the run's own role addresses, so a batch's runs (replicates, sweep
 * points) go on side by side, one per lane of the batch. A single run spreads over every worker node; a batch's
 * runs take one node each ({@code maxNodes} 1), the least loaded ({@link WorkerPoolVerticle.Placement}), so that
 * each node works on whole runs and N nodes run N at once; a run whose node leaves moves to another, where its lost
 * work is sent again.
 *
 * <p>Closing the director's Vertx stops the local worker JVMs (a JVM shutdown hook does too, see
 * {@link LocalNodes}). The director hosts no actors: worker nodes do (DESIGN §8).
 */
public final class ClusterRun {
  /** How long the director waits for worker nodes to join and deploy. */
  public static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(120);

  private static final Map<Vertx, ClusterRun> DIRECTORS = Collections.synchronizedMap(new WeakHashMap<>());

  private final ClusterNode node;
  private final LocalNodes local;
  private final int expected;
  private final Consumer<String> log;
  private final long startedAt;
  private final WorkerPoolVerticle.Placement placement = new WorkerPoolVerticle.Placement();
  private volatile Duration formation;

  private ClusterRun(ClusterNode node, LocalNodes local, int expected, Consumer<String> log, long startedAt) {
    this.node = node;
    this.local = local;
    this.expected = expected;
    this.log = log;
    this.startedAt = startedAt;
  }

  /**
   * Joins the cluster as a director.
   *
   * @param localWorkers worker JVMs to start on this machine (they join the director); 0 to rely on nodes started
   *                     with {@code priorflow node}. The first run waits for all of them (or for one node when 0).
   * @param log          where one-line notes go (formation time, nodes joining and leaving)
   * @throws IllegalStateException when the cluster cannot be joined; nothing is left running then
   */
  public static ClusterRun start(ClusterConfig config, int localWorkers, Consumer<String> log)
      throws InterruptedException {
    if (localWorkers < 0) throw new IllegalArgumentException("localWorkers must be ≥ 0, was " + localWorkers);
    long t0 = System.nanoTime();
    // Local workers first: their JVMs boot while the director's Hazelcast starts; they join once told where.
    LocalNodes local = localWorkers > 0 ? LocalNodes.start(localWorkers, config) : null;
    ClusterNode node;
    try {
      node = await(ClusterNode.start(config), WORKERS_TIMEOUT);
      if (local != null) local.join(node.memberAddress());
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (local != null) local.stop();
      throw new IllegalStateException("cannot join cluster " + config.name() + " on " + config.host() + ": "
          + cause(e), e);
    }
    ClusterRun run = new ClusterRun(node, local, Math.max(1, localWorkers), log, t0);
    try { // closing the director's Vertx stops the local workers
      await(node.vertx().deployVerticle(new Lifecycle(run)), WORKERS_TIMEOUT);
    } catch (ExecutionException | TimeoutException e) {
      run.close();
      throw new IllegalStateException("cluster " + config.name() + ": " + cause(e), e);
    }
    DIRECTORS.put(node.vertx(), run);
    if (localWorkers == 0) {
      log.accept("director of cluster " + config.name() + " at " + node.memberAddress() + "; worker nodes join "
          + "with: priorflow node --cluster " + config.name() + " --members " + node.memberAddress());
    }
    return run;
  }

  /** The cluster run whose director runs on this Vertx, or null (a one-JVM run's bus, or null). */
  public static ClusterRun of(Vertx vertx) {
    return vertx == null ? null : DIRECTORS.get(vertx);
  }

  /**
   * {@link #host} on the cluster run of this Vertx; null when it is not a cluster director's (the run then deploys
   * its actors on that bus itself).
   */
  public static Hosted host(Vertx bus, LoadedScenario scenario, String backend) throws InterruptedException {
    return host(bus, scenario, backend, Integer.MAX_VALUE);
  }

  /** As {@link #host(Vertx, LoadedScenario, String)}, on at most {@code maxNodes} worker nodes. */
  public static Hosted host(Vertx bus, LoadedScenario scenario, String backend, int maxNodes)
      throws InterruptedException {
    ClusterRun run = of(bus);
    return run == null ? null : run.host(scenario, backend, maxNodes);
  }

  /** As {@link #host(LoadedScenario, String, int)} on every worker node. */
  public Hosted host(LoadedScenario scenario, String backend) throws InterruptedException {
    return host(scenario, backend, Integer.MAX_VALUE);
  }

  /**
   * Deploys the run's actors, on its own role addresses, on every worker node or on the {@code maxNodes} least
   * loaded, and waits until enough worker nodes host them: all the local ones (at most maxNodes) for the first run,
   * else one.
   *
   * @param backend  the kernel backend's name, which every worker node uses (it is in lineage)
   * @param maxNodes at most this many worker nodes host the run; {@link Integer#MAX_VALUE} for all
   * @throws IllegalStateException when no worker node hosts the actors in time, or a local worker failed
   */
  public Hosted host(LoadedScenario scenario, String backend, int maxNodes) throws InterruptedException {
    boolean first = formation == null;
    if (first && maxNodes != Integer.MAX_VALUE) awaitMembers();
    String runId = "run-" + UUID.randomUUID();
    HazelcastModelStore store = new HazelcastModelStore(node.hazelcast(), runId);
    Map<Role, Integer> perNode = ActorNode.counts(scenario.scenario().actors());
    EventBusExecutor executor = new EventBusExecutor(node.vertx(), ExecutorConfig.forActors(perNode), runId);
    DeployActors command = new DeployActors(runId, node.nodeId(), scenario.resolvedYaml(), scenario.sha256(),
        RunLineage.currentProjectVersion(), backend, perNode);
    WorkerPoolVerticle pool = new WorkerPoolVerticle(node, command, executor, log, store::destroy, maxNodes,
        placement);
    Hosted hosted = new Hosted(store, executor, pool);
    try {
      hosted.deployment = await(node.vertx().deployVerticle(pool), WORKERS_TIMEOUT);
      var ready = pool.awaitWorkers(first ? Math.min(expected, maxNodes) : 1, WORKERS_TIMEOUT).toCompletionStage()
          .toCompletableFuture();
      while (!ready.isDone()) {
        if (local != null) local.checkAlive();
        try {
          ready.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          // check the children again
        }
      }
      // how many host it now: others may have deployed since the wait was satisfied (the line once said "1 worker
      // node" with two up, the count taken when the first answered)
      int workers = Math.max(ready.get(), await(pool.workers(), WORKERS_TIMEOUT));
      synchronized (this) { // a batch's first runs are hosted at once: one line
        if (formation == null) {
          formation = Duration.ofNanos(System.nanoTime() - startedAt);
          String tls = node.config().tls() != null ? "; event bus over mutual TLS" : "";
          if (maxNodes == Integer.MAX_VALUE) {
            log.accept(String.format(Locale.ROOT, "cluster %s: director and %d worker node%s ready in %.1f s%s",
                node.config().name(), workers, workers == 1 ? "" : "s", formation.toMillis() / 1000.0, tls));
          } else {
            int members = node.members().size() - 1;
            log.accept(String.format(Locale.ROOT, "cluster %s: director and %d other member%s ready in %.1f s; each "
                    + "run of the batch on %d worker node%s of its own%s", node.config().name(), members,
                members == 1 ? "" : "s", formation.toMillis() / 1000.0, maxNodes, maxNodes == 1 ? "" : "s", tls));
          }
        }
      }
      return hosted;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      hosted.close();
      if (e instanceof IllegalStateException ise) throw ise;
      throw new IllegalStateException("cluster " + node.config().name() + ": " + cause(e), e);
    } catch (InterruptedException e) {
      hosted.close();
      throw e;
    }
  }

  /**
   * Waits (up to {@link #WORKERS_TIMEOUT}) until the local worker nodes asked for have joined the cluster, so that
   * the first runs of a batch, which take one node each, find every node to choose from rather than all taking the
   * first to join. Without local workers, nothing to wait for: the first node a run finds is the one it takes.
   */
  private void awaitMembers() throws InterruptedException {
    if (local == null) return;
    long end = System.nanoTime() + WORKERS_TIMEOUT.toNanos();
    while (node.members().size() < expected + 1 && System.nanoTime() < end) {
      local.checkAlive();
      Thread.sleep(50);
    }
  }

  /** One run's actors on the worker nodes; {@link #close} undeploys them and destroys the run's models. */
  public final class Hosted implements AutoCloseable {
    private final HazelcastModelStore store;
    private final EventBusExecutor executor;
    private final WorkerPoolVerticle pool;
    private volatile String deployment;
    private boolean closed;

    private Hosted(HazelcastModelStore store, EventBusExecutor executor, WorkerPoolVerticle pool) {
      this.store = store;
      this.executor = executor;
      this.pool = pool;
    }

    /** The run's models across the cluster. */
    public ModelStore models() {
      return store;
    }

    /** Sends the run's work to the worker nodes' actors and re-sends a lost node's work at once. */
    public EventBusExecutor executor() {
      return executor;
    }

    /** The pool of worker nodes hosting the run. */
    public WorkerPoolVerticle pool() {
      return pool;
    }

    /** Undeploys the run on the worker nodes and destroys its model map (waits up to 30 s, keeps an interrupt). */
    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      boolean interrupted = Thread.interrupted();
      try {
        Future<?> undeployed = deployment == null ? Future.succeededFuture() : node.vertx().undeploy(deployment);
        undeployed.eventually(executor::close).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | TimeoutException e) {
        // the director's Vertx is closing: the worker nodes undeploy when it leaves
      } finally {
        if (interrupted) Thread.currentThread().interrupt();
      }
    }
  }

  /** The director's clustered Vertx (deploy the DirectorVerticle on it; close it at the end). */
  public Vertx vertx() {
    return node.vertx();
  }

  /** Runs each worker node hosts (or is being asked to host) now. */
  public Map<String, Integer> load() {
    return placement.load();
  }

  /** The director's node. */
  public ClusterNode node() {
    return node;
  }

  /** The local worker JVMs, or null when none were started. */
  public LocalNodes localNodes() {
    return local;
  }

  /** From {@link #start} until the first run's actors were deployed on the first worker nodes; null before. */
  public Duration formation() {
    return formation;
  }

  /** Closes the director's Vertx (leaving the cluster) and stops the local workers. */
  public void close() throws InterruptedException {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // leaving failed or hung: the local workers must still go
    } finally {
      if (local != null) local.stop();
    }
  }

  /** Deployed once on the director's Vertx: undeployed when it closes, it stops the local worker JVMs. */
  private static final class Lifecycle extends VerticleBase {
    private final ClusterRun run;

    Lifecycle(ClusterRun run) {
      this.run = run;
    }

    @Override
    public Future<?> stop() {
      DIRECTORS.remove(vertx);
      if (run.local == null) return Future.succeededFuture();
      return vertx.executeBlocking(() -> {
        run.local.stop();
        return null;
      }, false);
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
