package io.priorflow.engine.data;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step that made a dataset, as recorded in its {@link DataLineage}: e.g. {@code filter} by a critic,
 * {@code accumulate} of earlier datasets, {@code subsample}, {@code fresh} world data.
 *
 * @param op     the step's name, lowercase (e.g. "filter", "accumulate", "subsample", "fresh")
 * @param inputs names of the datasets the step read, in its order; empty for a step on the dataset itself
 * @param params the step's settings as strings (numbers written with {@link String#valueOf}), kept sorted by key
 */
public record Transform(String op, List<String> inputs, Map<String, String> params) {

  /** Checks the name; copies the inputs and sorts the parameters. */
  public Transform {
    Origins.requireText("A transform's op", op);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    params = params == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** A step with settings and no input datasets. */
  public static Transform of(String op, Map<String, String> params) {
    return new Transform(op, List.of(), params);
  }
}
