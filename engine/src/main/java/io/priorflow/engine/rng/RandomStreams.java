package io.priorflow.engine.rng;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One random stream per work item, derived from the scenario seed and the item's stable id.
 *
 * <p>The derivation is part of the determinism contract (DESIGN §5) and must never change:
 * <pre>
 *   derive(parentSeed, name) = first 8 bytes, read big-endian as a signed long, of
 *                              SHA-256( parentSeed as 8 big-endian bytes ‖ UTF-8 bytes of name )
 *   itemSeed(itemId)         = derive(scenarioSeed, itemId)
 *   child(itemId, childName) = derive(itemSeed(itemId), childName)
 * </pre>
 * The seed is handed to {@code new SplittableRandom(seed)}, whose generator (SplitMix64, Steele, Lea and
 * Flood, OOPSLA 2014) is fixed by its specification, so a stream is the same on every JDK. Because the parent
 * seed has a fixed width, no two (seed, name) pairs share a hash input.
 *
 * <p>This class is not a random generator itself and keeps no state besides the scenario seed: asking twice
 * for the same item gives two generators that produce the same sequence. Item ids are opaque strings; use the
 * work item's canonical id (lineage, generation, stage, index), never something that varies between runs.
 */
public final class RandomStreams {

  private final long scenarioSeed;

  /** @param scenarioSeed the scenario's seed, any long. */
  public RandomStreams(long scenarioSeed) {
    this.scenarioSeed = scenarioSeed;
  }

  /** The scenario seed these streams derive from. */
  public long scenarioSeed() {
    return scenarioSeed;
  }

  /** The seed of an item's stream: {@code derive(scenarioSeed, itemId)}. */
  public long itemSeed(String itemId) {
    return derive(scenarioSeed, itemId);
  }

  /** A fresh generator positioned at the start of the item's stream. */
  public SplittableRandom forItem(String itemId) {
    return new SplittableRandom(itemSeed(itemId));
  }

  /**
   * A named child stream of an item, for an item that needs independent streams for separate purposes
   * (for example "prompts" and "labels"), so that adding draws to one does not shift the other.
   */
  public SplittableRandom forChild(String itemId, String childName) {
    return child(itemSeed(itemId), childName);
  }

  /** A fresh generator for the child stream {@code derive(parentSeed, name)}. */
  public static SplittableRandom child(long parentSeed, String name) {
    return new SplittableRandom(derive(parentSeed, name));
  }

  /**
   * The documented derivation: the first 8 bytes (big-endian) of SHA-256(parentSeed as 8 big-endian bytes
   * followed by the UTF-8 bytes of name).
   *
   * @throws IllegalArgumentException if name is null or empty
   */
  public static long derive(long parentSeed, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
        "A random stream needs a non-empty name or item id, got " + (name == null ? "null" : "\"\"") + ".");
    }
    byte[] id = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer input = ByteBuffer.allocate(Long.BYTES + id.length).putLong(parentSeed).put(id);
    byte[] digest = sha256().digest(input.array());
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256 (MessageDigest Javadoc), so this cannot happen.
      throw new IllegalStateException("This JVM provides no SHA-256, which every Java platform must have.", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RandomStreams other && other.scenarioSeed == scenarioSeed;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(scenarioSeed);
  }

  @Override
  public String toString() {
    return "RandomStreams[scenarioSeed=" + scenarioSeed + "]";
  }
}
