package io.priorflow.engine.work;

import io.priorflow.engine.model.TokenModel;

/**
 * Models by content hash. Putting the same model twice is harmless (same id, same bytes). Implementations: an
 * in-memory map on one node ({@link MemoryModelStore}); a cluster-wide store in the actor runtime.
 */
public interface ModelStore {
  /** Stores the model and returns its id. */
  String put(TokenModel model);

  /** The model with this id; IllegalArgumentException naming the id when it is unknown. */
  TokenModel get(String id);
}
