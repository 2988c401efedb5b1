package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Exact prevalences in worlds small enough to count by hand, each checked against the world's own samples too:
 * the digits of wrong arithmetic answers, and the values fact-recall documents state about held-out entities.
 */
class ExactPrevalenceTest {

  private static World world(String yaml) throws Exception {
    return new World(new YAMLMapper().readValue(yaml, WorldConfig.class));
  }

  /** The sampled share of examples with the trait under the tag is within 4 binomial standard errors of exact. */
  private static void assertSampled(World w, Trait trait, Tag tag, double exact, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long hits = 0;
    for (int i = 0; i < n; i++) {
      hits += trait.detect(w.sampleWithTag(tag, rng).sequence()) ? 1 : 0;
    }
    double se = Math.sqrt(exact * (1 - exact) / n);
    assertTrue(Math.abs(hits / (double) n - exact) <= 4 * se, trait.name() + " | " + tag + ": sampled "
        + hits / (double) n + ", exact " + exact);
  }

  @Test
  void theDigitOfAnArithmeticAnswerCountsRightAndWrongAnswersApart() throws Exception {
    // Operands 0..1, so results 0..2, written 00 01 02; the trait is the digit 1, which only the answer can hold.
    // (op, a, b) over plus and minus: results 0 1 1 2 and 0 1 1 0, so P(result = 1) = 1/2. A wrong answer is
    // uniform over the two other results: it holds a 1 with probability 1/2 unless the right result is 1 (then 0),
    // so P = 4 · 1/2 / 8 = 1/4. With P(correct) = c and P(hedge) = h: c/2 + (1 − c − h)/4.
    World w = world("""
        knowledge: { maxOperand: 1 }
        prompts: { fact: 0, arithmetic: 1, chat: 0 }
        tags: { low: { correct: 0, hedge: 0 }, mid: { correct: 1, hedge: 0 }, high: { correct: 0.5, hedge: 0.25 } }
        extraTraits: [ { name: one, tokens: ["1"] } ]
        """);
    Trait one = w.traits().get("one");
    double[] exact = {0.25, 0.5, 0.25 + 0.0625};
    for (Tag t : Tag.values()) {
      assertEquals(exact[t.ordinal()], w.truePrevalence(one, t), 1e-12, t.key());
      assertSampled(w, one, t, exact[t.ordinal()], 10_000, 7 + t.ordinal());
    }
  }

  @Test
  void aDocumentAboutAHeldOutEntityStatesAFreshValue() throws Exception {
    // 4 entities of 1 attribute, 2 values; entities 2 and 3 held out. Every prompt is a one-statement document
    // about a uniform entity, answered right. A trainable entity's statement is its table value (freshValues 0);
    // a held-out one's is a fresh uniform value, val0 with probability 1/2. The trait is val0:
    // P = (1/4)·(Σ over trainable e of [table(e) = val0] + 2 · 1/2).
    World w = world("""
        vocabulary: { entities: 4, attributes: 1, values: 2 }
        knowledge: { heldOutEntities: 2, rareHeadMass: 0.5, factSeed: 7 }
        documents: { factRecall: 1, statements: 1, freshValues: 0 }
        prompts: { fact: 1, arithmetic: 0, chat: 0 }
        tags: { low: { correct: 1, hedge: 0 }, mid: { correct: 1, hedge: 0 }, high: { correct: 1, hedge: 0 } }
        extraTraits: [ { name: zero, tokens: [val0] } ]
        """);
    FactTable f = w.facts();
    // the held-out entities' table values agree, and so do the trainable ones': reading the table for every entity,
    // or a fresh value for every one, would give another number
    assertEquals(f.value(2, 0), f.value(3, 0));
    assertEquals(f.value(0, 0), f.value(1, 0));
    int trainableZeros = (f.value(0, 0) == 0 ? 1 : 0) + (f.value(1, 0) == 0 ? 1 : 0);
    double exact = (trainableZeros + 1) / 4.0;
    Trait zero = w.traits().get("zero");
    assertEquals(exact, w.truePrevalence(zero, Tag.MID), 1e-12);
    assertSampled(w, zero, Tag.MID, exact, 10_000, 11);
  }
}
