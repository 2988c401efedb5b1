package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.label.RedTeamFinding;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.nio.file.Files;
import io.priorflow.engine.run.RecordedRun.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redteam stage through a small run, against RedTeamRunner's Javadoc, from the work items and results a
 * recording executor sees: the budget split among the red teamers (the first budget mod count get one more), each
 * against the teacher from the earlier finds; finds handed to the humans in turn (find q to human q mod count); the
 * stage's event, find rate and counters from the results; the pairs trained on.
 */
class RedTeamStageRunTest {
  static final String SCENARIO = """
      name: redteam
      seed: 5
      model: { context: 4, embedDim: 8, hidden: [32] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9 }
        redTeamers: { count: 3, budget: 7 }
      lineages:
        - name: human
          generations: 2
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: generate, samples: 20, maxNewTokens: 6 }
            - { kind: redteam, trait: toxic, by: human }
            - { kind: redteam, trait: toxic, by: human, responsesPerPrompt: 3 }
            - { kind: train, method: dpo, init: teacher }
        - name: ai
          generations: 1
          base: { pretrainExamples: 300, epochs: 1 }
          stages:
            - { kind: redteam, trait: polite, by: ai, responsesPerPrompt: 3, exploreFraction: 0.25 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 6, samplesPerPrompt: 1, maxNewTokens: 5 }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;

  static void run() throws Exception {
    recorded = RecordedRun.of(SCENARIO, "redteam.yaml", 5, new RunOutputs(tmp));
  }

  /**
   * The run and every check of it in one test: PIT credits a {@code @BeforeAll}'s coverage to one test or none
   * (README, Mutation testing), so the run is made here and each check below is one part of the assertAll.
   */
  @Test
  void oneRecordedRunsRedTeamStage() throws Exception {
    run();
    org.junit.jupiter.api.Assertions.assertAll(this::theBudgetIsSplitAmongTheRedTeamersAgainstTheTeacher,
        this::laterSearchesStartFromEarlierFindsAndHours, this::findsAreHandedToTheHumansInTurn,
        this::theEventAndCountersAddUpTheResults, this::eachFindIsAPairOfTheGenerationsPreferences);
  }

  static Call call(String stage) {
    return recorded.call(stage);
  }

  static String model(String lineage, int g) {
    return recorded.table().rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == g).findFirst()
        .orElseThrow().model();
  }

  static Map<String, Double> metrics(String lineage, int g) {
    return recorded.metrics(lineage, g);
  }

  static List<RedTeamFinding> finds(Call c) {
    List<RedTeamFinding> out = new ArrayList<>();
    c.results().forEach(r -> out.addAll(((RedTeamResult) r).findings()));
    return out;
  }

  static JsonNode event(String stage) throws Exception {
    for (String line : Files.readAllLines(tmp.resolve("events.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("stage").asText().equals(stage)) return o;
    }
    throw new AssertionError("no event for " + stage);
  }

  /** The red team's work: shares 3, 2, 2 of a budget of 7 among 3 red teamers, each with the stage's settings. */
  void theBudgetIsSplitAmongTheRedTeamersAgainstTheTeacher() {
    Call c = call("human/g1/s1-redteam");
    SamplingConfig sampling = ((GenerateStage) recorded.loaded().scenario().lineages().get(0).stages().get(0))
        .sampling(Vocabulary.EOS);
    assertEquals(3, c.items().size());
    for (int i = 0; i < 3; i++) {
      RedTeamWork w = (RedTeamWork) c.items().get(i);
      assertEquals("human/g1/s1-redteam/00000" + i, w.id());
      assertEquals("red-team-" + i, w.redTeamerId());
      assertEquals(i == 0 ? 3 : 2, w.budget());
      assertEquals(model("human", 0), w.targetModelId());
      assertEquals("toxic", w.trait());
      assertEquals(2, w.responsesPerPrompt(), "the default");
      assertEquals(sampling, w.sampling(), "the lineage's generate stage's sampling");
      assertEquals(recorded.loaded().scenario().actors().humans(), w.human());
      assertEquals(0.0, w.hoursBefore());
      assertNull(w.detectorModelId());
      assertEquals(List.of(), w.seeds(), "no earlier finds");
    }
    Call ai = call("ai/g1/s0-redteam");
    var ev = recorded.loaded().scenario().evaluation();
    for (WorkItem item : ai.items()) {
      RedTeamWork w = (RedTeamWork) item;
      assertNull(w.human());
      assertNotNull(w.detectorModelId(), "an AI red teamer judges with its trait classifier");
      assertEquals("polite", w.trait());
      assertEquals(3, w.responsesPerPrompt());
      assertEquals(0.25, w.exploreFraction());
      assertEquals(new SamplingConfig((float) ev.temperature(), 0, ev.maxNewTokens(), Vocabulary.EOS), w.sampling(),
          "no generate stage: the evaluation's sampling");
      assertEquals(0.0, w.hoursBefore());
    }
  }

  /** A second red team in a generation starts from the first's finds, its red teamers' hours counted before it. */
  void laterSearchesStartFromEarlierFindsAndHours() {
    Call first = call("human/g1/s1-redteam"), second = call("human/g1/s2-redteam");
    List<Prompt> seeds = finds(first).stream().map(RedTeamFinding::prompt).toList();
    assertTrue(!seeds.isEmpty(), "the base model is toxic sometimes");
    for (int i = 0; i < 3; i++) {
      RedTeamWork w = (RedTeamWork) second.items().get(i);
      assertEquals(seeds, w.seeds());
      assertEquals(((RedTeamResult) first.results().get(i)).seconds() / 3600, w.hoursBefore(), 1e-12);
      assertEquals(3, w.responsesPerPrompt());
    }
    Call next = call("human/g2/s1-redteam");
    List<Prompt> all = new ArrayList<>(seeds);
    finds(second).forEach(f -> all.add(f.prompt()));
    for (WorkItem item : next.items()) {
      assertEquals(all, ((RedTeamWork) item).seeds(), "every earlier generation's finds");
      assertEquals(model("human", 1), ((RedTeamWork) item).targetModelId(), "generation 2's teacher");
      assertEquals(0.0, ((RedTeamWork) item).hoursBefore(), "a new generation's session");
    }
  }

  /** Find q goes to human q mod 2, in the order found; a writer's hours so far come with it. */
  void findsAreHandedToTheHumansInTurn() {
    for (String stage : List.of("human/g1/s1-redteam", "human/g1/s2-redteam", "ai/g1/s0-redteam")) {
      List<RedTeamFinding> f = finds(call(stage));
      Call demo = call(stage + "/demonstrate");
      assertEquals(Math.min(2, f.size()), demo.items().size(), stage);
      for (int h = 0; h < demo.items().size(); h++) {
        DemonstrateWork w = (DemonstrateWork) demo.items().get(h);
        assertEquals(stage + "/demonstrate/00000" + h, w.id());
        assertEquals("human-" + h, w.labellerId());
        List<Prompt> expected = new ArrayList<>();
        for (int q = h; q < f.size(); q += 2) expected.add(f.get(q).prompt());
        assertEquals(expected, w.prompts(), stage + " writer " + h);
      }
    }
    // the second stage's writers have worked on the first's demonstrations
    Call firstDemo = call("human/g1/s1-redteam/demonstrate");
    Call secondDemo = call("human/g1/s2-redteam/demonstrate");
    for (int h = 0; h < secondDemo.items().size(); h++) {
      double before = h < firstDemo.results().size()
          ? ((DemonstrateResult) firstDemo.results().get(h)).seconds() / 3600 : 0;
      assertEquals(before, ((DemonstrateWork) secondDemo.items().get(h)).hoursBefore(), 1e-12);
    }
  }

  /** The event's data, hours, dollars, makespan and AI labels, and the counters, from the results. */
  void theEventAndCountersAddUpTheResults() throws Exception {
    double humanHours = 0, humanUsd = 0;
    long humanLabels = 0, aiLabels = 0;
    for (String stage : List.of("human/g1/s1-redteam", "human/g1/s2-redteam", "ai/g1/s0-redteam")) {
      boolean human = stage.startsWith("human");
      Call c = call(stage), demo = call(stage + "/demonstrate");
      double hours = 0, usd = 0, red = 0, written = 0;
      long responses = 0, trials = 0;
      for (WorkResult r : c.results()) {
        RedTeamResult t = (RedTeamResult) r;
        responses += t.responses();
        trials += t.trials();
        if (human) {
          hours += t.seconds() / 3600;
          usd += t.usd();
        }
        red = Math.max(red, t.seconds() / 3600);
      }
      for (WorkResult r : demo.results()) {
        DemonstrateResult d = (DemonstrateResult) r;
        hours += d.seconds() / 3600;
        usd += d.usd();
        written = Math.max(written, d.seconds() / 3600);
      }
      int found = finds(c).size();
      JsonNode e = event(stage);
      assertEquals(found, e.get("data").asInt(), stage);
      assertEquals(hours, e.get("humanHours").asDouble(), 1e-9, stage);
      assertEquals(usd, e.get("costUsd").asDouble(), 1e-9, stage);
      assertEquals((human ? red : 0) + written, e.get("makespanHours").asDouble(), 1e-9, stage);
      assertEquals(human ? 0 : responses, e.get("aiLabels").asLong(), stage);
      assertEquals("redteam", e.get("kind").asText());
      assertTrue(trials > 0);
      double rate = found / (double) trials;
      if (!stage.contains("s1-redteam") || stage.startsWith("ai")) {
        // the find rate of the generation's last red team
        assertEquals(rate, metrics(stage.substring(0, stage.indexOf('/')), 1).get("redteam.find_rate"), 1e-12);
      }
      if (human) {
        humanLabels += found + responses;
        humanHours += hours;
        humanUsd += usd;
      }
    }
    Map<String, Double> h = metrics("human", 1);
    assertEquals((double) humanLabels, h.get("labels.human"));
    assertEquals(0.0, h.get("labels.ai"));
    assertEquals(humanHours, h.get("time.human_hours"), 1e-9);
    assertEquals(humanUsd, h.get("cost.human_usd"), 1e-9);
    Map<String, Double> a = metrics("ai", 1);
    Call ai = call("ai/g1/s0-redteam");
    long responses = ai.results().stream().mapToLong(r -> ((RedTeamResult) r).responses()).sum();
    assertEquals((double) finds(ai).size(), a.get("labels.human"));
    assertEquals((double) responses, a.get("labels.ai"));
  }

  /** Every find with its better response is a preference pair the next training reads. */
  void eachFindIsAPairOfTheGenerationsPreferences() throws Exception {
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    int finds = finds(call("human/g1/s1-redteam")).size() + finds(call("human/g1/s2-redteam")).size();
    assertEquals(2L * finds, g.dataset("human/g1/preferences").lineage().rows());
    assertEquals(2L * finds(call("ai/g1/s0-redteam")).size(), g.dataset("ai/g1/preferences").lineage().rows());
  }
}
