package io.priorflow.verticles.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.ModelFileException;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.work.ModelStore;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's models across the cluster, by content hash: a Hazelcast map {@code pf.models.<run id>} from model id to
 * the model's file bytes ({@link ModelFile}), with a cache of decoded models on each node. A model is fetched the
 * first time a node needs it and kept; {@link ModelFile#fromBytes} verifies the bytes against their hash, and the
 * id is checked too, so a corrupted or mislabelled entry fails loudly instead of training on the wrong weights.
 *
 * <p>The map keeps one synchronous backup on another member ({@link HazelcastSettings}): when {@link #put} returns
 * the model survives the loss of any one node. A node that dies before it put a model never replied either, so
 * the director sends its item again and the model is trained again, identically.
 *
 * <p>Not here: eviction. A run's models stay until {@link #destroy} (the director calls it at the end of the run);
 * the bytes are kept, not JSON (STYLE §3).
 */
public final class HazelcastModelStore implements ModelStore {
  private final IMap<String, byte[]> map;
  private final ConcurrentHashMap<String, TokenModel> cache = new ConcurrentHashMap<>();

  /** The model map of this run on this node's Hazelcast instance. */
  public HazelcastModelStore(HazelcastInstance hazelcast, String runId) {
    this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(HazelcastSettings.MODEL_MAPS
        + Objects.requireNonNull(runId, "runId"));
  }

  /** Stores the model's bytes in the cluster (unless this node already did) and caches it. */
  @Override
  public String put(TokenModel model) {
    String id = model.id();
    if (!cache.containsKey(id)) {
      map.set(id, ModelFile.toBytes(model)); // first into the cluster: a failure here leaves no trace in the cache
      cache.putIfAbsent(id, model);
    }
    return id;
  }

  /** The model, from this node's cache or else fetched from the cluster and verified. */
  @Override
  public TokenModel get(String id) {
    Objects.requireNonNull(id, "id");
    return cache.computeIfAbsent(id, this::fetch);
  }

  private TokenModel fetch(String id) {
    byte[] bytes = map.get(id);
    if (bytes == null) throw new IllegalArgumentException("no model " + id + " in the cluster's model store");
    TokenModel m = ModelFile.fromBytes(bytes, "model " + id + " from the cluster's model store " + map.getName());
    if (!m.id().equals(id)) {
      throw new ModelFileException("the cluster's model store " + map.getName() + " holds model " + m.id()
          + " under the id " + id);
    }
    return m;
  }

  /** How many models this node has decoded or put. */
  public int cached() {
    return cache.size();
  }

  /** The map's name, {@code pf.models.<run id>}. */
  public String mapName() {
    return map.getName();
  }

  /** Drops this node's cache (the map stays). */
  public void clearCache() {
    cache.clear();
  }

  /** Removes the run's map from the cluster and drops the cache. */
  public void destroy() {
    cache.clear();
    map.destroy();
  }
}
