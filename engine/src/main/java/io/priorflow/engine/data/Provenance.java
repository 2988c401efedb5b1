package io.priorflow.engine.data;

import java.util.List;

/**
 * Where a datum's tokens came from.
 *
 * @param source     what kind of producer made the tokens
 * @param producerId the producing actor's id (a generator, human labeller, critic, red teamer), or the world
 *                   corpus' name for {@link SourceKind#WORLD}
 * @param modelId    the model that produced the tokens (SHA-256 of its file), or null when no model did (world,
 *                   humans, rule-based critics); required for {@link SourceKind#GENERATOR}
 * @param generation the generation in which the datum was made, 0 for the first
 * @param parentIds  ids of the data this one was derived from, in the producer's order (e.g. the response a
 *                   human corrected); empty for original data. Recorded for lineage; they carry no ancestry share
 */
public record Provenance(SourceKind source, String producerId, String modelId, int generation,
                         List<String> parentIds) {

  /** Checks the fields and copies the parent list. */
  public Provenance {
    if (source == null) {
      throw new IllegalArgumentException(
          "A provenance needs a source kind (world, human, generator, critic, red_team).");
    }
    Origins.requireText("producerId", producerId);
    if (modelId != null) {
      Origins.requireText("modelId", modelId);
    }
    if (source == SourceKind.GENERATOR && modelId == null) {
      throw new IllegalArgumentException(
          "A generated datum must name the model it was sampled from; producer " + producerId + " gave no modelId.");
    }
    if (source == SourceKind.WORLD && modelId != null) {
      throw new IllegalArgumentException("A world datum has no model, but modelId was " + modelId + ".");
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be ≥ 0, was " + generation + ".");
    }
    parentIds = parentIds == null ? List.of() : List.copyOf(parentIds);
  }

  /** A datum drawn from the world corpus in a generation. */
  public static Provenance world(int generation) {
    return new Provenance(SourceKind.WORLD, Origins.WORLD, null, generation, List.of());
  }

  /** A datum a generator actor sampled from a model. */
  public static Provenance generated(String generatorId, String modelId, int generation) {
    return new Provenance(SourceKind.GENERATOR, generatorId, modelId, generation, List.of());
  }

  /** A datum written by a human labeller (a demonstration, or a correction of the parents). */
  public static Provenance human(String labellerId, int generation, List<String> parentIds) {
    return new Provenance(SourceKind.HUMAN, labellerId, null, generation, parentIds);
  }

  /**
   * Where the tokens' signal comes from ({@link Origins}): {@code model:<modelId>} when a model produced them,
   * else {@code world}, {@code human:<producerId>}, or {@code <source>:<producerId>}.
   */
  public String origin() {
    if (modelId != null) {
      return Origins.model(modelId);
    }
    return source == SourceKind.WORLD ? Origins.WORLD : source.key() + ":" + producerId;
  }
}
