package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.NumberText;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.work.EvaluateResult;
import io.priorflow.engine.work.EvaluateWork;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ScenarioRun, the director, against its Javadoc: one small run with every work item, result, listener call and
 * event recorded (an executor that reports one retry per call), checked for the critic's data, the bases shared
 * by model and settings and their data shared by size, pretraining's loss on all tokens, each stage's event, the
 * RLHF trace and best-of-n curve files, trainer lineage and provenance; and, in runs stopped at their first work
 * item, when a critic or a constitution is trained at all, which actors are declared, and what is rejected.
 */
class ScenarioRunItemsTest {
  static final String HEAD = """
      seed: 17
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      """;

  static final String SCENARIO = "name: director\n" + HEAD + """
      actors:
        humans: { count: 3, accuracy: 0.8, biases: { toxic: 0.2 }, individuals: { human-2: { absent: true } } }
      lineages:
        - name: a
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: label, by: humans, task: prefer, sample: 8 }
            - { kind: train, method: reward_model }
            - { kind: train, method: dpo, init: teacher }
        - name: b
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: train, method: lora, init: teacher, loraRank: 2 }
        - name: c
          generations: 1
          base: { pretrainExamples: 300, epochs: 2 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: train, method: rlhf, init: teacher, prompts: 8, samplesPerPrompt: 2 }
        - name: d
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: train, method: best_of_n, n: 2, prompts: 4 }
      evaluation: { prompts: 4, samplesPerPrompt: 2, bestOfN: 2 }
      """;

  @TempDir static Path tmp;
  static Recorded run;

  /** A run's calls, listener calls and table. */
  record Recorded(LoadedScenario loaded, List<Call> calls, List<String> heard, List<StageEvent> finished,
                  MetricsTable table, long millis) {
    Call call(String stage) {
      List<Call> c = calls.stream().filter(x -> x.stage().equals(stage)).toList();
      assertEquals(1, c.size(), stage);
      return c.get(0);
    }

    boolean has(String stage) { return calls.stream().anyMatch(c -> c.stage().equals(stage)); }
  }

  /** Thrown by the executor to end a run at its first matching item, before it is performed. */
  static final class Stop extends RuntimeException {
    Stop() { super("stop", null, false, false); }
  }

  /**
   * Runs {@code yaml} into {@code dir} through an executor that records every call and reports one more retry at
   * each; stops (with what it recorded so far) at the first call whose stage matches {@code stop}.
   */
  static Recorded record(String yaml, Path dir, Predicate<String> stop, boolean provenance) throws Exception {
    LoadedScenario loaded = ScenarioLoader.parse(yaml, "run.yaml", List.of());
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    List<String> heard = new ArrayList<>();
    List<StageEvent> finished = new ArrayList<>();
    long t0 = System.nanoTime();
    try (KernelBackend be = Backends.create("java", 1)) {
      MemoryModelStore store = new MemoryModelStore();
      WorkContext ctx = ScenarioRun.context(loaded.scenario(), store, be);
      LocalExecutor local = new LocalExecutor(ctx);
      AtomicLong retries = new AtomicLong();
      WorkExecutor recording = new WorkExecutor() {
        @Override public List<WorkResult> execute(String stage, List<? extends WorkItem> items)
            throws InterruptedException {
          if (stop.test(stage)) throw new Stop();
          List<WorkResult> r = local.execute(stage, items);
          calls.add(new Call(stage, List.copyOf(items), r));
          retries.incrementAndGet();
          return r;
        }

        @Override public long retries() { return retries.get(); }
      };
      RunLineage lineage = RunLineage.current(loaded.sha256(), 17, List.of(), be.name(), be.device());
      ScenarioRun.Listener listener = new ScenarioRun.Listener() {
        @Override public void stageStarted(String stage, String kind, int items) {
          heard.add(stage + " " + kind + " " + items);
        }

        @Override public void stageFinished(StageEvent event) { finished.add(event); }
      };
      MetricsTable table = null;
      try {
        table = new ScenarioRun(loaded, ctx.world(), store, recording,
            new RunOutputs(dir).withProvenance(provenance), lineage, listener).run();
      } catch (Stop expected) {
        // the run ends here, by design
      }
      return new Recorded(loaded, List.copyOf(calls), heard, finished, table, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The one recorded run the checks below read. */
  static void runAll() throws Exception {
    run = record(SCENARIO, tmp, s -> false, true);
  }

  /** The work item of that id, and its result. */
  static WorkItem item(String id) {
    return run.calls().stream().flatMap(c -> c.items().stream()).filter(i -> i.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no item " + id));
  }

  static WorkResult result(String id) {
    for (Call c : run.calls()) {
      for (int i = 0; i < c.items().size(); i++) if (c.items().get(i).id().equals(id)) return c.results().get(i);
    }
    throw new AssertionError("no item " + id);
  }

  static TrainWork trainWork(String id) { return (TrainWork) item(id); }

  static String modelOf(String id) { return ((TrainResult) result(id)).modelId(); }

  /**
   * The run and its checks, as one test: PIT does not credit a {@code @BeforeAll}'s coverage to the tests that
   * read its results (pitest issue 1081; in some test orders it is lost, in others it goes to one test), so a
   * mutant there would go unasked. assertAll still reports every check that fails.
   */
  @Test
  void theRecordedRunFollowsScenarioRunsJavadoc() throws Exception {
    runAll();
    assertAll(
        this::theCriticFitsTheGoldUtilityOfAThousandWorldExamples,
        this::basesAreSharedByModelAndSettingsAndTheirDataBySize,
        this::everyStageIsHeardAndEachNonLabelStageHasItsEvent,
        this::rlhfStepsGoToTheTraceFile,
        this::bestOfNCurvesGoToTheirFile,
        this::trainerLineageRecordsLoraAndParamsOnlyWhenSet,
        this::provenanceHasEveryTrainingDataset,
        this::actorsAreDeclaredWithTheirParameters);
  }

  void theCriticFitsTheGoldUtilityOfAThousandWorldExamples() {
    TrainWork w = trainWork("critic/train");
    // max(1000, pretrainExamples / 4) = max(1000, 75)
    assertEquals(1000, w.sequences().size());
    assertEquals("score_regression", w.method());
    var world = ScenarioRun.world(run.loaded().scenario());
    for (int i = 0; i < w.sequences().size(); i++) {
      int[] s = w.sequences().get(i);
      assertEquals(world.oracle().score(s).utility(), w.targets()[i], 0, "example " + i);
      assertTrue(w.lossFrom()[i] > 1 && w.lossFrom()[i] < s.length, "the response's start");
    }
  }

  void basesAreSharedByModelAndSettingsAndTheirDataBySize() {
    // a and b ask for the same base; c's differs in its epochs: base-1, trained on base's data
    List<String> pretrains = run.calls().stream().flatMap(c -> c.items().stream()).map(WorkItem::id)
        .filter(s -> s.endsWith("/pretrain")).toList();
    assertEquals(List.of("base/pretrain", "base-1/pretrain"), pretrains);
    TrainWork base = trainWork("base/pretrain"), other = trainWork("base-1/pretrain");
    assertEquals(300, base.sequences().size());
    assertEquals(1, base.epochs());
    assertEquals(2, other.epochs());
    for (int i = 0; i < 300; i++) assertArrayEquals(base.sequences().get(i), other.sequences().get(i));
    // pretraining's loss is on every token after the first
    for (int f : base.lossFrom()) assertEquals(1, f);
    assertEquals(modelOf("base/pretrain"), run.table().rows().stream().filter(r -> r.lineage().equals("b")
        && r.generation() == 0).findFirst().orElseThrow().model());
    assertEquals(modelOf("base-1/pretrain"), run.table().rows().stream().filter(r -> r.lineage().equals("c")
        && r.generation() == 0).findFirst().orElseThrow().model());
    // a shared base is evaluated once
    assertEquals(1, run.calls().stream().flatMap(c -> c.items().stream())
        .filter(i -> i instanceof EvaluateWork && i.id().equals("base/evaluate")).count());
    // a lineage's training set keeps the loss on responses
    TrainWork lora = trainWork("b/g1/s1-train/0");
    for (int i = 0; i < lora.sequences().size(); i++) assertTrue(lora.lossFrom()[i] > 1, "response start " + i);
  }

  void everyStageIsHeardAndEachNonLabelStageHasItsEvent() throws Exception {
    List<String> lines = Files.readAllLines(tmp.resolve("events.jsonl"));
    assertEquals(run.finished().size(), lines.size());
    // the listener hears each call's start with its kind and items, in order
    List<String> starts = new ArrayList<>();
    for (Call c : run.calls()) starts.add(c.stage() + " ");
    assertEquals(run.calls().size(), run.heard().size());
    for (int i = 0; i < starts.size(); i++) {
      assertTrue(run.heard().get(i).startsWith(starts.get(i)), run.heard().get(i));
      assertTrue(run.heard().get(i).endsWith(" " + run.calls().get(i).items().size()), run.heard().get(i));
    }
    int k = 0;
    for (StageEvent e : run.finished()) {
      JsonNode o = Json.messages().readTree(lines.get(k++));
      assertEquals(e.stage(), o.get("stage").asText());
      if (e.kind().equals("label") || e.kind().equals("filter") || e.kind().equals("redteam")) continue;
      Call c = run.calls().stream().filter(x -> x.stage().equals(e.stage())).findFirst().orElseThrow();
      long tokens = c.results().stream().mapToLong(r -> r instanceof TrainResult t ? t.tokens() : 0).sum();
      assertEquals(tokens, e.trainTokens(), e.stage());
      assertEquals(c.items().size(), e.items(), e.stage());
      assertEquals(c.results().size(), e.data(), e.stage());
      assertEquals(1, e.retries(), e.stage() + ": the executor reports one retry per call");
      assertTrue(e.wallMillis() >= 0 && e.wallMillis() <= run.millis(), e.stage() + " " + e.wallMillis());
    }
    assertTrue(run.finished().stream().anyMatch(e -> e.trainTokens() > 0));
    assertTrue(run.heard().contains("critic critic 1"));
    assertTrue(run.heard().contains("base pretrain 1"));
    assertTrue(run.heard().contains("a/g1/s3-train train 1"));
  }

  void rlhfStepsGoToTheTraceFile() throws Exception {
    TrainResult r = (TrainResult) result("c/g1/s1-train/0");
    assertFalse(r.trace().isEmpty());
    List<String> lines = Files.readAllLines(tmp.resolve(RunOutputs.RLHF_TRACE));
    assertEquals("lineage,generation,replicate,step,proxy_reward,gold_reward,kl,objective,algorithm", lines.get(0));
    assertEquals(r.trace().size() + 1, lines.size());
    for (int i = 0; i < r.trace().size(); i++) {
      var s = r.trace().get(i);
      assertEquals(String.join(",", "c", "1", "0", Integer.toString(s.step()), NumberText.format(s.proxyReward()),
          NumberText.format(s.goldReward()), NumberText.format(s.kl()), NumberText.format(s.objective()),
          s.algorithm()), lines.get(i + 1));
    }
    // the prompts stand for the rollouts learnt from: the dataset's mass is the tokens trained on (best_of_n too)
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    for (String id : List.of("c/g1/s1-train/0", "d/g1/s1-train/0")) {
      TrainResult t = (TrainResult) result(id);
      var trained = g.model(t.modelId()).training().datasets();
      assertEquals(1, trained.size(), id);
      assertEquals(t.tokens(), g.dataset(trained.get(0)).tokens(), id);
      assertTrue(t.tokens() != trainWork(id).sequences().stream().mapToLong(x -> x.length).sum(), id);
    }
  }

  void bestOfNCurvesGoToTheirFile() throws Exception {
    // a lineage's reward model, once trained, is its evaluation's proxy reward; the others' is the critic
    assertEquals(modelOf("a/g1/s2-train/0"), ((EvaluateWork) item("a/g1/evaluate/0")).rewardModelId());
    assertEquals(modelOf("critic/train"), ((EvaluateWork) item("b/g1/evaluate/0")).rewardModelId());
    assertEquals(modelOf("critic/train"), ((EvaluateWork) item("base/evaluate")).rewardModelId());
    List<String> expected = new ArrayList<>(List.of("lineage,generation,replicate,n,kl_bound,proxy_reward,gold_reward"));
    // each lineage's rows: its base's evaluation (shared by a and b), then its generation's
    for (String[] l : new String[][] {{"a", "base"}, {"b", "base"}, {"c", "base-1"}, {"d", "base"}}) {
      for (int g = 0; g <= 1; g++) {
        String id = g == 0 ? l[1] + "/evaluate" : l[0] + "/g1/evaluate/0";
        assertEquals(2, ((EvaluateWork) item(id)).bestOfN());
        var curve = ((EvaluateResult) result(id)).bestOfNCurve();
        assertFalse(curve.isEmpty(), id);
        String lineage = l[0];
        for (var p : curve) {
          expected.add(String.join(",", lineage, Integer.toString(g), "0", Integer.toString(p.n()),
              NumberText.format(p.klBound()), NumberText.format(p.proxyReward()), NumberText.format(p.goldReward())));
        }
      }
    }
    assertEquals(expected, Files.readAllLines(tmp.resolve(RunOutputs.BEST_OF_N_CURVE)));
  }

  void trainerLineageRecordsLoraAndParamsOnlyWhenSet() throws Exception {
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    var dpo = g.model(modelOf("a/g1/s3-train/0")).training().trainer().config();
    var lora = g.model(modelOf("b/g1/s1-train/0")).training().trainer().config();
    var base = g.model(modelOf("base/pretrain")).training().trainer().config();
    assertEquals(trainWork("a/g1/s3-train/0").params().toString(), dpo.get("params"));
    assertFalse(dpo.containsKey("lora"));
    assertEquals(trainWork("b/g1/s1-train/0").lora().toString(), lora.get("lora"));
    assertFalse(base.containsKey("lora") || base.containsKey("params"), base.toString());
    assertEquals("1", base.get("epochs"));
  }

  void provenanceHasEveryTrainingDataset() {
    Path dir = tmp.resolve(ProvenanceFiles.DIR);
    assertTrue(Files.isRegularFile(dir.resolve("base/pretrain-data.jsonl")));
    assertTrue(Files.isRegularFile(dir.resolve("critic/data.jsonl")));
  }

  void actorsAreDeclaredWithTheirParameters() throws Exception {
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    for (int i = 0; i < 3; i++) {
      var h = g.actor(ScenarioRun.humanId(i));
      assertNotNull(h, "human " + i);
      assertEquals("human", h.role());
      assertEquals("0.8", h.params().get("accuracy"));
      assertEquals(i == 2 ? "true" : null, h.params().get("absent"), "human " + i);
      assertEquals("0.2", h.params().get("bias.toxic"), "human " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> g.actor(ScenarioRun.humanId(3)));
    assertEquals("generator", g.actor(ScenarioRun.GENERATOR).role());
    assertEquals("trainer", g.actor(ScenarioRun.TRAINER).role());
    assertThrows(IllegalArgumentException.class, () -> g.actor(ScenarioRun.redTeamerId(0)), "no red teamers");
  }

  static final String RED_TEAM = "name: red\n" + HEAD + """
      actors:
        humans: { count: 1 }
        redTeamers: { count: 2, budget: 3 }
      lineages:
        - name: a
          generations: 1
          base: { pretrainExamples: 100, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: redteam, trait: toxic, by: human }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @Test
  void redTeamersAreDeclaredWhenARedTeamStageRuns(@TempDir Path dir) throws Exception {
    record(RED_TEAM, dir, s -> s.startsWith("a/g1/"), false);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(dir.resolve("lineage.json")));
    for (int i = 0; i < 2; i++) {
      assertEquals("red_teamer", g.actor(ScenarioRun.redTeamerId(i)).role());
      assertEquals(Map.of("budget", "3"), g.actor(ScenarioRun.redTeamerId(i)).params());
    }
    assertThrows(IllegalArgumentException.class, () -> g.actor(ScenarioRun.redTeamerId(2)));
    assertEquals("human", g.actor(ScenarioRun.humanId(0)).role());
    assertThrows(IllegalArgumentException.class, () -> g.actor(ScenarioRun.humanId(1)));
  }

  static String oneLineage(String actors, String stages, String evaluation) {
    return "name: first-item\n" + HEAD + actors + """
        lineages:
          - name: a
            generations: 1
            base: { pretrainExamples: 100, epochs: 1 }
            stages:
              - { kind: generate, samples: 10 }
        """ + stages + "evaluation: { prompts: 4, samplesPerPrompt: 2" + evaluation + " }\n";
  }

  static final String CONSTITUTION = """
      actors:
        critics:
          constitution:
            rules: [ { trait: toxic, weight: 2, rule: forbids }, { trait: correct, weight: 1, rule: asks } ]
            trainingExamples: 50
      """;

  /**
   * The first work item of a run says what it trains before the bases: the critic only when something scores with
   * it (a critic's filter, label or pre-label without a constitution, rlhf, best_of_n, online_dpo judged by the
   * critic, best-of-n at evaluation), the constitution's classifiers only when something judges with the critic.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "plain|train, method: sft||base",
      "plain|filter, by: critic, keepFraction: 0.5; train, method: sft||critic",
      "plain|filter, by: gold, keepFraction: 0.5; train, method: sft||base",
      "plain|label, by: critic, task: rate, sample: 4; train, method: sft||critic",
      "humans|label, by: humans, task: rate, sample: 4; train, method: sft||base",
      "humans|label, by: humans, task: rate, sample: 4, assisted: true; train, method: sft||critic",
      "plain|train, method: rlhf, prompts: 4||critic",
      "plain|train, method: best_of_n, n: 2, prompts: 4||critic",
      "plain|train, method: online_dpo, by: critic||critic",
      "humans|train, method: online_dpo, by: humans||base",
      "plain|train, method: sft|, bestOfN: 2|critic",
      "constitution|filter, by: critic, keepFraction: 0.5; train, method: sft||classifier/toxic",
      "constitution|label, by: critic, task: rate, sample: 4; train, method: sft||classifier/toxic",
      "constitution|train, method: sft||base",
      "constitution|train, method: rlhf, prompts: 4||critic",
  })
  void theFirstItemTrainsOnlyWhatTheScenarioUses(String actors, String stages, String evaluation, String first,
                                                   @TempDir Path dir) throws Exception {
    String a = switch (actors) {
      case "humans" -> "actors: { humans: { count: 1 } }\n";
      case "constitution" -> CONSTITUTION;
      default -> "";
    };
    StringBuilder yaml = new StringBuilder();
    for (String st : stages.split(";")) yaml.append("      - { kind: ").append(st.strip()).append(" }\n");
    List<String> seen = new ArrayList<>();
    record(oneLineage(a, yaml.toString(), evaluation == null ? "" : evaluation), dir, seen::add, false);
    assertEquals(first, seen.get(0));
  }

  @Test
  void aConstitutionJudgesWithItsClassifiersInsteadOfTheCritic(@TempDir Path dir) throws Exception {
    Recorded r = record(oneLineage(CONSTITUTION, "      - { kind: filter, by: critic, keepFraction: 0.5 }\n"
        + "      - { kind: train, method: sft }\n", ""), dir, s -> false, true);
    assertFalse(r.has("critic"));
    // one classifier per rule, each trained on the rule's examples
    assertEquals(50, ((TrainWork) r.call("classifier/toxic").items().get(0)).sequences().size());
    assertEquals(50, ((TrainWork) r.call("classifier/correct").items().get(0)).sequences().size());
    assertTrue(r.call("a/g1/s1-filter").items().get(0) instanceof ConstitutionWork);
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(dir.resolve("lineage.json")));
    assertEquals(Map.of("temperature", "1.0", "constitution", "[not toxic, correct]"),
        g.actor(ScenarioRun.CRITIC).params());
    // each kept datum carries one keep label per rule's classifier, none naming a critic model
    List<String> lines = Files.readAllLines(dir.resolve(ProvenanceFiles.DIR).resolve("a/g1/new.jsonl"));
    assertEquals(5, lines.size(), "half of 10");
    for (String line : lines) {
      List<String> keep = new ArrayList<>();
      Json.messages().readTree(line).get("labels").forEach(x -> {
        if (x.get("kind").asText().equals("keep")) keep.add(x.get("model").asText());
      });
      assertEquals(List.of(modelOf(r, "classifier/toxic/train"), modelOf(r, "classifier/correct/train")), keep, line);
    }
  }

  static String modelOf(Recorded r, String id) {
    for (Call c : r.calls()) {
      for (int i = 0; i < c.items().size(); i++) {
        if (c.items().get(i).id().equals(id)) return ((TrainResult) c.results().get(i)).modelId();
      }
    }
    throw new AssertionError("no item " + id);
  }

  /**
   * A trait classifier is trained once per (trait, examples, noise): a red team's detector of a trait the
   * constitution also judges is a second one ({@code classifier/toxic-1}, of classifierExamples() = 1000
   * examples), and a second red-team stage reuses it.
   */
  @Test
  void traitClassifiersAreTrainedOncePerSettings(@TempDir Path dir) throws Exception {
    Recorded r = record("name: detectors\n" + HEAD + """
        actors:
          redTeamers: { count: 1, budget: 2 }
          critics:
            constitution: { rules: [ { trait: toxic, weight: 1, rule: forbids } ], trainingExamples: 50 }
        lineages:
          - name: a
            generations: 1
            base: { pretrainExamples: 300, epochs: 1 }
            stages:
              - { kind: generate, samples: 10 }
              - { kind: filter, by: critic, keepFraction: 0.5 }
              - { kind: redteam, trait: toxic, by: ai }
              - { kind: redteam, trait: toxic, by: ai }
              - { kind: train, method: dpo, init: teacher }
        evaluation: { prompts: 4, samplesPerPrompt: 1 }
        """, dir, s -> s.startsWith("a/g1/s4"), false);
    List<String> classifiers = r.calls().stream().map(Call::stage).filter(s -> s.startsWith("classifier/")).toList();
    assertEquals(List.of("classifier/toxic", "classifier/toxic-1"), classifiers);
    assertEquals(50, ((TrainWork) r.call("classifier/toxic").items().get(0)).sequences().size());
    assertEquals(1000, ((TrainWork) r.call("classifier/toxic-1").items().get(0)).sequences().size(),
        "max(1000, 300 / 4)");
  }

  /** A resumed run's stages answered from its checkpoint keep their one events.jsonl line and are not heard again. */
  @Test
  void stagesReplayedFromACheckpointAreNotReportedTwice(@TempDir Path dir) throws Exception {
    String yaml = oneLineage("", "      - { kind: train, method: sft }\n", "");
    LoadedScenario loaded = ScenarioLoader.parse(yaml, "resume.yaml", List.of());
    List<StageEvent> heard = new ArrayList<>();
    for (int attempt = 0; attempt < 2; attempt++) {
      int stopAt = attempt == 0 ? 3 : Integer.MAX_VALUE;
      heard.clear();
      try (KernelBackend be = Backends.create("java", 1)) {
        MemoryModelStore store = new MemoryModelStore();
        WorkContext ctx = ScenarioRun.context(loaded.scenario(), store, be);
        LocalExecutor local = new LocalExecutor(ctx);
        int[] calls = {0};
        WorkExecutor stopping = (stage, items) -> {
          if (calls[0]++ == stopAt) throw new Stop();
          return local.execute(stage, items);
        };
        RunOutputs outputs = new RunOutputs(dir);
        CheckpointExecutor cp = new CheckpointExecutor(outputs, stopping, store);
        RunLineage lineage = RunLineage.current(loaded.sha256(), 17, List.of(), be.name(), be.device());
        try {
          new ScenarioRun(loaded, ctx.world(), store, cp, outputs, lineage, new ScenarioRun.Listener() {
            @Override public void stageFinished(StageEvent e) { heard.add(e); }
          }).run();
          assertEquals(3, cp.replayed());
        } catch (Stop expected) {
          assertEquals(0, attempt);
        }
      }
    }
    List<String> stages = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
      stages.add(Json.messages().readTree(line).get("stage").asText());
    }
    assertEquals(stages.stream().distinct().toList(), stages, "one line per stage");
    assertEquals(stages.subList(3, stages.size()), heard.stream().map(StageEvent::stage).toList(),
        "the resumed run reports only the stages it performed");
  }

  @Test
  void stageAndGenerationOfAnItemId() {
    assertEquals("critic", ScenarioRun.stageOf("critic"));
    assertEquals("a/g1/s0-generate", ScenarioRun.stageOf("a/g1/s0-generate/000003"));
    assertEquals(12, ScenarioRun.generationOf("a/g12/s0-train/0"));
    assertEquals(0, ScenarioRun.generationOf("base/pretrain"));
    assertEquals(0, ScenarioRun.generationOf("a/gx/g/s0"));
    assertEquals("000042", ScenarioRun.pad(42));
  }

  @Test
  void checksWhatThisBuildCannotRun() {
    // the validator rejects such a lineage first, so the scenario is built here without it
    LoadedScenario valid = ScenarioLoader.parse(oneLineage("", "      - { kind: train, method: sft }\n", ""), "t.yaml",
        List.of());
    var s = valid.scenario();
    var l = s.lineages().get(0);
    var generateOnly = new io.priorflow.engine.scenario.LineageSpec(l.name(), l.model(), l.generations(), l.base(),
        l.data(), l.stages().subList(0, 1), l.retrieval());
    LoadedScenario noTrain = new LoadedScenario(new io.priorflow.engine.scenario.Scenario(s.name(), s.description(),
        s.seed(), s.world(), s.analytic(), s.model(), s.models(), s.training(), s.actors(), List.of(generateOnly),
        s.evaluation()), valid.resolvedYaml(), valid.sha256(), valid.sweep(), valid.counterfactuals(), valid.shapley());
    var e = assertThrows(IllegalArgumentException.class, () -> ScenarioRun.checkSupported(noTrain.scenario()));
    assertEquals("lineage a has no train stage, so no generation would make a student", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ScenarioRun(noTrain, null, null, null, null, null, null));
    LoadedScenario analytic = ScenarioLoader.parse("""
        name: g
        seed: 9
        analytic: { kind: gaussian, samples: 12, estimator: mle }
        lineages:
          - { name: replace, generations: 3, data: { policy: replace } }
        """, "analytic.yaml", List.of());
    ScenarioRun.checkSupported(analytic.scenario()); // an analytic world ignores its stages
    var an = analytic.scenario();
    var al = an.lineages().get(0);
    var untrained = new io.priorflow.engine.scenario.Scenario(an.name(), an.description(), an.seed(), an.world(),
        an.analytic(), an.model(), an.models(), an.training(), an.actors(), List.of(new
        io.priorflow.engine.scenario.LineageSpec(al.name(), al.model(), al.generations(), al.base(), al.data(),
        l.stages().subList(0, 1), null)), an.evaluation());
    ScenarioRun.checkSupported(untrained); // even with no train stage
    var a = assertThrows(IllegalArgumentException.class,
        () -> new ScenarioRun(analytic, null, null, null, null, null, null));
    assertEquals("an analytic scenario runs with AnalyticRun, not ScenarioRun", a.getMessage());
  }

  @Test
  void resultsDoNotDependOnHowManyActorsShareTheWork() {
    String deployed = oneLineage("""
        actors:
          humans: { count: 3 }
          critics: { count: 4, temperature: 0.3 }
          generators: { count: 5 }
          retrievers: { count: 2, recall: 0.9 }
        """, "      - { kind: train, method: sft }\n", "");
    var s = ScenarioLoader.parse(deployed, "d.yaml", List.of()).scenario();
    var one = ScenarioRun.withoutDeployment(s);
    assertEquals(1, one.actors().critics().count());
    assertEquals(0.3, one.actors().critics().temperature());
    assertEquals(1, one.actors().generators().count());
    assertEquals(1, one.actors().retrievers().count());
    assertEquals(0.9, one.actors().retrievers().recall());
    assertEquals(3, one.actors().humans().count(), "each human is a distinct person");
    assertEquals(s.lineages(), one.lineages());
    String plain = oneLineage("actors: { humans: { count: 3 } }\n", "      - { kind: train, method: sft }\n", "");
    var p = ScenarioLoader.parse(plain, "p.yaml", List.of()).scenario();
    assertNull(ScenarioRun.withoutDeployment(p).actors().retrievers());
    // one instance of each actor but the retrievers' recall: only the retrievers' settings tell them apart
    assertFalse(ScenarioRun.resultSha256(s).equals(ScenarioRun.resultSha256(p)));
    var sameButCounts = ScenarioLoader.parse(deployed.replace("count: 4", "count: 2").replace("count: 5",
        "count: 1"), "d2.yaml", List.of()).scenario();
    assertEquals(ScenarioRun.resultSha256(s), ScenarioRun.resultSha256(sameButCounts));
    assertFalse(ScenarioRun.resultSha256(s).equals(ScenarioRun.resultSha256(ScenarioLoader.parse(
        deployed.replace("humans: { count: 3 }", "humans: { count: 2 }"), "d3.yaml", List.of()).scenario())));
    assertEquals(64, ScenarioRun.resultSha256(s).length());
  }
}
