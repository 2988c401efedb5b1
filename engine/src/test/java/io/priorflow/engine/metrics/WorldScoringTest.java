package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Trait;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scoring half of the evaluator, checked on the world's own samples, whose trait prevalences, accuracy and
 * utility are known exactly: each measured share must lie within 4 binomial standard errors of the truth. About
 * ten comparisons at 4 SE: a false alarm has odds near 1 in 1,500, and the draws are seeded, so a pass is stable.
 */
class WorldScoringTest {

  private static final int N = 40_000;

  @Test
  void scoringTheWorldItselfRecoversItsTruePrevalences() {
    World world = World.defaults();
    // "the model" is the world: its own response to each evaluation prompt
    RandomStreams streams = new RandomStreams(8);
    EvaluationSet set = EvaluationSet.draw(world, N, 1, 1f, 0, streams);
    SplittableRandom rng = streams.forItem("metrics/world-scoring");
    List<Example> examples = new ArrayList<>(N);
    for (var prompt : set.prompts()) {
      examples.add(world.sampleResponse(prompt, rng));
    }
    Map<String, Double> m = new Evaluator(world, set, new ReferenceBackend())
        .scoreResponses(SampledResponses.ofExamples(examples));
    for (Trait t : world.traits().all()) {
      assertBinomial(world.truePrevalence(t), m.get(t.metricName()), N, t.metricName());
    }
    long questions = examples.stream().filter(e -> world.oracle().score(e.sequence()).question()).count();
    assertBinomial(world.trueKnowledgeAccuracy(), m.get(MetricNames.KNOWLEDGE_ACCURACY), questions,
        MetricNames.KNOWLEDGE_ACCURACY);
    double sd = 0;
    for (Example e : examples) {
      double u = world.oracle().score(e.sequence()).utility() - world.trueUtility();
      sd += u * u;
    }
    sd = Math.sqrt(sd / N);
    double gold = m.get(MetricNames.REWARD_GOLD);
    assertTrue(Math.abs(gold - world.trueUtility()) <= 4 * sd / Math.sqrt(N),
        "reward.gold " + gold + " vs exact " + world.trueUtility());
    // the world's responses are varied: many tokens, many bigrams
    assertTrue(m.get(MetricNames.DIVERSITY_ENTROPY) > 2.0, "entropy " + m.get(MetricNames.DIVERSITY_ENTROPY));
    assertTrue(m.get(MetricNames.DIVERSITY_DISTINCT2) > 0.0);
    // every response of the world is well formed, so the well-formed diversity is the diversity
    assertEquals(1.0, m.get(MetricNames.DIVERSITY_WELLFORMED));
    assertEquals(m.get(MetricNames.DIVERSITY_DISTINCT2), m.get(MetricNames.DIVERSITY_DISTINCT2_WELLFORMED));
  }

  @Test
  void wellFormednessTellsCollapseFromNoise() {
    World world = World.defaults();
    RandomStreams streams = new RandomStreams(3);
    EvaluationSet set = EvaluationSet.draw(world, 2_000, 1, 1f, 0, streams);
    SplittableRandom rng = streams.forItem("metrics/noise");
    List<Example> world1 = new ArrayList<>(), noise = new ArrayList<>(), collapsed = new ArrayList<>();
    int vocab = world.vocabulary().size();
    for (var prompt : set.prompts()) {
      Example e = world.sampleResponse(prompt, rng);
      world1.add(e);
      int[] junk = new int[e.response().length]; // as long as the world's, every token uniform over the vocabulary
      for (int i = 0; i < junk.length; i++) junk[i] = 4 + rng.nextInt(vocab - 4);
      noise.add(new Example(prompt, junk, e.mode(), e.opening()));
    }
    // collapse: every response to a prompt of a kind is the first well-formed one of that kind
    java.util.Map<io.priorflow.engine.world.PromptKind, int[]> first = new java.util.EnumMap<>(
        io.priorflow.engine.world.PromptKind.class);
    for (Example e : world1) first.putIfAbsent(e.prompt().kind(), e.response());
    for (Example e : world1) collapsed.add(new Example(e.prompt(), first.get(e.prompt().kind()), e.mode(), e.opening()));
    Evaluator ev = new Evaluator(world, set, new ReferenceBackend());
    Map<String, Double> w = ev.scoreResponses(SampledResponses.ofExamples(world1));
    Map<String, Double> n = ev.scoreResponses(SampledResponses.ofExamples(noise));
    Map<String, Double> c = ev.scoreResponses(SampledResponses.ofExamples(collapsed));
    // noise: distinct2 rises above the world's, but almost nothing is well formed
    assertTrue(n.get(MetricNames.DIVERSITY_DISTINCT2) > w.get(MetricNames.DIVERSITY_DISTINCT2), n + " vs " + w);
    assertTrue(n.get(MetricNames.DIVERSITY_WELLFORMED) < 0.01, n.toString());
    // collapse: all well formed, and the well-formed diversity falls far below the world's
    assertEquals(1.0, c.get(MetricNames.DIVERSITY_WELLFORMED));
    assertTrue(c.get(MetricNames.DIVERSITY_DISTINCT2_WELLFORMED) < 0.1 * w.get(MetricNames.DIVERSITY_DISTINCT2_WELLFORMED),
        c + " vs " + w);
  }

  private static void assertBinomial(double exact, double measured, long n, String what) {
    double se = Math.sqrt(exact * (1 - exact) / n);
    if (se == 0) {
      assertEquals(exact, measured, 0.0, what);
    } else {
      assertTrue(Math.abs(measured - exact) <= 4 * se,
          what + ": measured " + measured + ", exact " + exact + ", z = " + (measured - exact) / se);
    }
  }
}
