package io.priorflow.engine.lineage;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model in the graph.
 *
 * <p>A model is either <em>trained</em> ({@code source} null, {@code training} given): its ancestry is computed
 * from its training by {@link Ancestry}; or a <em>source</em> ({@code source} given): it counts as one original
 * source, whatever it was trained on. A model with no training record in the run (an external teacher, a
 * rule-based critic's classifier, a random initialisation) must be a source. A trained model may be made a source
 * on purpose, to see its share as one block ("cut" the graph there).
 *
 * @param id        {@code model:<model id>}, the model id being the SHA-256 of its file
 * @param modelClass the model family, e.g. "TokenModel" or "TokenModel/scalar"
 * @param source    the source name when the model is a source (e.g. "generator:big-teacher"), else null
 * @param training  how the model was trained, or null if not in this run
 * @param tokens    the model's signal mass: for a model with training, the init's mass plus its datasets' signal
 *                  tokens; otherwise as declared (0 for a random initialisation)
 * @param ancestry  source → share of the model's training signal, summing to 1 (see {@link Ancestry})
 * @param lineageId the SHA-256 of the model's {@link ModelLineage} JSON, or null without training
 * @param architecture the model's family and size, or null where the run did not record it
 */
public record ModelNode(String id, String modelClass, String source, Training training, double tokens,
                        Map<String, Double> ancestry, String lineageId, Architecture architecture) implements Node {

  /** A model node without its architecture. */
  public ModelNode(String id, String modelClass, String source, Training training, double tokens,
                   Map<String, Double> ancestry, String lineageId) {
    this(id, modelClass, source, training, tokens, ancestry, lineageId, null);
  }

  /** Checks the fields; sorts the ancestry. */
  public ModelNode {
    if (id == null || !id.startsWith(MODEL) || id.length() == MODEL.length()) {
      throw new IllegalArgumentException("A model node id must be \"model:<model id>\", was " + id + ".");
    }
    if (modelClass == null || modelClass.isBlank()) {
      throw new IllegalArgumentException("Model " + id + " needs a model class.");
    }
    if (source != null && (source.isBlank() || source.startsWith(MODEL))) {
      throw new IllegalArgumentException("Model " + id + " has source name \"" + source
          + "\"; a source name is non-empty and does not start with \"model:\" (e.g. \"generator:big-teacher\").");
    }
    if (source == null && training == null) {
      throw new IllegalArgumentException("Model " + id + " has neither a training record nor a source name; a model"
          + " not trained in this run must be declared as a source.");
    }
    if (!(tokens >= 0) || Double.isInfinite(tokens)) {
      throw new IllegalArgumentException("Model " + id + " has tokens = " + tokens + "; must be finite and ≥ 0.");
    }
    ancestry = ancestry == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(ancestry));
  }

  /** The model id, without the prefix. */
  public String modelId() {
    return id.substring(MODEL.length());
  }
}
