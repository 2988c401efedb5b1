package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.label.Agreement;
import io.priorflow.engine.label.Constitution;
import io.priorflow.engine.label.Overlap;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.work.RetrieveResult;
import io.priorflow.engine.work.RetrieveWork;
import io.priorflow.engine.work.Retriever;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PreferRunner's edges that PreferStageRunTest's run does not reach, against its Javadoc, each from a small run's
 * recorded work items, results and provenance/: a sample of exactly 512 pairs (second responses 64 prompts per item,
 * the critic 256 pairs per item, so a batch boundary falls on the last pair); the critic reading retrieved passages
 * before both sides of a pair; its judgements against gold; its labels on each side; the humans' majority (three
 * raters) choosing the side that goes on; a constitution judging instead of the critic's model; a stage with no data.
 * Each test makes its run inside itself (README, Mutation testing: PIT and {@code @BeforeAll}).
 */
class PreferStageEdgesTest {
  /** Critic retrieval from a frozen index; 520 items, 512 of them paired; humans: four, three raters per overlap. */
  static final String SCENARIO = """
      name: prefer-edges
      seed: 17
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 4 }
        critics: { count: 1, temperature: 0.4, retrieval: { k: 1, rebuildEvery: 0 } }
      lineages:
        - name: batches
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 520, maxNewTokens: 3 }
            - { kind: label, by: critic, task: prefer, sample: 512 }
            - { kind: train, method: dpo, init: teacher }
        - name: majority
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 24 }
            - { kind: label, by: humans, task: prefer, sample: 20, overlap: 0.7, raters: 3 }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  /**
   * A constitution of two rules judges the pairs, at temperature 0; best-of-n evaluation needs the critic's model
   * too, so the run has both, and the pairs must still go to the constitution alone.
   */
  static final String CONSTITUTION = """
      name: prefer-constitution
      seed: 19
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        critics:
          temperature: 0
          constitution:
            rules: [ { trait: toxic, weight: 2, rule: forbids }, { trait: polite, weight: 1, rule: asks } ]
            trainingExamples: 100
      lineages:
        - name: ruled
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30 }
            - { kind: label, by: critic, task: prefer, sample: 20 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 2, bestOfN: 2 }
      """;

  /**
   * The repro of a crash: three raters per overlapped pair among four humans, one of them absent. Overlap.assign gives
   * an overlapped pair with primary p the raters p, p+1, p+2 (mod 4), so every overlapped pair but those with primary
   * human-0 loses human-3 and keeps two labels, the others three.
   */
  static final String ABSENT_RATER = """
      name: prefer-absent-rater
      seed: 17
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 4, individuals: { human-3: { absent: true } } }
      lineages:
        - name: absent
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 24 }
            - { kind: label, by: humans, task: prefer, sample: 20, overlap: 0.7, raters: 3 }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir Path tmp;
  RecordedRun recorded;
  Path dir;

  @Test
  void fiveHundredTwelvePairsWithRetrievalAndAThreeRaterMajority() throws Exception {
    dir = tmp.resolve("edges");
    recorded = RecordedRun.of(SCENARIO, "prefer-edges.yaml", 17, new RunOutputs(dir).withProvenance(true));
    assertAll(this::secondResponsesAreSixtyFourPromptsPerItem, this::theCriticJudgesTwoHundredFiftySixPairsPerItem,
        this::bothSidesOfAPairReadThePassagesOfItsPrompt, this::theCriticsJudgementsAreCountedAgainstGold,
        this::eachSideCarriesTheCriticsPreferenceLabel, this::theMajorityOfThreeRatersChoosesTheSideThatGoesOn);
  }

  @Test
  void aConstitutionJudgesThePairsAndLabelsThemOncePerClassifier() throws Exception {
    dir = tmp.resolve("constitution");
    recorded = RecordedRun.of(CONSTITUTION, "prefer-constitution.yaml", 19,
        new RunOutputs(dir).withProvenance(true));
    Call judged = recorded.call("ruled/g1/s1-label");
    CriticPreferWork w = (CriticPreferWork) judged.items().get(0);
    assertEquals(1, recorded.call(ScenarioRun.CRITIC).items().size(), "the critic's model is trained (best-of-n)");
    assertNull(w.modelId(), "a constitution judges, not the critic's model");
    Constitution c = w.constitution();
    assertNotNull(c);
    assertEquals(List.of("not toxic", "polite"), c.rules().stream().map(Constitution.Rule::name).toList());
    // each rule's classifier is a model the run trained for its trait
    List<String> classifiers = new ArrayList<>();
    for (String trait : List.of("toxic", "polite")) {
      List<Call> trained = recorded.calls().stream().filter(x -> x.items().get(0) instanceof TrainWork
          && x.stage().contains(trait)).toList();
      assertEquals(1, trained.size(), trait);
      classifiers.add(((io.priorflow.engine.work.TrainResult) trained.get(0).results().get(0)).modelId());
    }
    assertEquals(classifiers, c.modelIds());
    boolean[] preferFirst = ((PreferResult) judged.results().get(0)).preferFirst();
    assertEquals(20, preferFirst.length);
    List<int[]> generated = results(recorded.call("ruled/g1/s0-generate"));
    int[] chosen = LineageRun.sample(30, 20, new RandomStreams(19).forItem("ruled/g1/s1-label/sample"));
    Map<String, JsonNode> prefs = provenance("ruled/g1/preferences");
    assertEquals(40, prefs.size());
    for (int q = 0; q < 20; q++) {
      String first = "ruled/g1/s0-generate/" + ScenarioRun.pad(chosen[q]);
      String second = "ruled/g1/s1-label/second/" + ScenarioRun.pad(q);
      assertArrayEquals(generated.get(chosen[q]), w.first().get(q));
      for (String id : List.of(first, second)) {
        JsonNode labels = prefs.get(id).get("labels");
        assertEquals(2, labels.size(), "one label per classifier: " + labels);
        double value = id.equals(first) == preferFirst[q] ? 1 : 0;
        for (int k = 0; k < 2; k++) {
          JsonNode l = labels.get(k);
          assertEquals("preference", l.get("kind").asText());
          assertEquals(value, l.get("value").asDouble(), id);
          assertEquals("ai", l.get("labeller").asText());
          assertEquals(ScenarioRun.CRITIC, l.get("labeller_id").asText());
          assertEquals(classifiers.get(k), l.get("model").asText());
          assertEquals(id.equals(first) ? second : first, l.get("pair").asText());
        }
      }
    }
  }

  /**
   * An absent rater: its pairs keep the labels of the raters present (two of three for most overlapped pairs, three
   * for the rest), the majority of those present decides (a tie of two goes to the first present rater), a pair only
   * the absent human would have judged is not made, and labels.kappa and labels.agreement are Fleiss' κ and P̄
   * generalised to a varying number of raters (Agreement#ofVaryingRaters), recomputed here by the formula from
   * the recorded votes: P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1)), P̄ their mean, p_j = Σ_i n_ij / Σ_i n_i,
   * P̄_e = Σ_j p_j², κ = (P̄ − P̄_e) / (1 − P̄_e).
   */
  @Test
  void anAbsentRaterLeavesTwoOfThreeLabelsAndKappaCountsEveryOverlappedPair() throws Exception {
    recorded = RecordedRun.of(ABSENT_RATER, "prefer-absent-rater.yaml", 17, new RunOutputs(tmp));
    Call judged = recorded.call("absent/g1/s1-label");
    Overlap plan = Overlap.assign(20, 4, 0.7, 3, new RandomStreams(17).forItem("absent/g1/s1-label/overlap"));
    assertEquals(List.of("human-0", "human-1", "human-2"),
        judged.items().stream().map(i -> ((PreferWork) i).labellerId()).toList(), "the absent human-3 gets no work");
    Map<Integer, Map<Integer, Boolean>> votes = votes(judged, plan);
    List<int[]> generated = results(recorded.call("absent/g1/s0-generate"));
    List<int[]> seconds = results(recorded.call("absent/g1/s1-label/second"));
    int[] chosen = LineageRun.sample(24, 20, new RandomStreams(17).forItem("absent/g1/s1-label/sample"));
    List<String> expected = unsampled(generated, chosen);
    int twos = 0, threes = 0, unmade = 0, tiesToFirst = 0;
    double sumP = 0;
    long[] perCategory = new long[2];
    long ratings = 0;
    for (int q = 0; q < 20; q++) {
      List<Integer> who = plan.byItem().get(q).stream().filter(h -> h != 3).toList();
      if (who.isEmpty()) { // human-3's own pair, not overlapped: no pair, the item goes on unchanged
        unmade++;
        expected.add(Arrays.toString(generated.get(chosen[q])));
        continue;
      }
      int ones = 0;
      for (int h : who) ones += votes.get(q).get(h) ? 1 : 0;
      int n = who.size();
      boolean first = 2 * ones == n ? votes.get(q).get(who.get(0)) : 2 * ones > n;
      if (2 * ones == n) tiesToFirst++;
      expected.add(Arrays.toString(first ? generated.get(chosen[q]) : seconds.get(q)));
      if (n < 2) continue;
      if (n == 2) twos++;
      if (n == 3) threes++;
      int zeros = n - ones;
      sumP += (ones * (ones - 1.0) + zeros * (zeros - 1.0)) / (n * (n - 1.0));
      perCategory[0] += zeros;
      perCategory[1] += ones;
      ratings += n;
    }
    assertTrue(twos > 0 && threes > 0, twos + " pairs with two labels, " + threes + " with three");
    assertTrue(unmade > 0, "some pair only the absent human would have judged");
    assertTrue(tiesToFirst > 0, "some two raters disagree");
    double pBar = sumP / (twos + threes);
    double p0 = perCategory[0] / (double) ratings, p1 = perCategory[1] / (double) ratings;
    double pe = p0 * p0 + p1 * p1;
    assertEquals((pBar - pe) / (1 - pe), recorded.metrics("absent", 1).get("labels.kappa"), 1e-12);
    assertEquals(pBar, recorded.metrics("absent", 1).get("labels.agreement"), 1e-12);
    assertTrainsOn(expected, recorded.call("absent/g1/s2-train"));
  }

  /** requireData: a prefer stage that no data reaches fails, naming the stage, before it dispatches anything. */
  @Test
  void aPreferStageWithoutDataFailsNamingIt() {
    LabelStage s = new LabelStage(LabelStage.By.HUMANS, 5, LabelStage.Task.PREFER, 0, 2, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreferRunner.prefer(null, null, "empty/g1/s1-label", 1, s, List.of(), "teacher"));
    assertTrue(e.getMessage().startsWith("empty/g1/s1-label: no data reaches this stage"), e.getMessage());
  }

  // ---- the 512-pair run's checks

  static List<int[]> results(Call c) {
    List<int[]> out = new ArrayList<>();
    c.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((SampleResult) r).sequences()));
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

  int[] chosen() {
    return LineageRun.sample(520, 512, new RandomStreams(17).forItem("batches/g1/s1-label/sample"));
  }

  /** The retrieved passages of each pair's prompt, in pair order. */
  List<int[]> passages() {
    Call c = recorded.call("batches/g1/s1-label/retrieve");
    List<int[]> out = new ArrayList<>();
    c.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((RetrieveResult) r).passages()));
    return out;
  }

  /** SAMPLE_BATCH = 64 prompts per item: 512 pairs are exactly 8 items, none left empty. */
  void secondResponsesAreSixtyFourPromptsPerItem() {
    Call second = recorded.call("batches/g1/s1-label/second");
    assertEquals(64, LineageRun.SAMPLE_BATCH);
    assertEquals(List.of(64, 64, 64, 64, 64, 64, 64, 64),
        second.items().stream().map(i -> ((SampleWork) i).prompts().size()).toList());
    List<int[]> generated = results(recorded.call("batches/g1/s0-generate"));
    int[] chosen = chosen();
    int q = 0;
    for (WorkItem i : second.items()) {
      for (int[] p : ((SampleWork) i).prompts()) {
        int[] full = generated.get(chosen[q++]);
        assertArrayEquals(Arrays.copyOf(full, p.length), p, "the prompt of pair " + (q - 1));
      }
    }
  }

  /** SCORE_BATCH = 256 pairs per item: 512 pairs are exactly 2 items of 256 (first, second and start each). */
  void theCriticJudgesTwoHundredFiftySixPairsPerItem() {
    Call judged = recorded.call("batches/g1/s1-label");
    assertEquals(256, LineageRun.SCORE_BATCH);
    assertEquals(List.of("batches/g1/s1-label/000000", "batches/g1/s1-label/000001"),
        judged.items().stream().map(WorkItem::id).toList());
    for (int k = 0; k < 2; k++) {
      CriticPreferWork w = (CriticPreferWork) judged.items().get(k);
      assertEquals(256, w.first().size());
      assertEquals(256, w.second().size());
      assertEquals(256, w.from().length);
      assertNotNull(w.modelId(), "no constitution: the critic's model judges");
      assertNull(w.constitution());
      assertEquals(0.4, w.temperature());
      assertEquals(256, ((PreferResult) judged.results().get(k)).preferFirst().length);
    }
  }

  /**
   * One query per pair, its prompt; both sides as the critic reads them, the passages before the question
   * (Retriever.augment), and the response start moved past them: the response is the same tail of the sequence.
   * Both sides of a pair that read passages name the index (index@g0: a frozen index).
   */
  void bothSidesOfAPairReadThePassagesOfItsPrompt() throws Exception {
    List<int[]> generated = results(recorded.call("batches/g1/s0-generate"));
    List<int[]> seconds = results(recorded.call("batches/g1/s1-label/second"));
    int[] chosen = chosen();
    List<int[]> queries = new ArrayList<>();
    recorded.call("batches/g1/s1-label/retrieve").items().forEach(i -> queries.addAll(((RetrieveWork) i).queries()));
    List<int[]> passages = passages();
    assertEquals(512, queries.size());
    assertEquals(512, passages.size());
    Call judged = recorded.call("batches/g1/s1-label");
    var vocabulary = recorded.world().vocabulary();
    Map<String, JsonNode> prefs = provenance("batches/g1/preferences");
    int read = 0;
    for (int q = 0; q < 512; q++) {
      CriticPreferWork w = (CriticPreferWork) judged.items().get(q / 256);
      int k = q % 256;
      int[] first = generated.get(chosen[q]), second = seconds.get(q), p = passages.get(q);
      int promptLength = queries.get(q).length;
      assertArrayEquals(Arrays.copyOf(first, promptLength), queries.get(q), "the query is the pair's prompt");
      assertArrayEquals(Retriever.augment(vocabulary, first, p), w.first().get(k), "first side of pair " + q);
      assertArrayEquals(Retriever.augment(vocabulary, second, p), w.second().get(k), "second side of pair " + q);
      int from = w.from()[k];
      assertEquals(w.first().get(k).length - (first.length - promptLength), from, "pair " + q);
      assertArrayEquals(Arrays.copyOfRange(first, promptLength, first.length),
          Arrays.copyOfRange(w.first().get(k), from, w.first().get(k).length), "the first's response, pair " + q);
      assertArrayEquals(Arrays.copyOfRange(second, promptLength, second.length),
          Arrays.copyOfRange(w.second().get(k), from, w.second().get(k).length), "the second's response, pair " + q);
      List<String> parents = p.length == 0 ? List.of() : List.of("index@g0");
      for (String id : List.of("batches/g1/s0-generate/" + ScenarioRun.pad(chosen[q]),
          "batches/g1/s1-label/second/" + ScenarioRun.pad(q))) {
        List<String> got = new ArrayList<>();
        prefs.get(id).get("parents").forEach(x -> got.add(x.asText()));
        assertEquals(parents, got, id);
      }
      if (p.length > 0) read++;
    }
    assertTrue(read > 0 && read < 512, read + " pairs read passages: fact questions do, the others not");
  }

  /**
   * labels.gold_agreement.critic: the share of pairs whose preferred side has the higher gold utility in the
   * generation's world, ties left out (LineageRun.voteOnPair).
   */
  void theCriticsJudgementsAreCountedAgainstGold() {
    List<int[]> generated = results(recorded.call("batches/g1/s0-generate"));
    List<int[]> seconds = results(recorded.call("batches/g1/s1-label/second"));
    Call judged = recorded.call("batches/g1/s1-label");
    World world = recorded.world();
    int[] chosen = chosen();
    long agree = 0, counted = 0;
    for (int q = 0; q < 512; q++) {
      boolean f = ((PreferResult) judged.results().get(q / 256)).preferFirst()[q % 256];
      double a = world.at(1).oracle().score(generated.get(chosen[q])).utility();
      double b = world.at(1).oracle().score(seconds.get(q)).utility();
      if (a == b) continue;
      counted++;
      if (f == (a > b)) agree++;
    }
    assertTrue(counted > 0 && counted < 512, counted + " pairs of different utility");
    assertEquals(agree / (double) counted, recorded.metrics("batches", 1).get("labels.gold_agreement.critic"), 1e-12);
  }

  /** Each side: one AI preference label by the critic naming its model, 1 on the chosen side, and the other side. */
  void eachSideCarriesTheCriticsPreferenceLabel() throws Exception {
    Call judged = recorded.call("batches/g1/s1-label");
    String critic = ((CriticPreferWork) judged.items().get(0)).modelId();
    int[] chosen = chosen();
    Map<String, JsonNode> prefs = provenance("batches/g1/preferences");
    assertEquals(1024, prefs.size());
    int firstWins = 0;
    for (int q = 0; q < 512; q++) {
      boolean f = ((PreferResult) judged.results().get(q / 256)).preferFirst()[q % 256];
      if (f) firstWins++;
      String first = "batches/g1/s0-generate/" + ScenarioRun.pad(chosen[q]);
      String second = "batches/g1/s1-label/second/" + ScenarioRun.pad(q);
      for (String id : List.of(first, second)) {
        JsonNode labels = prefs.get(id).get("labels");
        assertEquals(1, labels.size(), id);
        JsonNode l = labels.get(0);
        assertEquals("preference", l.get("kind").asText());
        assertEquals(id.equals(first) == f ? 1.0 : 0.0, l.get("value").asDouble(), id);
        assertEquals("ai", l.get("labeller").asText());
        assertEquals(ScenarioRun.CRITIC, l.get("labeller_id").asText());
        assertEquals(critic, l.get("model").asText());
        assertEquals(id.equals(first) ? second : first, l.get("pair").asText());
      }
    }
    assertTrue(firstWins > 0 && firstWins < 512, firstWins + " firsts preferred");
  }

  /**
   * The humans: pairs by Overlap.assign (four humans, a 0.7 share labelled by three), the most frequent vote of a
   * pair's raters deciding (Overlap.majority; three binary votes never tie), the chosen side replacing its item in
   * what sft trains on; kappa over the pairs three raters judged.
   */
  void theMajorityOfThreeRatersChoosesTheSideThatGoesOn() {
    Call judged = recorded.call("majority/g1/s1-label");
    Overlap plan = Overlap.assign(20, 4, 0.7, 3, new RandomStreams(17).forItem("majority/g1/s1-label/overlap"));
    Map<Integer, Map<Integer, Boolean>> votes = votes(judged, plan);
    List<int[]> generated = results(recorded.call("majority/g1/s0-generate"));
    List<int[]> seconds = results(recorded.call("majority/g1/s1-label/second"));
    int[] chosen = LineageRun.sample(24, 20, new RandomStreams(17).forItem("majority/g1/s1-label/sample"));
    List<String> expected = unsampled(generated, chosen);
    int firstWins = 0, outvoted = 0;
    List<int[]> overlapped = new ArrayList<>();
    for (int q = 0; q < 20; q++) {
      List<Integer> who = plan.byItem().get(q);
      int ones = 0;
      int[] labels = new int[who.size()];
      for (int k = 0; k < who.size(); k++) {
        labels[k] = votes.get(q).get(who.get(k)) ? 1 : 0;
        ones += labels[k];
      }
      boolean first = 2 * ones > who.size(); // an odd number of raters: no tie
      assertTrue(who.size() == 1 || who.size() == 3, "raters of pair " + q + ": " + who);
      if (first) firstWins++;
      if (who.size() == 3 && (labels[0] == 1) != first) outvoted++;
      if (who.size() > 1) overlapped.add(labels);
      expected.add(Arrays.toString(first ? generated.get(chosen[q]) : seconds.get(q)));
    }
    assertTrue(firstWins > 0 && firstWins < 20, firstWins + " firsts chosen");
    assertTrue(outvoted > 0, "some first rater is outvoted by the other two");
    assertTrainsOn(expected, recorded.call("majority/g1/s2-train"));
    Agreement.Report rep = Agreement.of(overlapped.toArray(int[][]::new), 2);
    assertEquals(rep.fleiss(), recorded.metrics("majority", 1).get("labels.kappa"), 1e-12);
  }

  /** Each pair's votes from a human prefer stage's recorded work: pair q → (human h → h prefers the first side). */
  static Map<Integer, Map<Integer, Boolean>> votes(Call judged, Overlap plan) {
    Map<Integer, Map<Integer, Boolean>> votes = new TreeMap<>();
    for (int w = 0; w < judged.items().size(); w++) {
      PreferWork item = (PreferWork) judged.items().get(w);
      int h = Integer.parseInt(item.labellerId().substring("human-".length()));
      PreferResult r = (PreferResult) judged.results().get(w);
      List<Integer> mine = plan.byLabeller().get(h);
      assertEquals(mine.size(), r.preferFirst().length);
      for (int k = 0; k < mine.size(); k++) votes.computeIfAbsent(mine.get(k), x -> new TreeMap<>()).put(h, r.preferFirst()[k]);
    }
    return votes;
  }

  /** The generated items the prefer stage did not sample ({@code chosen} are the sampled ones), as text, in order. */
  static List<String> unsampled(List<int[]> generated, int[] chosen) {
    TreeSet<Integer> sampled = new TreeSet<>();
    for (int c : chosen) sampled.add(c);
    List<String> out = new ArrayList<>();
    for (int j = 0; j < generated.size(); j++) if (!sampled.contains(j)) out.add(Arrays.toString(generated.get(j)));
    return out;
  }

  /** The train stage's one item trains on exactly the {@code expected} sequences, in any order. */
  static void assertTrainsOn(List<String> expected, Call train) {
    TrainWork sft = (TrainWork) train.items().get(0);
    List<String> trained = new ArrayList<>(sft.sequences().stream().map(Arrays::toString).toList());
    List<String> want = new ArrayList<>(expected);
    want.sort(null);
    trained.sort(null);
    assertEquals(want, trained);
  }
}
