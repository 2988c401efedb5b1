package io.priorflow.engine.work;

import io.priorflow.engine.model.TokenModel;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe in-memory {@link ModelStore} for one JVM. */
public final class MemoryModelStore implements ModelStore {
  private final ConcurrentHashMap<String, TokenModel> models = new ConcurrentHashMap<>();

  @Override
  public String put(TokenModel model) {
    models.putIfAbsent(model.id(), model);
    return model.id();
  }

  @Override
  public TokenModel get(String id) {
    TokenModel m = models.get(id);
    if (m == null) throw new IllegalArgumentException("no model " + id + " in the model store");
    return m;
  }

  public int size() { return models.size(); }
}
