package io.priorflow.engine.scenario;

/**
 * A valid scenario with its resolved text: defaults and overrides applied, written back as YAML.
 * {@code ScenarioLoader.parse(resolvedYaml, …)} gives an equal scenario, so a run's {@code scenario.yaml}
 * reproduces it.
 *
 * @param scenario     the scenario (without a sweep: the base that every sweep point changes)
 * @param resolvedYaml every field of the scenario, as YAML, then the {@code sweep:} section when there is a sweep
 * @param sha256       SHA-256 of {@code resolvedYaml}'s UTF-8 bytes, 64 lowercase hex digits
 * @param sweep        the sweep, {@link Sweep#NONE} when nothing is swept; {@link ScenarioLoader#point} gives the
 *                     scenario of each point
 */
public record LoadedScenario(Scenario scenario, String resolvedYaml, String sha256, Sweep sweep) {

  /** A scenario without a sweep. */
  public LoadedScenario(Scenario scenario, String resolvedYaml, String sha256) {
    this(scenario, resolvedYaml, sha256, Sweep.NONE);
  }

  /** Checks that there is a sweep value. */
  public LoadedScenario {
    java.util.Objects.requireNonNull(sweep, "sweep");
  }
}
