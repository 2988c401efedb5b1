package io.priorflow.verticles.bus;

/**
 * Event a worker node publishes on {@link Addresses#WORKERS} once it takes commands on {@link Addresses#node}: a
 * director running at that moment answers with {@link DeployActors}, so a node that joins mid-run gets work too.
 */
public record WorkerJoined(String nodeId) implements SimMessage {
  public WorkerJoined {
    RoleCounts.require("nodeId", nodeId);
  }
}
