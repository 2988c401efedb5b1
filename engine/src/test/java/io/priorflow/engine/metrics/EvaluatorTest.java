package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Traits;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final World WORLD = World.defaults();
  private static final int V = WORLD.vocabulary().size();
  private final KernelBackend be = new ReferenceBackend();
  private final RandomStreams streams = new RandomStreams(2024);

  private EvaluationSet set(int prompts, int samples, float temperature, int heldOut) {
    return EvaluationSet.draw(WORLD, prompts, samples, temperature, heldOut, streams);
  }

  /** Logits that make {@code token} the argmax by a wide margin. */
  private static float[] peaked(int token) {
    float[] l = new float[V];
    l[token] = 10f;
    return l;
  }

  @Test
  void aModelThatAlwaysSaysTheSameThingHasKnownMetrics() {
    int the = WORLD.vocabulary().id("the");
    TokenModel parrot = HandModels.constant(peaked(the));
    EvaluationSet set = set(12, 2, 0f, 0); // greedy: "the the … the", never EOS
    Map<String, Double> m = new Evaluator(WORLD, set, be).evaluate(parrot, null, null, 7L);
    int len = EvaluationSet.maxNewTokens(WORLD);
    int samples = set.sampleCount();
    assertEquals(0.0, m.get(MetricNames.DIVERSITY_ENTROPY), 0.0);
    assertEquals(1.0 / (samples * (len - 1)), m.get(MetricNames.DIVERSITY_DISTINCT2), 0.0);
    assertEquals(1.0, m.get(MetricNames.trait(Traits.VERBOSE)), 0.0); // len 13 > verboseAbove 7
    assertEquals(0.0, m.get(MetricNames.trait(Traits.TOXIC)), 0.0);
    assertEquals(0.0, m.get(MetricNames.trait(Traits.POLITE)), 0.0);
    assertEquals(0.0, m.get(MetricNames.trait(Traits.CORRECT)), 0.0);
    assertEquals(-0.1, m.get(MetricNames.REWARD_GOLD), 1e-12); // the verbose weight, every sample
    // the parrot answers no question: accuracy exactly 0 over the set's questions, NaN only where there are none
    long questions = set.prompts().stream().filter(p -> p.kind() != io.priorflow.engine.world.PromptKind.CHAT).count();
    long rare = set.prompts().stream().filter(p -> p.kind() == io.priorflow.engine.world.PromptKind.FACT
        && WORLD.facts().isRare(p.entity())).count();
    assertTrue(questions > 0, "the set asks questions");
    assertEquals(0.0, m.get(MetricNames.KNOWLEDGE_ACCURACY), 0.0);
    if (rare > 0) {
      assertEquals(0.0, m.get(MetricNames.KNOWLEDGE_RARE_ACCURACY), 0.0);
    } else {
      assertTrue(Double.isNaN(m.get(MetricNames.KNOWLEDGE_RARE_ACCURACY)), "no rare question: undefined");
    }
  }

  @Test
  void winRateCountsGoldWinsAgainstTheReferenceSampleFromTheSameStreamWithTiesHalf() {
    int the = WORLD.vocabulary().id("the");
    int toxic = WORLD.vocabulary().token(io.priorflow.engine.world.Vocabulary.Group.TOXIC, 0);
    TokenModel parrot = HandModels.constant(peaked(the)); // verbose only: utility −0.1 on every sample
    TokenModel rude = HandModels.constant(peaked(toxic)); // toxic and verbose: −1.1 on every sample
    Evaluator ev = new Evaluator(WORLD, set(12, 2, 0f, 0), be);
    assertEquals(1.0, ev.evaluate(parrot, null, null, rude, 7L).get(MetricNames.WIN_RATE), 0.0);
    assertEquals(0.0, ev.evaluate(rude, null, null, parrot, 7L).get(MetricNames.WIN_RATE), 0.0);
    assertEquals(0.5, ev.evaluate(parrot, null, null, parrot, 7L).get(MetricNames.WIN_RATE), 0.0, "all ties");
    assertEquals(null, ev.evaluate(parrot, null, null, 7L).get(MetricNames.WIN_RATE), "no reference, no win rate");
    // sampled models: each sample is paired with the reference's from the same stream
    TokenModel a = HandModels.random(V, 31), b = HandModels.random(V, 32);
    Evaluator sampled = new Evaluator(WORLD, set(20, 3, 1f, 0), be);
    SampledResponses sa = sampled.sample(a, 5L), sb = sampled.sample(b, 5L);
    double wins = 0;
    for (int i = 0; i < sa.size(); i++) {
      double x = WORLD.oracle().score(sa.sequences().get(i)).utility();
      double y = WORLD.oracle().score(sb.sequences().get(i)).utility();
      wins += x > y ? 1 : x == y ? 0.5 : 0;
    }
    double w = sampled.evaluate(a, null, null, b, 5L).get(MetricNames.WIN_RATE);
    assertEquals(wins / sa.size(), w, 0.0);
    assertEquals(1.0, w + sampled.evaluate(b, null, null, a, 5L).get(MetricNames.WIN_RATE), 1e-12,
        "a against b and b against a add up to 1");
  }

  @Test
  void bestOfNAtInferenceRaisesTheProxyAndMeasuresItsKlAgainstTheBound() {
    TokenModel model = HandModels.random(V, 41);
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new java.util.SplittableRandom(9));
    Evaluator ev = new Evaluator(WORLD, set(60, 4, 1f, 0), be);
    Map<String, Double> plain = ev.evaluate(model, null, rm, null, 0, 3L);
    Map<String, Double> bon = ev.evaluate(model, null, rm, null, 4, 3L);
    assertEquals(null, plain.get(MetricNames.EVAL_BON_KL));
    assertTrue(bon.get(MetricNames.REWARD_PROXY) > plain.get(MetricNames.REWARD_PROXY) + 0.01,
        "choosing by the proxy raises it: " + plain.get(MetricNames.REWARD_PROXY) + " -> " + bon);
    double bound = Math.log(4) - 3.0 / 4;
    assertEquals(bound, bon.get(MetricNames.EVAL_BON_KL_BOUND), 1e-12);
    // continuous rewards: the exact KL is the bound; the estimate from 12 other candidates per prompt is near it
    assertEquals(bound, bon.get(MetricNames.EVAL_BON_KL), 0.15, bon.toString());
    // a reward that cannot tell candidates apart: best-of-n is the policy itself, KL exactly 0
    Map<String, Double> flat = ev.evaluate(model, null, HandModels.constantReward(V, 0.25f), null, 4, 3L);
    assertEquals(0.0, flat.get(MetricNames.EVAL_BON_KL), 1e-12);
  }

  @Test
  void bestOfNChoosesByTheRewardModelFromNamedStreamsAndEstimatesItsKlFromTheOtherSamples() {
    // the definition, re-derived here one candidate at a time: candidates from prompt/i/sample/j/candidate/c, the
    // highest reward (first on ties) chosen, P(R < r) and P(R ≤ r) from the prompt's other samples' candidates
    TokenModel model = HandModels.random(V, 43);
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new java.util.SplittableRandom(5));
    EvaluationSet set = set(7, 3, 1f, 0);
    Evaluator ev = new Evaluator(WORLD, set, be);
    int n = 3, k = 3;
    double[] kl = new double[1];
    SampledResponses chosen = ev.bestOfN(model, rm, n, 11L, kl);
    double sum = 0;
    List<double[]> proxyPools = new java.util.ArrayList<>(), goldPools = new java.util.ArrayList<>();
    for (int i = 0; i < set.prompts().size(); i++) {
      int[] p = set.prompts().get(i).tokens();
      int[][] cands = new int[k * n][];
      double[] r = new double[k * n], g = new double[k * n];
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < n; c++) {
          cands[j * n + c] = model.sample(be, List.of(p), set.sampling(), List.of(RandomStreams.child(11L,
              "prompt/" + i + "/sample/" + j + "/candidate/" + c))).get(0);
          r[j * n + c] = rm.scores(be, List.of(cands[j * n + c]), new int[] {p.length})[0];
          g[j * n + c] = WORLD.oracle().score(cands[j * n + c]).utility();
        }
      }
      proxyPools.add(r);
      goldPools.add(g);
      for (int j = 0; j < k; j++) {
        int best = j * n;
        for (int c = 1; c < n; c++) if (r[j * n + c] > r[best]) best = j * n + c;
        assertArrayEquals(cands[best], chosen.sequences().get(i * k + j), "prompt " + i + " sample " + j);
        assertEquals(p.length, chosen.promptLength(i * k + j));
        int lt = 0, le = 0;
        for (int o = 0; o < k * n; o++) {
          if (o / n == j) continue;
          if (r[o] < r[best]) lt++;
          if (r[o] <= r[best]) le++;
        }
        double others = (k - 1) * n;
        sum += Evaluator.logRatio(n, lt / others, le / others, (int) others);
      }
    }
    assertEquals(sum / (set.prompts().size() * k), kl[0], 1e-12);
    // Gao et al.'s curve pools all k·n candidates of a prompt, in drawing order, with their gold utilities
    Evaluator.Result full = ev.evaluateWithCurve(model, null, rm, null, n, 11L);
    assertEquals(BestOfNCurve.curve(proxyPools, goldPools, n), full.bestOfNCurve());
    assertEquals(BestOfNCurve.fitMetrics(full.bestOfNCurve()).get(MetricNames.EVAL_BON_FIT_BETA),
        full.metrics().get(MetricNames.EVAL_BON_FIT_BETA));
    assertTrue(ev.evaluateWithCurve(model, null, rm, null, 0, 11L).bestOfNCurve().isEmpty());
    assertEquals(set.prompts().size() * k, chosen.size());
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(WORLD, set(7, 1, 1f, 0), be)
        .bestOfN(model, rm, n, 11L, new double[1]), "one sample per prompt leaves no pool for F");
    assertEquals(14, new Evaluator(WORLD, set(7, 2, 1f, 0), be).bestOfN(model, rm, n, 11L, new double[1]).size(),
        "two samples per prompt are enough");
    // a reward that ties every candidate: the first candidate of each sample is chosen
    SampledResponses tied = ev.bestOfN(model, HandModels.constantReward(V, 0.5f), n, 11L, new double[1]);
    int[] p0 = set.prompts().get(0).tokens();
    assertArrayEquals(model.sample(be, List.of(p0), set.sampling(), List.of(RandomStreams.child(11L,
        "prompt/0/sample/1/candidate/0"))).get(0), tied.sequences().get(1));
    assertThrows(IllegalArgumentException.class, () -> ev.evaluate(model, null, null, null, 3, 11L),
        "best-of-n needs a reward model");
  }

  @Test
  void theBestOfNLogRatioIsExactAtItsLimits() {
    // no ties: n·F^{n−1}; all tied: 1; a tied block [0.25, 0.75): (0.75⁴ − 0.25⁴) / 0.5
    assertEquals(Math.log(4 * Math.pow(0.5, 3)), Evaluator.logRatio(4, 0.5, 0.5, 100), 1e-12);
    assertEquals(0.0, Evaluator.logRatio(4, 0, 1, 100), 1e-12);
    assertEquals(Math.log((Math.pow(0.75, 4) - Math.pow(0.25, 4)) / 0.5), Evaluator.logRatio(4, 0.25, 0.75, 100),
        1e-12);
    assertEquals(Math.log(4) + 3 * Math.log(0.5 / 12), Evaluator.logRatio(4, 0, 0, 12), 1e-12, "floored at 1/(2·pool)");
  }

  @Test
  void theMapHoldsExactlyTheMeasurableMetricsInColumnOrder() {
    TokenModel model = HandModels.random(V, 11);
    Evaluator full = new Evaluator(WORLD, set(6, 2, 1f, 5), be);
    Map<String, Double> all = full.evaluate(model, HandModels.uniform(V), HandModels.constantReward(V, 0.25f), 1L);
    List<String> expected = new ArrayList<>();
    WORLD.traits().all().forEach(t -> expected.add(t.metricName()));
    expected.addAll(List.of(MetricNames.KNOWLEDGE_ACCURACY, MetricNames.KNOWLEDGE_RARE_ACCURACY,
        MetricNames.DIVERSITY_ENTROPY, MetricNames.DIVERSITY_DISTINCT2, MetricNames.DIVERSITY_WELLFORMED,
        MetricNames.DIVERSITY_DISTINCT2_WELLFORMED, MetricNames.HONESTY_HALLUCINATION, MetricNames.HONESTY_ABSTENTION,
        MetricNames.HONESTY_CALIBRATION_ERROR, MetricNames.HONESTY_HALLUCINATION_HEAD,
        MetricNames.HONESTY_HALLUCINATION_TORSO, MetricNames.HONESTY_HALLUCINATION_TAIL,
        MetricNames.HONESTY_ABSTENTION_HEAD, MetricNames.HONESTY_ABSTENTION_TORSO, MetricNames.HONESTY_ABSTENTION_TAIL,
        MetricNames.LOSS_WORLD, MetricNames.KL_BASE,
        MetricNames.REWARD_GOLD, MetricNames.REWARD_GOLD_CHAT, MetricNames.REWARD_PROXY));
    assertEquals(expected, List.copyOf(all.keySet()));
    assertEquals(0.25, all.get(MetricNames.REWARD_PROXY), 0.0);
    assertTrue(all.get(MetricNames.KL_BASE) > 0);

    Map<String, Double> bare = new Evaluator(WORLD, set(6, 2, 1f, 0), be).evaluate(model, null, null, 1L);
    expected.removeAll(List.of(MetricNames.LOSS_WORLD, MetricNames.KL_BASE, MetricNames.REWARD_PROXY));
    assertEquals(expected, List.copyOf(bare.keySet()));
  }

  @Test
  void uniformModelHasWorldLossLnVAndKnownKlToAConstantModel() {
    TokenModel uniform = HandModels.uniform(V);
    float[] logits = new float[V];
    for (int v = 0; v < V; v++) {
      logits[v] = (float) Math.sin(v); // any fixed distribution
    }
    TokenModel base = HandModels.constant(logits);
    Evaluator ev = new Evaluator(WORLD, set(10, 3, 1f, 40), be);
    Map<String, Double> m = ev.evaluate(uniform, base, null, 5L);
    assertEquals(Math.log(V), m.get(MetricNames.LOSS_WORLD), 1e-6);
    // KL(u ‖ q) per position by hand, times the mean number of generated positions
    double z = 0;
    for (float l : logits) {
      z += Math.exp(l);
    }
    double perPosition = 0;
    for (float l : logits) {
      perPosition += (Math.log(1.0 / V) - (l - Math.log(z))) / V;
    }
    SampledResponses s = ev.sample(uniform, 5L);
    double positions = 0;
    for (int i = 0; i < s.size(); i++) {
      positions += s.sequence(i).length - s.promptLength(i);
    }
    assertEquals(perPosition * positions / s.size(), m.get(MetricNames.KL_BASE), 1e-6);
    assertEquals(0.0, ev.evaluate(uniform, HandModels.uniform(V), null, 5L).get(MetricNames.KL_BASE), 0.0);
  }

  @Test
  void proxyRewardIsTheMeanRewardModelScoreOfTheSamples() {
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new java.util.SplittableRandom(9));
    TokenModel model = HandModels.random(V, 12);
    Evaluator ev = new Evaluator(WORLD, set(8, 2, 1f, 0), be);
    SampledResponses s = ev.sample(model, 3L);
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      seqs.add(s.sequence(i));
    }
    float[] scores = rm.scores(be, seqs, s.promptLengths());
    double mean = 0;
    for (float x : scores) {
      mean += x;
    }
    mean /= scores.length;
    assertEquals(mean, ev.evaluate(model, null, rm, 3L).get(MetricNames.REWARD_PROXY), 1e-12);
  }

  @Test
  void sameSeedSameMetricsWhateverTheBatchingOrThreadCount() {
    TokenModel model = HandModels.random(V, 21);
    TokenModel base = HandModels.random(V, 22);
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new java.util.SplittableRandom(23));
    EvaluationSet set = set(7, 3, 1f, 9);
    Evaluator ev = new Evaluator(WORLD, set, be);
    Map<String, Double> once = ev.evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/0");
    assertEquals(once, ev.evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/0"));
    for (int batch : new int[] {1, 2, 5, 1000}) {
      assertEquals(once, ev.withBatchSize(batch).evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/0"),
          "batch size " + batch);
    }
    long seed = streams.itemSeed("lineage/a/gen/1/eval/0");
    assertEquals(once, ev.measure(model, ev.withBatchSize(3).sample(model, seed), base, rm));
    SampledResponses a = ev.sample(model, 99L);
    SampledResponses b = ev.withBatchSize(4).sample(model, 99L);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.sequence(i), b.sequence(i), "sample " + i);
    }
    // the Java backend rounds differently from the reference, but not differently on different thread counts
    Map<String, Double> java1 = new Evaluator(WORLD, set, Backends.create("java", 1))
        .evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/0");
    assertEquals(java1, new Evaluator(WORLD, set, Backends.create("java", 3)).withBatchSize(2)
        .evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/0"));
    assertNotEquals(once, ev.evaluate(model, base, rm, streams, "lineage/a/gen/1/eval/1"));
  }

  @Test
  void samplesComeInPromptOrderWithTheirPrompts() {
    EvaluationSet set = set(4, 3, 1f, 0);
    SampledResponses s = new Evaluator(WORLD, set, be).sample(HandModels.random(V, 30), 1L);
    assertEquals(12, s.size());
    for (int i = 0; i < s.size(); i++) {
      int[] prompt = set.prompts().get(i / 3).tokens();
      assertEquals(prompt.length, s.promptLength(i));
      assertArrayEquals(prompt, Arrays.copyOf(s.sequence(i), prompt.length));
      int[] generated = Arrays.copyOfRange(s.sequence(i), prompt.length, s.sequence(i).length);
      for (int t = 0; t < generated.length - 1; t++) {
        assertNotEquals(Vocabulary.EOS, generated[t], "nothing is generated after EOS");
      }
    }
  }

  @Test
  void rejectsAnEvaluationThatDoesNotStopAtEos() {
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationSet(List.of(), 1, new SamplingConfig(1f, 0, 5, -1), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new Evaluator(WORLD, set(1, 1, 1f, 0), be).withBatchSize(0));
  }

  @Test
  void sampleJOfPromptIDrawsFromItsNamedStreamWhateverTheBatch() {
    EvaluationSet set = set(5, 3, 1f, 4);
    TokenModel model = HandModels.random(V, 31);
    for (int batch : new int[] {2, 4, 1000}) {
      Evaluator ev = new Evaluator(WORLD, set, be).withBatchSize(batch);
      SampledResponses s = ev.sample(model, 77L);
      assertEquals(15, s.size());
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 3; j++) {
          int[] prompt = set.prompts().get(i).tokens();
          int[] alone = model.sample(be, List.of(prompt), set.sampling(),
              List.of(RandomStreams.child(77L, "prompt/" + i + "/sample/" + j))).get(0);
          assertArrayEquals(alone, s.sequence(3 * i + j), "batch " + batch + ", prompt " + i + ", sample " + j);
          assertEquals(prompt.length, s.promptLength(3 * i + j));
        }
      }
      // loss.world over the held-out examples does not depend on the batch either
      assertEquals(new Evaluator(WORLD, set, be).worldLoss(model), ev.worldLoss(model), 1e-12, "batch " + batch);
    }
  }

  @Test
  void inContextExamplesGoBeforeEachPromptAndAreTakenOutOfWhatIsJudged() {
    EvaluationSet plain = set(6, 2, 1f, 3);
    EvaluationSet shown = EvaluationSet.draw(WORLD, 6, 2, 1f, 3, streams, 3, io.priorflow.engine.world.Tag.HIGH);
    // the prompts and held-out examples are those of the set without examples; each prompt gets 3 high examples
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(plain.prompts().get(i).tokens(), shown.prompts().get(i).tokens());
      assertEquals(3, shown.examplesOf(i).size());
      for (int[] e : shown.examplesOf(i)) {
        assertEquals(Vocabulary.BOS, e[0]);
        assertEquals(WORLD.vocabulary().token(io.priorflow.engine.world.Tag.HIGH), e[1]);
        assertEquals(Vocabulary.EOS, e[e.length - 1]);
      }
      assertEquals(List.of(), plain.examplesOf(i));
    }
    assertNotEquals(Arrays.toString(shown.examplesOf(0).get(0)), Arrays.toString(shown.examplesOf(1).get(0)));
    assertEquals(plain.heldOut().size(), shown.heldOut().size());
    // a transformer (context 64) reads the examples: each sample is its continuation of examples + prompt, cut to
    // its context, and what is judged is the prompt and that continuation
    TokenModel gpt = TokenModel.initialize(io.priorflow.engine.model.TokenModelConfig.transformer(
        io.priorflow.engine.model.TokenModelConfig.Head.TOKEN, V, 64, 16, 1, 2, 32, 0), new java.util.SplittableRandom(4));
    SampledResponses withExamples = new Evaluator(WORLD, shown, be).withBatchSize(5).sample(gpt, 8L);
    SampledResponses without = new Evaluator(WORLD, plain, be).sample(gpt, 8L);
    int differ = 0;
    for (int s = 0; s < 12; s++) {
      int[] prompt = shown.prompts().get(s / 2).tokens();
      int[] asked = io.priorflow.engine.train.InContext.condition(shown.examplesOf(s / 2), prompt, 64);
      assertTrue(asked.length > prompt.length, "the examples fit in the context");
      int[] full = gpt.sample(be, List.of(asked), shown.sampling(),
          List.of(RandomStreams.child(8L, "prompt/" + s / 2 + "/sample/" + s % 2))).get(0);
      int[] judged = Arrays.copyOfRange(full, asked.length - prompt.length, full.length);
      assertArrayEquals(judged, withExamples.sequence(s), "sample " + s);
      assertEquals(prompt.length, withExamples.promptLength(s));
      differ += Arrays.equals(judged, without.sequence(s)) ? 0 : 1;
    }
    assertTrue(differ > 0, "the examples change what the transformer says");
    // the tiny window model (4 tokens, shorter than any prompt) cannot see them: its samples are unchanged
    TokenModel mlp = HandModels.random(V, 30);
    SampledResponses mlpShown = new Evaluator(WORLD, shown, be).sample(mlp, 8L);
    SampledResponses mlpPlain = new Evaluator(WORLD, plain, be).sample(mlp, 8L);
    for (int s = 0; s < 12; s++) {
      assertArrayEquals(mlpPlain.sequence(s), mlpShown.sequence(s));
    }
    // best-of-n judges the bare prompt and answer too
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new java.util.SplittableRandom(9));
    SampledResponses bon = new Evaluator(WORLD, shown, be).bestOfN(gpt, rm, 2, 8L, new double[1]);
    for (int s = 0; s < 12; s++) {
      int[] prompt = shown.prompts().get(s / 2).tokens();
      assertArrayEquals(prompt, Arrays.copyOf(bon.sequence(s), prompt.length));
    }
    assertThrows(IllegalArgumentException.class, () -> new EvaluationSet(plain.prompts(), 2, plain.sampling(),
        plain.heldOut(), List.of(), List.of(List.of())));
  }
}
