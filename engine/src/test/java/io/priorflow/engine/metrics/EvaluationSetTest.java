package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.KnowledgeConfig;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The evaluation set's in-context examples and argument checks, exactly: which stream, which tag, which shape. */
class EvaluationSetTest {
  private static final World WORLD = World.defaults();
  private final RandomStreams streams = new RandomStreams(77);

  @Test
  void examplesAreDrawnInPromptOrderFromTheirOwnStreamWithTheTagOrWild() {
    for (Tag tag : new Tag[] {null, Tag.LOW, Tag.HIGH}) {
      EvaluationSet set = EvaluationSet.draw(WORLD, 5, 1, 1f, 2, streams, 3, tag);
      SplittableRandom rng = streams.forItem(EvaluationSet.EXAMPLES_ITEM);
      assertEquals(5, set.examples().size());
      for (int i = 0; i < 5; i++) {
        assertEquals(3, set.examplesOf(i).size());
        for (int j = 0; j < 3; j++) {
          int[] want = (tag == null ? WORLD.sample(rng) : WORLD.sampleWithTag(tag, rng)).sequence();
          assertArrayEquals(want, set.examplesOf(i).get(j), "tag " + tag + ", prompt " + i + ", example " + j);
        }
      }
    }
  }

  @Test
  void noExamplesLeaveTheSetAsItWas() {
    EvaluationSet none = EvaluationSet.draw(WORLD, 4, 2, 0.5f, 3, streams, 0, Tag.HIGH);
    EvaluationSet old = EvaluationSet.draw(WORLD, 4, 2, 0.5f, 3, streams);
    assertEquals(List.of(), none.examples());
    assertEquals(List.of(), old.examples());
    assertEquals(List.of(), none.examplesOf(2));
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(old.prompts().get(i).tokens(), none.prompts().get(i).tokens());
    }
    assertEquals(old.heldOut(), none.heldOut());
    assertEquals(old.sampling(), none.sampling());
    assertEquals(new SamplingConfig(0.5f, 0, EvaluationSet.maxNewTokens(WORLD), Vocabulary.EOS), none.sampling());
    // a world that holds entities out gets its recall probes either way
    World held = new World(WorldConfig.defaults().withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(2)));
    assertTrue(EvaluationSet.draw(held, 4, 1, 1f, 0, streams, 2, null).recall().size() >= 4);
    assertEquals(List.of(), none.recall());
  }

  @Test
  void argumentsOutOfRangeAreRefusedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvaluationSet.draw(WORLD, 4, 1, 1f, 0, streams, -1, null));
    assertEquals("examples must be ≥ 0, was -1.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EvaluationSet.draw(WORLD, 4, 1, 1f, -1, streams, 0, null));
    assertEquals("heldOut must be ≥ 0, was -1.", e.getMessage());
    EvaluationSet set = EvaluationSet.draw(WORLD, 2, 1, 1f, 0, streams);
    e = assertThrows(IllegalArgumentException.class, () -> new EvaluationSet(set.prompts(), 0, set.sampling(),
        List.of()));
    assertEquals("samplesPerPrompt must be ≥ 1, was 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EvaluationSet(set.prompts(), 1, set.sampling(),
        List.of(), List.of(), List.of(List.of())));
    assertEquals("In-context examples for 1 of 2 evaluation prompts.", e.getMessage());
    // null lists are empty ones
    EvaluationSet nulls = new EvaluationSet(set.prompts(), 1, set.sampling(), List.of(), null, null);
    assertEquals(List.of(), nulls.recall());
    assertEquals(List.of(), nulls.examples());
    assertEquals(1, new EvaluationSet(set.prompts(), 1, set.sampling(), List.of()).samplesPerPrompt());
  }
}
