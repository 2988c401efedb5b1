package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Vocabulary.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fact-recall documents and held-out entities: the grammar the parser judges, the statements a document makes,
 * and that no training path of the world ever carries a held-out fact.
 */
class FactRecallTest {

  private static final int HELD_OUT = 4;
  private static final World WORLD = new World(WorldConfig.defaults()
      .withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(HELD_OUT))
      .withDocuments(new DocumentConfig(0.5, 3, 0.5)));

  private static int[] tokens(World w, String text) {
    return java.util.Arrays.stream(text.split(" ")).mapToInt(w.vocabulary()::id).toArray();
  }

  @Test
  void aDocumentIsJudgedAgainstTheValueItStates() {
    World w = World.defaults();
    int table = w.facts().value(2, 0); // ent02 color
    String stated = "val" + ((table + 3) % 8);
    String prompt = "BOS tag_high ent07 city val1 ent02 color " + stated + " ent19 year val0 what color ent02 SEP";
    ParsedSequence right = w.parser().parse(tokens(w, prompt + " the " + stated + " EOS"));
    assertEquals(PromptKind.FACT, right.kind());
    assertEquals((table + 3) % 8, right.answer());
    assertTrue(right.correct());
    assertFalse(w.parser().parse(tokens(w, prompt + " val" + table + " EOS")).correct(), "the table's value is "
        + "wrong where the document states another");
    // a document that does not state the fact asked falls back to the table
    ParsedSequence unstated = w.parser().parse(tokens(w,
        "BOS tag_high ent07 city val1 what color ent02 SEP val" + table + " EOS"));
    assertTrue(unstated.correct());
    // the last statement of a fact wins
    assertEquals(5, w.parser().parse(tokens(w,
        "BOS tag_low ent02 color val1 ent02 color val5 what color ent02 SEP val5 EOS")).answer());
    // statements before anything but a fact question are not well formed
    assertNull(w.parser().parse(tokens(w, "BOS tag_low ent02 color val1 chat the a SEP ok EOS")).kind());
    assertNull(w.parser().parse(tokens(w, "BOS tag_low ent02 color val1 compute 0 1 plus 0 2 SEP 0 3 EOS")).kind());
  }

  @Test
  void documentsStateDistinctFactsAndAskOneOfThem() {
    SplittableRandom rng = new SplittableRandom(5);
    int documents = 0;
    int[] askedAt = new int[3];
    for (int i = 0; i < 20_000; i++) {
      Prompt p = WORLD.samplePrompt(rng);
      int[] t = p.tokens();
      if (p.kind() != PromptKind.FACT || t.length == 6) {
        continue;
      }
      documents++;
      assertEquals(2 + 9 + 4, t.length);
      List<Long> pairs = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        int e = WORLD.vocabulary().indexInGroup(t[2 + 3 * s]);
        int a = WORLD.vocabulary().indexInGroup(t[3 + 3 * s]);
        assertFalse(pairs.contains(e * 100L + a), "a document states each fact once");
        pairs.add(e * 100L + a);
        if (e == p.entity() && a == p.attribute()) {
          askedAt[s]++;
          assertEquals(p.answer(), WORLD.vocabulary().indexInGroup(t[4 + 3 * s]));
        }
      }
      assertEquals(p.answer(), WORLD.parser().parse(p.tokens()).answer());
    }
    assertEquals(5_000, documents, 250); // half of the fact prompts, which are half of the prompts
    for (int s = 0; s < 3; s++) {
      assertEquals(documents / 3.0, askedAt[s], 200, "the fact asked sits at a uniform slot");
    }
  }

  /**
   * Every way the world hands out data for training — wild and tagged examples, prompts for generate stages,
   * responses to them, evaluation prompts — over many draws: no question without statements asks about a held-out
   * entity, every held-out entity's statement has a fresh value (it agrees with the table at the chance rate 1/V,
   * not more), and every trainable entity's statement agrees at 1/2 + 1/2 · 1/V (freshValues 0.5).
   */
  @Test
  void heldOutFactsNeverAppearInTrainingData() {
    List<int[]> seen = new ArrayList<>();
    SplittableRandom rng = new RandomStreams(3).forItem("held-out");
    for (int i = 0; i < 30_000; i++) {
      seen.add(WORLD.sample(rng).sequence());
      seen.add(WORLD.sampleWithTag(Tag.values()[i % 3], rng).sequence());
      seen.add(WORLD.sampleResponse(WORLD.samplePrompt(rng), rng).sequence());
    }
    WORLD.evaluationPrompts(20_000, 11L).forEach(p -> seen.add(p.tokens()));
    Vocabulary v = WORLD.vocabulary();
    FactTable facts = WORLD.facts();
    long heldOutStatements = 0, heldOutAgree = 0, trainableStatements = 0, trainableAgree = 0, heldOutEntityTokens = 0;
    for (int[] s : seen) {
      int sep = SequenceParser.indexOf(s, Vocabulary.SEP, 0);
      int i = 2;
      for (; i + 2 < sep && v.is(s[i], Group.ENTITY); i += 3) {
        int e = v.indexInGroup(s[i]);
        boolean agrees = facts.value(e, v.indexInGroup(s[i + 1])) == v.indexInGroup(s[i + 2]);
        if (facts.isHeldOut(e)) {
          heldOutStatements++;
          heldOutAgree += agrees ? 1 : 0;
        } else {
          trainableStatements++;
          trainableAgree += agrees ? 1 : 0;
        }
      }
      boolean document = i > 2;
      for (int j = 0; j < s.length; j++) {
        if (v.is(s[j], Group.ENTITY) && facts.isHeldOut(v.indexInGroup(s[j]))) {
          heldOutEntityTokens++;
          assertTrue(document && j < sep, "a held-out entity appears only inside a document's prompt: "
              + v.format(s));
        }
      }
    }
    assertTrue(heldOutEntityTokens > 10_000, "held-out entities do appear in documents: " + heldOutEntityTokens);
    double chance = 1.0 / v.count(Group.VALUE);
    assertBinomial(chance, heldOutAgree, heldOutStatements, "held-out statements agreeing with the table");
    assertBinomial(0.5 + 0.5 * chance, trainableAgree, trainableStatements, "trainable statements agreeing");
  }

  @Test
  void probesStateTheTableValueFirstOrNotAtAll() {
    int e = WORLD.facts().entities() - 1;
    Prompt stated = WORLD.recallProbe(Tag.HIGH, e, 1, 0, new SplittableRandom(1));
    int[] t = stated.tokens();
    assertEquals(WORLD.facts().value(e, 1), stated.answer());
    assertEquals(List.of(e, 1, stated.answer()), List.of(WORLD.vocabulary().indexInGroup(t[2]),
        WORLD.vocabulary().indexInGroup(t[3]), WORLD.vocabulary().indexInGroup(t[4])));
    assertEquals(stated.answer(), WORLD.parser().parse(t).answer());
    Prompt bare = WORLD.recallProbe(Tag.HIGH, e, 1, -1, new SplittableRandom(1));
    assertEquals("BOS tag_high what city " + WORLD.vocabulary().name(WORLD.vocabulary().token(Group.ENTITY, e))
        + " SEP", WORLD.vocabulary().format(bare.tokens()));
  }

  @Test
  void heldOutEntitiesLeaveTheTrainableZipfAsASmallerWorldWouldHaveIt() {
    FactTable smaller = new FactTable(new VocabularyConfig(20, 3, 8, 3, 3, 2, 12), KnowledgeConfig.defaults());
    FactTable held = WORLD.facts();
    assertEquals(20, held.trainableEntities());
    assertEquals(smaller.headSize(), held.headSize());
    assertEquals(smaller.rareMass(), held.rareMass(), 0);
    for (int e = 0; e < 24; e++) {
      assertEquals(e < 20 ? smaller.popularity(e) : 0, held.popularity(e), 0);
      assertEquals(e >= 20, held.isHeldOut(e));
      assertEquals(e >= held.headSize(), held.isRare(e));
    }
  }

  @Test
  void sameEntityDocumentsStateTheAskedEntitysOtherAttributes() {
    World w = new World(WorldConfig.defaults()
        .withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(HELD_OUT))
        .withDocuments(new DocumentConfig(1, 3, 0.5, true)));
    SplittableRandom rng = new SplittableRandom(9);
    int documents = 0;
    int[] askedAt = new int[3];
    for (int i = 0; i < 6_000; i++) {
      Prompt p = w.samplePrompt(rng);
      if (p.kind() != PromptKind.FACT) {
        continue;
      }
      documents++;
      int[] t = p.tokens();
      assertEquals(2 + 9 + 4, t.length);
      boolean[] attributes = new boolean[3];
      for (int s = 0; s < 3; s++) {
        assertEquals(p.entity(), w.vocabulary().indexInGroup(t[2 + 3 * s]), "every statement is about the entity");
        int a = w.vocabulary().indexInGroup(t[3 + 3 * s]);
        assertFalse(attributes[a], "each attribute once");
        attributes[a] = true;
        if (a == p.attribute()) {
          askedAt[s]++;
          assertEquals(p.answer(), w.vocabulary().indexInGroup(t[4 + 3 * s]));
        }
      }
      assertEquals(p.answer(), w.parser().parse(t).answer());
    }
    assertEquals(3_000, documents, 200); // every fact prompt, half of the prompts
    for (int s = 0; s < 3; s++) {
      assertBinomial(1 / 3.0, askedAt[s], documents, "the asked fact at slot " + s);
    }
    // the probe: the held-out fact first, then the entity's other attributes, their values fresh
    Prompt probe = w.recallProbe(Tag.HIGH, 21, 1, 0, new SplittableRandom(3));
    int[] t = probe.tokens();
    for (int s = 0; s < 3; s++) {
      assertEquals(21, w.vocabulary().indexInGroup(t[2 + 3 * s]));
    }
    assertEquals(1, w.vocabulary().indexInGroup(t[3]));
    assertEquals(w.facts().value(21, 1), w.vocabulary().indexInGroup(t[4]));
    assertEquals(java.util.Set.of(0, 1, 2), java.util.Set.of(w.vocabulary().indexInGroup(t[3]),
        w.vocabulary().indexInGroup(t[6]), w.vocabulary().indexInGroup(t[9])));
    // the last slot is 2; slot 3 does not exist
    assertEquals(21, w.vocabulary().indexInGroup(w.recallProbe(Tag.HIGH, 21, 1, 2, new SplittableRandom(3))
        .tokens()[8]));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> w.recallProbe(Tag.HIGH, 21, 1, 3, new SplittableRandom(3)));
    assertEquals("A document has 3 statements, so a fact cannot be stated at slot 3.", e.getMessage());
  }

  @Test
  void configProblemsNameTheFieldsOfDocumentsAndHeldOutEntities() {
    WorldConfig bad = WorldConfig.defaults().withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(23))
        .withDocuments(new DocumentConfig(1.5, 0, -0.1));
    List<String> p = bad.problems();
    assertTrue(p.contains("knowledge.heldOutEntities must leave at least 2 of the 24 entities trainable, was 23"), p
        .toString());
    assertTrue(p.contains("documents.factRecall must be in [0, 1], was 1.5"), p.toString());
    assertTrue(p.contains("documents.statements must be in [1, 8], was 0"), p.toString());
    assertTrue(p.contains("documents.freshValues must be in [0, 1], was -0.1"), p.toString());
    WorldConfig tiny = new WorldConfig(new VocabularyConfig(2, 1, 8, 3, 3, 2, 12), KnowledgeConfig.defaults(),
        PromptMix.defaults(), new DocumentConfig(0.5, 3, 0.5), TagProfiles.defaults(), RegisterConfig.defaults(),
        LengthConfig.defaults(), List.of(), null);
    assertTrue(tiny.problems().contains("documents.statements must be at most entities × attributes = 2 (a document"
        + " states each fact once), was 3"), tiny.problems().toString());
    WorldConfig oneEntity = WorldConfig.defaults().withDocuments(new DocumentConfig(0.5, 4, 0.5, true));
    assertEquals(List.of("documents.statements must be at most attributes = 3 with sameEntity (a document states "
        + "each of its entity's facts once), was 4"), oneEntity.problems());
    assertEquals(List.of(), WorldConfig.defaults().withDocuments(new DocumentConfig(0.5, 3, 0.5, true)).problems());
  }

  private static void assertBinomial(double p, long hits, long n, String what) {
    double se = Math.sqrt(p * (1 - p) / n);
    double observed = hits / (double) n;
    assertTrue(Math.abs(observed - p) <= 4 * se, String.format("%s: %.4f of %d, expected %.4f ± 4·%.4f", what,
        observed, n, p, se));
  }
}
