package io.priorflow.verticles.bus;

import io.priorflow.engine.work.Role;
import java.util.Map;

/** Reply to {@link DeployActors}: the node's actors for the run listen on their role addresses. */
public record ActorsDeployed(String runId, String nodeId, Map<Role, Integer> instances) implements SimMessage {
  public ActorsDeployed {
    RoleCounts.require("runId", runId);
    RoleCounts.require("nodeId", nodeId);
    instances = RoleCounts.copy("instances", instances);
  }
}
