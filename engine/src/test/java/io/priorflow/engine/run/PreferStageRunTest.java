package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.label.Agreement;
import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.label.Overlap;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Vocabulary;
import java.nio.file.Files;
import io.priorflow.engine.run.RecordedRun.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefer label task through a small run, against PreferRunner's Javadoc, from the work items and results a
 * recording executor sees: second responses from the teacher for a uniform sample (64 prompts per item); the critic
 * judging every pair, or the humans by Overlap.assign (an absent labeller's pairs going to no one) with the
 * majority deciding and kappa over the overlapped pairs; the chosen side replacing its item; the pairs, the event and
 * the counters.
 */
class PreferStageRunTest {
  static final String SCENARIO = """
      name: prefer
      seed: 13
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 3, individuals: { human-2: { absent: true } } }
        critics: { count: 1, temperature: 0.4 }
      lineages:
        - name: critic
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 80, maxNewTokens: 6 }
            - { kind: label, by: critic, task: prefer, sample: 70 }
            - { kind: train, method: sft, init: scratch }
        - name: humans
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 20 }
            - { kind: label, by: humans, task: prefer, sample: 15, overlap: 0.6, raters: 2 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;

  static void run() throws Exception {
    recorded = RecordedRun.of(SCENARIO, "prefer.yaml", 13, new RunOutputs(tmp));
  }

  /**
   * The run and every check of it in one test: PIT credits a {@code @BeforeAll}'s coverage to one test or none
   * (README, Mutation testing), so the run is made here and each check below is one part of the assertAll.
   */
  @Test
  void oneRecordedRunsPreferenceStages() throws Exception {
    run();
    org.junit.jupiter.api.Assertions.assertAll(this::theCriticJudgesEveryPairAndTheChosenSideGoesOn, this::theHumansJudgeTheirShareAndTheMajorityDecides);
  }

  static Call call(String stage) {
    return recorded.call(stage);
  }

  static String model(String lineage, int g) {
    return recorded.table().rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == g).findFirst()
        .orElseThrow().model();
  }

  static Map<String, Double> metrics(String lineage) {
    return recorded.metrics(lineage, 1);
  }

  static List<int[]> results(Call c) {
    List<int[]> out = new ArrayList<>();
    c.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((SampleResult) r).sequences()));
    return out;
  }

  static List<int[]> prompts(Call c) {
    List<int[]> out = new ArrayList<>();
    c.items().forEach(i -> out.addAll(((SampleWork) i).prompts()));
    return out;
  }

  static JsonNode event(String stage) throws Exception {
    for (String line : Files.readAllLines(tmp.resolve("events.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("stage").asText().equals(stage)) return o;
    }
    throw new AssertionError("no event for " + stage);
  }

  /** The critic's lineage: seconds for the sample, every pair judged, the chosen side trained on. */
  void theCriticJudgesEveryPairAndTheChosenSideGoesOn() throws Exception {
    Call gen = call("critic/g1/s0-generate"), second = call("critic/g1/s1-label/second");
    List<int[]> askedFirst = prompts(gen), first = results(gen);
    int[] chosen = LineageRun.sample(80, 70, new RandomStreams(13).forItem("critic/g1/s1-label/sample"));
    assertEquals(List.of(64, 6), second.items().stream().map(i -> ((SampleWork) i).prompts().size()).toList());
    List<int[]> asked = prompts(second);
    for (int q = 0; q < 70; q++) assertArrayEquals(askedFirst.get(chosen[q]), asked.get(q), "prompt of pair " + q);
    for (WorkItem i : second.items()) {
      assertEquals(model("critic", 0), ((SampleWork) i).modelId());
      assertEquals(((GenerateStage) recorded.loaded().scenario().lineages().get(0).stages().get(0)).sampling(Vocabulary.EOS),
          ((SampleWork) i).sampling());
    }
    List<int[]> seconds = results(second);
    Call judged = call("critic/g1/s1-label");
    assertEquals(1, judged.items().size(), "up to 256 pairs per item");
    CriticPreferWork w = (CriticPreferWork) judged.items().get(0);
    assertEquals(0.4, w.temperature());
    boolean[] preferFirst = ((PreferResult) judged.results().get(0)).preferFirst();
    assertEquals(70, preferFirst.length);
    for (int q = 0; q < 70; q++) {
      assertArrayEquals(first.get(chosen[q]), w.first().get(q));
      assertArrayEquals(seconds.get(q), w.second().get(q));
      assertEquals(askedFirst.get(chosen[q]).length, w.from()[q], "the first's response start");
    }
    // the training set: each sampled item replaced by its chosen side, the other items as generated
    List<String> expected = new ArrayList<>();
    TreeSet<Integer> sampled = new TreeSet<>();
    for (int q = 0; q < 70; q++) sampled.add(chosen[q]);
    for (int j = 0; j < 80; j++) {
      if (!sampled.contains(j)) expected.add(Arrays.toString(first.get(j)));
    }
    for (int q = 0; q < 70; q++) {
      expected.add(Arrays.toString(preferFirst[q] ? first.get(chosen[q]) : seconds.get(q)));
    }
    TrainWork sft = (TrainWork) call("critic/g1/s2-train").items().get(0);
    List<String> trained = new ArrayList<>(sft.sequences().stream().map(Arrays::toString).toList());
    expected.sort(null);
    trained.sort(null);
    assertEquals(expected, trained);
    int firstPreferred = 0;
    for (boolean f : preferFirst) if (f) firstPreferred++;
    assertTrue(firstPreferred > 0 && firstPreferred < 70, "both sides win some pairs: " + firstPreferred);
    JsonNode e = event("critic/g1/s1-label");
    assertEquals(80, e.get("data").asInt());
    assertEquals(70, e.get("aiLabels").asInt());
    assertEquals(70.0, metrics("critic").get("labels.ai"));
    assertEquals(0.0, metrics("critic").get("labels.human"));
  }

  /**
   * The humans' lineage: the pairs as Overlap.assign hands them out (human-2 absent: its pairs go to no one), the
   * majority of the present raters deciding, kappa and agreement over the pairs two present raters judged, and the
   * labour's hours and dollars.
   */
  void theHumansJudgeTheirShareAndTheMajorityDecides() throws Exception {
    Call judged = call("humans/g1/s1-label");
    Overlap plan = Overlap.assign(15, 3, 0.6, 2, new RandomStreams(13).forItem("humans/g1/s1-label/overlap"));
    List<Integer> present = new ArrayList<>();
    for (int h = 0; h < 2; h++) if (!plan.byLabeller().get(h).isEmpty()) present.add(h);
    assertEquals(present.size(), judged.items().size(), "one item per present labeller with pairs");
    Map<Integer, Map<Integer, Boolean>> votes = new java.util.TreeMap<>();
    List<String> ids = new ArrayList<>();
    long[] done = new long[present.size()];
    double[] secs = new double[present.size()], paid = new double[present.size()];
    for (int w = 0; w < present.size(); w++) {
      int h = present.get(w);
      PreferWork item = (PreferWork) judged.items().get(w);
      assertEquals("humans/g1/s1-label/00000" + h, item.id());
      assertEquals("human-" + h, item.labellerId());
      assertEquals(plan.byLabeller().get(h).size(), item.first().size());
      PreferResult r = (PreferResult) judged.results().get(w);
      for (int k = 0; k < plan.byLabeller().get(h).size(); k++) {
        votes.computeIfAbsent(plan.byLabeller().get(h).get(k), x -> new java.util.TreeMap<>())
            .put(h, r.preferFirst()[k]);
      }
      ids.add("human-" + h);
      done[w] = plan.byLabeller().get(h).size();
      secs[w] = r.seconds();
      paid[w] = r.usd();
    }
    int pairs = 0;
    List<int[]> overlapped = new ArrayList<>();
    for (int q = 0; q < 15; q++) {
      List<Integer> who = plan.byItem().get(q).stream().filter(h -> h != 2).toList();
      if (who.isEmpty()) continue;
      pairs++;
      int[] labels = new int[who.size()];
      for (int k = 0; k < who.size(); k++) labels[k] = votes.get(q).get(who.get(k)) ? 1 : 0;
      if (labels.length > 1) overlapped.add(labels);
    }
    assertTrue(pairs < 15, "human-2's pairs are nobody's");
    assertTrue(!overlapped.isEmpty());
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    assertEquals(2L * pairs, g.dataset("humans/g1/preferences").lineage().rows());
    Agreement.Report rep = Agreement.of(overlapped.toArray(int[][]::new), 2);
    assertEquals(rep.fleiss(), metrics("humans").get("labels.kappa"), 1e-12);
    assertEquals(rep.observed(), metrics("humans").get("labels.agreement"), 1e-12);
    LabourCost cost = LabourCost.of(ids, done, secs, paid);
    JsonNode e = event("humans/g1/s1-label");
    assertEquals(20, e.get("data").asInt());
    assertEquals(cost.hours(), e.get("humanHours").asDouble(), 1e-9);
    assertEquals(cost.usd(), e.get("costUsd").asDouble(), 1e-9);
    assertEquals(cost.makespanHours(), e.get("makespanHours").asDouble(), 1e-9);
    assertEquals(0, e.get("aiLabels").asInt());
    assertEquals((double) cost.labels(), metrics("humans").get("labels.human"));
  }
}
