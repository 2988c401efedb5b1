package io.priorflow.verticles.cluster;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioException;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.verticles.bus.DeployActors;
import java.util.List;

/**
 * What a worker node builds from a {@link DeployActors} command: the run's scenario, parsed from the director's
 * resolved YAML and checked to read back identically, and the {@link WorkContext} its actors share — the same
 * world, random streams and evaluation set as the director's own (both build them with
 * {@link ScenarioRun#context}), this node's kernel backend, and the cluster's model store.
 */
public final class NodeWork {
  private NodeWork() {}

  /**
   * The scenario of the command.
   *
   * @throws IncompatibleNodeException when this node's priorflow is another version, or parses the YAML into a
   *                                   scenario whose resolved text differs (other defaults or fields)
   */
  public static LoadedScenario scenario(DeployActors d) {
    String mine = RunLineage.currentProjectVersion();
    if (!mine.equals(d.projectVersion())) {
      throw new IncompatibleNodeException("this node runs priorflow " + mine + ", the director " + d.projectVersion()
          + "; every node of a run must run the same build");
    }
    LoadedScenario loaded;
    try {
      loaded = ScenarioLoader.parse(d.scenarioYaml(), "the scenario of run " + d.runId(), List.of());
    } catch (ScenarioException e) {
      throw new IncompatibleNodeException("this node cannot read the director's scenario: " + e.getMessage());
    }
    if (!loaded.sha256().equals(d.scenarioSha256())) {
      throw new IncompatibleNodeException("this node reads the director's scenario differently (SHA-256 "
          + loaded.sha256() + ", the director's " + d.scenarioSha256() + "); every node of a run must run the same "
          + "build");
    }
    return loaded;
  }

  /** The context a run's actors share: world, streams and evaluation set of the scenario; this backend and store. */
  public static WorkContext context(Scenario sc, ModelStore store, KernelBackend backend) {
    return ScenarioRun.context(sc, store, backend);
  }

  /** A node that must not take a run's work, with the reason. */
  public static final class IncompatibleNodeException extends IllegalStateException {
    public IncompatibleNodeException(String message) {
      super(message);
    }
  }
}
