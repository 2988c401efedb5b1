package io.priorflow.engine.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A supplier of fresh world data for {@link DataPolicies}: {@link WorldData#fresh} draws them from a world.
 * Implementations must be deterministic in (count, rng) and give ids unique in the run.
 */
@FunctionalInterface
public interface FreshData {

  /** Exactly {@code count} new data drawn with {@code rng}. */
  List<Datum> draw(int count, SplittableRandom rng);

  /** A supplier that must never be asked for data (for policies with {@code freshFraction = 0}). */
  static FreshData none() {
    return (count, rng) -> {
      if (count == 0) {
        return List.of();
      }
      throw new IllegalStateException("This policy has no fresh-data supplier but asked for " + count + " fresh data.");
    };
  }
}
