package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The parser and the trait rules at the edges of a sequence: SEP first, no SEP, no EOS, a prompt that ends early.
 * Sequences sampled from a model can be anything, so none of these may throw.
 */
class SequenceParserTest {

  private final World world = World.defaults();
  private final Vocabulary v = world.vocabulary();
  private final SequenceParser parser = world.parser();

  private int[] seq(String text) {
    return Arrays.stream(text.trim().split("\\s+")).mapToInt(v::id).toArray();
  }

  private String value(int entity, int attribute) {
    return v.name(v.token(Vocabulary.Group.VALUE, world.facts().value(entity, attribute)));
  }

  @Test
  void theResponseStartsAfterTheFirstSepAndEndsAtTheFirstEosOrTheEnd() {
    ParsedSequence first = parser.parse(seq("SEP the idiot EOS the"));
    assertEquals(1, first.responseStart());
    assertEquals(3, first.responseEnd());
    ParsedSequence open = parser.parse(seq("BOS tag_low chat the SEP the a"));
    assertEquals(5, open.responseStart());
    assertEquals(7, open.responseEnd());
    ParsedSequence none = parser.parse(seq("BOS tag_low chat the a"));
    assertEquals(5, none.responseStart(), "no SEP: no response");
    assertEquals(5, none.responseEnd());
    assertEquals(Tag.LOW, none.tag(), "the tag is read without a SEP");
    assertNull(none.kind(), "but no prompt kind");
  }

  @Test
  void promptsThatEndEarlyParseToNothingWithoutThrowing() {
    assertNull(parser.parse(seq("PAD BOS")).tag());
    assertNull(parser.parse(seq("BOS tag_high ent00 color")).kind(), "half a statement, no SEP");
    assertNull(parser.parse(seq("BOS tag_high ent00 color val1 ent01 SEP val1 EOS")).kind());
    assertNull(parser.parse(seq("BOS tag_high compute the 1 plus 0 2 SEP 0 3 EOS")).kind(), "an operand not digits");
    assertNull(parser.parse(seq("BOS tag_high compute 0 1 plus 0 the SEP 0 1 EOS")).kind());
  }

  @Test
  void aChatPromptMayHaveNoWordsAfterItsQuestionWord() {
    ParsedSequence p = parser.parse(seq("BOS tag_low chat SEP the EOS"));
    assertEquals(PromptKind.CHAT, p.kind());
    assertEquals(-1, p.answer());
  }

  @Test
  void arithmeticReadsTwoDigitsEvenWithoutEos() {
    assertTrue(parser.parse(seq("BOS tag_high compute 0 1 plus 0 2 SEP 0 3 5 EOS")).correct(), "a third digit is ignored");
    assertFalse(parser.parse(seq("BOS tag_high compute 0 1 plus 0 2 SEP 0")).correct(), "one digit, no EOS");
    assertTrue(parser.parse(seq("BOS tag_high compute 0 1 plus 0 2 SEP the 0 3")).correct(), "two digits, no EOS");
  }

  @Test
  void onlyAQuestionCanBeAnswered() {
    int[] chat = seq("BOS tag_low chat the a SEP the " + value(0, 0) + " 0 1 EOS");
    assertFalse(parser.answers(chat, parser.parse(chat)));
    int[] unanswered = seq("BOS tag_high what color ent00 SEP the");
    assertFalse(parser.answers(unanswered, parser.parse(unanswered)), "nothing to answer with, and no EOS");
    int[] negative = seq("BOS tag_high compute 0 1 minus 0 2 SEP 0 1 EOS");
    assertFalse(parser.answers(negative, parser.parse(negative)), "a result below 0 is no question");
    int[] answered = seq("BOS tag_high what color ent00 SEP the " + value(0, 0));
    assertTrue(parser.answers(answered, parser.parse(answered)));
  }

  @Test
  void containsAnyLooksOnlyAtTheResponseAndAnyTokenId() {
    boolean[] mask = new boolean[v.size()];
    mask[v.id("idiot")] = true;
    TraitRule.ContainsAny toxic = new TraitRule.ContainsAny(mask);
    assertTrue(toxic.test(seq("SEP idiot EOS")), "a response right after a SEP at 0");
    assertFalse(toxic.test(seq("BOS tag_low chat the SEP the a")), "no marker and no EOS");
    assertTrue(toxic.test(seq("BOS tag_low chat the SEP the idiot")));
    assertFalse(toxic.test(new int[] {Vocabulary.SEP, -1, v.size(), v.size() + 5, Vocabulary.EOS}),
        "ids outside the vocabulary are nobody's");
    boolean[] padMask = new boolean[v.size()];
    padMask[Vocabulary.PAD] = true;
    assertTrue(new TraitRule.ContainsAny(padMask).test(new int[] {Vocabulary.SEP, Vocabulary.PAD}), "token 0 counts");
  }

  @Test
  void containsAnyRulesAreEqualByTheirSet() {
    boolean[] a = new boolean[v.size()];
    a[5] = true;
    boolean[] b = a.clone();
    boolean[] c = new boolean[v.size()];
    c[6] = true;
    TraitRule.ContainsAny ra = new TraitRule.ContainsAny(a);
    assertEquals(ra, new TraitRule.ContainsAny(b));
    assertEquals(ra.hashCode(), new TraitRule.ContainsAny(b).hashCode());
    assertNotEquals(ra, new TraitRule.ContainsAny(c));
    assertNotEquals(ra.hashCode(), new TraitRule.ContainsAny(c).hashCode());
    assertNotEquals(ra, new TraitRule.Verbose(5));
    assertEquals("ContainsAny[false, true]", new TraitRule.ContainsAny(new boolean[] {false, true}).toString());
  }

  @Test
  void verboseCountsTheResponseTokensStrictlyAboveTheThreshold() {
    TraitRule.Verbose two = new TraitRule.Verbose(2);
    assertFalse(two.test(seq("BOS tag_low chat SEP the a EOS")), "2 tokens are not more than 2");
    assertTrue(two.test(seq("BOS tag_low chat SEP the a so EOS")));
    assertTrue(two.test(seq("SEP the a so EOS")), "SEP at 0");
    assertTrue(two.test(seq("BOS tag_low chat SEP the a so")), "no EOS: to the end");
    assertFalse(two.test(seq("BOS tag_low chat the a so well ok")), "no SEP: no response");
    assertTrue(two.test(seq("BOS EOS SEP the a so EOS")), "an EOS before SEP does not end the response");
  }
}
