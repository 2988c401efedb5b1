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
