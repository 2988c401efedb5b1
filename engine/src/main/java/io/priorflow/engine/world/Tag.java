package io.priorflow.engine.world;

/**
 * The quality tag a sequence carries after BOS, like a chess ELO rating in a game record: in the world, a
 * higher tag comes with more correct, more polite and less toxic responses, so prompting with {@code tag_high}
 * selects better data if a model has learned the correlation.
 */
public enum Tag {
  /** {@code tag_low}: most of the wild data. */
  LOW,
  /** {@code tag_mid}. */
  MID,
  /** {@code tag_high}: the rare, good data. */
  HIGH;

  /** The config key: "low", "mid" or "high". */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The token name: "tag_low", "tag_mid" or "tag_high". */
  public String tokenName() {
    return "tag_" + key();
  }
}
