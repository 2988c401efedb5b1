package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.world.FactChange;
import io.priorflow.engine.world.FactTable;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** knowledge.current_accuracy and knowledge.stale_rate on hand-made answerers whose rates are known. */
class ChangedFactsTest {
  static final World WORLD = new World(WorldConfig.defaults().withKnowledge(WorldConfig.defaults().knowledge()
      .withChanges(List.of(new FactChange(0.25, 2, 2)))));

  /** Answers every probe with the value the fact had at generation {@code at}. */
  static InContextRecall.Completer answeringAsOf(World w, int at) {
    return (prompts, rngs) -> {
      List<int[]> out = new ArrayList<>();
      for (int[] p : prompts) {
        var parsed = w.parser().parse(p);
        int e = parsed.entity(), a = w.vocabulary().indexInGroup(p[p.length - 3]);
        int[] s = Arrays.copyOf(p, p.length + 3);
        s[p.length] = w.vocabulary().token(Vocabulary.Group.FILLER, 0);
        s[p.length + 1] = w.vocabulary().token(Vocabulary.Group.VALUE, w.facts().valueAt(e, a, at));
        s[p.length + 2] = Vocabulary.EOS;
        out.add(s);
      }
      return out;
    };
  }

  @Test
  void nothingIsMeasuredBeforeTheFirstChange() {
    assertTrue(ChangedFacts.probes(WORLD, 50).isEmpty());
    assertTrue(ChangedFacts.probes(WORLD.at(1), 50).isEmpty());
    assertEquals(Map.of(), ChangedFacts.measure(WORLD.at(1), List.of(), answeringAsOf(WORLD, 0), 1, 10));
  }

  @Test
  void everyChangedFactIsAskedEquallyOften() {
    World w = WORLD.at(2);
    var probes = ChangedFacts.probes(w, 50);
    int changed = (int) Math.round(0.25 * 72);
    assertEquals(((50 + changed - 1) / changed) * changed, probes.size());
    for (var p : probes) assertTrue(w.facts().version(p.entity(), p.attribute(), 2) > 0);
    assertEquals(probes.subList(0, changed), probes.subList(changed, 2 * changed));
  }

  @Test
  void aModelThatLearntTheNewValuesIsCurrentAndOneStuckAtTheBaseIsStale() {
    World w = WORLD.at(4);
    var probes = ChangedFacts.probes(w, 40);
    Map<String, Double> fresh = ChangedFacts.measure(w, probes, answeringAsOf(w, 4), 7, 16);
    assertEquals(1.0, fresh.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY));
    assertEquals(0.0, fresh.get(MetricNames.KNOWLEDGE_STALE_RATE));
    // stuck at the base: stale, except where a fact's value came back to its base value (then current)
    FactTable f = w.facts();
    long home = probes.stream().filter(p -> f.valueAt(p.entity(), p.attribute(), 0) == f.value(p.entity(),
        p.attribute())).count();
    assertTrue(home < probes.size() / 4, "few facts return home: " + home);
    Map<String, Double> stuck = ChangedFacts.measure(w, probes, answeringAsOf(w, 0), 7, 16);
    assertEquals(1 - home / (double) probes.size(), stuck.get(MetricNames.KNOWLEDGE_STALE_RATE), 1e-12);
    assertEquals(home / (double) probes.size(), stuck.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), 1e-12);
    // one version behind: stale as well, except where version 1's value came back at version 2
    long back = probes.stream().filter(p -> f.valueAt(p.entity(), p.attribute(), 2) == f.value(p.entity(),
        p.attribute())).count();
    Map<String, Double> behind = ChangedFacts.measure(w, probes, answeringAsOf(w, 2), 7, 5);
    assertEquals(back / (double) probes.size(), behind.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY), 1e-12);
    assertEquals(1 - back / (double) probes.size(), behind.get(MetricNames.KNOWLEDGE_STALE_RATE), 1e-12);
    for (String b : List.of("_head", "_torso", "_tail")) {
      assertEquals(1.0, fresh.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY + b), b);
      assertTrue(stuck.get(MetricNames.KNOWLEDGE_STALE_RATE + b) > 0.5, b);
    }
  }

  @Test
  void slicesOfTwoRatesAreMeasuredApartAsFastAndSlow() {
    // fast: a quarter of the facts, every generation from 1; slow: another quarter, every 4 from 2
    World two = new World(WorldConfig.defaults().withKnowledge(WorldConfig.defaults().knowledge()
        .withChanges(List.of(new FactChange(0.25, 1, 1), new FactChange(0.25, 4, 2)))));
    World g1 = two.at(1);
    Map<String, Double> early = ChangedFacts.measure(g1, ChangedFacts.probes(g1, 40), answeringAsOf(g1, 1), 7, 16);
    assertEquals(1.0, early.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST));
    assertTrue(early.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_SLOW).isNaN(), "the slow slice has not changed yet");
    // at generation 3 a model that learnt generation 2's values is current on the slow facts (they changed at 2
    // and next change at 6) and one version behind on the fast ones (changed again at 3)
    World g3 = two.at(3);
    var probes = ChangedFacts.probes(g3, 40);
    Map<String, Double> m = ChangedFacts.measure(g3, probes, answeringAsOf(g3, 2), 7, 16);
    FactTable f = g3.facts();
    long fast = 0, fastBack = 0;
    for (var p : probes) {
      if (f.sliceOf(p.entity(), p.attribute()) != 0) continue;
      fast++;
      if (f.valueAt(p.entity(), p.attribute(), 2) == f.value(p.entity(), p.attribute())) fastBack++;
    }
    assertEquals(1.0, m.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_SLOW));
    assertEquals(0.0, m.get(MetricNames.KNOWLEDGE_STALE_RATE_SLOW));
    assertEquals(fastBack / (double) fast, m.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST), 1e-12);
    assertEquals(1 - fastBack / (double) fast, m.get(MetricNames.KNOWLEDGE_STALE_RATE_FAST), 1e-12);
    assertTrue(fast > 0 && fast < probes.size(), "both slices asked");
    // one rate: no split
    assertTrue(ChangedFacts.measure(WORLD.at(2), ChangedFacts.probes(WORLD.at(2), 10), answeringAsOf(WORLD, 2), 7, 16)
        .keySet().stream().noneMatch(k -> k.endsWith("_fast") || k.endsWith("_slow")));
  }

  @Test
  void aValueTheFactNeverHadIsNeitherCurrentNorStale() {
    World w = WORLD.at(2);
    var probes = ChangedFacts.probes(w, 1);
    InContextRecall.Completer never = (prompts, rngs) -> {
      List<int[]> out = new ArrayList<>();
      for (int[] p : prompts) {
        int e = w.parser().parse(p).entity(), a = w.vocabulary().indexInGroup(p[p.length - 3]);
        int v = 0;
        while (v == w.facts().valueAt(e, a, 0) || v == w.facts().valueAt(e, a, 2)) v++;
        int[] s = Arrays.copyOf(p, p.length + 2);
        s[p.length] = w.vocabulary().token(Vocabulary.Group.VALUE, v);
        s[p.length + 1] = Vocabulary.EOS;
        out.add(s);
      }
      return out;
    };
    Map<String, Double> m = ChangedFacts.measure(w, probes, never, 1, 100);
    assertEquals(0.0, m.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY));
    assertEquals(0.0, m.get(MetricNames.KNOWLEDGE_STALE_RATE));
  }

  @Test
  void theEvaluatorMeasuresTheWorldOfItsGeneration() {
    var set = EvaluationSet.draw(WORLD, 30, 1, 1f, 0, new io.priorflow.engine.rng.RandomStreams(3));
    var be = io.priorflow.kernels.backend.Backends.create("reference", 1);
    var model = io.priorflow.engine.model.TokenModel.initialize(io.priorflow.engine.model.TokenModelConfig.defaults(
        WORLD.vocabulary().size(), Vocabulary.PAD), new java.util.SplittableRandom(1));
    assertTrue(new Evaluator(WORLD.at(1), set, be).changedFacts(model, 5).isEmpty(), "no change before 2");
    Map<String, Double> m = new Evaluator(WORLD.at(2), set, be).changedFacts(model, 5);
    assertEquals(List.of(MetricNames.KNOWLEDGE_CURRENT_ACCURACY, MetricNames.KNOWLEDGE_STALE_RATE,
        MetricNames.KNOWLEDGE_CURRENT_ACCURACY_HEAD, MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TORSO,
        MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TAIL, MetricNames.KNOWLEDGE_STALE_RATE_HEAD,
        MetricNames.KNOWLEDGE_STALE_RATE_TORSO, MetricNames.KNOWLEDGE_STALE_RATE_TAIL), List.copyOf(m.keySet()));
    assertEquals(m, new Evaluator(WORLD.at(2), set, be).withBatchSize(7).changedFacts(model, 5),
        "the same for any batch size");
    var all = new Evaluator(WORLD.at(2), set, be).evaluate(model, null, null, 5);
    assertEquals(m.get(MetricNames.KNOWLEDGE_STALE_RATE), all.get(MetricNames.KNOWLEDGE_STALE_RATE));
  }
}
