package io.priorflow.engine.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

  /*
   * Hand-computed with Python's hashlib and a direct SplitMix64:
   *   seed  = int.from_bytes(sha256(struct.pack('>q', 42) + b'main/g3/sft/17').digest()[:8], 'big', signed=True)
   *   first = mix64(seed + 0x9e3779b97f4a7c15)   (SplittableRandom.nextLong of a fresh generator)
   */
  private static final long ITEM_SEED = -6368548059474643442L;
  private static final long ITEM_FIRST_LONG = 8991560876403578290L;
  private static final long CHILD_SEED = -6759933058422001035L;

  @Test
  void derivationMatchesHandComputedSha256() {
    RandomStreams streams = new RandomStreams(42);
    assertEquals(ITEM_SEED, streams.itemSeed("main/g3/sft/17"));
    assertEquals(ITEM_SEED, RandomStreams.derive(42, "main/g3/sft/17"));
    assertEquals(CHILD_SEED, RandomStreams.derive(ITEM_SEED, "labels"));
  }

  @Test
  void streamIsSplitMix64SeededWithTheDerivedSeed() {
    assertEquals(ITEM_FIRST_LONG, new RandomStreams(42).forItem("main/g3/sft/17").nextLong());
  }

  @Test
  void sameItemGivesTheSameSequence() {
    RandomStreams streams = new RandomStreams(7);
    SplittableRandom a = streams.forItem("lineage-a/g1/generate/0");
    SplittableRandom b = new RandomStreams(7).forItem("lineage-a/g1/generate/0");
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
  }

  @Test
  void distinctIdsAndSeedsGiveDistinctStreams() {
    RandomStreams streams = new RandomStreams(7);
    Set<Long> firsts = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      firsts.add(streams.forItem("lineage-a/g1/generate/" + i).nextLong());
    }
    assertEquals(5000, firsts.size());
    assertNotEquals(streams.itemSeed("x"), new RandomStreams(8).itemSeed("x"));
  }

  @Test
  void childStreamsDifferFromParentAndFromEachOther() {
    RandomStreams streams = new RandomStreams(7);
    long parent = streams.forItem("item").nextLong();
    long prompts = streams.forChild("item", "prompts").nextLong();
    long labels = streams.forChild("item", "labels").nextLong();
    assertNotEquals(parent, prompts);
    assertNotEquals(prompts, labels);
    assertEquals(prompts, RandomStreams.child(streams.itemSeed("item"), "prompts").nextLong());
  }

  @Test
  void rejectsEmptyIds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new RandomStreams(1).forItem(""));
    assertEquals("A random stream needs a non-empty name or item id, got \"\".", e.getMessage());
  }
}
