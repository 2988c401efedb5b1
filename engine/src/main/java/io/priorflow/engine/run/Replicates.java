package io.priorflow.engine.run;

import io.priorflow.engine.rng.RandomStreams;

/**
 * The seeds of replicates: independent re-runs of one scenario that differ only in their random streams.
 *
 * <p>The derivation is part of the determinism contract (DESIGN §5) and must never change:
 * <pre>
 *   seed(s, 0) = s                                            replicate 0 is the scenario itself
 *   seed(s, r) = RandomStreams.derive(s, "replicate/" + r)    r ≥ 1: the first 8 bytes, big-endian, of
 *                                                             SHA-256(s as 8 big-endian bytes ‖ UTF-8 "replicate/r")
 * </pre>
 * where s is the seed of the run's scenario (of its sweep point, when the seed itself is swept). So a plain run
 * is replicate 0, byte for byte, and replicate r of any sweep point runs with the same seed as replicate r of every
 * other point (common random numbers: differences between points are not differences of luck alone). Seeds of
 * distinct replicates collide only if SHA-256 does, in its first 64 bits.
 */
public final class Replicates {
  private Replicates() {}

  /** The seed of replicate {@code replicate} of a scenario whose seed is {@code scenarioSeed}. */
  public static long seed(long scenarioSeed, int replicate) {
    if (replicate < 0) {
      throw new IllegalArgumentException("A replicate index must be ≥ 0, was " + replicate + ".");
    }
    return replicate == 0 ? scenarioSeed : RandomStreams.derive(scenarioSeed, "replicate/" + replicate);
  }

  /**
   * The name of a run of a batch, for its directory {@code runs/<name>/} and events.jsonl: {@code r<replicate>}, or
   * {@code p<point>-r<replicate>} in a sweep, each index zero-padded to the width of the largest one, so names sort
   * in run order.
   *
   * @param maxPoint     the largest point index of the batch, or -1 when nothing is swept
   * @param maxReplicate the largest replicate index of the batch
   */
  public static String name(int point, int maxPoint, int replicate, int maxReplicate) {
    String r = "r" + pad(replicate, maxReplicate);
    return maxPoint < 0 ? r : "p" + pad(point, maxPoint) + "-" + r;
  }

  private static String pad(int i, int max) {
    int width = Integer.toString(Math.max(i, max)).length();
    String s = Integer.toString(i);
    return "0".repeat(width - s.length()) + s;
  }
}
