package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.label.RedTeamFinding;
import io.priorflow.engine.run.RecordedRun.Call;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RedTeamRunner's edges that RedTeamStageRunTest's run does not reach, against its Javadoc, each from a small run's
 * recorded work items and results: a budget smaller than the red team (a red teamer whose share is 0 gets no work);
 * the stage passing its items on unchanged; a budget of 0 (no trials: a find rate of 0); more than SEEDS_KEPT finds
 * (a later search starts from the latest 256 only). Each test makes its own run.
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
