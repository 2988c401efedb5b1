package io.priorflow.verticles.bus;

import io.priorflow.engine.work.Role;

/**
 * Every event-bus address priorflow uses, dotted and lower-case. Actors of a role all listen on that role's
 * address; the bus hands each request to one of them (round robin), on whichever node it runs. On a cluster each run
 * has role addresses of its own ({@link #role(Role, String)}), so several runs of a batch share the worker nodes and
 * an actor only ever gets the items of the run whose context it holds.
 */
public final class Addresses {
  /** Prefix of the role addresses. */
  public static final String ROLE_PREFIX = "pf.role.";

  public static final String GENERATOR = role(Role.GENERATOR);
  public static final String CRITIC = role(Role.CRITIC);
  public static final String HUMAN = role(Role.HUMAN);
  public static final String TRAINER = role(Role.TRAINER);
  public static final String EVALUATOR = role(Role.EVALUATOR);
  public static final String RED_TEAMER = role(Role.RED_TEAMER);
  /** The retrievers' address. */
  public static final String RETRIEVER = role(Role.RETRIEVER);

  /** Where worker nodes announce themselves ({@link WorkerJoined}) to a director. */
  public static final String WORKERS = "pf.cluster.workers";

  private Addresses() {}

  /** Where the worker node with this cluster node id takes {@link DeployActors} and {@link UndeployActors}. */
  public static String node(String nodeId) {
    return "pf.cluster.node." + nodeId;
  }

  /** Where actors of this role take {@link Perform} requests: {@code pf.role.<role key>}, e.g. pf.role.red_teamer. */
  public static String role(Role role) {
    return ROLE_PREFIX + role.key();
  }

  /**
   * The role's address for one run's actors: {@code pf.role.<run>.<role key>}; with a null run, {@link #role(Role)}
   * (a bus that carries one run at a time).
   */
  public static String role(Role role, String run) {
    return run == null ? role(role) : ROLE_PREFIX + run + "." + role.key();
  }
}
