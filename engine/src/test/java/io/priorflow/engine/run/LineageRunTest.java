package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.metrics.ChangedFacts;
import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.work.EvaluateWork;
import io.priorflow.engine.work.LabelResult;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.work.RetrieveResult;
import io.priorflow.engine.work.RetrieveWork;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.work.WorkItem;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LineageRun through one small run with every work item and result recorded, against its Javadoc: stages in order
 * and a schedule's skipped generations, a generation without a train stage keeping its teacher, the listener, the
 * evaluation's retrieval (the lineage's, else the evaluation's; its prompts, then its probes) and its counted
 * queries and costs, gold agreement, anchoring and seconds per label recomputed from the labels, the critic's
 * passages and the second responses' sampling; and, in tiny runs, the reference each generation's win rate is
 * measured against.
 */
class LineageRunTest {
  static final String SCENARIO = """
      name: lineage-run
      seed: 31
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        documents: { factRecall: 0.5, statements: 1, freshValues: 1 }
        knowledge: { changes: [ { share: 0.5, every: 100, from: 1 } ] }
      model: { context: 8, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.8, anchoring: 0.5 }
        critics: { temperature: 0.3, costPerLabel: 0.01, retrieval: { k: 1, rebuildEvery: 1 } }
        retrievers: { count: 1, recall: 1, precision: 1, costPerQuery: 0.01, secondsPerQuery: 2 }
      lineages:
        - name: first
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          retrieval: { k: 2, rebuildEvery: 1 }
          data: { policy: accumulate, freshFraction: 0.2 }
          stages:
            - { kind: generate, samples: 30, temperature: 0.7 }
            - { kind: label, by: humans, task: rate, sample: 12, assisted: true, assistant: classifier }
            - { kind: label, by: humans, task: prefer, sample: 8 }
            - { kind: filter, by: critic, keepFraction: 0.5, every: 2 }
            - { kind: train, method: sft, init: teacher, until: 1 }
        - name: second
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: train, method: sft, init: teacher }
        - name: pairs
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: label, by: critic, task: prefer, sample: 8 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 6, samplesPerPrompt: 1, retrieval: { k: 1, rebuildEvery: 0 } }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;
  static final List<String> finished = new ArrayList<>();

  /** The one recorded run the checks below read. */
  static void run() throws Exception {
    finished.clear();
    recorded = RecordedRun.of(SCENARIO, "lineage-run.yaml", 31, new RunOutputs(tmp).withProvenance(true),
        new ScenarioRun.Listener() {
      @Override public void generationFinished(String lineage, int generation, int generations) {
        finished.add(lineage + " " + generation + "/" + generations);
      }
    });
  }

  static List<Call> calls(String stage) {
    return recorded.calls().stream().filter(c -> c.stage().equals(stage)).toList();
  }

  static <T> List<T> items(String stage, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Call c : calls(stage)) for (var i : c.items()) if (type.isInstance(i)) out.add(type.cast(i));
    return out;
  }

  static <T> List<T> results(String stage, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Call c : calls(stage)) for (var r : c.results()) if (type.isInstance(r)) out.add(type.cast(r));
    return out;
  }

  static boolean good(int g, int[] tokens) {
    return recorded.world().at(g).oracle().score(tokens).utility() >= 0;
  }

  static double utility(int g, int[] tokens) {
    return recorded.world().at(g).oracle().score(tokens).utility();
  }

  /**
   * The run and its checks, as one test: PIT does not credit a {@code @BeforeAll}'s coverage to the tests that
   * read its results (pitest issue 1081; in some test orders it is lost, in others it goes to one test), so a
   * mutant there would go unasked. assertAll still reports every check that fails.
   */
  @Test
  void theRecordedRunFollowsLineageRunsJavadoc() throws Exception {
    run();
    assertAll(
        this::stagesRunInOrderAndAScheduleSkipsItsGenerations,
        this::aGenerationWithoutATrainStageKeepsItsTeacher,
        this::theListenerHearsEveryGenerationFinish,
        this::evaluationRetrievesWithTheLineagesRetrievalElseTheEvaluations,
        this::evaluationPassagesAreThoseOfItsPromptsThenItsProbes,
        this::retrievalCostsCountEveryQueryOfTheLineage,
        this::goldAgreementAnchoringAndSecondsPerLabelFollowTheJudgements,
        this::secondResponsesSampleLikeTheLineagesFirstGenerateStage,
        this::theCriticReadsItsPassagesBeforeEachItemsQuestion,
        this::theAssistantLearnsEveryHumanVerdictSoFar,
        this::dataTheCriticReadPassagesForNameTheIndexOnce,
        this::rowsCountTrainingTokensAndTheBasesMonofactRate,
        this::theCriticReadsOnePairsPassagesBeforeBothResponses);
  }

  void stagesRunInOrderAndAScheduleSkipsItsGenerations() {
    List<String> g2 = recorded.calls().stream().map(Call::stage).filter(st -> st.startsWith("first/g2/")).distinct()
        .toList();
    // the filter (every: 2) and the train stage (until: 1) skip generation 2; the others keep their places' ids
    assertEquals(List.of("first/g2/s0-generate", "first/g2/s1-label/assistant", "first/g2/s1-label",
        "first/g2/s2-label/second", "first/g2/s2-label", "first/g2/evaluate/retrieve", "first/g2/evaluate"), g2);
    assertEquals(1, calls("first/g1/s3-filter").size());
    assertEquals(1, calls("first/g1/s4-train").size());
  }

  void aGenerationWithoutATrainStageKeepsItsTeacher() {
    String g1 = ((TrainResult) calls("first/g1/s4-train").get(0).results().get(0)).modelId();
    assertEquals(g1, items("first/g2/evaluate", EvaluateWork.class).get(0).modelId());
    assertEquals(g1, row("first", 1).model());
    assertEquals(g1, row("first", 2).model());
    // and the next generation's teacher is it: generation 2 samples from it
    assertEquals(g1, items("first/g2/s0-generate", SampleWork.class).get(0).modelId());
  }

  static MetricsRow row(String lineage, int g) {
    return recorded.table().rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == g)
        .findFirst().orElseThrow();
  }

  void theListenerHearsEveryGenerationFinish() {
    assertEquals(List.of("first 1/2", "first 2/2", "second 1/1", "pairs 1/1"), finished);
  }

  void evaluationRetrievesWithTheLineagesRetrievalElseTheEvaluations() {
    // first has its own retrieval (k 2, rebuilt every generation), second uses evaluation.retrieval (k 1, index 0)
    for (int g = 1; g <= 2; g++) {
      RetrieveWork w = items("first/g" + g + "/evaluate/retrieve", RetrieveWork.class).get(0);
      assertEquals(2, w.k());
      assertEquals(g, w.indexGeneration());
    }
    RetrieveWork second = items("second/g1/evaluate/retrieve", RetrieveWork.class).get(0);
    assertEquals(1, second.k());
    assertEquals(0, second.indexGeneration());
    assertEquals(2, items("base/evaluate/retrieve", RetrieveWork.class).get(0).k(), "the first lineage asks first");
    assertEquals(1, calls("base/evaluate/retrieve").size(), "the shared base's passages are retrieved once");
    assertEquals(1, calls("base/evaluate").size(), "and it is evaluated once");
  }

  void evaluationPassagesAreThoseOfItsPromptsThenItsProbes() {
    var ev = recorded.loaded().scenario().evaluation();
    for (String lineage : List.of("first", "second")) {
      int g = 1;
      List<Prompt> prompts = recorded.world().evaluationPrompts(ev.prompts(),
          new RandomStreams(31).itemSeed(EvaluationSet.PROMPTS_ITEM));
      var probes = ChangedFacts.probes(recorded.world().at(g), ev.prompts());
      assertFalse(probes.isEmpty(), "the world changes facts, so there are probes to retrieve for");
      RetrieveWork w = items(lineage + "/g1/evaluate/retrieve", RetrieveWork.class).get(0);
      assertEquals(prompts.size() + probes.size(), w.queries().size());
      for (int i = 0; i < prompts.size(); i++) assertArrayEquals(prompts.get(i).tokens(), w.queries().get(i));
      for (int i = 0; i < probes.size(); i++) {
        assertArrayEquals(probes.get(i).prompt().tokens(), w.queries().get(prompts.size() + i));
      }
      List<int[]> passages = results(lineage + "/g1/evaluate/retrieve", RetrieveResult.class).get(0).passages();
      EvaluateWork e = items(lineage + "/g1/evaluate", EvaluateWork.class).get(0);
      assertEquals(prompts.size(), e.promptPassages().size());
      assertEquals(probes.size(), e.probePassages().size());
      for (int i = 0; i < prompts.size(); i++) assertArrayEquals(passages.get(i), e.promptPassages().get(i));
      for (int i = 0; i < probes.size(); i++) {
        assertArrayEquals(passages.get(prompts.size() + i), e.probePassages().get(i));
      }
    }
  }

  /** Every query the lineage made: its base's evaluation (retrieved once, counted by each lineage) and its own. */
  static long queries(String lineage, int upTo) {
    long n = items("base/evaluate/retrieve", RetrieveWork.class).stream().mapToLong(w -> w.queries().size()).sum();
    for (Call c : recorded.calls()) {
      for (int g = 1; g <= upTo; g++) {
        if (!c.stage().startsWith(lineage + "/g" + g + "/")) continue;
        for (var i : c.items()) if (i instanceof RetrieveWork w) n += w.queries().size();
      }
    }
    return n;
  }

  void retrievalCostsCountEveryQueryOfTheLineage() {
    assertTrue(queries("first", 1) > queries("first", 0));
    for (String lineage : List.of("first", "second")) {
      int gens = lineage.equals("first") ? 2 : 1;
      for (int g = 0; g <= gens; g++) {
        Map<String, Double> m = recorded.metrics(lineage, g);
        double q = queries(lineage, g);
        assertEquals(q, m.get(MetricNames.COST_RETRIEVAL_QUERIES), lineage + " " + g);
        assertEquals(q * 0.01, m.get(MetricNames.COST_RETRIEVAL_USD), 1e-12, lineage + " " + g);
        assertEquals(q * 2 / 3600, m.get(MetricNames.TIME_RETRIEVAL_HOURS), 1e-12, lineage + " " + g);
      }
    }
  }

  /**
   * Gold agreement recomputed from the label and preference items and results: a rating agrees when accepted equals
   * gold (utility ≥ 0), a pre-label likewise, a preference when its side has the higher utility (ties not counted);
   * each human's votes count for "humans" too.
   */
  void goldAgreementAnchoringAndSecondsPerLabelFollowTheJudgements() {
    for (int g = 1; g <= 2; g++) {
      Map<String, long[]> votes = new TreeMap<>();
      long wrong = 0, errors = 0, labels = 0;
      double seconds = 0;
      String stage = "first/g" + g + "/s1-label";
      List<LabelWork> work = items(stage, LabelWork.class);
      List<LabelResult> res = results(stage, LabelResult.class);
      assertEquals(2, work.size());
      String pre = g == 1 ? ScenarioRun.CRITIC : ScenarioRun.ASSISTANT; // no human verdicts before generation 1
      for (int w = 0; w < work.size(); w++) {
        for (int q = 0; q < work.get(w).sequences().size(); q++) {
          boolean gold = good(g, work.get(w).sequences().get(q));
          boolean accepted = res.get(w).accepted()[q];
          vote(votes, work.get(w).labellerId(), accepted == gold);
          vote(votes, pre, work.get(w).preLabels()[q] == gold);
          if (work.get(w).preLabels()[q] != gold) {
            wrong++;
            if (accepted != gold) errors++;
          }
          labels++;
        }
        seconds += res.get(w).seconds();
      }
      String prefer = "first/g" + g + "/s2-label";
      List<PreferWork> pw = items(prefer, PreferWork.class);
      List<PreferResult> pr = results(prefer, PreferResult.class);
      int ties = 0;
      for (int w = 0; w < pw.size(); w++) {
        for (int k = 0; k < pw.get(w).first().size(); k++) {
          double a = utility(g, pw.get(w).first().get(k)), b = utility(g, pw.get(w).second().get(k));
          if (a != b) vote(votes, pw.get(w).labellerId(), pr.get(w).preferFirst()[k] == (a > b));
          else ties++;
          labels++;
        }
        seconds += pr.get(w).seconds();
      }
      Map<String, Double> m = recorded.metrics("first", g);
      Map<String, Double> expected = new TreeMap<>();
      votes.forEach((who, v) -> expected.put(MetricNames.GOLD_AGREEMENT_PREFIX + who, v[0] / (double) v[1]));
      Map<String, Double> got = new TreeMap<>();
      m.forEach((k, v) -> { if (k.startsWith(MetricNames.GOLD_AGREEMENT_PREFIX)) got.put(k, v); });
      assertEquals(expected, got, "generation " + g + " (" + ties + " tied pairs)");
      assertTrue(votes.get("humans")[1] > 1 && votes.get("humans")[0] > 0, "votes to divide");
      assertTrue(wrong > 0, "some pre-label is wrong in generation " + g);
      assertEquals(errors / (double) wrong, m.get(MetricNames.LABELS_ANCHORED_ERROR), 1e-12);
      assertEquals(seconds / labels, m.get(MetricNames.LABELS_SECONDS_PER_LABEL), 1e-9 * seconds / labels);
    }
    // a lineage whose generation has no labels reports neither
    Map<String, Double> second = recorded.metrics("second", 1);
    assertFalse(second.containsKey(MetricNames.LABELS_SECONDS_PER_LABEL));
    assertFalse(second.containsKey(MetricNames.LABELS_ANCHORED_ERROR));
    assertFalse(recorded.metrics("first", 0).containsKey(MetricNames.LABELS_SECONDS_PER_LABEL));
  }

  static void vote(Map<String, long[]> votes, String who, boolean agrees) {
    for (String s : who.startsWith("human-") ? List.of(who, "humans") : List.of(who)) {
      long[] v = votes.computeIfAbsent(s, k -> new long[2]);
      if (agrees) v[0]++;
      v[1]++;
    }
  }

  void secondResponsesSampleLikeTheLineagesFirstGenerateStage() {
    var gs = (GenerateStage) recorded.loaded().scenario().lineages().get(0).stages().get(0);
    var sampling = items("first/g1/s2-label/second", SampleWork.class).get(0).sampling();
    assertEquals(gs.sampling(Vocabulary.EOS), sampling);
    assertEquals(0.7f, sampling.temperature(), "not the evaluation's temperature");
  }

  void theCriticReadsItsPassagesBeforeEachItemsQuestion() throws Exception {
    for (String stage : List.of("first/g1/s3-filter", "first/g1/s1-label")) {
      RetrieveWork q = items(stage + "/retrieve", RetrieveWork.class).get(0);
      assertEquals(1, q.k(), "the critic's retrieval");
      assertEquals(1, q.indexGeneration());
      List<int[]> passages = results(stage + "/retrieve", RetrieveResult.class).get(0).passages();
      ScoreWork s = items(stage, ScoreWork.class).get(0);
      assertEquals(q.queries().size(), s.sequences().size());
      boolean some = false;
      for (int j = 0; j < s.sequences().size(); j++) {
        int[] p = passages.get(j);
        some |= p.length > 0;
        // the query is the datum's prompt, so its length is where the response starts
        assertEquals(q.queries().get(j).length + p.length, s.from()[j], stage + " " + j);
      }
      assertTrue(some, "some passage was read");
      assertEquals(stage.endsWith("filter") ? "filter" : "label", event(stage).get("kind").asText());
    }
    // the classifier of generation 2 scores without passages
    ScoreWork s = items("first/g2/s1-label", ScoreWork.class).get(0);
    assertEquals(items("first/g2/s1-label/assistant", TrainWork.class).size(), 1);
    assertEquals(((TrainResult) calls("first/g2/s1-label/assistant").get(0).results().get(0)).modelId(), s.modelId());
  }

  /** The assistant of generation 2 trains on generation 1's verdicts, ±1 for accepted or not, in label order. */
  void theAssistantLearnsEveryHumanVerdictSoFar() throws Exception {
    TrainWork w = items("first/g2/s1-label/assistant", TrainWork.class).get(0);
    List<LabelWork> work = items("first/g1/s1-label", LabelWork.class);
    List<LabelResult> res = results("first/g1/s1-label", LabelResult.class);
    List<String> seqs = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    for (int k = 0; k < work.size(); k++) {
      for (int q = 0; q < work.get(k).sequences().size(); q++) {
        seqs.add(Arrays.toString(work.get(k).sequences().get(q)));
        targets.add(res.get(k).accepted()[q] ? 1.0 : -1.0);
      }
    }
    assertEquals(seqs, w.sequences().stream().map(Arrays::toString).toList());
    assertEquals(targets, Arrays.stream(w.targets()).boxed().toList());
    assertTrue(targets.contains(1.0) && targets.contains(-1.0), targets.toString());
    assertEquals("score_regression", w.method());
    LineageGraph graph = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    assertEquals("assistant", graph.actor(ScenarioRun.ASSISTANT).role());
  }

  /**
   * A datum the critic read passages for names the index ({@code index@g1}) among its parents, once though two
   * stages read them; one it read none for does not.
   */
  void dataTheCriticReadPassagesForNameTheIndexOnce() throws Exception {
    List<String> lines = Files.readAllLines(tmp.resolve(ProvenanceFiles.DIR).resolve("first/g1/new.jsonl"));
    int indexed = 0;
    for (String line : lines) {
      List<String> parents = new ArrayList<>();
      Json.messages().readTree(line).get("parents").forEach(n -> parents.add(n.asText()));
      assertEquals(parents.stream().distinct().toList(), parents, line);
      if (parents.contains(GenerateRunner.INDEX_PARENT + 1)) indexed++;
    }
    // the kept data whose prompts are fact questions had passages; the others had none
    assertTrue(indexed > 0 && indexed < lines.size(), indexed + " of " + lines.size());
  }

  /**
   * cost.train_tokens: every token the lineage's trainings took, the assistant's too; cost.ai_usd; the base's
   * monofact rate.
   */
  void rowsCountTrainingTokensAndTheBasesMonofactRate() {
    long tokens = 0;
    for (int g = 0; g <= 2; g++) {
      for (Call c : recorded.calls()) {
        if (!c.stage().startsWith("first/g" + g + "/")) continue;
        for (var r : c.results()) if (r instanceof TrainResult t) tokens += t.tokens();
      }
      assertEquals((double) tokens, recorded.metrics("first", g).get(MetricNames.COST_TRAIN_TOKENS), "g" + g);
      assertTrue(recorded.metrics("first", g).containsKey(MetricNames.HONESTY_MONOFACT_RATE));
      // cost.ai_usd: every AI label so far at the critics' cost per label (0.01)
      Map<String, Double> m = recorded.metrics("first", g);
      assertEquals(m.get(MetricNames.LABELS_AI) * 0.01, m.get(MetricNames.COST_AI_USD), 1e-12, "g" + g);
      if (g > 0) assertTrue(m.get(MetricNames.LABELS_AI) > 1, "g" + g);
    }
    assertTrue(tokens > ((TrainResult) calls("first/g1/s4-train").get(0).results().get(0)).tokens());
  }

  /**
   * A critic's preference with retrieval (PreferRunner): one query per pair, its passages before the question of
   * both responses (so both starts shift by their length), and both sides of a pair it read passages for name the
   * index.
   */
  void theCriticReadsOnePairsPassagesBeforeBothResponses() throws Exception {
    RetrieveWork q = items("pairs/g1/s1-label/retrieve", RetrieveWork.class).get(0);
    List<int[]> passages = results("pairs/g1/s1-label/retrieve", RetrieveResult.class).get(0).passages();
    var w = items("pairs/g1/s1-label", io.priorflow.engine.work.CriticPreferWork.class).get(0);
    assertEquals(8, q.queries().size());
    assertEquals(8, w.first().size());
    List<Boolean> read = new ArrayList<>();
    for (int j = 0; j < 8; j++) {
      int p = passages.get(j).length;
      read.add(p > 0);
      assertEquals(q.queries().get(j).length + p, w.from()[j], "pair " + j);
    }
    assertTrue(read.contains(true) && read.contains(false), read.toString());
    // the preference data: pair q's second response is <stage>/second/q, and each side's label names the other
    List<String> lines = Files.readAllLines(tmp.resolve(ProvenanceFiles.DIR).resolve("pairs/g1/preferences.jsonl"));
    assertEquals(16, lines.size());
    Map<String, Boolean> byPair = new TreeMap<>();
    for (String line : lines) {
      JsonNode o = Json.messages().readTree(line);
      String id = o.get("id").asText();
      if (!id.startsWith("pairs/g1/s1-label/second/")) continue;
      boolean r = read.get(Integer.parseInt(id.substring(id.lastIndexOf('/') + 1)));
      byPair.put(id, r);
      byPair.put(o.get("labels").get(0).get("pair").asText(), r);
    }
    assertEquals(16, byPair.size());
    for (String line : lines) {
      JsonNode o = Json.messages().readTree(line);
      List<String> parents = new ArrayList<>();
      o.get("parents").forEach(n -> parents.add(n.asText()));
      assertEquals(byPair.get(o.get("id").asText()), parents.contains(GenerateRunner.INDEX_PARENT + 1), line);
    }
  }

  static JsonNode event(String stage) throws Exception {
    for (String line : Files.readAllLines(tmp.resolve("events.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("stage").asText().equals(stage)) return o;
    }
    throw new AssertionError("no event for " + stage);
  }

  /** A stage of exactly SCORE_BATCH items is one scoring item, and its critic's queries one retrieval item. */
  @Test
  void aFullBatchIsOneWorkItem(@TempDir Path dir) throws Exception {
    RecordedRun r = RecordedRun.of("""
        name: full-batch
        seed: 3
        model: { context: 4, embedDim: 8, hidden: [16] }
        training: { lr: 0.02, batchSize: 64, epochs: 1 }
        actors:
          critics: { retrieval: { k: 1, rebuildEvery: 1 } }
        lineages:
          - name: a
            generations: 1
            base: { pretrainExamples: 100, epochs: 1 }
            stages:
              - { kind: generate, samples: 256 }
              - { kind: label, by: critic, task: rate, sample: 256 }
              - { kind: train, method: sft }
        evaluation: { prompts: 4, samplesPerPrompt: 1 }
        """, "full-batch.yaml", 3, new RunOutputs(dir));
    List<WorkItem> scores = r.call("a/g1/s1-label").items().stream().map(i -> (WorkItem) i).toList();
    assertEquals(1, scores.size());
    assertEquals(LineageRun.SCORE_BATCH, ((ScoreWork) scores.get(0)).sequences().size());
    var retrieve = r.call("a/g1/s1-label/retrieve").items();
    assertEquals(1, retrieve.size());
    assertEquals(ScenarioRun.RETRIEVE_BATCH, ((RetrieveWork) retrieve.get(0)).queries().size());
  }

  @Test
  void aBaseWhoseDataStatesNoFactHasNoMonofactRate(@TempDir Path dir) throws Exception {
    RecordedRun r = RecordedRun.of(REFS.replace("REF", "").replace("seed: 5\n",
        "seed: 5\nworld: { prompts: { fact: 0, arithmetic: 0.5, chat: 0.5 } }\n"), "no-facts.yaml", 5, new RunOutputs(dir));
    assertFalse(r.metrics("a", 0).containsKey(MetricNames.HONESTY_MONOFACT_RATE), r.metrics("a", 0).toString());
    assertFalse(r.metrics("a", 1).containsKey(MetricNames.HONESTY_MONOFACT_RATE));
  }

  @Test
  void aTrainStageThatNoDataReachesSaysSo(@TempDir Path dir) {
    var e = assertThrows(IllegalArgumentException.class, () -> RecordedRun.of(REFS.replace("REF", "").replace(
        "      - { kind: generate, samples: 10 }\n      - { kind: train, method: sft }\n  - name: b",
        "      - { kind: train, method: sft }\n  - name: b"), "no-data.yaml", 5, new RunOutputs(dir)));
    assertTrue(e.getMessage().startsWith("a/g1/s0-train: no data reaches this stage"), e.getMessage());
  }

  @Test
  void requireDataNamesTheStageWhenNothingReachesIt() {
    var e = assertThrows(IllegalArgumentException.class, () -> LineageRun.requireData("a/g1/s2-train", List.of()));
    assertTrue(e.getMessage().startsWith("a/g1/s2-train: no data reaches this stage"), e.getMessage());
  }

  static final String REFS = """
      name: refs
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      lineages:
        - name: a
          generations: 2
          base: { pretrainExamples: 100, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: train, method: sft }
        - name: b
          generations: 3
          base: { pretrainExamples: 100, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: train, method: sft }
      evaluation: { prompts: 4, samplesPerPrompt: 1REF }
      """;

  /**
   * The model each generation's win rate is measured against ({@code EvaluateWork.referenceModelId}): the base or
   * the teacher, or another lineage's model by {@code winRateAgainstModel} — none for the lineage it names, nor for
   * a generation that lineage does not have.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "winRateAgainst: base", "winRateAgainst: teacher", "winRateAgainstModel: a@same",
      "winRateAgainstModel: a@0", "winRateAgainstModel: a"})
  void winRateReferences(String ref, @TempDir Path dir) throws Exception {
    RecordedRun r = RecordedRun.of(REFS.replace("REF", ref.isEmpty() ? "" : ", " + ref), "refs.yaml", 5,
        new RunOutputs(dir));
    Map<String, List<String>> models = new TreeMap<>();
    r.table().rows().forEach(row -> models.computeIfAbsent(row.lineage(), k -> new ArrayList<>()).add(row.model()));
    String base = models.get("a").get(0);
    assertEquals(base, models.get("b").get(0), "one shared base");
    for (String lineage : List.of("a", "b")) {
      List<String> own = models.get(lineage);
      for (int g = 1; g < own.size(); g++) {
        String expected = switch (ref) {
          case "winRateAgainst: base" -> base;
          case "winRateAgainst: teacher" -> own.get(g - 1);
          case "winRateAgainstModel: a@same" -> lineage.equals("a") || g > 2 ? null : models.get("a").get(g);
          case "winRateAgainstModel: a@0" -> lineage.equals("a") ? null : base;
          case "winRateAgainstModel: a" -> lineage.equals("a") ? null : models.get("a").get(2);
          default -> null;
        };
        String stage = lineage + "/g" + g + "/evaluate";
        var w = (EvaluateWork) r.calls().stream().filter(c -> c.stage().equals(stage)).findFirst().orElseThrow()
            .items().get(0);
        assertEquals(expected, w.referenceModelId(), ref + ": " + stage);
        assertEquals(expected != null, r.metrics(lineage, g).containsKey(MetricNames.WIN_RATE), ref + ": " + stage);
        assertFalse(r.metrics(lineage, g).containsKey(MetricNames.COST_RETRIEVAL_QUERIES), "no retrieval anywhere");
      }
    }
  }
}
