package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.DocumentConfig;
import io.priorflow.engine.world.KnowledgeConfig;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.Vocabulary.Group;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The recall evaluation on hand-written answerers whose scores are known: an oracle that copies what the context
 * states, a copier of the last statement (the most a short window could do), and a cheat that knows the fact table.
 */
class InContextRecallTest {

  static final World WORLD = new World(WorldConfig.defaults()
      .withKnowledge(KnowledgeConfig.defaults().withHeldOutEntities(4))
      .withDocuments(new DocumentConfig(0.5, 3, 0.5)));
  private static final Vocabulary V = WORLD.vocabulary();
  private static final EvaluationSet SET = EvaluationSet.draw(WORLD, 400, 1, 1f, 0, new RandomStreams(8));

  /** Appends a value token (or nothing: −1) and EOS to each prompt. */
  private interface Answer {
    int value(int[] prompt, SplittableRandom rng);
  }

  private static InContextRecall.Completer answering(Answer a) {
    return (prompts, rngs) -> {
      List<int[]> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        int[] p = prompts.get(i);
        int[] s = Arrays.copyOf(p, p.length + 2);
        s[p.length] = V.token(Group.VALUE, a.value(p, rngs.get(i)));
        s[p.length + 1] = Vocabulary.EOS;
        out.add(s);
      }
      return out;
    };
  }

  /** The value the prompt's statements give the fact it asks about, or a uniform guess. */
  static int copyOrGuess(int[] p, SplittableRandom rng) {
    int entity = V.indexInGroup(p[p.length - 2]), attribute = V.indexInGroup(p[p.length - 3]);
    for (int j = 2; j + 2 < p.length - 4; j += 3) {
      if (V.indexInGroup(p[j]) == entity && V.indexInGroup(p[j + 1]) == attribute) {
        return V.indexInGroup(p[j + 2]);
      }
    }
    return rng.nextInt(V.count(Group.VALUE));
  }

  private static Map<String, Double> measure(Answer a, int batch) {
    return InContextRecall.measure(WORLD, SET.recall(), answering(a), 77L, batch);
  }

  @Test
  void anOracleThatCopiesTheContextIsPerfectInContextAndAtChanceWithout() {
    Map<String, Double> m = measure(InContextRecallTest::copyOrGuess, Integer.MAX_VALUE);
    assertEquals(1.0, m.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY), 0.0);
    double chance = InContextRecall.chance(WORLD);
    assertEquals(0.125, chance, 0.0);
    double se = Math.sqrt(chance * (1 - chance) / SET.recall().size());
    assertEquals(chance, m.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY), 4 * se, m.toString());
  }

  @Test
  void copyingTheLastStatementIsNotEnoughBecauseTheFactIsStatedFirst() {
    Map<String, Double> m = measure((p, rng) -> p.length > 6 ? V.indexInGroup(p[p.length - 5]) : 0, 64);
    // a distractor's value is independent of the fact's, so it is right by chance only
    double chance = InContextRecall.chance(WORLD);
    double se = Math.sqrt(chance * (1 - chance) / SET.recall().size());
    assertEquals(chance, m.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY), 4 * se, m.toString());
  }

  @Test
  void aModelThatKnowsHeldOutFactsIsCaught() {
    Map<String, Double> m = measure((p, rng) -> WORLD.facts().value(V.indexInGroup(p[p.length - 2]),
        V.indexInGroup(p[p.length - 3])), 64);
    assertEquals(1.0, m.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY), 0.0);
  }

  @Test
  void probesAskEveryHeldOutFactEquallyOftenAndOnlyThose() {
    List<InContextRecall.Probe> probes = SET.recall();
    int facts = 4 * WORLD.facts().attributes();
    assertEquals(0, probes.size() % facts);
    assertTrue(probes.size() >= 400);
    int[] asked = new int[facts];
    for (InContextRecall.Probe p : probes) {
      assertTrue(WORLD.facts().isHeldOut(p.stated().entity()));
      assertEquals(p.stated().entity(), p.bare().entity());
      assertEquals(p.stated().attribute(), p.bare().attribute());
      assertEquals(WORLD.facts().value(p.stated().entity(), p.stated().attribute()), p.stated().answer());
      asked[(p.stated().entity() - WORLD.facts().trainableEntities()) * 3 + p.stated().attribute()]++;
    }
    for (int n : asked) {
      assertEquals(probes.size() / facts, n);
    }
    assertTrue(EvaluationSet.draw(World.defaults(), 400, 1, 1f, 0, new RandomStreams(8)).recall().isEmpty());
  }

  @Test
  void theEvaluatorReportsBothMetricsAfterRareAccuracyIndependentlyOfTheBatchSize() {
    TokenModel model = HandModels.random(V.size(), 3);
    ReferenceBackend be = new ReferenceBackend();
    EvaluationSet small = EvaluationSet.draw(WORLD, 24, 1, 1f, 0, new RandomStreams(8));
    Map<String, Double> all = new Evaluator(WORLD, small, be).evaluate(model, null, null, 5L);
    Map<String, Double> batched = new Evaluator(WORLD, small, be).withBatchSize(7).evaluate(model, null, null, 5L);
    assertEquals(all, batched);
    List<String> keys = List.copyOf(all.keySet());
    int rare = keys.indexOf(MetricNames.KNOWLEDGE_RARE_ACCURACY);
    assertEquals(List.of(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY, MetricNames.KNOWLEDGE_HELDOUT_ACCURACY),
        keys.subList(rare + 1, rare + 3));
    assertFalse(new Evaluator(World.defaults(), EvaluationSet.draw(World.defaults(), 24, 1, 1f, 0,
        new RandomStreams(8)), be).evaluate(model, null, null, 5L).containsKey(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY));
  }

  @Test
  void theOtherEvaluationPromptsAskAboutAHeldOutEntityOnlyInADocumentThatStatesTheAnswer() {
    int asked = 0;
    for (Prompt p : EvaluationSet.draw(WORLD, 5000, 1, 1f, 0, new RandomStreams(8)).prompts()) {
      if (p.entity() >= 0 && WORLD.facts().isHeldOut(p.entity())) {
        asked++;
        int[] t = p.tokens();
        boolean stated = false;
        for (int j = 2; j + 2 < t.length - 4; j += 3) {
          stated |= V.indexInGroup(t[j]) == p.entity() && V.indexInGroup(t[j + 1]) == p.attribute()
              && V.indexInGroup(t[j + 2]) == p.answer();
        }
        assertTrue(stated, V.format(t));
      }
    }
    assertTrue(asked > 50, "documents do ask about held-out entities: " + asked);
  }

  @Test
  void probeIAsksFactIModTheFactsInTheFewestRounds() {
    int a = WORLD.facts().attributes(), facts = 4 * a, t = WORLD.facts().trainableEntities();
    for (int atLeast : new int[] {0, 1, facts, facts + 1, 3 * facts - 1}) {
      List<InContextRecall.Probe> probes = InContextRecall.draw(WORLD, atLeast, new SplittableRandom(1));
      int rounds = Math.max(1, (atLeast + facts - 1) / facts);
      assertEquals(rounds * facts, probes.size(), "at least " + atLeast);
      for (int i = 0; i < probes.size(); i++) {
        int f = i % facts;
        assertEquals(t + f / a, probes.get(i).stated().entity(), "probe " + i);
        assertEquals(f % a, probes.get(i).stated().attribute(), "probe " + i);
        assertEquals(t + f / a, probes.get(i).bare().entity(), "probe " + i);
      }
    }
  }

  @Test
  void eachProbeIsCompletedFromItsNamedStreamInBatchesOfAtMostTheBatchSize() {
    List<InContextRecall.Probe> probes = InContextRecall.draw(WORLD, 10, new SplittableRandom(2));
    for (int batch : new int[] {1, 5, 7, 1000}) {
      List<Integer> sizes = new java.util.ArrayList<>();
      List<Long> draws = new java.util.ArrayList<>();
      InContextRecall.measure(WORLD, probes, (prompts, rngs) -> {
        sizes.add(prompts.size());
        for (SplittableRandom r : rngs) draws.add(r.nextLong());
        return prompts;
      }, 9L, batch);
      int n = probes.size();
      assertEquals(2 * ((n + batch - 1) / batch), sizes.size(), "batch " + batch);
      for (int size : sizes) assertTrue(size <= batch && size > 0, "batch " + batch + ": " + sizes);
      for (int i = 0; i < n; i++) {
        assertEquals(RandomStreams.child(9L, "recall/" + i + "/stated").nextLong(), draws.get(i));
        assertEquals(RandomStreams.child(9L, "recall/" + i + "/bare").nextLong(), draws.get(n + i));
      }
    }
    assertTrue(InContextRecall.measure(WORLD, List.of(), (p, r) -> p, 9L, 4).isEmpty());
    assertThrows(IllegalStateException.class,
        () -> InContextRecall.measure(WORLD, probes, (p, r) -> p.subList(1, p.size()), 9L, 4));
  }
}
