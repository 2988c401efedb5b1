package io.priorflow.engine.world;

import io.priorflow.engine.world.Vocabulary.Group;
import java.util.SplittableRandom;

/**
 * Writes fact-recall documents and the probes that measure in-context recall ({@link DocumentConfig}): a prefix
 * of {@code entity attribute value} statements between the tag and a fact question.
 *
 * <pre>
 *   document  e ~ U[0, E), a ~ U[0, A)                       the fact asked about (held-out entities included)
 *             v = value(e, a)                                see below
 *             p ~ U[0, k)                                    its slot among the k statements
 *             each other slot: (e', a') ~ U, redrawn until no (entity, attribute) repeats; v' = value(e', a')
 *             (sameEntity: e' = e, and only a' is drawn)
 *   value     held-out e: U[0, V);  trainable e: U[0, V) with probability freshValues, else the table's
 *             (one uniform for the coin, drawn even when freshValues is 0 or 1)
 *   tokens    BOS tag  e_0 a_0 v_0 … e_{k−1} a_{k−1} v_{k−1}  what a e SEP        answer = v
 *   probe     the same, with the table's value stated at a chosen slot (or no statement at all)
 * </pre>
 * A held-out entity's table value is read only by {@link #probe}, which the evaluation alone calls: training data
 * never carries it. Package-private: callers use {@link World}.
 */
final class FactRecall {

  private final DocumentConfig config;
  private final Vocabulary vocab;
  private final FactTable facts;

  FactRecall(DocumentConfig config, Vocabulary vocab, FactTable facts) {
    this.config = config;
    this.vocab = vocab;
    this.facts = facts;
  }

  /** A training document under the tag. */
  Prompt document(Tag tag, SplittableRandom rng) {
    int k = config.statements();
    int[][] stated = new int[k][]; // (entity, attribute, value) per slot
    int entity = rng.nextInt(facts.entities());
    int attribute = rng.nextInt(facts.attributes());
    int value = trainingValue(entity, attribute, rng);
    int slot = rng.nextInt(k);
    stated[slot] = new int[] {entity, attribute, value};
    fillDistractors(stated, entity, rng);
    return prompt(tag, stated, entity, attribute, value);
  }

  /**
   * A probe of the fact (entity, attribute): its table value stated at slot {@code statedAt} of
   * {@link DocumentConfig#statements()} statements, the other slots distractors drawn as in documents; or, for
   * {@code statedAt} &lt; 0, the bare question. The answer is the table value either way.
   */
  Prompt probe(Tag tag, int entity, int attribute, int statedAt, SplittableRandom rng) {
    int value = facts.value(entity, attribute);
    if (statedAt < 0) {
      return prompt(tag, new int[0][], entity, attribute, value);
    }
    if (statedAt >= config.statements()) {
      throw new IllegalArgumentException("A document has " + config.statements() + " statements, so a fact cannot"
          + " be stated at slot " + statedAt + ".");
    }
    int[][] stated = new int[config.statements()][];
    stated[statedAt] = new int[] {entity, attribute, value};
    fillDistractors(stated, entity, rng);
    return prompt(tag, stated, entity, attribute, value);
  }

  /**
   * Fills the empty slots in order with statements whose (entity, attribute) is new to the document: about any
   * entity, or with {@link DocumentConfig#sameEntity()} about the asked one.
   */
  private void fillDistractors(int[][] stated, int asked, SplittableRandom rng) {
    for (int i = 0; i < stated.length; i++) {
      if (stated[i] != null) {
        continue;
      }
      int e;
      int a;
      do {
        e = config.sameEntity() ? asked : rng.nextInt(facts.entities());
        a = rng.nextInt(facts.attributes());
      } while (taken(stated, e, a));
      stated[i] = new int[] {e, a, trainingValue(e, a, rng)};
    }
  }

  private static boolean taken(int[][] stated, int entity, int attribute) {
    for (int[] s : stated) {
      if (s != null && s[0] == entity && s[1] == attribute) {
        return true;
      }
    }
    return false;
  }

  /** The value a training statement states: fresh for a held-out entity, else fresh with freshValues. */
  private int trainingValue(int entity, int attribute, SplittableRandom rng) {
    boolean fresh = rng.nextDouble() < config.freshValues() || facts.isHeldOut(entity);
    return fresh ? rng.nextInt(vocab.count(Group.VALUE)) : facts.value(entity, attribute);
  }

  private Prompt prompt(Tag tag, int[][] stated, int entity, int attribute, int answer) {
    int[] t = new int[2 + 3 * stated.length + 4];
    t[0] = Vocabulary.BOS;
    t[1] = vocab.token(tag);
    for (int i = 0; i < stated.length; i++) {
      t[2 + 3 * i] = vocab.token(Group.ENTITY, stated[i][0]);
      t[3 + 3 * i] = vocab.token(Group.ATTRIBUTE, stated[i][1]);
      t[4 + 3 * i] = vocab.token(Group.VALUE, stated[i][2]);
    }
    int q = 2 + 3 * stated.length;
    t[q] = vocab.token(Group.QUESTION, PromptKind.FACT.ordinal());
    t[q + 1] = vocab.token(Group.ATTRIBUTE, attribute);
    t[q + 2] = vocab.token(Group.ENTITY, entity);
    t[q + 3] = Vocabulary.SEP;
    return new Prompt(tag, PromptKind.FACT, t, entity, attribute, answer);
  }
}
