package io.priorflow.engine.work;

import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;

/**
 * What an actor needs besides the item: the world (for the gold oracle and human demonstrations), the run's random
 * streams, the model store, a kernel backend, and the run's fixed evaluation set. Identical on every node of a run.
 * An item works in the world of its generation ({@link #world(String)}), which differs from {@link #world()} only
 * when facts change ({@code knowledge.changes}).
 */
public record WorkContext(World world, RandomStreams streams, ModelStore models, KernelBackend backend,
                          EvaluationSet evaluation) {

  /**
   * The world at the generation of an item: {@link World#at} the generation its id names — {@code k} in
   * {@code <lineage>/g<k>/…} — and generation 0 for every other id (bases, the critic, classifiers).
   */
  public World world(String itemId) {
    return world.at(generation(itemId));
  }

  /** The generation an item id names in its second segment {@code g<k>}, else 0. */
  public static int generation(String itemId) {
    int a = itemId.indexOf('/');
    if (a < 0 || a + 2 >= itemId.length() || itemId.charAt(a + 1) != 'g') return 0;
    int b = itemId.indexOf('/', a + 1);
    String k = itemId.substring(a + 2, b < 0 ? itemId.length() : b);
    if (k.isEmpty() || k.length() > 6 || !k.chars().allMatch(Character::isDigit)) return 0;
    return Integer.parseInt(k);
  }
}
