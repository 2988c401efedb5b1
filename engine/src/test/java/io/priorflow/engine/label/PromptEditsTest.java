package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.world.Operator;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The red team's prompt edits make world prompts: an arithmetic prompt's tokens state its operands and operator. */
class PromptEditsTest {
  static final World WORLD = LabelKit.WORLD;

  /**
   * [BOS, tag, question, a/10, a%10, operator, b/10, b%10, SEP]: the digits read back give the operands, the answer
   * is a op b, a minus never goes below 0, and over many prompts each operand of a sum takes every value from 0 to maxOperand.
   */
  @Test
  void anArithmeticPromptsTokensStateItsOperandsAndItsAnswerIsTheirResult() {
    PromptEdits edits = new PromptEdits(WORLD);
    Vocabulary v = WORLD.vocabulary();
    int max = WORLD.config().knowledge().maxOperand();
    boolean[] sawA = new boolean[max + 1], sawB = new boolean[max + 1];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 4000; i++) {
      Prompt p = edits.make(Tag.values()[i % Tag.values().length], PromptKind.ARITHMETIC, rng);
      int[] t = p.tokens();
      assertEquals(9, t.length);
      assertEquals(Vocabulary.BOS, t[0]);
      assertEquals(v.token(p.tag()), t[1]);
      assertEquals(Vocabulary.SEP, t[8]);
      for (int k : new int[] {3, 4, 6, 7}) assertEquals(Vocabulary.Group.DIGIT, v.group(t[k]), "token " + k);
      int a = 10 * v.indexInGroup(t[3]) + v.indexInGroup(t[4]);
      int b = 10 * v.indexInGroup(t[6]) + v.indexInGroup(t[7]);
      Operator op = Operator.values()[v.indexInGroup(t[5])];
      assertEquals(op.apply(a, b), p.answer(), "answer of " + a + " " + op + " " + b);
      assertTrue(op != Operator.MINUS || a >= b, "a − b with a ≥ b");
      assertTrue(a <= max && b <= max);
      if (op == Operator.PLUS) { // the draws as made (a minus swaps them when a < b)
        sawA[a] = true;
        sawB[b] = true;
      }
    }
    for (int x = 0; x <= max; x++) {
      assertTrue(sawA[x] && sawB[x], "operand " + x + " drawn as a and as b of a sum");
    }
  }
}
