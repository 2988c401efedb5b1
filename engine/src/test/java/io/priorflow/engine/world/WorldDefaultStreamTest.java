package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.json.Json;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The default world's draws, pinned: a SHA-256 over the tokens of wild examples, tagged examples, prompts and
 * evaluation prompts, and over the fact table. The hashes were taken before the fact-recall documents and the
 * held-out entities existed, so a change that alters what an existing scenario draws with those options off fails
 * here, not silently in someone's metrics.
 */
class WorldDefaultStreamTest {

  private static final String DRAWS = "fa799f8dd5e6b6ef2e57d5ce2c03ddb972f4a4a53cf570b773448fa7900421e3";
  private static final String FACTS = "b7a31976db8dfd955d6f377abdfb8ea3a7f18dcb8304e4458a6312f12cd8492a";

  @Test
  void theDefaultWorldDrawsWhatItDrewBeforeTheOptionsExisted() {
    World w = World.defaults();
    ByteBuffer buf = ByteBuffer.allocate(8 << 20);
    SplittableRandom rng = new SplittableRandom(99);
    for (int i = 0; i < 3000; i++) {
      put(buf, w.sample(rng).sequence());
      put(buf, w.sampleWithTag(Tag.values()[i % 3], rng).sequence());
      put(buf, w.samplePrompt(rng).tokens());
    }
    w.evaluationPrompts(500, 7L).forEach(p -> put(buf, p.tokens()));
    assertEquals(DRAWS, hash(buf));
  }

  @Test
  void theDefaultFactTableIsUnchanged() {
    World w = World.defaults();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (int e = 0; e < w.facts().entities(); e++) {
      buf.putDouble(w.facts().popularity(e));
      for (int a = 0; a < w.facts().attributes(); a++) {
        buf.putInt(w.facts().value(e, a));
      }
    }
    buf.putInt(w.facts().headSize()).putDouble(w.facts().rareMass());
    assertEquals(FACTS, hash(buf));
  }

  private static void put(ByteBuffer buf, int[] tokens) {
    buf.putInt(tokens.length);
    for (int t : tokens) {
      buf.putInt(t);
    }
  }

  private static String hash(ByteBuffer buf) {
    byte[] b = new byte[buf.position()];
    buf.flip().get(b);
    return Json.sha256Hex(b);
  }
}
