package io.priorflow.verticles.bus;

import io.priorflow.engine.work.Role;
import java.util.Map;

/**
 * Command from a director to one worker node (on {@link Addresses#node}): build the run's work context from the
 * resolved scenario and deploy these actors; reply {@link ActorsDeployed} once every actor listens on its role's
 * address. Sending it again for the same run is harmless: the node answers with the deployment it already has.
 * A node hosts any number of runs at once (each on its own role addresses); it refuses with
 * {@link Failure#INCOMPATIBLE} when its priorflow build differs or reads the scenario differently.
 *
 * @param runId          the run, unique per run; names the run's model map too
 * @param directorNodeId the director's cluster node id: the node undeploys the run's actors when it leaves
 * @param scenarioYaml   the resolved scenario ({@code LoadedScenario.resolvedYaml}): every field written out, so
 *                       every node parses the same scenario
 * @param scenarioSha256 {@code ScenarioRun.resultSha256} of that scenario, which the node checks after parsing
 * @param projectVersion the director's priorflow version, which the node checks against its own
 * @param backend        the kernel backend's name (it goes into lineage, so every node uses the director's)
 * @param instances      actor instances of each role on this node
 */
public record DeployActors(String runId, String directorNodeId, String scenarioYaml, String scenarioSha256,
                           String projectVersion, String backend, Map<Role, Integer> instances)
    implements SimMessage {
  public DeployActors {
    RoleCounts.require("runId", runId);
    RoleCounts.require("directorNodeId", directorNodeId);
    RoleCounts.require("scenarioYaml", scenarioYaml);
    RoleCounts.require("scenarioSha256", scenarioSha256);
    RoleCounts.require("projectVersion", projectVersion);
    RoleCounts.require("backend", backend);
    instances = RoleCounts.copy("instances", instances);
  }
}
