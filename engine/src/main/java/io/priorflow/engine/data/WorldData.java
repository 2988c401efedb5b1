package io.priorflow.engine.data;

import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.List;

/** Turns world examples into data with world provenance. Not a world itself: it only wraps {@link World}. */
public final class WorldData {

  private WorldData() {
  }

  /**
   * A world example as a datum: tokens = {@link Example#sequence()} (prompt, response, EOS), the response starting
   * after the prompt's SEP, provenance {@link Provenance#world(int)}.
   */
  public static Datum datum(String id, Example example, int generation) {
    return new Datum(id, example.sequence(), example.prompt().length(), Provenance.world(generation));
  }

  /**
   * Fresh world data for a generation, with ids {@code idPrefix + "/" + i} for i = 0, 1, …: e.g. the prefix
   * {@code "L0/g3/fresh"} gives {@code "L0/g3/fresh/0"}. Each datum is one {@link World#sample} from the rng.
   */
  public static FreshData fresh(World world, String idPrefix, int generation) {
    Origins.requireText("A fresh-data id prefix", idPrefix);
    return (count, rng) -> {
      List<Datum> data = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        data.add(datum(idPrefix + "/" + i, world.sample(rng), generation));
      }
      return data;
    };
  }
}
