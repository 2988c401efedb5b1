package io.priorflow.engine.lineage;

import io.priorflow.engine.data.DataLineage;
import io.priorflow.engine.json.Json;
import java.util.List;

/**
 * One model's self-contained lineage [Tribuo ModelProvenance]: the model class, the data it was trained on, the
 * trainer and the run. Written beside a model, it says how to make that model again. No wall-clock times.
 *
 * @param modelId    the model id (SHA-256 of its file)
 * @param modelClass the model family
 * @param init       the id of the model training started from, or null
 * @param data       the lineage of each dataset trained on, in the trainer's order
 * @param trainer    the trainer
 * @param run        the run
 */
public record ModelLineage(String modelId, String modelClass, String init, List<DataLineage> data,
                           TrainerLineage trainer, RunLineage run) {

  /** Copies the data list. */
  public ModelLineage {
    if (modelId == null || modelClass == null || trainer == null || run == null) {
      throw new IllegalArgumentException("A model lineage needs modelId, modelClass, trainer and run, got " + modelId
          + ", " + modelClass + ", " + trainer + ", " + run + ".");
    }
    data = data == null ? List.of() : List.copyOf(data);
  }

  /** The lineage id: SHA-256 of this record's canonical JSON ({@link Json#lineageId}). */
  public String lineageId() {
    return Json.lineageId(this);
  }
}
