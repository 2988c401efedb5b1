package io.priorflow.engine.scenario;

/**
 * A valid scenario with its resolved text: defaults and overrides applied, written back as YAML.
 * {@code ScenarioLoader.parse(resolvedYaml, …)} gives an equal scenario, so a run's {@code scenario.yaml}
 * reproduces it.
 *
 * @param scenario     the scenario
 * @param resolvedYaml every field of the scenario, as YAML
 * @param sha256       SHA-256 of {@code resolvedYaml}'s UTF-8 bytes, 64 lowercase hex digits; lineage records it
 */
public record LoadedScenario(Scenario scenario, String resolvedYaml, String sha256) {}
