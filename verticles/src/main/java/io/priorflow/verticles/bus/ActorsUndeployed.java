package io.priorflow.verticles.bus;

/** Reply to {@link UndeployActors}: the node hosts no actor of the run any more. */
public record ActorsUndeployed(String runId, String nodeId) implements SimMessage {
  public ActorsUndeployed {
    RoleCounts.require("runId", runId);
    RoleCounts.require("nodeId", nodeId);
  }
}
