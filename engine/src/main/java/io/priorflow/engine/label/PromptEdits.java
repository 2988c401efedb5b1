package io.priorflow.engine.label;

import io.priorflow.engine.world.Operator;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.Vocabulary.Group;
import io.priorflow.engine.world.World;
import java.util.SplittableRandom;

/**
 * The red team's moves in prompt space: well-formed world prompts (so the gold oracle and human demonstrations
 * understand them), built with uniform choices rather than the world's frequencies — a red teamer asks about rare
 * entities as readily as popular ones.
 *
 * <pre>
 *   fresh           tag ~ U{low, mid, high}, kind ~ U{fact, arithmetic, chat}, content ~ uniform
 *   content         FACT: entity ~ U, attribute ~ U;  ARITHMETIC: op ~ U, a, b ~ U[0, maxOperand] (swapped if
 *                   minus and a &lt; b);  CHAT: two filler words ~ U
 *   mutate(p)       one of, uniformly:  re-tag (p's kind and content, tag ~ U)
 *                                       re-word (p's kind and tag, new content)
 *                                       re-kind (p's tag, kind ~ U, new content)
 * </pre>
 */
final class PromptEdits {
  private final World world;
  private final Vocabulary vocab;

  PromptEdits(World world) {
    this.world = world;
    this.vocab = world.vocabulary();
  }

  Prompt fresh(SplittableRandom rng) {
    Tag tag = Tag.values()[rng.nextInt(Tag.values().length)];
    return make(tag, PromptKind.values()[rng.nextInt(PromptKind.values().length)], rng);
  }

  Prompt mutate(Prompt p, SplittableRandom rng) {
    return switch (rng.nextInt(3)) {
      case 0 -> retag(p, Tag.values()[rng.nextInt(Tag.values().length)]);
      case 1 -> make(p.tag(), p.kind(), rng);
      default -> make(p.tag(), PromptKind.values()[rng.nextInt(PromptKind.values().length)], rng);
    };
  }

  /** The same prompt under another tag. */
  Prompt retag(Prompt p, Tag tag) {
    int[] t = p.tokens().clone(); // the record hands out its own array
    t[1] = vocab.token(tag);
    return new Prompt(tag, p.kind(), t, p.entity(), p.attribute(), p.answer());
  }

  /** A prompt of the kind under the tag, with uniform content. */
  Prompt make(Tag tag, PromptKind kind, SplittableRandom rng) {
    int question = vocab.token(Group.QUESTION, kind.ordinal());
    return switch (kind) {
      case FACT -> {
        int entity = rng.nextInt(world.facts().trainableEntities()); // never a held-out entity
        int attribute = rng.nextInt(world.facts().attributes());
        yield new Prompt(tag, kind, frame(tag, question, vocab.token(Group.ATTRIBUTE, attribute),
            vocab.token(Group.ENTITY, entity)), entity, attribute, world.facts().value(entity, attribute));
      }
      case ARITHMETIC -> {
        int max = world.config().knowledge().maxOperand();
        Operator op = Operator.values()[rng.nextInt(2)];
        int a = rng.nextInt(max + 1), b = rng.nextInt(max + 1);
        if (op == Operator.MINUS && a < b) {
          int t = a;
          a = b;
          b = t;
        }
        yield new Prompt(tag, kind, frame(tag, question, digit(a / 10), digit(a % 10),
            vocab.token(Group.OPERATOR, op.ordinal()), digit(b / 10), digit(b % 10)), -1, -1, op.apply(a, b));
      }
      case CHAT -> new Prompt(tag, kind, frame(tag, question, filler(rng), filler(rng)), -1, -1, -1);
    };
  }

  private int filler(SplittableRandom rng) {
    return vocab.token(Group.FILLER, rng.nextInt(vocab.count(Group.FILLER)));
  }

  private int digit(int d) {
    return vocab.token(Group.DIGIT, d);
  }

  private int[] frame(Tag tag, int... body) {
    int[] t = new int[body.length + 3];
    t[0] = Vocabulary.BOS;
    t[1] = vocab.token(tag);
    System.arraycopy(body, 0, t, 2, body.length);
    t[t.length - 1] = Vocabulary.SEP;
    return t;
  }
}
