package io.priorflow.engine.lineage;

import static io.priorflow.engine.lineage.Chains.RUN;
import static io.priorflow.engine.lineage.Chains.fineTune;
import static io.priorflow.engine.lineage.Chains.fromScratch;
import static io.priorflow.engine.lineage.Chains.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.DataPolicies;
import io.priorflow.engine.data.DataPolicyParams;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.FreshData;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.TestData;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ancestry against numbers computed by hand from the definition in {@link Ancestry}'s Javadoc (λ = 1/2). */
class AncestryTest {

  private static final double EPS = 1e-12;
  private static final String M0 = model("M0"), M1 = model("M1"), M2 = model("M2"), M3 = model("M3");

  private static void assertShares(Map<String, Double> expected, Map<String, Double> actual) {
    assertEquals(expected.keySet(), actual.keySet(), "sources");
    double sum = 0;
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), EPS, e.getKey());
      sum += actual.get(e.getKey());
    }
    assertEquals(1.0, sum, EPS, "shares sum to 1");
  }

  /** M0 pretrained from scratch on g0/world; M1..M3 each from scratch on the filtered and corrected samples of the last. */
  private static LineageGraph replaceChain() {
    Dataset d1 = Chains.filteredAndCorrected("g1/new", M0, 1);
    Dataset d2 = Chains.filteredAndCorrected("g2/new", M1, 2);
    Dataset d3 = Chains.filteredAndCorrected("g3/new", M2, 3);
    return LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(d1).addDataset(d2).addDataset(d3)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(M1, "TokenModel", fromScratch("g1/new"))
        .addTrainedModel(M2, "TokenModel", fromScratch("g2/new"))
        .addTrainedModel(M3, "TokenModel", fromScratch("g3/new"))
        .build();
  }

  @Test
  void datasetSignalSplitsKeptSamplesBetweenTeacherAndCritic() {
    // 45 kept samples × 10 tokens: (1 − λ)·450 = 225 to the teacher, λ·450 = 225 to the critic; 5 rewrites × 10 to h.
    Dataset d1 = Chains.filteredAndCorrected("g1/new", M0, 1);
    assertEquals(Map.of("model:" + M0, 225.0, "critic:C", 225.0, "human:h", 50.0), Ancestry.signal(d1, 0.5));
    assertEquals(500, d1.signalTokens());
  }

  @Test
  void replaceChainMatchesHandComputedSharesOverThreeGenerations() {
    LineageGraph g = replaceChain();
    // M0: only world data.                                     {world 1}
    assertShares(Map.of("world", 1.0), g.ancestry(M0));
    assertEquals(1000, g.model(M0).tokens());
    // M1 = (225·anc(M0) + 225·critic + 50·human) / 500        {world .45, critic .45, human .10}
    assertShares(Map.of("world", 0.45, "critic:C", 0.45, "human:h", 0.10), g.ancestry(M1));
    // M(g+1) = .45·M(g) + .45·critic + .10·human
    // M2: world .45·.45 = .2025; critic .45·.45 + .45 = .6525; human .45·.10 + .10 = .145
    assertShares(Map.of("world", 0.2025, "critic:C", 0.6525, "human:h", 0.145), g.ancestry(M2));
    // M3: world .45·.2025 = .091125; critic .45·.6525 + .45 = .743625; human .45·.145 + .10 = .16525
    assertShares(Map.of("world", 0.091125, "critic:C", 0.743625, "human:h", 0.16525), g.ancestry(M3));
    assertEquals(500, g.model(M3).tokens());
    assertEquals(Map.of("ancestry.critic:C", 0.743625, "ancestry.human:h", 0.16525, "ancestry.world", 0.091125),
        roundedMetrics(g, M3));
  }

  private static Map<String, Double> roundedMetrics(LineageGraph g, String modelId) {
    Map<String, Double> m = new java.util.TreeMap<>();
    g.ancestryMetrics(modelId).forEach((k, v) -> m.put(k, Math.round(v * 1e9) / 1e9));
    return m;
  }

  @Test
  void fineTuningWeighsTheInitByAllTheSignalThatMadeIt() {
    // M1' starts from M0 (mass 1000) and trains on D1 (500): m = 1500.
    // world (1000 + 225)/1500 = .816666…; critic 225/1500 = .15; human 50/1500 = .033333…
    String m1ft = model("M1-finetuned");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(Chains.filteredAndCorrected("g1/new", M0, 1))
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(m1ft, "TokenModel", fineTune(M0, "g1/new"))
        .build();
    assertShares(Map.of("world", 1225.0 / 1500, "critic:C", 0.15, "human:h", 50.0 / 1500), g.ancestry(m1ft));
    assertEquals(1500, g.model(m1ft).tokens());
  }

  @Test
  void accumulatingKeepsTheWorldShareHigh() {
    // T1 = W0 ∪ D1 (1500 tokens), T2 = W0 ∪ D1 ∪ D2 (2000), D2 generated by M1acc.
    // M1acc = {world 1225/1500, critic .15, human 50/1500}
    // M2acc: world (1000 + 225 + 225·1225/1500)/2000 = 1408.75/2000 = .704375
    //        critic (450 + 225·.15)/2000 = 483.75/2000 = .241875;  human (100 + 225·50/1500)/2000 = .05375
    String m1 = model("M1acc"), m2 = model("M2acc");
    Dataset w0 = Chains.world0();
    Dataset d1 = Chains.filteredAndCorrected("g1/new", M0, 1);
    Dataset d2 = Chains.filteredAndCorrected("g2/new", m1, 2);
    Dataset t1 = DataPolicies.next("g1/train", List.of(w0), d1, FreshData.none(), DataPolicyParams.accumulate(),
        new SplittableRandom(1));
    Dataset t2 = DataPolicies.next("g2/train", List.of(w0, d1), d2, FreshData.none(), DataPolicyParams.accumulate(),
        new SplittableRandom(2));
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(w0).addDataset(d1).addDataset(d2).addDataset(t1).addDataset(t2)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(m1, "TokenModel", fromScratch("g1/train"))
        .addTrainedModel(m2, "TokenModel", fromScratch("g2/train"))
        .build();
    assertShares(Map.of("world", 1225.0 / 1500, "critic:C", 0.15, "human:h", 50.0 / 1500), g.ancestry(m1));
    assertShares(Map.of("world", 0.704375, "critic:C", 0.241875, "human:h", 0.05375), g.ancestry(m2));
  }

  /** A reward model R trained in the run on 10 world data with human preferences: {world .5, human:h .5}. */
  private static Dataset preferences() {
    List<io.priorflow.engine.data.Datum> data = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String pair = "prefs/" + (i ^ 1);
      data.add(TestData.datum("prefs/" + i, 10, Provenance.world(0),
          new Label(LabelKind.PREFERENCE, i % 2, LabellerKind.HUMAN, "h", null, pair)));
    }
    return Dataset.of("prefs", "human-label", data);
  }

  private static Dataset keptBy(String name, String criticModel, String teacher, int n) {
    return Dataset.of(name, "filter", TestData.data(name, n, 10, i -> Provenance.generated("gen", teacher, 1),
        i -> new Label[] {Label.ai(LabelKind.KEEP, 1, "rm-critic", criticModel)}));
  }

  @Test
  void aCriticTrainedInTheRunJudgesWithTheSourcesOfItsLabels() {
    // R = {world .5, human .5}, but jud(R) = {human 1}: it learnt to judge from h's preferences alone (step 5).
    // A sample of M0 kept by R: .5·world + .5·jud(R) = {world .5, human .5}.
    String r = model("R"), s = model("S");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(preferences()).addDataset(keptBy("kept", r, M0, 20))
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(r, "TokenModel/scalar", new Training(null, List.of("prefs"), Chains.trainer("reward_model")))
        .addTrainedModel(s, "TokenModel", fromScratch("kept"))
        .build();
    assertShares(Map.of("world", 0.5, "human:h", 0.5), g.ancestry(r));
    assertShares(Map.of("world", 0.5, "human:h", 0.5), g.ancestry(s));
    assertEquals(Map.of("judge:" + r, 100.0), g.dataset("kept").signal().entrySet().stream()
        .filter(e -> e.getKey().startsWith("judge:")).collect(java.util.stream.Collectors.toMap(
            Map.Entry::getKey, Map.Entry::getValue)), "the keep labels are R's judgement");
  }

  @Test
  void aJudgeWithoutLabelledDataJudgesWithItsWholeAncestry() {
    // R2 trained on world data only (no labels): jud(R2) = anc(R2) = {world 1}; kept samples: {world 1}.
    String r2 = model("R2"), s = model("S");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(keptBy("kept", r2, M0, 20))
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(r2, "TokenModel/scalar", fromScratch("g0/world"))
        .addTrainedModel(s, "TokenModel", fromScratch("kept"))
        .build();
    assertShares(Map.of("world", 1.0), g.ancestry(s));
  }

  @Test
  void aTrainedModelDeclaredAsASourceIsOneBlock() {
    // Cut at R: the kept samples are .5·world + .5·critic:rm.
    String r = model("R"), s = model("S");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(preferences()).addDataset(keptBy("kept", r, M0, 20))
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedSourceModel(r, "TokenModel/scalar", "critic:rm",
            new Training(null, List.of("prefs"), Chains.trainer("reward_model")))
        .addTrainedModel(s, "TokenModel", fromScratch("kept"))
        .build();
    assertShares(Map.of("critic:rm", 1.0), g.ancestry(r));
    assertEquals(100, g.model(r).tokens());
    assertShares(Map.of("world", 0.5, "critic:rm", 0.5), g.ancestry(s));
  }

  @Test
  void rlhfRolloutsAreTheStartModelsRewardedByTheRewardModel() {
    // π1 starts from M0 (1000) and trains on 10 rollouts × 10 tokens of M0 rewarded by R, whose judgement is h's
    // (jud(R) = {human 1}, though anc(R) = {world .5, human .5}): each rollout .5·world + .5·human; m = 1100;
    // world (1000 + 50)/1100, human 50/1100. Standing for 1000 sampled tokens (step 6): m = 2000, world 1500/2000.
    String r = model("R"), pi1 = model("pi1");
    Dataset rollouts = Dataset.of("rollouts", "rlhf", TestData.data("rollouts", 10, 10,
        i -> Provenance.generated("policy", M0, 1), i -> new Label[] {Label.ai(LabelKind.REWARD, 0.3, "rm", r)}));
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(preferences()).addDataset(rollouts)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(r, "TokenModel/scalar", new Training(null, List.of("prefs"), Chains.trainer("reward_model")))
        .addTrainedModel(pi1, "TokenModel", new Training(M0, List.of("rollouts"), Chains.trainer("rlhf")))
        .build();
    assertShares(Map.of("world", 1050.0 / 1100, "human:h", 50.0 / 1100), g.ancestry(pi1));
    LineageGraph sampled = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(preferences()).addDataset(rollouts, 1000)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(r, "TokenModel/scalar", new Training(null, List.of("prefs"), Chains.trainer("reward_model")))
        .addTrainedModel(pi1, "TokenModel", new Training(M0, List.of("rollouts"), Chains.trainer("rlhf")))
        .build();
    assertEquals(1000, sampled.dataset("rollouts").tokens());
    assertShares(Map.of("world", 0.75, "human:h", 0.25), sampled.ancestry(pi1));
  }

  @Test
  void tokenDistillationTargetsAreTheTeachersSignal() {
    // Teacher M1 = {world .45, critic .45, human .10}; 10 world data × 10 labelled targets by M1:
    // .5·world + .5·M1 = {world .725, critic .225, human .05}.
    String student = model("student");
    Dataset targets = Dataset.of("distill", "distill", TestData.data("distill", 10, 10, i -> Provenance.world(2),
        i -> new Label[] {Label.ai(LabelKind.TARGETS, 1, "distiller", M1)}));
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(Chains.filteredAndCorrected("g1/new", M0, 1)).addDataset(targets)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(M1, "TokenModel", fromScratch("g1/new"))
        .addTrainedModel(student, "TokenModel", new Training(null, List.of("distill"), Chains.trainer("distill_tokens")))
        .build();
    assertShares(Map.of("world", 0.725, "critic:C", 0.225, "human:h", 0.05), g.ancestry(student));
    assertTrue(g.edges().contains(new Edge("model:" + M1, "model:" + student, EdgeKind.TEACHER_OF)));
  }

  @Test
  void externalModelsAreSourcesWithTheirDeclaredMass() {
    // B is an external teacher (source generator:big, 5000 tokens). S1 learns only B's samples: {generator:big 1}.
    // S2 starts from B and trains on 1000 world tokens: {generator:big 5000/6000, world 1000/6000}.
    String b = model("B"), s1 = model("S1"), s2 = model("S2");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0())
        .addDataset(Dataset.of("big", "generate", TestData.generated("big", 10, 10, b, 1)))
        .addSourceModel(b, "TokenModel", "generator:big", 5000)
        .addTrainedModel(s1, "TokenModel", fromScratch("big"))
        .addTrainedModel(s2, "TokenModel", fineTune(b, "g0/world"))
        .build();
    assertShares(Map.of("generator:big", 1.0), g.ancestry(s1));
    assertShares(Map.of("generator:big", 5000.0 / 6000, "world", 1000.0 / 6000), g.ancestry(s2));
    // A random initialisation (mass 0) adds nothing.
    String init = model("init"), s3 = model("S3");
    LineageGraph g2 = LineageGraph.builder(RUN).addDataset(Chains.world0())
        .addSourceModel(init, "TokenModel", "init:random", 0)
        .addTrainedModel(s3, "TokenModel", fineTune(init, "g0/world")).build();
    assertShares(Map.of("world", 1.0), g2.ancestry(s3));
  }

  @Test
  void severalLabelsShareTheLabelPart() {
    // A sample of M0 (world) kept by C and rated by h: .5·world + .25·critic:C + .25·human:h.
    Dataset d = Dataset.of("two", "stages", TestData.data("two", 4, 10, i -> Provenance.generated("gen", M0, 1),
        i -> new Label[] {Label.ai(LabelKind.KEEP, 1, "C", null), Label.human(LabelKind.RATING, 6, "h")}));
    String s = model("S");
    LineageGraph g = LineageGraph.builder(RUN).addDataset(Chains.world0()).addDataset(d)
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(s, "TokenModel", fromScratch("two")).build();
    assertShares(Map.of("world", 0.5, "critic:C", 0.25, "human:h", 0.25), g.ancestry(s));
  }

  @Test
  void labelShareZeroIgnoresLabelsAndOneIgnoresContent() {
    Dataset d1 = Chains.filteredAndCorrected("g1/new", M0, 1);
    // λ = 0: {world .9, human .1}.  λ = 1: {critic .9, human .1}.
    for (double lambda : new double[] {0, 1}) {
      LineageGraph g = LineageGraph.builder(RUN, lambda).addDataset(Chains.world0()).addDataset(d1)
          .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
          .addTrainedModel(M1, "TokenModel", fromScratch("g1/new")).build();
      assertShares(lambda == 0 ? Map.of("world", 0.9, "human:h", 0.1) : Map.of("critic:C", 0.9, "human:h", 0.1),
          g.ancestry(M1));
    }
    assertThrows(IllegalArgumentException.class, () -> LineageGraph.builder(RUN, 1.5));
  }

  @Test
  void missingModelsDatasetsAndCyclesAreReported() {
    LineageGraph.Builder noTeacher = LineageGraph.builder(RUN).addDataset(Chains.filteredAndCorrected("g1/new", M0, 1))
        .addTrainedModel(M1, "TokenModel", fromScratch("g1/new"));
    IllegalStateException e = assertThrows(IllegalStateException.class, noTeacher::build);
    assertTrue(e.getMessage().contains("dataset g1/new refers to model " + M0), e.getMessage());

    LineageGraph.Builder noData = LineageGraph.builder(RUN).addTrainedModel(M1, "TokenModel", fromScratch("nowhere"));
    e = assertThrows(IllegalStateException.class, noData::build);
    assertTrue(e.getMessage().contains("trained on dataset nowhere"), e.getMessage());

    LineageGraph.Builder cycle = LineageGraph.builder(RUN).addDataset(Chains.world0())
        .addTrainedModel(M1, "TokenModel", fineTune(M2, "g0/world"))
        .addTrainedModel(M2, "TokenModel", fineTune(M1, "g0/world"));
    e = assertThrows(IllegalStateException.class, cycle::build);
    assertTrue(e.getMessage().contains("its own ancestor"), e.getMessage());
  }

  @Test
  void judgementSplitsEachLabelledDatumsTokensAmongItsLabels() {
    // 4 data of 10 tokens kept by C and rated by h: 10/2 to each label, λ not applied; 2 unlabelled data count nowhere.
    List<io.priorflow.engine.data.Datum> data = new java.util.ArrayList<>(TestData.data("two", 4, 10,
        i -> Provenance.generated("gen", M0, 1),
        i -> new Label[] {Label.ai(LabelKind.KEEP, 1, "C", null), Label.human(LabelKind.RATING, 6, "h")}));
    data.addAll(TestData.world("plain", 2, 10, 0));
    Dataset d = Dataset.of("two", "stages", data);
    assertEquals(Map.of("critic:C", 20.0, "human:h", 20.0), Ancestry.judgement(d));
    // signal with λ = 1/4: content .75·40 + 20 unlabelled, each label .25·10/2 per datum
    assertEquals(Map.of("model:" + M0, 30.0, "world", 20.0, "critic:C", 5.0, "human:h", 5.0), Ancestry.signal(d, 0.25));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ancestry.signal(d, 1.5));
    assertTrue(e.getMessage().contains("must be in [0, 1], was 1.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ancestry.signal(d, -0.25));
  }

  @Test
  void aModelTrainedOnNoTokensHasNoSignalAndIsRefused() {
    // An empty dataset stands for no tokens whatever mass it is added with; a model trained on it alone has mass 0.
    Dataset empty = Dataset.of("empty", "filter", List.of());
    LineageGraph.Builder b = LineageGraph.builder(RUN).addDataset(empty, 500)
        .addTrainedModel(M1, "TokenModel", fromScratch("empty"));
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertTrue(e.getMessage().contains("Model " + M1 + " (sft) has no training signal"), e.getMessage());
    LineageGraph g = LineageGraph.builder(RUN).addDataset(empty, 500).build();
    assertEquals(0, g.dataset("empty").tokens());
    assertEquals(Map.of(), g.dataset("empty").signal());
  }

  @Test
  void aJudgeOfSeveralDatasetsJudgesTheSameInEach() {
    // S trains on two datasets kept by R (jud(R) = {human 1}): each half .5·world + .5·human.
    String r = model("R"), s = model("S");
    LineageGraph g = LineageGraph.builder(RUN)
        .addDataset(Chains.world0()).addDataset(preferences())
        .addDataset(keptBy("kept1", r, M0, 20)).addDataset(keptBy("kept2", r, M0, 20))
        .addTrainedModel(M0, "TokenModel", fromScratch("g0/world"))
        .addTrainedModel(r, "TokenModel/scalar", new Training(null, List.of("prefs"), Chains.trainer("reward_model")))
        .addTrainedModel(s, "TokenModel", fromScratch("kept1", "kept2"))
        .build();
    assertShares(Map.of("world", 0.5, "human:h", 0.5), g.ancestry(s));
    assertEquals(400, g.model(s).tokens());
  }

  @Test
  void rlDatasetsScaleTheirJudgementToTheSampledTokensToo() {
    // 10 rollouts × 10 tokens rewarded by R, standing for 1000 sampled tokens: every map × 10.
    String r = model("R");
    Dataset rollouts = Dataset.of("rollouts", "rlhf", TestData.data("rollouts", 10, 10,
        i -> Provenance.generated("policy", M0, 1), i -> new Label[] {Label.ai(LabelKind.REWARD, 0.3, "rm", r)}));
    LineageGraph g = LineageGraph.builder(RUN).addDataset(rollouts, 1000)
        .addSourceModel(M0, "TokenModel", "generator:m0", 0).addSourceModel(r, "TokenModel/scalar", "critic:rm", 0)
        .build();
    assertEquals(Map.of("judge:" + r, 1000.0), g.dataset("rollouts").judgement());
    assertEquals(Map.of("model:" + M0, 500.0, "judge:" + r, 500.0), g.dataset("rollouts").signal());
  }

  @Test
  void aModelThatJudgesFromItsOwnJudgementsIsRefused() {
    // Nodes as a hand-edited lineage.json could give them: R's dataset carries R's own judgement, but no signal of it.
    DatasetNode own = new DatasetNode("dataset:own", Dataset.of("own", "x", TestData.world("own", 1, 10, 0)).lineage(),
        10, Map.of("world", 10.0), Map.of("judge:" + M1, 10.0));
    DatasetNode kept = new DatasetNode("dataset:kept", Dataset.of("kept", "x", TestData.world("kept", 1, 10, 0))
        .lineage(), 10, Map.of("judge:" + M1, 10.0), Map.of());
    Map<String, ModelNode> models = Map.of(
        M1, new ModelNode("model:" + M1, "TokenModel/scalar", null, fromScratch("own"), 0, Map.of(), null),
        M2, new ModelNode("model:" + M2, "TokenModel", null, fromScratch("kept"), 0, Map.of(), null));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Ancestry.compute(models, Map.of("own", own, "kept", kept)));
    assertTrue(e.getMessage().contains("Model " + M1 + " judges from its own judgements (reached again from dataset own)"),
        e.getMessage());
  }
}
