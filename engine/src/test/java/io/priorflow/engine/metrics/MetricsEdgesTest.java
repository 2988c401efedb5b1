package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.world.FactChange;
import io.priorflow.engine.world.FactTable;
import io.priorflow.engine.world.KnowledgeConfig;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.VocabularyConfig;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The honesty, changed-fact and fit metrics and the metric records at their edges: empty buckets, exact ties,
 * statements in a prompt, degenerate fits, and every check of a row, a table and a counter.
 */
class MetricsEdgesTest {

  private static final World WORLD = World.defaults();
  private static final Vocabulary V = WORLD.vocabulary();

  private static Prompt fact(World w, int entity, int attribute) {
    return w.recallProbe(Tag.HIGH, entity, attribute, -1, new SplittableRandom(0));
  }

  private static int value(World w, int v) {
    return w.vocabulary().token(Vocabulary.Group.VALUE, v);
  }

  // ---- honesty -----------------------------------------------------------------------------------------------------

  @Test
  void aBucketStartsWhereHalfAndNineTenthsOfThePopularityLieBefore() {
    // uniform popularity over 4 entities: 0, 0.25, 0.5, 0.75 before them
    FactTable f = new FactTable(new VocabularyConfig(4, 3, 8, 3, 3, 2, 12), new KnowledgeConfig(0, 0.5, 1, 9));
    assertEquals(List.of(Honesty.Bucket.HEAD, Honesty.Bucket.HEAD, Honesty.Bucket.TORSO, Honesty.Bucket.TORSO),
        List.of(Honesty.bucket(f, 0), Honesty.bucket(f, 1), Honesty.bucket(f, 2), Honesty.bucket(f, 3)));
  }

  @Test
  void aVerdictIsForAFactQuestionAndAMalformedAnswerIsNeither() {
    Prompt q = fact(WORLD, 0, 0);
    int[] malformed = HonestyTest.seq(q, value(WORLD, WORLD.facts().value(0, 0)));
    assertEquals(Honesty.Verdict.NEITHER, Honesty.verdict(WORLD, malformed, WORLD.parser().parse(malformed)));
    int[] chat = Arrays.stream("BOS tag_low chat the a SEP the EOS".split(" ")).mapToInt(V::id).toArray();
    assertThrows(IllegalArgumentException.class, () -> Honesty.verdict(WORLD, chat, WORLD.parser().parse(chat)));
  }

  @Test
  void calibrationBinsByTenthsAndAnswersOnlyAbstainingHaveNone() {
    Prompt q = fact(WORLD, 0, 0);
    int the = V.id("the"), idk = V.id("idk");
    int right = value(WORLD, WORLD.facts().value(0, 0)), wrong = value(WORLD, (WORLD.facts().value(0, 0) + 1) % 8);
    // 4 right at confidence 0.9 and 4 wrong at 0.1: each bin is off by 0.1; pooled they would agree
    List<int[]> seqs = new ArrayList<>();
    double[] conf = new double[8];
    for (int i = 0; i < 8; i++) {
      seqs.add(HonestyTest.seq(q, the, i < 4 ? right : wrong));
      conf[i] = i < 4 ? 0.9 : 0.1;
    }
    assertEquals(0.1, Honesty.metrics(WORLD, seqs, conf).get(MetricNames.HONESTY_CALIBRATION_ERROR), 1e-12);
    Map<String, Double> abstaining = Honesty.metrics(WORLD, List.of(HonestyTest.seq(q, the, idk)),
        new double[] {Double.NaN});
    assertTrue(abstaining.get(MetricNames.HONESTY_CALIBRATION_ERROR).isNaN(), "no answer, no calibration");
    assertEquals(1.0, abstaining.get(MetricNames.HONESTY_ABSTENTION));
    assertEquals(Map.of(), Honesty.metrics(WORLD, List.of(), new double[0]), "no fact question, no metric");
  }

  @Test
  void bucketsWithoutQuestionsAreNaNAndTheOthersCountTheirOwn() {
    // entity 0 is head; three answers about it: one wrong, one abstention, one right
    Prompt q = fact(WORLD, 0, 1);
    int the = V.id("the");
    int right = value(WORLD, WORLD.facts().value(0, 1)), wrong = value(WORLD, (WORLD.facts().value(0, 1) + 1) % 8);
    List<int[]> seqs = List.of(HonestyTest.seq(q, the, wrong), HonestyTest.seq(q, the, V.id("idk")),
        HonestyTest.seq(q, the, right));
    Map<String, Double> m = Honesty.metrics(WORLD, seqs, new double[] {0.5, Double.NaN, 0.5});
    assertEquals(1 / 3.0, m.get(MetricNames.HONESTY_HALLUCINATION + "_head"), 1e-15);
    assertEquals(1 / 3.0, m.get(MetricNames.HONESTY_ABSTENTION + "_head"), 1e-15);
    assertTrue(m.get(MetricNames.HONESTY_HALLUCINATION + "_torso").isNaN());
    assertTrue(m.get(MetricNames.HONESTY_ABSTENTION + "_tail").isNaN());
  }

  @Test
  void theMonofactRateCountsTrueStatementsInPromptsAndKeepsFactsOfOneAttributeApart() {
    // documents stating (ent01, color) and (ent02, color) truly, and (ent03, color) falsely; no answer states a fact
    int c1 = WORLD.facts().value(1, 0), c2 = WORLD.facts().value(2, 0), c3 = WORLD.facts().value(3, 0);
    String prompt = "BOS tag_high ent01 color val" + c1 + " ent02 color val" + c2 + " ent03 color val" + ((c3 + 1) % 8)
        + " what color ent01 SEP";
    int[] s = Arrays.stream((prompt + " the idk EOS").split(" ")).mapToInt(V::id).toArray();
    int promptLength = prompt.split(" ").length;
    Dataset d = Dataset.of("docs", "world", List.of(new Datum("d0", s, promptLength, Provenance.world(0))));
    // N = 2 true statements, each fact seen once: N₁ / N = 1
    assertEquals(1.0, Honesty.monofactRate(WORLD, d));
    Dataset twice = Dataset.of("docs2", "world", List.of(new Datum("d0", s, promptLength, Provenance.world(0)),
        new Datum("d1", s.clone(), promptLength, Provenance.world(0))));
    assertEquals(0.0, Honesty.monofactRate(WORLD, twice), "both facts seen twice");
    // right answers about (ent01, color) and (ent02, color): two facts, each once
    List<Datum> answers = new ArrayList<>();
    for (int e = 1; e <= 2; e++) {
      Prompt q = fact(WORLD, e, 0);
      answers.add(new Datum("a" + e, HonestyTest.seq(q, V.id("the"), value(WORLD, WORLD.facts().value(e, 0))),
          q.length(), Provenance.world(0)));
    }
    assertEquals(1.0, Honesty.monofactRate(WORLD, Dataset.of("answers", "world", answers)));
    // a statement in the response is not one in the prompt (and its value does not answer the question)
    assertNotEquals(c1, c2);
    int[] r = Arrays.stream(("BOS tag_high what color ent01 SEP ent02 color val" + c2 + " EOS").split(" "))
        .mapToInt(V::id).toArray();
    Dataset inResponse = Dataset.of("resp", "world", List.of(new Datum("r0", r, 6, Provenance.world(0))));
    assertTrue(Double.isNaN(Honesty.monofactRate(WORLD, inResponse)));
  }

  @Test
  void confidencesOfSamplesWithoutAValueAnswerAreAllNaN() {
    Prompt q = fact(WORLD, 0, 0);
    double[] c = Honesty.confidences(WORLD, HandModels.uniform(V.size()), new ReferenceBackend(),
        List.of(HonestyTest.seq(q, V.id("the"), V.id("idk"))));
    assertEquals(1, c.length);
    assertTrue(Double.isNaN(c[0]));
  }

  // ---- changed facts -----------------------------------------------------------------------------------------------

  private static final World CHANGING = new World(WorldConfig.defaults().withKnowledge(WorldConfig.defaults()
      .knowledge().withChanges(List.of(new FactChange(0.25, 1, 5), new FactChange(0.25, 4, 2)))));

  @Test
  void probesAreWholeRoundsOverTheChangedFactsAndListsMustMatch() {
    World w = CHANGING.at(2);
    int n = ChangedFacts.probes(w, 1).size();
    assertEquals(n, ChangedFacts.probes(w, n - 1).size(), "n − 1 probes asked: one round");
    assertEquals(2 * n, ChangedFacts.probes(w, n + 1).size());
    var probes = ChangedFacts.probes(w, 1);
    assertEquals("Retrieval gave passages for 1 of " + n + " changed-fact probes.",
        assertThrows(IllegalArgumentException.class, () -> ChangedFacts.measure(w, probes,
            ChangedFactsTest.answeringAsOf(w, 2), 1, 10, List.of(new int[0]))).getMessage());
    InContextRecall.Completer lazy = (prompts, rngs) -> prompts.subList(1, prompts.size());
    assertEquals("The model completed " + (n - 1) + " of " + n + " changed-fact probes.",
        assertThrows(IllegalStateException.class, () -> ChangedFacts.measure(w, probes, lazy, 1, 1000)).getMessage());
    assertEquals(List.of(), InContextRecall.draw(WORLD, 5, new SplittableRandom(1)), "no held-out entity, no probe");
    int[] noValue = Arrays.stream("BOS tag_high what color ent00 SEP the idk EOS".split(" ")).mapToInt(V::id)
        .toArray();
    assertEquals(-1, ChangedFacts.firstValue(WORLD, noValue));
  }

  @Test
  void eachBucketAndVelocityIsItsOwnShareAndNaNWithoutProbes() {
    // generation 3: the slow slice (every 4 from 2) has changed, the fast one (every 1 from 5) not yet
    World w = CHANGING.at(3);
    var probes = ChangedFacts.probes(w, 1);
    FactTable f = w.facts();
    Map<String, Double> stuck = ChangedFacts.measure(w, probes, ChangedFactsTest.answeringAsOf(w, 0), 7, 16);
    long[] asked = new long[3], stale = new long[3];
    for (var p : probes) {
      int b = Honesty.bucket(f, p.entity()).ordinal();
      asked[b]++;
      stale[b] += f.valueAt(p.entity(), p.attribute(), 0) != f.value(p.entity(), p.attribute()) ? 1 : 0;
    }
    String[] suffix = {"_head", "_torso", "_tail"};
    for (int b = 0; b < 3; b++) {
      Double got = stuck.get(MetricNames.KNOWLEDGE_STALE_RATE + suffix[b]);
      if (asked[b] == 0) {
        assertTrue(got.isNaN(), suffix[b]);
      } else {
        assertEquals(stale[b] / (double) asked[b], got, 1e-15, suffix[b]);
        assertEquals(1 - stale[b] / (double) asked[b], stuck.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY + suffix[b]),
            1e-15, suffix[b]);
      }
    }
    assertTrue(stuck.get(MetricNames.KNOWLEDGE_STALE_RATE_SLOW) > 0);
    assertEquals(stuck.get(MetricNames.KNOWLEDGE_STALE_RATE), stuck.get(MetricNames.KNOWLEDGE_STALE_RATE_SLOW),
        "every changed fact is slow");
    assertTrue(stuck.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST).isNaN(), "no fast fact has changed");
    assertTrue(stuck.get(MetricNames.KNOWLEDGE_STALE_RATE_FAST).isNaN());
    // only head entities asked: the other buckets have nothing to say
    var head = probes.stream().filter(p -> Honesty.bucket(f, p.entity()) == Honesty.Bucket.HEAD).toList();
    Map<String, Double> m = ChangedFacts.measure(w, head, ChangedFactsTest.answeringAsOf(w, 3), 7, 16);
    assertTrue(m.get(MetricNames.KNOWLEDGE_CURRENT_ACCURACY + "_tail").isNaN());
    assertTrue(m.get(MetricNames.KNOWLEDGE_STALE_RATE + "_torso").isNaN());
  }

  // ---- fits --------------------------------------------------------------------------------------------------------

  @Test
  void fitsRecoverExactCurvesEvenAtSmallScalesAndRefuseDegenerateOnes() {
    // R = 2d − 3d² at d = 1e-3, 2e-3, 3e-3 (three points, tiny values): α = 2, β = 3
    double[] d = {1e-3, 2e-3, 3e-3}, r = new double[3];
    for (int i = 0; i < 3; i++) r[i] = 2 * d[i] - 3 * d[i] * d[i];
    OveroptimisationFit.Fit f = OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, d, r);
    assertEquals(2, f.alpha(), 1e-6);
    assertEquals(3, f.beta(), 1e-3);
    assertEquals(1, f.r2(), 1e-9);
    assertTrue(Double.isNaN(OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, new double[] {1, 2},
        new double[] {1, 1}).alpha()), "two points");
    assertEquals("d and R need one value per point, got 2 and 1", assertThrows(IllegalArgumentException.class,
        () -> OveroptimisationFit.fit(OveroptimisationFit.Form.RL, new double[] {1, 2}, new double[] {1}))
        .getMessage());
    // points that barely differ cannot tell α from β
    assertTrue(Double.isNaN(OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N,
        new double[] {1, 1 + 1e-9, 1 + 2e-9}, new double[] {1, 2, 3}).alpha()));
    // a constant gain has no variance to explain
    assertTrue(Double.isNaN(OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, new double[] {1, 2, 3},
        new double[] {1, 1, 1}).r2()));
    assertTrue(Double.isNaN(new OveroptimisationFit.Fit(OveroptimisationFit.Form.BEST_OF_N, 1, 0, 1, 3).peak()),
        "β = 0: no peak");
  }

  @Test
  void rSquaredIsOneMinusTheResidualOverTheTotalSumOfSquares() {
    double[] d = {1, 2, 3, 4}, g = {1, 1.6, 1.1, 0.3};
    OveroptimisationFit.Fit f = OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, d, g);
    double mean = (1 + 1.6 + 1.1 + 0.3) / 4, res = 0, tot = 0;
    for (int i = 0; i < 4; i++) {
      res += (g[i] - f.at(d[i])) * (g[i] - f.at(d[i]));
      tot += (g[i] - mean) * (g[i] - mean);
    }
    assertEquals(1 - res / tot, f.r2(), 1e-12);
    assertTrue(f.r2() > 0 && f.r2() < 1);
    List<io.priorflow.engine.train.RlhfStep> three = List.of(step(0, 0, 0.1), step(1, 0.25, 0.3), step(2, 1, 0.2));
    assertEquals(4, OveroptimisationFit.rlhfMetrics(three).size(), "three steps are enough to fit");
  }

  private static io.priorflow.engine.train.RlhfStep step(int s, double kl, double gold) {
    return new io.priorflow.engine.train.RlhfStep(s, 0, gold, kl, 0, "rloo");
  }

  @Test
  void aBestOfNCurveAveragesItsPromptsWhateverTheirPoolSizes() {
    double[] p1 = {0.1, 0.7, 0.4, 0.2}, g1 = {1, 0, 2, 3}, p2 = {0.5, 0.3, 0.9, 0.8, 0.1, 0.6}, g2 = {2, 1, 0, 1, 3, 2};
    List<BestOfNCurve.Point> both = BestOfNCurve.curve(List.of(p1, p2), List.of(g1, g2), 2);
    List<BestOfNCurve.Point> one = BestOfNCurve.curve(List.of(p1), List.of(g1), 2);
    List<BestOfNCurve.Point> two = BestOfNCurve.curve(List.of(p2), List.of(g2), 2);
    for (int s = 0; s < both.size(); s++) {
      assertEquals((one.get(s).proxyReward() + two.get(s).proxyReward()) / 2, both.get(s).proxyReward(), 1e-15);
      assertEquals((one.get(s).goldReward() + two.get(s).goldReward()) / 2, both.get(s).goldReward(), 1e-15);
    }
    assertThrows(IllegalArgumentException.class, () -> BestOfNCurve.curve(List.of(), List.of(), 2));
    assertThrows(IllegalArgumentException.class, () -> BestOfNCurve.curve(List.of(p1), List.of(g1, g2), 2));
    assertEquals("Prompt 0 has 4 proxy and 6 gold values.", assertThrows(IllegalArgumentException.class,
        () -> BestOfNCurve.curve(List.of(p1), List.of(g2), 2)).getMessage());
  }

  // ---- records -----------------------------------------------------------------------------------------------------

  @Test
  void labelCountersAreFiniteAndNotNegative() {
    new LabelCounters(0, 0, 0, 0);
    for (double[] bad : new double[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, -0.5, 0}, {0, 0, 0, -0.5},
        {0, 0, Double.NaN, 0}, {0, 0, 0, Double.NaN}, {0, 0, Double.POSITIVE_INFINITY, 0},
        {0, 0, 0, Double.POSITIVE_INFINITY}}) {
      assertThrows(IllegalArgumentException.class,
          () -> new LabelCounters((long) bad[0], (long) bad[1], bad[2], bad[3]), Arrays.toString(bad));
    }
  }

  @Test
  void aMetricsRowNeedsALineageCountsFromZeroAndNamedValues() {
    TreeMap<String, String> none = new TreeMap<>();
    assertThrows(IllegalArgumentException.class, () -> new MetricsRow(null, 0, "", 0, none, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new MetricsRow("", 0, "", 0, none, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new MetricsRow("L", -1, "", 0, none, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new MetricsRow("L", 0, "", -1, none, Map.of()));
    new MetricsRow("L", 0, "", 0, none, Map.of());
    for (Map<String, String> p : List.of(Map.of("", "x"), Map.of("a", ""))) {
      assertThrows(IllegalArgumentException.class, () -> new MetricsRow("L", 0, "", 0, new TreeMap<>(p), Map.of()));
    }
    TreeMap<String, String> nullValue = new TreeMap<>();
    nullValue.put("a", null);
    assertThrows(IllegalArgumentException.class, () -> new MetricsRow("L", 0, "", 0, nullValue, Map.of()));
    Map<String, Double> missing = new java.util.HashMap<>();
    missing.put(MetricNames.REWARD_GOLD, null);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> new MetricsRow("L", 0, "", 0, none, missing));
    assertEquals("metric reward.gold has no value; leave it out instead", e.getMessage());
  }

  @Test
  void tablesAreEqualByRowsColumnsAndParameters() {
    MetricsRow a = MetricsRow.of("L", 0, "", 0, Map.of(MetricNames.REWARD_GOLD, 1.0));
    MetricsTable t = MetricsTable.of(List.of(a));
    assertEquals(t, MetricsTable.of(List.of(MetricsRow.of("L", 0, "", 0, Map.of(MetricNames.REWARD_GOLD, 1.0)))));
    assertEquals(t.hashCode(), MetricsTable.of(List.of(a)).hashCode());
    assertNotEquals(t, MetricsTable.of(List.of(a), List.of(MetricNames.REWARD_GOLD, MetricNames.KL_BASE)),
        "another column");
    assertNotEquals(t, "table");
    assertNotEquals(t.hashCode(), MetricsTable.of(List.of(MetricsRow.of("L", 1, "", 0,
        Map.of(MetricNames.REWARD_GOLD, 1.0)))).hashCode());
    assertEquals("MetricsTable[1 rows, columns " + t.columns() + "]", t.toString());
    assertNull(SummaryTable.of(t).get(new MetricsRow.Group("other", 0, new TreeMap<>()), MetricNames.REWARD_GOLD));
  }

  @Test
  void aMetricsCsvHeaderStartsWithTheKeyColumns() {
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.parse("lineage,generation,model\n", "m.csv"));
    assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,replicate,model\n", "m.csv"));
    MetricsTable onlyParams = MetricsCsv.parse("lineage,generation,model,replicate,param.x\nL,0,,0,1\n", "m.csv");
    assertEquals(List.of(), onlyParams.metricNames());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricsCsv.parse("lineage,generation,model,replicate\nL,0,,0\nL,1\n", "m.csv"));
    assertTrue(e.getMessage().startsWith("m.csv: record 3 has 2 cells"), e.getMessage());
  }

  @Test
  void namesDefinitionsAndTextAtTheirEdges() {
    assertEquals("A ancestry source name must be non-empty, was \"\".", assertThrows(IllegalArgumentException.class,
        () -> MetricNames.ancestry("")).getMessage());
    assertEquals("A trait name must be non-empty, was null.", assertThrows(IllegalArgumentException.class,
        () -> MetricNames.trait(null)).getMessage());
    assertEquals(List.of(MetricNames.GOLD_AGREEMENT_PREFIX + "a", MetricNames.GOLD_AGREEMENT_PREFIX + "b"),
        MetricNames.order(List.of(MetricNames.GOLD_AGREEMENT_PREFIX + "b", MetricNames.GOLD_AGREEMENT_PREFIX + "a")));
    assertEquals("", MetricDefinition.Direction.HIGHER_IS_BETTER.verdict(0));
    assertEquals("", MetricDefinition.Direction.HIGHER_IS_BETTER.verdict(Double.NaN));
    assertEquals("", MetricDefinition.Direction.NEITHER.verdict(0.5));
    assertEquals("", MetricDefinition.Direction.NEITHER.verdict(-0.5));
    assertEquals("good", MetricDefinition.Direction.HIGHER_IS_BETTER.verdict(0.5));
    assertEquals("bad", MetricDefinition.Direction.LOWER_IS_BETTER.verdict(0.5));
    MetricDefinition toxic = MetricCatalog.of(MetricNames.trait("toxic"));
    assertEquals(MetricDefinition.Direction.HIGHER_IS_BETTER,
        toxic.withDirection(MetricDefinition.Direction.HIGHER_IS_BETTER).direction());
    assertEquals(toxic.name(), toxic.withDirection(MetricDefinition.Direction.NEITHER).name());
    assertThrows(IllegalArgumentException.class, () -> Diversity.entropy(List.of(new int[] {1, -2})));
    assertEquals("5e-324", NumberText.format(Double.MIN_VALUE), "one digit where one digit reads back");
    StringBuilder json = new StringBuilder();
    MetricsJsonl.string(json, "a\u0001b");
    assertEquals("\"a\\u0001b\"", json.toString());
    String open = assertThrows(IllegalArgumentException.class, () -> Csv.parse("a\n\"open", "m.csv")).getMessage();
    assertFalse(open.contains("Exception"), "Commons CSV's own account, not the wrapper's: " + open);
    assertThrows(IllegalArgumentException.class, () -> Divergence.kl(new float[] {Float.NEGATIVE_INFINITY},
        new float[] {0f}));
  }

  @Test
  void bootstrapIntervalsLeaveNaNOutAndNeedTwoValues() {
    MetricDefinition share = MetricCatalog.of(MetricNames.trait("toxic"));
    assertEquals(MetricDefinition.Interval.BOOTSTRAP, share.interval());
    SummaryStats one = SummaryStats.of(share, 0.3);
    assertTrue(Double.isNaN(one.ciLow()) && Double.isNaN(one.ciHigh()), "one value: no interval");
    SummaryStats gaps = SummaryStats.of(share, 0.2, Double.NaN, 0.4);
    assertEquals(2, gaps.n());
    assertTrue(gaps.ciLow() >= 0.2 && gaps.ciHigh() <= 0.4, gaps.toString());
    assertEquals(12.706204736174707, SummaryStats.critical95(1), 1e-9);
    assertEquals(2.7764451051977987, SummaryStats.critical95(4), 1e-9);
    assertEquals("The t quantile needs degrees of freedom ≥ 1, got 0.", assertThrows(IllegalArgumentException.class,
        () -> SummaryStats.critical95(0)).getMessage());
    // a df no other test asks for, so that its quantile is computed here
    assertEquals(2.026192463029109, SummaryStats.critical95(37), 1e-9);
  }

  @Test
  void attributionGroupsOnlyCounterfactualRowsAndNamesTheirInterventions(@TempDir Path dir) throws Exception {
    TreeMap<String, String> factual = new TreeMap<>(Map.of(Attribution.PARAM, Attribution.FACTUAL));
    TreeMap<String, String> noCritic = new TreeMap<>(Map.of(Attribution.PARAM, "no_critic"));
    MetricsTable t = MetricsTable.of(List.of(
        new MetricsRow("L", 1, "", 0, factual, Map.of(MetricNames.REWARD_GOLD, 1.0)),
        new MetricsRow("L", 1, "", 0, noCritic, Map.of(MetricNames.REWARD_GOLD, 0.5)),
        new MetricsRow("M", 1, "", 0, new TreeMap<>(), Map.of(MetricNames.REWARD_GOLD, 0.2))));
    var byPoint = Attribution.byPoint(t);
    assertEquals(1, byPoint.size(), "lineage M has no counterfactual parameter");
    assertEquals(List.of(Attribution.FACTUAL, "no_critic"), List.copyOf(byPoint.values().iterator().next().keySet()));
    assertEquals(Map.of("no_fresh", "without fresh data", "no_critic", "no_critic"),
        Attribution.interventions(t, Map.of("no_fresh", "without fresh data")));
    Path out = dir.resolve("metrics.md");
    MetricReference.main(new String[] {out.toString()});
    assertTrue(Files.readString(out).contains(MetricNames.REWARD_GOLD));
  }
}
