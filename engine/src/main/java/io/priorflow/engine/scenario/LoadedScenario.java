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
 * @param counterfactuals the interventions to run beside the factual scenario ({@link Counterfactual}), empty for
 *                     none; {@link ScenarioLoader#point(LoadedScenario, int, String)} gives each one's scenario
 * @param shapley      the names of the Shapley players (each a counterfactual; every combination of them is one
 *                     too, named {@code a__b…}), empty for none
 */
public record LoadedScenario(Scenario scenario, String resolvedYaml, String sha256, Sweep sweep,
                             java.util.List<Counterfactual> counterfactuals, java.util.List<String> shapley) {

  /** Without Shapley players. */
  public LoadedScenario(Scenario scenario, String resolvedYaml, String sha256, Sweep sweep,
                        java.util.List<Counterfactual> counterfactuals) {
    this(scenario, resolvedYaml, sha256, sweep, counterfactuals, java.util.List.of());
  }

  /** A scenario without a sweep. */
  public LoadedScenario(Scenario scenario, String resolvedYaml, String sha256) {
    this(scenario, resolvedYaml, sha256, Sweep.NONE);
  }

  /** A scenario without counterfactuals. */
  public LoadedScenario(Scenario scenario, String resolvedYaml, String sha256, Sweep sweep) {
    this(scenario, resolvedYaml, sha256, sweep, java.util.List.of());
  }

  /** Checks that there is a sweep value; copies the list. */
  public LoadedScenario {
    java.util.Objects.requireNonNull(sweep, "sweep");
    counterfactuals = java.util.List.copyOf(counterfactuals);
    shapley = java.util.List.copyOf(shapley);
  }
}
