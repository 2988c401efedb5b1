package io.priorflow.engine.data;

/**
 * One label on a datum, with who gave it.
 *
 * @param kind        what the label says
 * @param value       the label's value; its meaning depends on the kind ({@link LabelKind})
 * @param labeller    human or AI
 * @param labellerId  the labelling actor's id (or a human pool's name)
 * @param modelId     the model behind an AI label (SHA-256 of its file), or null (humans, rule-based critics)
 * @param pairId      for a {@link LabelKind#PREFERENCE}, the id of the other datum of the comparison; else null
 */
public record Label(LabelKind kind, double value, LabellerKind labeller, String labellerId, String modelId,
                    String pairId) {

  /** Checks the fields. */
  public Label {
    if (kind == null || labeller == null) {
      throw new IllegalArgumentException("A label needs a kind and a labeller kind, got "
          + kind + " and " + labeller + ".");
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("A label's value must be finite, was " + value + ".");
    }
    Origins.requireText("labellerId", labellerId);
    if (modelId != null) {
      Origins.requireText("modelId", modelId);
      if (labeller == LabellerKind.HUMAN) {
        throw new IllegalArgumentException("A human label has no model, but labeller " + labellerId
            + " gave modelId " + modelId + ".");
      }
    }
    if (kind == LabelKind.PREFERENCE) {
      Origins.requireText("pairId of a preference label", pairId);
    } else if (pairId != null) {
      throw new IllegalArgumentException("Only preference labels have a pairId; a "
          + kind + " label had " + pairId + ".");
    }
  }

  /** A human's label (not a preference). */
  public static Label human(LabelKind kind, double value, String labellerId) {
    return new Label(kind, value, LabellerKind.HUMAN, labellerId, null, null);
  }

  /** An AI label (not a preference): {@code modelId} null for a rule-based critic. */
  public static Label ai(LabelKind kind, double value, String labellerId, String modelId) {
    return new Label(kind, value, LabellerKind.AI, labellerId, modelId, null);
  }

  /**
   * Where the label's signal comes from ({@link Origins}): {@code model:<modelId>} for a model's label,
   * {@code human:<labellerId>} for a human, {@code critic:<labellerId>} for an AI without a model.
   */
  public String origin() {
    if (modelId != null) {
      return Origins.model(modelId);
    }
    return (labeller == LabellerKind.HUMAN ? "human:" : "critic:") + labellerId;
  }
}
