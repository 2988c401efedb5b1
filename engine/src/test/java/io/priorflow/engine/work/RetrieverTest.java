package io.priorflow.engine.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.FactChange;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.Vocabulary.Group;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The retriever's recall and precision, its stale index, and the prompt surgery of retrieval-augmented prompting. */
class RetrieverTest {
  static final World WORLD = new World(WorldConfig.defaults().withKnowledge(WorldConfig.defaults().knowledge()
      .withChanges(List.of(new FactChange(0.5, 1, 1)))));
  static final Vocabulary V = WORLD.vocabulary();

  static List<Prompt> questions(int n) {
    SplittableRandom rng = new RandomStreams(1).forItem("retriever/prompts");
    List<Prompt> out = new ArrayList<>();
    while (out.size() < n) {
      Prompt p = WORLD.samplePrompt(rng);
      if (p.kind() == PromptKind.FACT) out.add(p);
    }
    return out;
  }

  static List<int[]> tokens(List<Prompt> ps) {
    return ps.stream().map(Prompt::tokens).toList();
  }

  @Test
  void recallAndPrecisionAreTheRatesOfTheRightPassageAndOfHarmlessOnes() {
    List<Prompt> qs = questions(20_000);
    double recall = 0.7, precision = 0.6;
    List<int[]> got = Retriever.retrieve(WORLD, tokens(qs), 3, recall, precision, 42);
    List<int[]> two = Retriever.retrieve(WORLD, tokens(qs), 2, recall, precision, 42);
    long hits = 0, others = 0, related = 0;
    for (int i = 0; i < qs.size(); i++) {
      Prompt q = qs.get(i);
      int[] p = got.get(i);
      assertEquals(9, p.length, "k passages");
      boolean hit = V.indexInGroup(p[0]) == q.entity() && V.indexInGroup(p[1]) == q.attribute();
      if (hit) {
        hits++;
        assertEquals(q.answer(), V.indexInGroup(p[2]), "the right passage states the index's value");
      }
      for (int j = hit ? 1 : 0; j < 3; j++) {
        int e = V.indexInGroup(p[3 * j]), a = V.indexInGroup(p[3 * j + 1]);
        assertTrue(!(e == q.entity() && a == q.attribute()), "the right passage only first");
        assertEquals(WORLD.facts().value(e, a), V.indexInGroup(p[3 * j + 2]), "every passage states a true value");
        others++;
        related += e == q.entity() ? 1 : 0;
        if (e != q.entity()) assertEquals(q.attribute(), a, "a distractor asks the same attribute of another entity");
      }
    }
    int n = qs.size();
    assertEquals(recall, hits / (double) n, 4 * Math.sqrt(recall * (1 - recall) / n));
    // with k = 3 and 3 attributes the related passages can run out (then distractors fill in); with k = 2 they cannot,
    // and the share of harmless passages among the others is the precision
    assertTrue(related / (double) others < precision);
    long related2 = 0, others2 = 0;
    for (int i = 0; i < n; i++) {
      int[] p = two.get(i);
      boolean hit = V.indexInGroup(p[0]) == qs.get(i).entity() && V.indexInGroup(p[1]) == qs.get(i).attribute();
      for (int j = hit ? 1 : 0; j < 2; j++, others2++) related2 += V.indexInGroup(p[3 * j]) == qs.get(i).entity() ? 1 : 0;
    }
    assertEquals(precision, related2 / (double) others2, 4 * Math.sqrt(precision * (1 - precision) / others2));
  }

  @Test
  void aFrozenIndexStatesChangedFactsAsTheyWere() {
    List<Prompt> qs = questions(2000);
    List<int[]> frozen = Retriever.retrieve(WORLD.at(0), tokens(qs), 1, 1, 1, 7);
    List<int[]> fresh = Retriever.retrieve(WORLD.at(3), tokens(qs), 1, 1, 1, 7);
    int changed = 0;
    for (int i = 0; i < qs.size(); i++) {
      Prompt q = qs.get(i);
      assertEquals(WORLD.facts().valueAt(q.entity(), q.attribute(), 0), V.indexInGroup(frozen.get(i)[2]));
      assertEquals(WORLD.facts().valueAt(q.entity(), q.attribute(), 3), V.indexInGroup(fresh.get(i)[2]));
      changed += frozen.get(i)[2] != fresh.get(i)[2] ? 1 : 0;
    }
    assertTrue(changed > 500, "half the facts changed: " + changed);
  }

  @Test
  void onlyFactQuestionsAboutTrainableEntitiesGetPassagesAndTheSameStreamGivesTheSamePassages() {
    SplittableRandom rng = new RandomStreams(2).forItem("retriever/mixed");
    List<int[]> qs = new ArrayList<>();
    for (int i = 0; i < 300; i++) qs.add(WORLD.samplePromptWithTag(Tag.MID, rng).tokens());
    List<int[]> a = Retriever.retrieve(WORLD, qs, 2, 0.9, 0.8, 5), b = Retriever.retrieve(WORLD, qs, 2, 0.9, 0.8, 5);
    for (int i = 0; i < qs.size(); i++) {
      boolean fact = WORLD.parser().parse(java.util.Arrays.copyOf(qs.get(i), qs.get(i).length)).kind()
          == PromptKind.FACT;
      assertEquals(fact ? 6 : 0, a.get(i).length, "query " + i);
      assertArrayEquals(a.get(i), b.get(i));
    }
    // each query draws from its own stream: a shorter batch gives the same first passages
    assertArrayEquals(a.get(3), Retriever.retrieve(WORLD, qs.subList(0, 4), 2, 0.9, 0.8, 5).get(3));
  }

  @Test
  void augmentPutsTheBestPassageNextToTheQuestionAndStripUndoesIt() {
    Prompt q = questions(1).get(0);
    int[] passages = Retriever.retrieve(WORLD, List.of(q.tokens()), 3, 1, 0.5, 9).get(0);
    int[] asked = Retriever.augment(V, q.tokens(), passages);
    int at = Retriever.questionAt(V, asked);
    assertArrayEquals(java.util.Arrays.copyOfRange(passages, 0, 3), java.util.Arrays.copyOfRange(asked, at - 3, at),
        "the best passage is the last statement before the question");
    // the gold parser reads the context as the truth: the stated value is what an augmented prompt is right by
    int[] answered = java.util.Arrays.copyOf(asked, asked.length + 3);
    answered[asked.length] = V.token(Group.FILLER, 0);
    answered[asked.length + 1] = passages[2];
    answered[asked.length + 2] = Vocabulary.EOS;
    int[] bare = Retriever.strip(V, answered, q.tokens(), passages);
    assertEquals(q.tokens().length + 3, bare.length);
    assertArrayEquals(q.tokens(), java.util.Arrays.copyOf(bare, q.tokens().length));
    assertEquals(passages[2], bare[bare.length - 2]);
    assertTrue(WORLD.parser().parse(bare).correct(), "a right passage copied is a right answer to the bare question");
    assertArrayEquals(q.tokens(), Retriever.augment(V, q.tokens(), new int[0]), "no passage, no change");
  }
}
