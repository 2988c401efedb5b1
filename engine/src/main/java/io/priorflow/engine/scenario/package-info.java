/**
 * Scenario files: the records of the format ({@link io.priorflow.engine.scenario.Scenario} and below, with the stage
 * registry {@link io.priorflow.engine.scenario.StageSpec}), the loader that validates a YAML file as a whole and
 * reports every problem at its line and column, {@code --set} overrides, parameter sweeps
 * ({@link io.priorflow.engine.scenario.Sweep}), the resolved YAML of a run, and the JSON Schema generated from the
 * records. No simulation here: applying a data policy or running a stage belongs to the packages that do the work.
 */
package io.priorflow.engine.scenario;
