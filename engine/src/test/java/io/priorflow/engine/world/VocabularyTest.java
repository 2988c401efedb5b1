package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.priorflow.engine.world.Vocabulary.Group;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vocabulary's names and ids at the edges of each range, and the context window's. */
class VocabularyTest {

  private final Vocabulary v = new Vocabulary(VocabularyConfig.defaults());

  @Test
  void aVocabularyOfBadSizesIsRefusedWithEveryProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Vocabulary(new VocabularyConfig(1, 3, 8, 3, 3, 2, 12)));
    assertEquals("Vocabulary config has 1 problem:\n  vocabulary.entities must be in [2, 64], was 1", e.getMessage());
    assertEquals(VocabularyConfig.defaults(), v.config());
  }

  @Test
  void entitiesHaveTwoDigitsOnlyBeyondTen() {
    Vocabulary ten = new Vocabulary(new VocabularyConfig(10, 3, 8, 3, 3, 2, 12));
    assertEquals(List.of("ent0", "ent9"), List.of(ten.name(ten.token(Group.ENTITY, 0)),
        ten.name(ten.token(Group.ENTITY, 9))));
    Vocabulary eleven = new Vocabulary(new VocabularyConfig(11, 3, 8, 3, 3, 2, 12));
    assertEquals(List.of("ent00", "ent10"), List.of(eleven.name(eleven.token(Group.ENTITY, 0)),
        eleven.name(eleven.token(Group.ENTITY, 10))));
    assertEquals("9", v.name(v.token(Group.DIGIT, 9)), "digits never");
  }

  @Test
  void idsAndGroupIndicesOutsideTheirRangeAreRefused() {
    assertEquals("PAD", v.name(0));
    assertEquals("ok", v.name(v.size() - 1), "the twelfth filler word");
    assertEquals(Group.SPECIAL, v.group(0));
    assertEquals(Group.FILLER, v.group(v.size() - 1));
    for (int id : new int[] {-1, v.size()}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.name(id));
      assertEquals("Token id " + id + " is outside the vocabulary of 77 tokens.", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> v.group(id));
    }
    assertEquals(12, v.token(Group.DIGIT, 0));
    assertEquals(21, v.token(Group.DIGIT, 9));
    for (int index : new int[] {-1, 10}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.token(Group.DIGIT, index));
      assertEquals("Group DIGIT has 10 tokens, so index " + index + " is out of range.", e.getMessage());
    }
  }

  @Test
  void aContextWindowReachesFromTheStartToJustPastTheEnd() {
    int[] tokens = {1, 4, 7};
    int[] out = new int[2];
    Vocabulary.contextWindow(tokens, 0, 2, out);
    assertArrayEquals(new int[] {Vocabulary.PAD, Vocabulary.PAD}, out);
    Vocabulary.contextWindow(tokens, 3, 2, out);
    assertArrayEquals(new int[] {4, 7}, out);
    int[] wider = {9, 9, 9};
    Vocabulary.contextWindow(tokens, 1, 2, wider);
    assertArrayEquals(new int[] {Vocabulary.PAD, 1, 9}, wider, "only the first width entries are written");
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.contextWindow(tokens, -1, 2, out));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.contextWindow(tokens, 4, 2, out));
    assertEquals("A context window of width 2 before position 4 needs 0 ≤ position ≤ 3 and an output of length ≥"
        + " width, got 2.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.contextWindow(tokens, 2, 3, out));
  }
}
