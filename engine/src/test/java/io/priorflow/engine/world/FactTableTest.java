package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Zipf popularity, the rare tail and the fact table itself. */
class FactTableTest {

  private final FactTable facts = new FactTable(VocabularyConfig.defaults(), KnowledgeConfig.defaults());

  @Test
  void popularityIsZipf() {
    double s = KnowledgeConfig.defaults().zipfExponent();
    double h = 0;
    for (int r = 1; r <= facts.entities(); r++) {
      h += Math.pow(r, -s);
    }
    double total = 0;
    for (int e = 0; e < facts.entities(); e++) {
      assertEquals(Math.pow(e + 1, -s) / h, facts.popularity(e), 1e-15);
      assertEquals(e + 1, facts.rank(e));
      total += facts.popularity(e);
    }
    assertEquals(1, total, 1e-12);
    // ratio of ranks r and 2r is 2^s
    assertEquals(Math.pow(2, s), facts.popularity(2) / facts.popularity(5), 1e-12);
  }

  @Test
  void rareEntitiesAreTheTailBeyondTheHeadMass() {
    double mass = KnowledgeConfig.defaults().rareHeadMass();
    int head = facts.headSize();
    double headMass = 0;
    for (int e = 0; e < head; e++) {
      headMass += facts.popularity(e);
      assertTrue(!facts.isRare(e));
    }
    assertTrue(headMass >= mass, "the head reaches the head mass");
    assertTrue(headMass - facts.popularity(head - 1) < mass, "and is the fewest that do");
    assertEquals(1 - headMass, facts.rareMass(), 1e-12);
    assertTrue(facts.isRare(facts.entities() - 1));
    System.out.printf("head %d of %d entities, rare mass %.4f%n", head, facts.entities(), facts.rareMass());
  }

  @Test
  void sampledEntitiesFollowPopularity() {
    SplittableRandom rng = new RandomStreams(4).forItem("facts/entities");
    int n = 200_000;
    int[] counts = new int[facts.entities()];
    for (int i = 0; i < n; i++) {
      counts[facts.sampleEntity(rng)]++;
    }
    long rare = 0;
    for (int e = 0; e < facts.entities(); e++) {
      double p = facts.popularity(e);
      assertTrue(Math.abs(counts[e] / (double) n - p) <= 4 * Math.sqrt(p * (1 - p) / n), "entity " + e);
      rare += facts.isRare(e) ? counts[e] : 0;
    }
    double q = facts.rareMass();
    assertTrue(Math.abs(rare / (double) n - q) <= 4 * Math.sqrt(q * (1 - q) / n));
  }

  @Test
  void tableIsAPureFunctionOfTheFactSeed() {
    FactTable again = new FactTable(VocabularyConfig.defaults(), KnowledgeConfig.defaults());
    FactTable other = new FactTable(VocabularyConfig.defaults(), new KnowledgeConfig(1.1, 0.8, 7, 9));
    int differences = 0;
    for (int e = 0; e < facts.entities(); e++) {
      for (int a = 0; a < facts.attributes(); a++) {
        assertEquals(facts.value(e, a), again.value(e, a));
        differences += facts.value(e, a) != other.value(e, a) ? 1 : 0;
      }
    }
    assertNotEquals(0, differences);
    assertEquals(0.0, new FactTable(VocabularyConfig.defaults(), new KnowledgeConfig(0, 0.5, 1, 9)).popularity(0)
        - 1.0 / facts.entities(), 1e-15);
  }

  @Test
  void everyFactInsideTheTableAndNoneOutside() {
    int entities = facts.entities(), attributes = facts.attributes();
    facts.value(0, 0);
    facts.value(entities - 1, attributes - 1);
    int[][] outside = {{-1, 0}, {entities, 0}, {0, -1}, {0, attributes}};
    for (int[] f : outside) {
      String where = "entity " + f[0] + ", attribute " + f[1];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> facts.value(f[0], f[1]));
      assertTrue(e.getMessage().endsWith("there is no fact for " + where + "."), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> facts.valueAt(f[0], f[1], 0), where);
      assertThrows(IllegalArgumentException.class, () -> facts.version(f[0], f[1], 3), where);
      assertThrows(IllegalArgumentException.class, () -> facts.sliceOf(f[0], f[1]), where);
    }
  }

  @Test
  void aTableAtItsOwnGenerationIsItselfAndNoGenerationIsNegative() {
    assertSame(facts, facts.at(0));
    assertEquals(3, facts.at(3).generation());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> facts.at(-1));
    assertEquals("A generation is ≥ 0, was -1.", e.getMessage());
  }

  @Test
  void heldOutEntitiesLeaveAtLeastOneTrainable() {
    VocabularyConfig six = new VocabularyConfig(6, 3, 8, 3, 3, 2, 12);
    FactTable one = new FactTable(six, KnowledgeConfig.defaults().withHeldOutEntities(5));
    assertEquals(1, one.trainableEntities());
    assertEquals(5, one.heldOutEntities());
    assertEquals(1.0, one.popularity(0));
    assertEquals(0.0, one.popularity(1));
    assertEquals(0, facts.heldOutEntities());
    for (int n : new int[] {6, 7, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new FactTable(six, KnowledgeConfig.defaults().withHeldOutEntities(n)));
      assertEquals("A fact table of 6 entities cannot hold out " + n + " of them.", e.getMessage());
    }
  }

  @Test
  void theHeadIsTheFewestEntitiesReachingTheMassExactly() {
    // uniform over 4: running mass 0.25, 0.5, 0.75, 1
    assertEquals(2, FactTable.headSize(4, 0, 0.5), "0.5 is reached exactly by 2");
    assertEquals(3, FactTable.headSize(4, 0, 0.5000001));
    assertEquals(4, FactTable.headSize(4, 0, 2.0), "a mass above 1 takes every entity");
  }
}
