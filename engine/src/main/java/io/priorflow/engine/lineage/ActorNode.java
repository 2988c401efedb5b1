package io.priorflow.engine.lineage;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An actor: the world corpus, a human labeller or pool, a critic, a generator, a red teamer, a trainer.
 *
 * @param id     {@code actor:<actor id>}
 * @param role   the actor's role, lowercase (e.g. "world", "human", "critic", "generator", "red_team")
 * @param params the actor's settings that matter (accuracy, biases, temperature…) as strings, sorted by key
 */
public record ActorNode(String id, String role, Map<String, String> params) implements Node {

  /** Checks the id; sorts the params. */
  public ActorNode {
    if (id == null || !id.startsWith(ACTOR) || id.length() == ACTOR.length()) {
      throw new IllegalArgumentException("An actor node id must be \"actor:<actor id>\", was " + id + ".");
    }
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("Actor " + id + " needs a role.");
    }
    params = params == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** The actor's own id, without the prefix. */
  public String actorId() {
    return id.substring(ACTOR.length());
  }
}
