package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.label.HumanJudge;
import io.priorflow.engine.label.RedTeamFinding;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
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
 * RedTeamRunner's edges that RedTeamStageRunTest's run does not reach, against its Javadoc, each from a small run's
 * recorded work items and results: a budget smaller than the red team (a red teamer whose share is 0 gets no work);
 * the stage passing its items on unchanged; a budget of 0 (no trials: a find rate of 0); more than SEEDS_KEPT finds
 * (a later search starts from the latest 256 only); the writers of the better responses as actors.humans.individuals
 * makes them, an absent one writing nothing, under a counterfactual too. Each test makes its own run.
 */
class RedTeamStageEdgesTest {
  /** Three red teamers share a budget of 2; the stage sits between a generate and an sft stage. */
  static final String SHARES = """
      name: redteam-shares
      seed: 37
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.9 }
        redTeamers: { count: 3, budget: 2 }
      lineages:
        - name: passes
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: redteam, trait: toxic, by: human }
            - { kind: train, method: sft, init: scratch }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  /** A budget of 0: red teaming off. */
  static final String OFF = """
      name: redteam-off
      seed: 41
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2 }
        redTeamers: { count: 2, budget: 0 }
      lineages:
        - name: off
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: redteam, trait: toxic, by: human }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  /**
   * One red teamer with a budget of 320 who judges by a coin (accuracy 0.5): a trial with 4 responses finds with
   * probability 1 − 0.5⁴ = 15/16, so the first search finds about 300, more than SEEDS_KEPT; a second follows.
   */
  static final String SEEDS = """
      name: redteam-seeds
      seed: 43
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans: { count: 2, accuracy: 0.5 }
        redTeamers: { count: 1, budget: 320 }
      lineages:
        - name: seeds
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: redteam, trait: toxic, by: human, responsesPerPrompt: 4 }
            - { kind: redteam, trait: toxic, by: human, responsesPerPrompt: 4 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  /**
   * Three writers, human-2 with a wage and a pace of its own; two red teamers who judge by a coin (accuracy 0.5, four
   * responses: a trial finds with probability 15/16), so about 12 finds, four for each writer. The counterfactual
   * {@code remove: human-1} is the same run with human-1 absent.
   */
  static final String WRITERS = """
      name: redteam-writers
      seed: 47
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        humans:
          count: 3
          accuracy: 0.5
          secondsPerLabel: 20
          costPerHour: 20
          individuals: { human-2: { costPerHour: 100, secondsPerLabel: 7 } }
        redTeamers: { count: 2, budget: 13 }
      lineages:
        - name: writers
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: redteam, trait: toxic, by: human, responsesPerPrompt: 4 }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      counterfactuals:
        - remove: human-1
      """;

  @TempDir Path tmp;

  static List<RedTeamFinding> finds(Call c) {
    List<RedTeamFinding> out = new ArrayList<>();
    c.results().forEach(r -> out.addAll(((RedTeamResult) r).findings()));
    return out;
  }

  /**
   * A budget of 2 among 3 red teamers: shares 1, 1 and 0 (the first budget mod count get one more); the third gets
   * no work item. The stage returns its items: sft trains on exactly the generated data.
   */
  @Test
  void aRedTeamerWithAShareOf0GetsNoWorkAndTheStagePassesItsItemsOn() throws Exception {
    RecordedRun r = RecordedRun.of(SHARES, "redteam-shares.yaml", 37, new RunOutputs(tmp));
    Call c = r.call("passes/g1/s1-redteam");
    assertEquals(List.of("passes/g1/s1-redteam/000000", "passes/g1/s1-redteam/000001"),
        c.items().stream().map(WorkItem::id).toList());
    for (int i = 0; i < 2; i++) {
      RedTeamWork w = (RedTeamWork) c.items().get(i);
      assertEquals("red-team-" + i, w.redTeamerId());
      assertEquals(1, w.budget());
    }
    List<String> generated = new ArrayList<>();
    r.call("passes/g1/s0-generate").results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(x -> ((SampleResult) x).sequences().forEach(s -> generated.add(Arrays.toString(s))));
    assertEquals(12, generated.size());
    List<String> trained = new ArrayList<>(((TrainWork) r.call("passes/g1/s2-train").items().get(0)).sequences()
        .stream().map(Arrays::toString).toList());
    generated.sort(null);
    trained.sort(null);
    assertEquals(generated, trained, "the redteam stage passes the generated data on unchanged");
  }

  /** A budget of 0: no red teamer has a share, nothing is tried, and the find rate is 0 (not 0/0). */
  @Test
  void aBudgetOf0TriesNothingAndFindsAtRate0() throws Exception {
    RecordedRun r = RecordedRun.of(OFF, "redteam-off.yaml", 41, new RunOutputs(tmp));
    assertEquals(List.of(), r.call("off/g1/s0-redteam").items());
    assertEquals(0.0, r.metrics("off", 1).get("redteam.find_rate"));
  }

  /**
   * The writers are the labellers as {@code actors.humans.individuals} makes them: writer h's work carries
   * {@code humans.forLabeller(h)} (human-2 paid 100 an hour, 7 s a label, so 21 s a demonstration), and an absent
   * writer writes nothing. Under {@code remove: human-1} (the scenario's counterfactual, same seed) the red team finds
   * the same prompts, find q still goes to writer q mod 3 as in the demonstrate stage, human-0 and human-2 write
   * exactly what they wrote in the factual run, and human-1's finds get no better response, so they make no pair:
   * the preferences lose exactly human-1's pairs, no datum of them is human-1's, and its demonstrations leave the
   * labels, hours and dollars.
   */
  @Test
  void redTeamWritersAreTheIndividualsAndAnAbsentOneWritesNothing() throws Exception {
    var base = io.priorflow.engine.scenario.ScenarioLoader.parse(WRITERS, "redteam-writers.yaml", List.of());
    var humans = base.scenario().actors().humans();
    Path fDir = tmp.resolve("factual"), cDir = tmp.resolve("without-human-1");
    RecordedRun f = RecordedRun.of(io.priorflow.engine.scenario.ScenarioLoader.point(base, 0, null), 47,
        new RunOutputs(fDir).withProvenance(true));
    String removed = base.counterfactuals().get(0).name();
    var without = io.priorflow.engine.scenario.ScenarioLoader.point(base, 0, removed);
    assertTrue(without.scenario().actors().humans().absent(1), removed + " sets human-1 absent");
    RecordedRun c = RecordedRun.of(without, 47, new RunOutputs(cDir).withProvenance(true));

    String stage = "writers/g1/s0-redteam";
    List<RedTeamFinding> found = finds(f.call(stage));
    assertEquals(found, finds(c.call(stage)), "the red team's search does not depend on the writers");
    assertTrue(found.size() >= 9, found.size() + " finds");
    Call fDemo = f.call(stage + "/demonstrate"), cDemo = c.call(stage + "/demonstrate");
    assertEquals(List.of("human-0", "human-1", "human-2"),
        fDemo.items().stream().map(w -> ((DemonstrateWork) w).labellerId()).toList());
    assertEquals(List.of("human-0", "human-2"),
        cDemo.items().stream().map(w -> ((DemonstrateWork) w).labellerId()).toList(), "the absent human-1 writes nothing");
    for (int h = 0; h < 3; h++) {
      DemonstrateWork w = (DemonstrateWork) fDemo.items().get(h);
      assertEquals(humans.forLabeller(h), w.human(), "writer " + h + "'s own settings");
      List<Prompt> mine = new ArrayList<>();
      for (int q = h; q < found.size(); q += 3) mine.add(found.get(q).prompt());
      assertEquals(mine, w.prompts(), "find q to writer q mod 3");
      DemonstrateResult r = (DemonstrateResult) fDemo.results().get(h);
      double perDemo = HumanJudge.WRITE_FACTOR * (h == 2 ? 7 : 20);
      assertEquals(perDemo * mine.size(), r.seconds(), 1e-9, "writer " + h);
      assertEquals(r.seconds() / 3600 * (h == 2 ? 100 : 20), r.usd(), 1e-9, "writer " + h + "'s wage");
    }
    for (int k = 0; k < 2; k++) {
      DemonstrateWork fw = (DemonstrateWork) fDemo.items().get(2 * k), cw = (DemonstrateWork) cDemo.items().get(k);
      assertEquals(fw.id(), cw.id());
      assertEquals(fw.prompts(), cw.prompts());
      assertEquals(fw.human(), cw.human());
      List<int[]> fs = ((DemonstrateResult) fDemo.results().get(2 * k)).sequences();
      List<int[]> cs = ((DemonstrateResult) cDemo.results().get(k)).sequences();
      assertEquals(fs.size(), cs.size());
      for (int i = 0; i < fs.size(); i++) assertArrayEquals(fs.get(i), cs.get(i), fw.labellerId() + " " + i);
    }
    // the preferences: a pair per find in the factual run, none for human-1's finds without it
    Map<String, String> fBetter = betterSides(fDir), cBetter = betterSides(cDir);
    int human1 = (found.size() + 1) / 3;
    assertEquals(found.size(), fBetter.size());
    assertEquals(found.size() - human1, cBetter.size());
    assertEquals(human1, fBetter.values().stream().filter("human-1"::equals).count());
    assertFalse(cBetter.containsValue("human-1"), "no datum of the absent human-1");
    Map<String, String> kept = new TreeMap<>(fBetter);
    kept.values().removeIf("human-1"::equals);
    assertEquals(kept, cBetter, "the others' pairs are the factual run's");
    // labels, hours and dollars: human-1's demonstrations gone, the red teamers' work the same
    long responses = f.call(stage).results().stream().mapToLong(r -> ((RedTeamResult) r).responses()).sum();
    assertEquals((double) found.size() + responses, f.metrics("writers", 1).get("labels.human"));
    assertEquals((double) found.size() - human1 + responses, c.metrics("writers", 1).get("labels.human"));
    DemonstrateResult h1 = (DemonstrateResult) fDemo.results().get(1);
    assertEquals(f.metrics("writers", 1).get("cost.human_usd") - h1.usd(), c.metrics("writers", 1).get("cost.human_usd"),
        1e-9);
    assertEquals(f.metrics("writers", 1).get("time.human_hours") - h1.seconds() / 3600,
        c.metrics("writers", 1).get("time.human_hours"), 1e-9);
    // red teaming is these lineages' only human work: its writers' sources were foreseen as columns (MetricColumns)
    assertColumnsForeseen(f);
    assertColumnsForeseen(c);
    assertTrue(f.table().metricNames().contains("ancestry.human:human-1"));
    assertFalse(c.table().metricNames().contains("ancestry.human:human-1"), "no column for the absent writer");
  }

  /** Every metric of the run was foreseen when its first row was written, so metrics.csv never gained a column. */
  static void assertColumnsForeseen(RecordedRun r) {
    var first = r.table().rows().get(0).metrics().keySet();
    var expected = MetricColumns.expected(r.loaded().scenario(), first);
    List<String> unforeseen = r.table().metricNames().stream().filter(m -> !expected.contains(m)).toList();
    assertEquals(List.of(), unforeseen, "columns metrics.csv would gain after its first generation");
  }

  /** The better sides of provenance/writers/g1/preferences.jsonl: datum id → the human who wrote it. */
  static Map<String, String> betterSides(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve("provenance").resolve("writers/g1/preferences.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("source").asText().equals("human")) out.put(o.get("id").asText(), o.get("producer").asText());
    }
    return out;
  }

  /**
   * The seeds a later search starts from are the latest SEEDS_KEPT = 256 prompts found, oldest first: past 256 finds
   * the oldest are dropped.
   */
  @Test
  void aSearchAfterMoreThan256FindsStartsFromTheLatest256() throws Exception {
    RecordedRun r = RecordedRun.of(SEEDS, "redteam-seeds.yaml", 43, new RunOutputs(tmp));
    List<Prompt> found = finds(r.call("seeds/g1/s0-redteam")).stream().map(RedTeamFinding::prompt).toList();
    assertTrue(found.size() > 256, found.size() + " found");
    RedTeamWork second = (RedTeamWork) r.call("seeds/g1/s1-redteam").items().get(0);
    assertEquals(found.subList(found.size() - 256, found.size()), second.seeds());
  }
}
