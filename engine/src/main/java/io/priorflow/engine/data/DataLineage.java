package io.priorflow.engine.data;

import java.util.List;

/**
 * How a dataset was made [Tribuo CSVDataSourceProvenance, DatasetProvenance]: enough to find and check it, not
 * the data themselves. No wall-clock times (STYLE §6): two runs with the same seed give equal lineages.
 *
 * @param name       the dataset's name, unique in a run (e.g. {@code "L0/g3/train"})
 * @param source     where its data came from: the stage that produced them (e.g. {@code "L0/g3/generate"}),
 *                   {@code "world"}, or {@code "policy"} for a training set built by {@link DataPolicies}
 * @param sha256     the content hash, {@link Dataset#contentHash}: 64 lowercase hex digits
 * @param rows       the number of data
 * @param transforms the steps that made it, in order
 */
public record DataLineage(String name, String source, String sha256, int rows, List<Transform> transforms) {

  /** Checks the fields; copies the transforms. */
  public DataLineage {
    Origins.requireText("A dataset name", name);
    Origins.requireText("The source of dataset " + name, source);
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("Dataset " + name + " needs a SHA-256 of 64 lowercase hex digits, was "
          + sha256 + ".");
    }
    if (rows < 0) {
      throw new IllegalArgumentException("Dataset " + name + " has rows = " + rows + "; must be ≥ 0.");
    }
    transforms = transforms == null ? List.of() : List.copyOf(transforms);
  }
}
