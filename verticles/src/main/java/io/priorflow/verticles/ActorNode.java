package io.priorflow.verticles;

import io.priorflow.engine.scenario.ActorsSpec;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The actors one node hosts: deploys, on a given Vertx, so many {@link ActorVerticle} instances of each role, all
 * sharing the node's {@link WorkContext}, and undeploys them again. On one machine the director's Vertx is also the
 * actors' node; in a cluster every worker node has one.
 *
 * <p>Each role runs on its own worker pool ({@code pf.actors.<role>}) with a thread per instance, up to
 * {@link #MAX_POOL_THREADS}, so a long training item never holds up a labeller. Instance counts change only speed:
 * results do not depend on them (DESIGN §5).
 */
public final class ActorNode {
  /** Most worker threads one role's pool gets on a node, however many instances it runs. */
  public static final int MAX_POOL_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final Vertx vertx;
  private final WorkContext work;
  private final String run;
  private final List<String> deployments = new CopyOnWriteArrayList<>();

  /** Registers the {@link JacksonCodec} on the vertx, if it was not yet. */
  public ActorNode(Vertx vertx, WorkContext work) {
    this(vertx, work, null);
  }

  /**
   * Actors of one run on a bus that carries several: they listen on the run's own role addresses
   * ({@link Addresses#role(Role, String)}) and work on pools of their own, so one run's training never waits for
   * another's thread.
   *
   * @param run the run's id, or null for the plain role addresses and pools
   */
  public ActorNode(Vertx vertx, WorkContext work, String run) {
    this.vertx = JacksonCodec.register(Objects.requireNonNull(vertx, "vertx"));
    this.work = Objects.requireNonNull(work, "work");
    this.run = run;
  }

  /** Actors per role as a scenario asks for them: humans, critics, generators, trainers, evaluators, red teamers, retrievers. */
  public static Map<Role, Integer> counts(ActorsSpec actors) {
    Map<Role, Integer> n = new EnumMap<>(Role.class);
    n.put(Role.HUMAN, actors.humans().count());
    n.put(Role.CRITIC, actors.critics().count());
    n.put(Role.GENERATOR, actors.generators().count());
    n.put(Role.TRAINER, actors.trainers().count());
    n.put(Role.EVALUATOR, actors.evaluators().count());
    n.put(Role.RED_TEAMER, actors.redTeamers().count());
    n.put(Role.RETRIEVER, actors.retrieversOrDefault().count());
    return Collections.unmodifiableMap(n);
  }

  /** Deploys the scenario's actors ({@link #counts}). */
  public Future<Void> deploy(ActorsSpec actors) {
    return deploy(counts(actors));
  }

  /**
   * Deploys {@code counts.get(role)} instances of each role (none for a missing role or a count of 0). Completes
   * once every instance's consumer is registered, so requests sent afterwards find them; fails if any deployment
   * fails, leaving those that succeeded for {@link #undeploy}.
   */
  public Future<Void> deploy(Map<Role, Integer> counts) {
    List<Future<String>> all = new ArrayList<>();
    counts.forEach((role, n) -> {
      if (n < 0) throw new IllegalArgumentException(role.key() + " count must be ≥ 0, was " + n);
      if (n > 0) all.add(deploy(role, n));
    });
    return Future.all(all).mapEmpty();
  }

  /** Deploys {@code instances} actors of one role (one deployment); completes with its deployment id. */
  public Future<String> deploy(Role role, int instances) {
    return vertx.deployVerticle(() -> ActorVerticle.forRole(role, work).inRun(run), options(role, instances, run))
        .onSuccess(deployments::add);
  }

  /** Undeploys every deployment this node made; completes when all are gone. */
  public Future<Void> undeploy() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      deployments.remove(id);
      all.add(vertx.undeploy(id));
    }
    return Future.all(all).mapEmpty();
  }

  /** The ids of the deployments this node made and has not undeployed. */
  public List<String> deploymentIds() {
    return List.copyOf(deployments);
  }

  /**
   * Worker deployment of {@code instances} actors of the role on the role's own pool. The blocked-thread warning
   * fires only past the role's default time-out: an item that runs that long will be re-sent anyway.
   */
  static DeploymentOptions options(Role role, int instances) {
    return options(role, instances, null);
  }

  /** As {@link #options(Role, int)}, on the run's own pool ({@code pf.actors.<run>.<role>}) when run is not null. */
  static DeploymentOptions options(Role role, int instances, String run) {
    return new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(instances)
        .setWorkerPoolName("pf.actors." + (run == null ? "" : run + ".") + role.key())
        .setWorkerPoolSize(Math.min(instances, MAX_POOL_THREADS))
        .setMaxWorkerExecuteTime(ExecutorConfig.defaultTimeout(role).toMillis())
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
  }
}
