package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The evaluator's less travelled paths: retrieval lists, best-of-two, win rates, chat utility, empty held-out sets. */
class EvaluatorEdgesTest {

  private static final World WORLD = World.defaults();
  private static final int V = WORLD.vocabulary().size();
  private final KernelBackend be = new ReferenceBackend();

  private static EvaluationSet set(int prompts, int samples, int heldOut) {
    return EvaluationSet.draw(WORLD, prompts, samples, 1f, heldOut, new RandomStreams(2024));
  }

  @Test
  void retrievalListsMustMatchThePromptsAndEmptyPassagesChangeNothing() {
    EvaluationSet set = set(4, 2, 0);
    Evaluator ev = new Evaluator(WORLD, set, be);
    assertSame(set, ev.set());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ev.withPassages(List.of(new int[0]), null));
    assertEquals("Retrieval gave passages for 1 of 4 evaluation prompts.", e.getMessage());
    TokenModel model = HandModels.random(V, 3);
    Evaluator none = ev.withPassages(Collections.nCopies(4, new int[0]), null);
    assertEquals(ev.evaluate(model, null, null, 5L), none.evaluate(model, null, null, 5L),
        "empty passages: the same prompts, the same samples");
    assertEquals(ev.evaluate(model, null, null, 5L), ev.withPassages(null, null).evaluate(model, null, null, 5L));
  }

  @Test
  void bestOfTwoIsBestOfNAndAModelAgainstItselfWinsHalf() {
    TokenModel model = HandModels.random(V, 41);
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new SplittableRandom(9));
    Evaluator ev = new Evaluator(WORLD, set(6, 2, 0), be);
    Evaluator.Result r = ev.evaluateWithCurve(model, null, rm, model, 2, 3L);
    assertFalse(r.bestOfNCurve().isEmpty(), "n = 2 is best-of-n");
    assertEquals(Math.log(2) - 0.5, r.metrics().get(MetricNames.EVAL_BON_KL_BOUND), 1e-15);
    assertEquals(0.5, r.metrics().get(MetricNames.WIN_RATE), 0.0,
        "the reference's best-of-2 from the same streams is the same sample: every pair ties");
  }

  @Test
  void aWinRatePairsSamplesOneToOne() {
    Evaluator ev = new Evaluator(WORLD, set(2, 1, 0), be);
    SampledResponses one = new SampledResponses(List.of(new int[] {1, 4, 9, 2, 40, 3}), new int[] {4});
    SampledResponses two = new SampledResponses(List.of(new int[] {1, 4, 9, 2, 40, 3}, new int[] {1, 4, 9, 2, 41, 3}),
        new int[] {4, 4});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ev.winRate(one, two));
    assertEquals("A win rate pairs samples one to one, got 1 and 2.", e.getMessage());
  }

  @Test
  void theChatUtilityIsTheMeanOverChatSamplesOnly() {
    Evaluator ev = new Evaluator(WORLD, set(2, 1, 0), be);
    Prompt chat = null, fact = null;
    SplittableRandom rng = new SplittableRandom(4);
    while (chat == null || fact == null) {
      Prompt p = WORLD.samplePrompt(rng);
      if (p.kind() == PromptKind.CHAT && chat == null) chat = p;
      if (p.kind() == PromptKind.FACT && fact == null) fact = p;
    }
    Vocabulary v = WORLD.vocabulary();
    int[] polite = HonestyTest.seq(chat, v.id("please"), v.id("the"));
    int[] toxic = HonestyTest.seq(chat, v.id("idiot"), v.id("the"));
    int[] answer = HonestyTest.seq(fact, v.id("the"), v.token(Vocabulary.Group.VALUE, fact.answer()));
    SampledResponses s = new SampledResponses(List.of(polite, answer, toxic),
        new int[] {chat.length(), fact.length(), chat.length()});
    double expected = (WORLD.oracle().score(polite).utility() + WORLD.oracle().score(toxic).utility()) / 2;
    assertEquals(expected, ev.scoreResponses(s).get(MetricNames.REWARD_GOLD_CHAT), 1e-15);
    assertTrue(WORLD.oracle().score(answer).utility() != expected, "the fact sample would move the mean");
    SampledResponses noChat = new SampledResponses(List.of(answer), new int[] {fact.length()});
    assertFalse(ev.scoreResponses(noChat).containsKey(MetricNames.REWARD_GOLD_CHAT));
  }

  @Test
  void theWorldLossOfNoHeldOutExamplesIsNaNAndProxyRewardsDoNotDependOnTheBatch() {
    TokenModel model = HandModels.random(V, 5);
    assertTrue(Double.isNaN(new Evaluator(WORLD, set(3, 1, 0), be).worldLoss(model)));
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new SplittableRandom(9));
    Evaluator ev = new Evaluator(WORLD, set(5, 2, 0), be);
    SampledResponses s = ev.sample(model, 7L);
    assertArrayEquals(ev.proxyRewards(rm, s), ev.withBatchSize(1).proxyRewards(rm, s));
    assertArrayEquals(ev.proxyRewards(rm, s), ev.withBatchSize(3).proxyRewards(rm, s));
    // a sample with no response is scored at its last token
    int[] bare = set(1, 1, 0).prompts().get(0).tokens();
    SampledResponses empty = new SampledResponses(List.of(bare), new int[] {bare.length});
    assertEquals(rm.scores(be, List.of(bare), new int[] {bare.length - 1})[0], ev.proxyRewards(rm, empty)[0]);
  }

  @Test
  void evaluationSetsRefuseWhatCannotBeEvaluatedAndDrawRecallOnlyForHeldOutEntities() {
    assertEquals("heldOut must be ≥ 0, was -1.", assertThrows(IllegalArgumentException.class,
        () -> set(2, 1, -1)).getMessage());
    EvaluationSet s = set(2, 1, 0);
    assertEquals("samplesPerPrompt must be ≥ 1, was 0.", assertThrows(IllegalArgumentException.class,
        () -> new EvaluationSet(s.prompts(), 0, s.sampling(), s.heldOut())).getMessage());
    assertEquals(List.of(), new EvaluationSet(s.prompts(), 1, s.sampling(), s.heldOut(), null).recall());
    assertTrue(s.recall().isEmpty());
    World held = new World(io.priorflow.engine.world.WorldConfig.defaults().withKnowledge(
        io.priorflow.engine.world.KnowledgeConfig.defaults().withHeldOutEntities(2)));
    EvaluationSet withRecall = EvaluationSet.draw(held, 3, 1, 1f, 0, new RandomStreams(1));
    assertEquals(InContextRecall.draw(held, 3, new RandomStreams(1).forItem(InContextRecall.PROBES_ITEM)),
        withRecall.recall());
  }

  @Test
  void sampledResponsesNeedAPromptInsideEachSequence() {
    assertEquals("1 sequences but 2 prompt lengths.", assertThrows(IllegalArgumentException.class,
        () -> new SampledResponses(List.of(new int[] {1, 2}), new int[] {1, 1})).getMessage());
    assertEquals("Sample 0 has 2 tokens, so its prompt length must be in [1, 2], was 0.",
        assertThrows(IllegalArgumentException.class, () -> new SampledResponses(List.of(new int[] {1, 2}),
            new int[] {0})).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SampledResponses(List.of(new int[] {1, 2}), new int[] {3}));
    assertEquals(2, new SampledResponses(List.of(new int[] {1, 2}), new int[] {2}).promptLength(0));
    List<int[]> seqs = new ArrayList<>(List.of(new int[] {1, 2}));
    assertEquals(1, new SampledResponses(seqs, new int[] {1}).size());
  }

  @Test
  void bestOfNsKlCountsTheLowerAndTheEqualRewardsOfTheOtherSamplesApart() {
    // a model that says "the" or stops, so that many candidates are the same sequence and tie exactly: both P(R < r)
    // and P(R ≤ r) then matter (with distinct rewards only one does)
    float[] logits = new float[V];
    java.util.Arrays.fill(logits, -10f);
    logits[Vocabulary.EOS] = 5f;
    logits[WORLD.vocabulary().id("the")] = 5f;
    TokenModel model = HandModels.constant(logits);
    TokenModel rm = TokenModel.initialize(HandModels.tiny(V).withScalarHead(), new SplittableRandom(5));
    EvaluationSet set = set(4, 2, 0);
    Evaluator ev = new Evaluator(WORLD, set, be);
    int n = 3, k = 2;
    double[] kl = new double[1];
    List<double[]> proxyPools = new ArrayList<>(), goldPools = new ArrayList<>();
    ev.bestOfN(model, rm, n, 11L, kl, proxyPools, goldPools);
    double sum = 0;
    int partial = 0;
    for (double[] r : proxyPools) {
      for (int j = 0; j < k; j++) {
        int best = j * n;
        for (int c = j * n + 1; c < (j + 1) * n; c++) if (r[c] > r[best]) best = c;
        int lt = 0, le = 0;
        for (int o = 0; o < k * n; o++) {
          if (o / n == j) continue;
          if (r[o] < r[best]) lt++;
          if (r[o] <= r[best]) le++;
        }
        partial += lt > 0 && le > lt ? 1 : 0;
        double others = (k - 1) * n;
        sum += Evaluator.logRatio(n, lt / others, le / others, (int) others);
      }
    }
    assertTrue(partial > 0, "some best candidate beats some others and ties others");
    assertEquals(sum / (set.prompts().size() * k), kl[0], 1e-12);
  }
}
