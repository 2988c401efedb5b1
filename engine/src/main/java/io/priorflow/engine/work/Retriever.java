package io.priorflow.engine.work;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.FactTable;
import io.priorflow.engine.world.ParsedSequence;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.Vocabulary.Group;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The retriever actor's behaviour, and the prompt surgery of retrieval-augmented prompting. The index holds one
 * passage per trainable fact, {@code entity attribute value}, with the values of the index's generation (a frozen or
 * seldom rebuilt index states changed facts stale). For a query — a prompt whose question is a fact question about
 * (e, a) — query i of an item draws from child stream {@code "query/i"}:
 * <pre>
 *   hit      ~ Bernoulli(recall)            the passage (e, a, value at the index's generation) is returned, first
 *   slot j   ~ Bernoulli(precision)         each of the other k − hit passages: another attribute of e (a true,
 *                                           harmless passage), else a distractor — attribute a of another entity;
 *                                           uniform among those of its kind not yet returned (the other kind when
 *                                           none is left)
 *   passages, best first: [fact?, others…]  no passage twice; fewer than k when the index runs out
 * </pre>
 * Any other query (arithmetic, chat, a document, a held-out entity) gets no passage. {@link #augment} puts the
 * passages before the question, the best nearest it (a window model sees the nearest ones only); {@link #strip}
 * takes them out again, so that the gold oracle judges the answer to the bare question — a passage can be stale or a
 * distractor, and the parser would otherwise read it as the truth ({@code SequenceParser}). Not a model: nothing here
 * learns, and the index is a pure function of (world, generation).
 */
public final class Retriever {
  private Retriever() {}

  /** The passages of each query, flattened statements (3 tokens each), best first; empty for no passage. */
  public static List<int[]> retrieve(World indexWorld, List<int[]> queries, int k, double recall, double precision,
                                     long seed) {
    List<int[]> out = new ArrayList<>(queries.size());
    FactTable facts = indexWorld.facts();
    Vocabulary v = indexWorld.vocabulary();
    for (int i = 0; i < queries.size(); i++) {
      int[] q = queries.get(i);
      ParsedSequence p = indexWorld.parser().parse(withSep(q));
      int at = questionAt(v, q);
      if (p.kind() != PromptKind.FACT || at < 0 || at != statementsFrom(v, q) || facts.isHeldOut(p.entity())) {
        out.add(new int[0]);
        continue;
      }
      int e = p.entity(), a = v.indexInGroup(q[at + 1]);
      SplittableRandom rng = RandomStreams.child(seed, "query/" + i);
      List<int[]> chosen = new ArrayList<>(k);
      if (rng.nextDouble() < recall) chosen.add(new int[] {e, a});
      List<int[]> related = new ArrayList<>(), distractors = new ArrayList<>();
      for (int b = 0; b < facts.attributes(); b++) if (b != a) related.add(new int[] {e, b});
      for (int d = 0; d < facts.trainableEntities(); d++) if (d != e) distractors.add(new int[] {d, a});
      while (chosen.size() < k && !(related.isEmpty() && distractors.isEmpty())) {
        List<int[]> pool = rng.nextDouble() < precision ? related : distractors;
        if (pool.isEmpty()) pool = pool == related ? distractors : related; // that kind ran out
        chosen.add(pool.remove(rng.nextInt(pool.size())));
      }
      int[] flat = new int[3 * chosen.size()];
      for (int j = 0; j < chosen.size(); j++) {
        int[] c = chosen.get(j);
        flat[3 * j] = v.token(Group.ENTITY, c[0]);
        flat[3 * j + 1] = v.token(Group.ATTRIBUTE, c[1]);
        flat[3 * j + 2] = v.token(Group.VALUE, facts.value(c[0], c[1]));
      }
      out.add(flat);
    }
    return out;
  }

  /**
   * The prompt with the passages before its question, the best (first) nearest it: {@code BOS tag p_k … p_1 question
   * SEP}. The prompt itself when there is no passage.
   */
  public static int[] augment(Vocabulary v, int[] prompt, int[] passages) {
    if (passages.length == 0) return prompt;
    int at = questionAt(v, prompt);
    if (at < 0) throw new IllegalArgumentException("A prompt without a question cannot take passages.");
    int[] out = new int[prompt.length + passages.length];
    System.arraycopy(prompt, 0, out, 0, at);
    int n = passages.length / 3;
    for (int j = 0; j < n; j++) { // reversed: the first passage ends next to the question
      System.arraycopy(passages, 3 * (n - 1 - j), out, at + 3 * j, 3);
    }
    System.arraycopy(prompt, at, out, at + passages.length, prompt.length - at);
    return out;
  }

  /** A sequence made from {@link #augment}{@code (prompt, passages)} with the passages taken out again. */
  public static int[] strip(Vocabulary v, int[] sequence, int[] prompt, int[] passages) {
    if (passages.length == 0) return sequence;
    int at = questionAt(v, prompt);
    int[] out = new int[sequence.length - passages.length];
    System.arraycopy(sequence, 0, out, 0, at);
    System.arraycopy(sequence, at + passages.length, out, at, out.length - at);
    return out;
  }

  /** The index of the first QUESTION token, or −1. */
  static int questionAt(Vocabulary v, int[] prompt) {
    for (int j = 0; j < prompt.length; j++) if (v.is(prompt[j], Group.QUESTION)) return j;
    return -1;
  }

  /** Where a prompt's statements would start: after PAD, BOS and the tag. */
  private static int statementsFrom(Vocabulary v, int[] prompt) {
    int j = 0;
    while (j < prompt.length && (prompt[j] == Vocabulary.PAD || prompt[j] == Vocabulary.BOS)) j++;
    if (j < prompt.length && v.is(prompt[j], Group.TAG)) j++;
    return j;
  }

  private static int[] withSep(int[] q) {
    return q.length > 0 && q[q.length - 1] == Vocabulary.SEP ? q : Arrays.copyOf(q, q.length + 1);
  }
}
