package io.priorflow.verticles.bus;

/**
 * Command from a director to a worker node at the end of a run: undeploy the run's actors and drop its work context;
 * reply {@link ActorsUndeployed}. The node stays in the cluster for the next run. Harmless for a run the node does
 * not host.
 */
public record UndeployActors(String runId) implements SimMessage {
  public UndeployActors {
    RoleCounts.require("runId", runId);
  }
}
