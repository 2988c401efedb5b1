package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.LabelResult;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.nio.file.Files;
import io.priorflow.engine.run.RecordedRun.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label stage's rate, correct and demonstrate tasks through a small run, against LabelRunner's Javadoc, from the
 * work items and results a recording executor sees: a uniform sample handed round robin (item q to labeller q mod
 * count, an absent labeller's items passing unchecked); accepted items kept with a rating, rejected ones dropped or
 * replaced by the human's correction; the critic judging by its score's sign; an assisted stage's pre-labels;
 * demonstrations added after the data; what kto and sft then train on; events and counters.
 */
class LabelStageRunTest {
  static final String SCENARIO = """
      name: label
      seed: 21
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, accuracy: 0.7, individuals: { human-2: { absent: true } } }
        critics: { count: 1, temperature: 0.4 }
      lineages:
        - name: rate
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: humans, task: rate, sample: 20 }
            - { kind: train, method: sft, init: scratch }
        - name: correct
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: humans, task: correct, sample: 20 }
            - { kind: train, method: kto, init: teacher }
        - name: critic
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: critic, task: rate, sample: 20 }
            - { kind: train, method: sft, init: scratch }
        - name: assisted
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: humans, task: rate, sample: 20, assisted: true }
            - { kind: train, method: sft, init: scratch }
        - name: demo
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 10 }
            - { kind: label, by: humans, task: demonstrate, sample: 7 }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;

  static void run() throws Exception {
    recorded = RecordedRun.of(SCENARIO, "label.yaml", 21, new RunOutputs(tmp));
  }

  /**
   * The run and every check of it in one test: PIT credits a {@code @BeforeAll}'s coverage to one test or none
   * (README, Mutation testing), so the run is made here and each check below is one part of the assertAll.
   */
  @Test
  void oneRecordedRunsLabelStages() throws Exception {
    run();
    org.junit.jupiter.api.Assertions.assertAll(this::humansRateTheirRoundRobinShareAndRejectedItemsAreDropped, this::correctionsReplaceRejectedItemsAndKtoReadsEveryVerdict, this::theCriticAcceptsByTheSignOfItsScore, this::anAssistedStageShowsTheCriticsPreLabels, this::demonstrationsAreAddedAfterTheData);
  }

  static Call call(String stage) {
    return recorded.call(stage);
  }

  static Map<String, Double> metrics(String lineage) {
    return recorded.metrics(lineage, 1);
  }

  /** The generated sequences and their prompts, by item index. */
  static List<int[]> generated(String lineage) {
    List<int[]> out = new ArrayList<>();
    call(lineage + "/g1/s0-generate").results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((SampleResult) r).sequences()));
    return out;
  }

  static List<int[]> prompts(String lineage) {
    List<int[]> out = new ArrayList<>();
    call(lineage + "/g1/s0-generate").items().forEach(i -> out.addAll(((SampleWork) i).prompts()));
    return out;
  }

  static int[] chosen(String lineage) {
    return LineageRun.sample(30, 20, new RandomStreams(21).forItem(lineage + "/g1/s1-label/sample"));
  }

  static List<String> sorted(List<int[]> seqs) {
    List<String> out = new ArrayList<>(seqs.stream().map(Arrays::toString).toList());
    out.sort(null);
    return out;
  }

  static List<String> trained(String lineage) {
    return sorted(((TrainWork) call(lineage + "/g1/s2-train").items().get(0)).sequences());
  }

  static JsonNode event(String stage) throws Exception {
    for (String line : Files.readAllLines(tmp.resolve("events.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("stage").asText().equals(stage)) return o;
    }
    throw new AssertionError("no event for " + stage);
  }

  /** Per item index: the verdict of the human it was handed to, or null when it passed unchecked. */
  static Boolean[] verdicts(String lineage, List<int[]> corrections) {
    int[] chosen = chosen(lineage);
    Call label = call(lineage + "/g1/s1-label");
    Boolean[] v = new Boolean[30];
    for (int w = 0; w < label.items().size(); w++) {
      LabelWork item = (LabelWork) label.items().get(w);
      int h = Integer.parseInt(item.labellerId().substring("human-".length()));
      LabelResult r = (LabelResult) label.results().get(w);
      int k = 0;
      for (int q = h; q < 20; q += 3) {
        v[chosen[q]] = r.accepted()[k];
        if (corrections != null) corrections.set(chosen[q], r.corrections().get(k));
        k++;
      }
    }
    return v;
  }

  void humansRateTheirRoundRobinShareAndRejectedItemsAreDropped() throws Exception {
    int[] chosen = chosen("rate");
    List<int[]> seqs = generated("rate"), prompts = prompts("rate");
    Call label = call("rate/g1/s1-label");
    assertEquals(List.of("rate/g1/s1-label/000000", "rate/g1/s1-label/000001"),
        label.items().stream().map(WorkItem::id).toList(), "human-2 is absent");
    for (WorkItem i : label.items()) {
      LabelWork w = (LabelWork) i;
      int h = Integer.parseInt(w.labellerId().substring("human-".length()));
      List<Integer> mine = new ArrayList<>();
      for (int q = h; q < 20; q += 3) mine.add(chosen[q]);
      assertEquals(mine.size(), w.sequences().size());
      for (int k = 0; k < mine.size(); k++) {
        assertArrayEquals(seqs.get(mine.get(k)), w.sequences().get(k));
        assertArrayEquals(prompts.get(mine.get(k)), w.prompts().get(k).tokens());
      }
      assertEquals("rate", w.task());
      assertNull(w.preLabels());
      assertEquals(0.0, w.hoursBefore());
    }
    Boolean[] v = verdicts("rate", null);
    List<int[]> kept = new ArrayList<>();
    long rejected = 0;
    for (int j = 0; j < 30; j++) {
      if (v[j] == null || v[j]) kept.add(seqs.get(j));
      else rejected++;
    }
    assertTrue(rejected > 0, "some items rejected");
    assertEquals(sorted(kept), trained("rate"));
    double hours = 0, usd = 0, makespan = 0;
    long labels = 0;
    for (WorkResult r : label.results()) {
      LabelResult x = (LabelResult) r;
      hours += x.seconds() / 3600;
      usd += x.usd();
      makespan = Math.max(makespan, x.seconds() / 3600);
      labels += x.accepted().length;
    }
    JsonNode e = event("rate/g1/s1-label");
    assertEquals(kept.size(), e.get("data").asInt());
    assertEquals(hours, e.get("humanHours").asDouble(), 1e-9);
    assertEquals(usd, e.get("costUsd").asDouble(), 1e-9);
    assertEquals(makespan, e.get("makespanHours").asDouble(), 1e-9);
    assertEquals((double) labels, metrics("rate").get("labels.human"));
    assertEquals(0.0, metrics("rate").get("labels.ai"));
  }

  /** kto reads every verdict: accepted items desirable, rejected ones undesirable, each correction desirable. */
  void correctionsReplaceRejectedItemsAndKtoReadsEveryVerdict() {
    List<int[]> seqs = generated("correct");
    List<int[]> fixes = new ArrayList<>(java.util.Collections.nCopies(30, (int[]) null));
    Boolean[] v = verdicts("correct", fixes);
    List<String> expected = new ArrayList<>();
    List<Boolean> desirable = new ArrayList<>();
    int corrections = 0;
    for (int j = 0; j < 30; j++) {
      if (v[j] == null) continue;
      expected.add(Arrays.toString(seqs.get(j)));
      desirable.add(v[j]);
      if (!v[j] && fixes.get(j).length > 0) {
        expected.add(Arrays.toString(fixes.get(j)));
        desirable.add(true);
        corrections++;
      }
    }
    assertTrue(corrections > 0, "some corrections");
    TrainWork kto = (TrainWork) call("correct/g1/s2-train").items().get(0);
    assertEquals(expected, kto.sequences().stream().map(Arrays::toString).toList());
    boolean[] d = ((TrainParams.Kto) kto.params()).desirable();
    List<Boolean> got = new ArrayList<>();
    for (boolean b : d) got.add(b);
    assertEquals(desirable, got);
  }

  /** The critic rates the sample by its score's sign; its AI labels are counted. */
  void theCriticAcceptsByTheSignOfItsScore() {
    int[] chosen = chosen("critic");
    List<int[]> seqs = generated("critic");
    Call label = call("critic/g1/s1-label");
    ScoreWork w = (ScoreWork) label.items().get(0);
    double[] scores = ((ScoreResult) label.results().get(0)).scores();
    assertEquals(20, scores.length);
    boolean[] accepted = new boolean[30];
    Arrays.fill(accepted, true);
    for (int q = 0; q < 20; q++) {
      assertArrayEquals(seqs.get(chosen[q]), w.sequences().get(q));
      accepted[chosen[q]] = scores[q] >= 0;
    }
    List<int[]> kept = new ArrayList<>();
    for (int j = 0; j < 30; j++) if (accepted[j]) kept.add(seqs.get(j));
    assertTrue(kept.size() < 30 && kept.size() > 10, kept.size() + " kept");
    assertEquals(sorted(kept), trained("critic"));
    assertEquals(20.0, metrics("critic").get("labels.ai"));
  }

  /** An assisted stage shows each human the critic's verdict on each of its items. */
  void anAssistedStageShowsTheCriticsPreLabels() {
    double[] scores = ((ScoreResult) recorded.calls().stream().filter(c -> c.stage().equals("assisted/g1/s1-label")
        && c.items().get(0) instanceof ScoreWork).findFirst().orElseThrow().results().get(0)).scores();
    assertEquals(20, scores.length);
    Call label = recorded.calls().stream().filter(c -> c.stage().equals("assisted/g1/s1-label")
        && c.items().get(0) instanceof LabelWork).findFirst().orElseThrow();
    for (WorkItem i : label.items()) {
      LabelWork w = (LabelWork) i;
      int h = Integer.parseInt(w.labellerId().substring("human-".length()));
      int k = 0;
      for (int q = h; q < 20; q += 3) assertEquals(scores[q] >= 0, w.preLabels()[k++], "pair " + q);
      assertEquals(k, w.preLabels().length);
    }
    assertEquals(20.0, metrics("assisted").get("labels.ai"), "the pre-labels are AI labels");
  }

  /** Demonstrations: prompt q to human q mod 3 (human-2's prompts get none), added after the generated data. */
  void demonstrationsAreAddedAfterTheData() throws Exception {
    Call demo = call("demo/g1/s1-label");
    var rng = new RandomStreams(21).forItem("demo/g1/s1-label/prompts");
    var world = ScenarioRun.world(recorded.loaded().scenario());
    List<int[]> prompts = new ArrayList<>();
    for (int q = 0; q < 7; q++) prompts.add(world.at(1).samplePrompt(rng).tokens());
    assertEquals(2, demo.items().size());
    List<int[]> written = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      DemonstrateWork item = (DemonstrateWork) demo.items().get(w);
      assertEquals("human-" + w, item.labellerId());
      int k = 0;
      for (int q = w; q < 7; q += 3) assertArrayEquals(prompts.get(q), item.prompts().get(k++).tokens());
      assertEquals(k, item.prompts().size());
      written.addAll(((DemonstrateResult) demo.results().get(w)).sequences());
    }
    List<int[]> all = new ArrayList<>(generated("demo"));
    all.addAll(written);
    assertEquals(sorted(all), trained("demo"));
    JsonNode e = event("demo/g1/s1-label");
    assertEquals(10 + written.size(), e.get("data").asInt());
    assertEquals((double) written.size(), metrics("demo").get("labels.human"));
  }
}
