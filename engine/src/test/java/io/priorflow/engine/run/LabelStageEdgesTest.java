package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.work.LabelResult;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.RetrieveResult;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LabelRunner's edges that LabelStageRunTest's run does not reach, against its Javadoc, each from a small run's
 * recorded work items, results and provenance/ (every label each datum carries): the critic rating by its score's
 * sign, its judgements against gold, its labels naming its model and the index it read (critic retrieval); the
 * data-engine assistant (a classifier trained on the lineage's human verdicts) pre-labelling; an assisted correct
 * stage's corrections carrying the pre-label; a constitution at temperature 0, whose score is exactly 0 for a
 * response none of its classifiers flags (accepted, as score ≥ 0 is); a stage with no data. Each test makes its run
 * inside itself (README, Mutation testing: PIT and {@code @BeforeAll}).
 */
class LabelStageEdgesTest {
  /** The critic reads passages from a frozen index; two humans. */
  static final String SCENARIO = """
      name: label-edges
      seed: 23
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.7 }
        critics: { count: 1, temperature: 0.4, retrieval: { k: 1, rebuildEvery: 0 } }
      lineages:
        - name: critic
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: critic, task: rate, sample: 20 }
            - { kind: train, method: kto, init: teacher }
        - name: assistant
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 60 }
            - { kind: label, by: humans, task: rate, sample: 40 }
            - { kind: label, by: humans, task: rate, sample: 15, assisted: true, assistant: classifier }
            - { kind: train, method: sft, init: scratch }
        - name: correct
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: humans, task: correct, sample: 20, assisted: true }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  /**
   * A constitution of one rule, "not toxic", at temperature 0: score = −2·clamp(classifier, 0, 1), so exactly 0
   * (accepted) for a response the classifier scores ≤ 0, and negative (rejected) otherwise.
   */
  static final String CONSTITUTION = """
      name: label-constitution
      seed: 29
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.05, batchSize: 16, epochs: 3 }
      actors:
        humans: { count: 2, accuracy: 0.7 }
        critics:
          temperature: 0
          constitution:
            rules: [ { trait: toxic, weight: 2, rule: forbids } ]
            trainingExamples: 2000
      lineages:
        - name: critic
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 60 }
            - { kind: label, by: critic, task: rate, sample: 50 }
            - { kind: train, method: sft, init: scratch }
        - name: assisted
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 60 }
            - { kind: label, by: humans, task: rate, sample: 50, assisted: true }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;
  RecordedRun recorded;
  Path dir;
  long seed;

  @Test
  void theCriticWithRetrievalTheAssistantClassifierAndAssistedCorrections() throws Exception {
    dir = tmp.resolve("edges");
    seed = 23;
    recorded = RecordedRun.of(SCENARIO, "label-edges.yaml", seed, new RunOutputs(dir).withProvenance(true));
    assertAll(this::theCriticRatesByTheSignOfItsScoreAgainstGoldNamingItsModelAndIndex,
        this::theAssistantLearnsFromTheHumanVerdictsAndPreLabelsWhatTheyAccept,
        this::anAssistedStagesCorrectionsCarryTheCriticsPreLabel);
  }

  @Test
  void aConstitutionAcceptsAScoreOfExactlyZeroAndPreLabelsOncePerClassifier() throws Exception {
    dir = tmp.resolve("constitution");
    seed = 29;
    recorded = RecordedRun.of(CONSTITUTION, "label-constitution.yaml", seed,
        new RunOutputs(dir).withProvenance(true));
    assertAll(this::theConstitutionAcceptsAtZero, this::theConstitutionsPreLabelsAreItsClassifiersLabels);
  }

  /** requireData: a rate stage that no data reaches fails, naming the stage, before it dispatches anything. */
  @Test
  void aLabelStageWithoutDataFailsNamingIt() {
    LabelStage s = new LabelStage(LabelStage.By.CRITIC, 5, LabelStage.Task.RATE, 0, 2, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelRunner.label(null, null, "empty/g1/s1-label", 1, s, List.of()));
    assertTrue(e.getMessage().startsWith("empty/g1/s1-label: no data reaches this stage"), e.getMessage());
  }

  // ---- helpers

  static List<int[]> generated(RecordedRun r, String lineage) {
    List<int[]> out = new ArrayList<>();
    r.call(lineage + "/g1/s0-generate").results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(x -> out.addAll(((SampleResult) x).sequences()));
    return out;
  }

  List<int[]> seqsOf(String lineage) {
    return generated(recorded, lineage);
  }

  static String id(String lineage, int j) {
    return lineage + "/g1/s0-generate/" + ScenarioRun.pad(j);
  }

  int[] chosen(String stage, int size, int n) {
    return LineageRun.sample(size, n, new RandomStreams(seed).forItem(stage + "/sample"));
  }

  /** The one call of {@code stage} whose items are of {@code type}. */
  Call call(String stage, Class<?> type) {
    List<Call> c = recorded.calls().stream().filter(x -> x.stage().equals(stage) && type.isInstance(x.items().get(0)))
        .toList();
    assertEquals(1, c.size(), stage + " " + type.getSimpleName());
    return c.get(0);
  }

  double[] scores(String stage, Class<?> type) {
    return ((ScoreResult) call(stage, type).results().get(0)).scores();
  }

  /** Retrieved passages of each sampled item, in sample order. */
  List<int[]> passages(String stage) {
    List<int[]> out = new ArrayList<>();
    recorded.call(stage + "/retrieve").results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((RetrieveResult) r).passages()));
    return out;
  }

  /** provenance/&lt;dataset&gt;.jsonl by datum id. */
  Map<String, JsonNode> provenance(String dataset) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve("provenance").resolve(dataset + ".jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      out.put(o.get("id").asText(), o);
    }
    return out;
  }

  static List<String> parents(JsonNode datum) {
    List<String> out = new ArrayList<>();
    datum.get("parents").forEach(x -> out.add(x.asText()));
    return out;
  }

  /** Fails unless {@code label} is a RATING label of this value, labeller kind, labeller and model. */
  static void assertLabel(JsonNode label, String kind, double value, String labeller, String labellerId, String model,
                          String what) {
    assertEquals(kind, label.get("kind").asText(), what);
    assertEquals(value, label.get("value").asDouble(), what);
    assertEquals(labeller, label.get("labeller").asText(), what);
    assertEquals(labellerId, label.get("labeller_id").asText(), what);
    if (model == null) {
      assertTrue(label.get("model").isNull(), what + ": " + label);
    } else {
      assertEquals(model, label.get("model").asText(), what);
    }
  }

  /** Per sampled place q: the verdict (and correction) of the human it went to (q mod 2, the q div 2-th of theirs). */
  static boolean[] verdicts(Call label, int n, List<int[]> corrections) {
    boolean[] v = new boolean[n];
    for (int w = 0; w < label.items().size(); w++) {
      LabelWork item = (LabelWork) label.items().get(w);
      int h = Integer.parseInt(item.labellerId().substring("human-".length()));
      LabelResult r = (LabelResult) label.results().get(w);
      int k = 0;
      for (int q = h; q < n; q += 2) {
        v[q] = r.accepted()[k];
        if (corrections != null) corrections.set(q, r.corrections().get(k));
        k++;
      }
      assertEquals(k, r.accepted().length);
    }
    return v;
  }

  // ---- the first run's checks

  /**
   * The critic accepts a sampled item when its score is ≥ 0; each verdict counts against gold (utility ≥ 0 is
   * good) in labels.gold_agreement.critic; each judged datum (kto reads all) carries one AI rating by the critic
   * naming its model, 1 accepted and 0 rejected, and names the index when the critic read passages for it.
   */
  void theCriticRatesByTheSignOfItsScoreAgainstGoldNamingItsModelAndIndex() throws Exception {
    String stage = "critic/g1/s1-label";
    int[] chosen = chosen(stage, 30, 20);
    List<int[]> seqs = generated(recorded, "critic");
    double[] scores = scores(stage, ScoreWork.class);
    String model = ((ScoreWork) call(stage, ScoreWork.class).items().get(0)).modelId();
    assertNotNull(model);
    List<int[]> passages = passages(stage);
    World world = recorded.world();
    Map<String, JsonNode> rated = provenance("critic/g1/ratings");
    assertEquals(20, rated.size());
    long agree = 0, accepted = 0, read = 0;
    boolean[] desirable = new boolean[20];
    for (int q = 0; q < 20; q++) {
      boolean accept = scores[q] >= 0;
      if (accept) accepted++;
      if (accept == world.at(1).oracle().score(seqs.get(chosen[q])).utility() >= 0) agree++;
      JsonNode d = rated.get(id("critic", chosen[q]));
      assertEquals(1, d.get("labels").size(), d.toString());
      assertLabel(d.get("labels").get(0), "rating", accept ? 1 : 0, "ai", ScenarioRun.CRITIC, model, "item " + q);
      assertEquals(passages.get(q).length == 0 ? List.of() : List.of("index@g0"), parents(d), "item " + q);
      if (passages.get(q).length > 0) read++;
      desirable[q] = accept;
    }
    assertTrue(accepted > 0 && accepted < 20, accepted + " accepted");
    assertTrue(read > 0 && read < 20, read + " read passages");
    assertEquals(agree / 20.0, recorded.metrics("critic", 1).get("labels.gold_agreement.critic"), 1e-12);
    // kto: the judged data in item order (the sample is sorted), accepted ones desirable
    TrainWork kto = (TrainWork) recorded.call("critic/g1/s2-train").items().get(0);
    assertArrayEquals(desirable, ((TrainParams.Kto) kto.params()).desirable());
    for (int q = 0; q < 20; q++) assertArrayEquals(seqs.get(chosen[q]), kto.sequences().get(q));
  }

  /**
   * The assistant is a classifier trained on every human verdict so far (each datum with the human's rating, 1 or
   * 0); it pre-labels the assisted stage's sample by its score's sign, and each item a human accepts goes on with
   * the human's rating, then the assistant's AI rating naming the classifier.
   */
  void theAssistantLearnsFromTheHumanVerdictsAndPreLabelsWhatTheyAccept() throws Exception {
    int[] chosen1 = chosen("assistant/g1/s1-label", 60, 40);
    boolean[] v1 = verdicts(recorded.call("assistant/g1/s1-label"), 40, null);
    Map<String, JsonNode> data = provenance("assistant/g1/s2-label/assistant-data");
    assertEquals(40, data.size());
    TrainWork assistantTraining = (TrainWork) recorded.call("assistant/g1/s2-label/assistant").items().get(0);
    int ones = 0;
    for (int q = 0; q < 40; q++) {
      JsonNode labels = data.get(id("assistant", chosen1[q])).get("labels");
      assertEquals(1, labels.size());
      assertLabel(labels.get(0), "rating", v1[q] ? 1 : 0, "human", "human-" + q % 2, null, "verdict " + q);
      if (v1[q]) ones++;
    }
    // its targets ±1, in the order judged: human-0's items, then human-1's
    int i = 0;
    for (int h = 0; h < 2; h++) {
      for (int q = h; q < 40; q += 2) {
        assertArrayEquals(seqsOf("assistant").get(chosen1[q]), assistantTraining.sequences().get(i));
        assertEquals(v1[q] ? 1.0 : -1.0, assistantTraining.targets()[i++], "target of verdict " + q);
      }
    }
    assertEquals(40, i);
    assertTrue(ones > 0 && ones < 40, ones + " accepted in the first stage");
    // the first stage's output: unsampled items and accepted ones, in item order
    boolean[] rejected = new boolean[60];
    for (int q = 0; q < 40; q++) rejected[chosen1[q]] = !v1[q];
    List<Integer> first = new ArrayList<>();
    for (int j = 0; j < 60; j++) if (!rejected[j]) first.add(j);
    int[] chosen2 = chosen("assistant/g1/s2-label", first.size(), 15);
    Call scored = call("assistant/g1/s2-label", ScoreWork.class);
    String classifier = ((TrainResult) recorded.call("assistant/g1/s2-label/assistant").results().get(0)).modelId();
    assertEquals(classifier, ((ScoreWork) scored.items().get(0)).modelId());
    double[] scores = ((ScoreResult) scored.results().get(0)).scores();
    boolean[] v2 = verdicts(call("assistant/g1/s2-label", LabelWork.class), 15, null);
    Map<String, JsonNode> out = provenance("assistant/g1/new");
    int preAccepts = 0, preRejects = 0;
    for (int q = 0; q < 15; q++) {
      String id = id("assistant", first.get(chosen2[q]));
      if (!v2[q]) {
        assertFalse(out.containsKey(id), id + " rejected, dropped");
        continue;
      }
      JsonNode labels = out.get(id).get("labels");
      int n = labels.size();
      assertTrue(n >= 2, labels.toString());
      assertLabel(labels.get(n - 2), "rating", 1, "human", "human-" + q % 2, null, "verdict " + q);
      boolean pre = scores[q] >= 0;
      assertLabel(labels.get(n - 1), "rating", pre ? 1 : 0, "ai", ScenarioRun.ASSISTANT, classifier, "pre-label " + q);
      if (pre) preAccepts++;
      else preRejects++;
    }
    assertTrue(preAccepts > 0 && preRejects > 0, preAccepts + " accepting and " + preRejects
        + " rejecting pre-labels on accepted items");
  }

  /**
   * An assisted correct stage: an accepted item goes on with the human's rating and the critic's pre-label; a
   * rejected one with a correction is replaced by it (id …/fix, the original its parent) carrying the human's
   * correction label and the same pre-label; both name the index when the critic read passages for the item.
   */
  void anAssistedStagesCorrectionsCarryTheCriticsPreLabel() throws Exception {
    String stage = "correct/g1/s1-label";
    int[] chosen = chosen(stage, 30, 20);
    List<int[]> fixes = new ArrayList<>(java.util.Collections.nCopies(20, (int[]) null));
    boolean[] v = verdicts(call(stage, LabelWork.class), 20, fixes);
    double[] scores = scores(stage, ScoreWork.class);
    String critic = ((ScoreWork) call(stage, ScoreWork.class).items().get(0)).modelId();
    List<int[]> passages = passages(stage);
    Map<String, JsonNode> out = provenance("correct/g1/new");
    int corrections = 0;
    for (int q = 0; q < 20; q++) {
      String orig = id("correct", chosen[q]);
      List<String> index = passages.get(q).length == 0 ? List.of() : List.of("index@g0");
      double pre = scores[q] >= 0 ? 1 : 0;
      if (v[q]) {
        JsonNode d = out.get(orig);
        JsonNode labels = d.get("labels");
        assertEquals(2, labels.size(), labels.toString());
        assertLabel(labels.get(0), "rating", 1, "human", "human-" + q % 2, null, orig);
        assertLabel(labels.get(1), "rating", pre, "ai", ScenarioRun.CRITIC, critic, orig + " pre-label");
        assertEquals(index, parents(d), orig);
        continue;
      }
      assertFalse(out.containsKey(orig), orig + " rejected");
      if (fixes.get(q).length == 0) {
        assertFalse(out.containsKey(orig + "/fix"));
        continue;
      }
      corrections++;
      JsonNode d = out.get(orig + "/fix");
      assertNotNull(d, orig + "/fix");
      assertEquals(fixes.get(q).length, d.get("prompt_tokens").asInt() + d.get("response_tokens").asInt());
      JsonNode labels = d.get("labels");
      assertEquals(2, labels.size(), labels.toString());
      assertLabel(labels.get(0), "correction", 1, "human", "human-" + q % 2, null, orig + "/fix");
      assertLabel(labels.get(1), "rating", pre, "ai", ScenarioRun.CRITIC, critic, orig + "/fix pre-label");
      List<String> expected = new ArrayList<>(List.of(orig));
      expected.addAll(index);
      assertEquals(expected, parents(d), orig + "/fix");
    }
    assertTrue(corrections > 0, "some corrections");
  }

  // ---- the constitution run's checks

  /**
   * Every sampled item whose constitution score is ≥ 0 — here exactly 0 — is accepted and goes on, with one AI
   * rating per classifier; every other is dropped.
   */
  void theConstitutionAcceptsAtZero() throws Exception {
    String stage = "critic/g1/s1-label";
    int[] chosen = chosen(stage, 60, 50);
    Call c = call(stage, ConstitutionWork.class);
    String classifier = ((ConstitutionWork) c.items().get(0)).constitution().rules().get(0).modelId();
    double[] scores = ((ScoreResult) c.results().get(0)).scores();
    List<int[]> seqs = generated(recorded, "critic");
    Map<String, JsonNode> out = provenance("critic/g1/new");
    int zeros = 0, negative = 0;
    for (int q = 0; q < 50; q++) {
      assertTrue(scores[q] <= 0, "one forbidding rule: score ≤ 0, was " + scores[q]);
      String id = id("critic", chosen[q]);
      if (scores[q] == 0) {
        zeros++;
        JsonNode labels = out.get(id).get("labels");
        assertEquals(1, labels.size(), labels.toString());
        assertLabel(labels.get(0), "rating", 1, "ai", ScenarioRun.CRITIC, classifier, id);
      } else {
        negative++;
        assertFalse(out.containsKey(id), id + " rejected");
      }
    }
    assertTrue(zeros > 0 && negative > 0, zeros + " scores of exactly 0, " + negative + " negative");
    List<String> kept = new ArrayList<>();
    boolean[] sampled = new boolean[60];
    for (int q = 0; q < 50; q++) {
      sampled[chosen[q]] = true;
      if (scores[q] >= 0) kept.add(Arrays.toString(seqs.get(chosen[q])));
    }
    for (int j = 0; j < 60; j++) if (!sampled[j]) kept.add(Arrays.toString(seqs.get(j)));
    List<String> trained = new ArrayList<>(((TrainWork) recorded.call("critic/g1/s2-train").items().get(0))
        .sequences().stream().map(Arrays::toString).toList());
    kept.sort(null);
    trained.sort(null);
    assertEquals(kept, trained);
  }

  /**
   * Pre-labels under a constitution: accept when the score is ≥ 0 (exactly 0 here), shown to the human, and on
   * each accepted item after the human's rating one AI rating per classifier by the critic (Constitution.labels).
   */
  void theConstitutionsPreLabelsAreItsClassifiersLabels() throws Exception {
    String stage = "assisted/g1/s1-label";
    int[] chosen = chosen(stage, 60, 50);
    Call c = call(stage, ConstitutionWork.class);
    String classifier = ((ConstitutionWork) c.items().get(0)).constitution().rules().get(0).modelId();
    double[] scores = ((ScoreResult) c.results().get(0)).scores();
    Call label = call(stage, LabelWork.class);
    for (int w = 0; w < label.items().size(); w++) {
      LabelWork item = (LabelWork) label.items().get(w);
      int h = Integer.parseInt(item.labellerId().substring("human-".length()));
      int k = 0;
      for (int q = h; q < 50; q += 2) assertEquals(scores[q] >= 0, item.preLabels()[k++], "pre-label " + q);
    }
    boolean[] v = verdicts(label, 50, null);
    Map<String, JsonNode> out = provenance("assisted/g1/new");
    int acceptedAtZero = 0, acceptedBelow = 0;
    for (int q = 0; q < 50; q++) {
      String id = id("assisted", chosen[q]);
      if (!v[q]) {
        assertFalse(out.containsKey(id));
        continue;
      }
      JsonNode labels = out.get(id).get("labels");
      assertEquals(2, labels.size(), labels.toString());
      assertLabel(labels.get(0), "rating", 1, "human", "human-" + q % 2, null, id);
      assertLabel(labels.get(1), "rating", scores[q] >= 0 ? 1 : 0, "ai", ScenarioRun.CRITIC, classifier,
          id + " pre-label");
      if (scores[q] == 0) acceptedAtZero++;
      else acceptedBelow++;
    }
    assertTrue(acceptedAtZero > 0 && acceptedBelow > 0, acceptedAtZero + " accepted items scored 0, "
        + acceptedBelow + " below");
  }
}
