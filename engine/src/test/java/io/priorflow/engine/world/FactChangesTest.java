package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Facts with versions: which facts change, when, to what, and what generation g's world then states. */
class FactChangesTest {

  static WorldConfig changing(FactChange... slices) {
    WorldConfig d = WorldConfig.defaults();
    return d.withKnowledge(d.knowledge().withChanges(List.of(slices)));
  }

  private static final World FAST_SLOW = new World(changing(new FactChange(0.1, 1, 1), new FactChange(0.2, 4, 4)));

  @Test
  void slicesHoldTheirShareOfTrainableFactsSpreadOverPopularity() {
    FactTable t = FAST_SLOW.facts();
    int[] count = new int[2];
    int[][] byBucket = new int[2][2]; // slice, (first half of the entities, second half)
    for (int e = 0; e < t.entities(); e++) {
      for (int a = 0; a < t.attributes(); a++) {
        int k = t.sliceOf(e, a);
        if (k >= 0) {
          count[k]++;
          byBucket[k][e < t.entities() / 2 ? 0 : 1]++;
        }
      }
    }
    int n = t.trainableEntities() * t.attributes(); // 72
    assertEquals(Math.round(0.1 * n), count[0]);
    assertEquals(Math.round(0.3 * n) - Math.round(0.1 * n), count[1]);
    for (int k = 0; k < 2; k++) {
      assertTrue(byBucket[k][0] > 0 && byBucket[k][1] > 0, "slice " + k + " reaches popular and rare entities");
      assertTrue(Math.abs(byBucket[k][0] - byBucket[k][1]) <= 2, "and about evenly: " + byBucket[k][0] + " vs "
          + byBucket[k][1]);
    }
  }

  @Test
  void aFactChangesAtItsSlicesScheduleToAValueUnlikeTheOneBefore() {
    FactTable t = FAST_SLOW.facts();
    int changedFast = 0, changedSlow = 0;
    for (int e = 0; e < t.entities(); e++) {
      for (int a = 0; a < t.attributes(); a++) {
        int k = t.sliceOf(e, a);
        for (int g = 1; g <= 9; g++) {
          int before = t.valueAt(e, a, g - 1), now = t.valueAt(e, a, g);
          boolean due = k == 0 || (k == 1 && g % 4 == 0);
          if (due) {
            assertNotEquals(before, now, "fact " + e + "/" + a + " slice " + k + " generation " + g);
          } else {
            assertEquals(before, now, "fact " + e + "/" + a + " slice " + k + " generation " + g);
          }
        }
        assertEquals(k == 0 ? 9 : k == 1 ? 2 : 0, t.version(e, a, 9));
        changedFast += k == 0 ? 1 : 0;
        changedSlow += k == 1 ? 1 : 0;
      }
    }
    assertTrue(changedFast > 0 && changedSlow > 0);
    // generation 0 is the table as it always was
    FactTable plain = new FactTable(VocabularyConfig.defaults(), KnowledgeConfig.defaults());
    for (int e = 0; e < t.entities(); e++) {
      for (int a = 0; a < t.attributes(); a++) assertEquals(plain.value(e, a), t.value(e, a));
    }
  }

  @Test
  void valuesArePureFunctionsOfSeedEntityAttributeAndGeneration() {
    World again = new World(changing(new FactChange(0.1, 1, 1), new FactChange(0.2, 4, 4)));
    FactTable a = FAST_SLOW.at(5).facts(), b = again.at(5).facts();
    for (int e = 0; e < a.entities(); e++) {
      for (int k = 0; k < a.attributes(); k++) {
        assertEquals(a.value(e, k), b.value(e, k));
        assertEquals(a.value(e, k), FAST_SLOW.facts().valueAt(e, k, 5));
        assertEquals(a.value(e, k), FAST_SLOW.at(3).facts().valueAt(e, k, 5), "from any generation's table");
      }
    }
    assertSame(FAST_SLOW.at(5), FAST_SLOW.at(5), "built once");
    assertEquals(5, FAST_SLOW.at(5).generation());
    World plain = World.defaults();
    assertSame(plain, plain.at(7), "without changes every generation is the same world");
  }

  @Test
  void staleMeansAnEarlierValueTheFactNoLongerHas() {
    FactTable t = FAST_SLOW.facts();
    int e = -1, a = -1;
    for (int x = 0; x < t.entities() && e < 0; x++) {
      for (int y = 0; y < t.attributes(); y++) if (t.sliceOf(x, y) == 0) { e = x; a = y; break; }
    }
    int g = 3;
    int now = t.valueAt(e, a, g);
    assertFalse(t.stale(e, a, g, now));
    for (int v = 0; v < 3; v++) {
      int old = t.valueAt(e, a, v);
      assertEquals(old != now, t.stale(e, a, g, old), "version " + v);
    }
    boolean[] seen = new boolean[8];
    for (int v = 0; v <= g; v++) seen[t.valueAt(e, a, v)] = true;
    for (int v = 0; v < 8; v++) if (!seen[v]) assertFalse(t.stale(e, a, g, v), "value " + v + " was never held");
  }

  @Test
  void generationGsWorldStatesTheNewValueInItsExamplesAndJudgesByIt() {
    World w3 = FAST_SLOW.at(3);
    SplittableRandom rng = new RandomStreams(5).forItem("changes/examples");
    int facts = 0, changedRight = 0, changedAsked = 0;
    while (facts < 4000) {
      Example ex = w3.sampleWithTag(Tag.HIGH, rng);
      if (ex.prompt().kind() != PromptKind.FACT) continue;
      facts++;
      int e = ex.prompt().entity(), a = ex.prompt().attribute();
      assertEquals(w3.facts().value(e, a), ex.prompt().answer(), "the prompt's answer is the current value");
      if (w3.facts().version(e, a, 3) > 0) {
        changedAsked++;
        ParsedSequence p = w3.parser().parse(ex.sequence());
        boolean rightNow = p.correct();
        boolean rightThen = FAST_SLOW.parser().parse(ex.sequence()).correct();
        changedRight += rightNow ? 1 : 0;
        if (rightNow) assertFalse(rightThen, "a right answer now was wrong by generation 0's table");
      }
    }
    assertTrue(changedAsked > 100, "changed facts asked " + changedAsked);
    double high = w3.config().tags().get(Tag.HIGH).correct();
    assertEquals(high, changedRight / (double) changedAsked, 4 * Math.sqrt(high * (1 - high) / changedAsked));
  }

  @Test
  void badSlicesAreReportedAtTheirFields() {
    WorldConfig bad = changing(new FactChange(0, 0, 0), new FactChange(0.7, 2, 2), new FactChange(0.5, 1, 1));
    List<String> p = bad.problems();
    assertTrue(p.contains("knowledge.changes[0].share must be in (0, 1], was 0"), p.toString());
    assertTrue(p.contains("knowledge.changes[0].every must be in [1, 1000], was 0"), p.toString());
    assertTrue(p.contains("knowledge.changes[0].from must be in [1, 1000], was 0"), p.toString());
    assertTrue(p.contains("knowledge.changes must have shares summing to at most 1, was 1.2"), p.toString());
    assertEquals(4, p.size(), p.toString());
    assertEquals(2, FactChange.of(0.1, 2, null).from(), "from defaults to every");
  }
}
