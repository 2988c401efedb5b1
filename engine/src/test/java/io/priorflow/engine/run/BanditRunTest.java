package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.analytic.BanditWorld;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.LoadedScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bandit scenario through {@link AnalyticRun}: each lineage's stages become the world's steps, every lineage plays
 * the same arms (rewards from the stream of "bandit/rewards"), metrics.csv gets bandit.* and bandit.csv one row per
 * lineage, generation and arm, from which β·log(π/π_ref) − r is read.
 */
class BanditRunTest {
  static final String SCENARIO = """
      name: bandit
      seed: 4
      analytic: { kind: bandit, arms: 4, prior: [1, 2, 3, 4] }
      training: { lr: 1.0, epochs: 200 }
      lineages:
        - name: rlhf
          generations: 2
          stages:
            - { kind: train, method: rlhf, klCoef: 0.5 }
        - name: dpo
          generations: 2
          stages:
            - { kind: label, by: critic, task: prefer, sample: 500 }
            - { kind: train, method: dpo, klCoef: 0.5, until: 1 }
      """;

  @TempDir Path tmp;

  @Test
  void stagesBecomeStepsAndBanditCsvGivesEveryArm() throws Exception {
    LoadedScenario l = BatchTest.load(SCENARIO);
    MetricsTable t = AnalyticRun.run(l, new RunOutputs(tmp), BatchTest.lineage(l), new ScenarioRun.Listener() {});
    double[] r = l.scenario().analytic() instanceof io.priorflow.engine.scenario.AnalyticSpec.Bandit b
        ? b.rewards(new RandomStreams(4).forItem(AnalyticRun.BANDIT_REWARDS)) : null;
    double[] prior = {0.1, 0.2, 0.3, 0.4};

    List<String> csv = Files.readAllLines(tmp.resolve(AnalyticRun.BANDIT_CSV));
    assertEquals("lineage,generation,replicate,arm,reward,reward_model,pi,pi_ref,log_ratio", csv.get(0));
    assertEquals(1 + 2 * 3 * 4, csv.size(), "2 lineages × generations 0..2 × 4 arms");
    // rlhf on gold rewards, β = 0.5, 200 natural-gradient steps: generation 1 is π₀·exp(r/β) exactly
    double[] expected = BanditWorld.tilt(prior, r, 0.5);
    for (int k = 0; k < 4; k++) {
      String[] row = csv.get(1 + 4 + k).split(",");
      assertEquals(List.of("rlhf", "1", "0", String.valueOf(k)), List.of(row).subList(0, 4));
      assertEquals(r[k], Double.parseDouble(row[4]), 0);
      assertEquals("", row[5]); // no reward model in this lineage
      assertEquals(expected[k], Double.parseDouble(row[6]), 1e-12);
      assertEquals(prior[k], Double.parseDouble(row[7]), 1e-15);
      assertEquals(0.5 * Double.parseDouble(row[8]) - r[k], 0.5 * Double.parseDouble(csv.get(5).split(",")[8]) - r[0],
          1e-9, "β·log_ratio − r is the same on every arm");
    }
    // the dpo lineage saw the same arms
    for (int k = 0; k < 4; k++) assertEquals(r[k], Double.parseDouble(csv.get(1 + 12 + k).split(",")[4]), 0);

    List<MetricsRow> rlhf = t.rows().stream().filter(x -> x.lineage().equals("rlhf")).toList();
    List<MetricsRow> dpo = t.rows().stream().filter(x -> x.lineage().equals("dpo")).toList();
    MetricsRow rlhf1 = rlhf.get(1), dpo2 = dpo.get(2);
    assertEquals("rlhf", rlhf1.lineage());
    assertTrue(rlhf1.metrics().get("bandit.optimum_kl") < 1e-15);
    double gold = 0;
    for (int k = 0; k < 4; k++) gold += expected[k] * r[k];
    assertEquals(gold, rlhf1.metrics().get("bandit.gold_reward"), 1e-12);
    assertEquals(BanditWorld.kl(expected, prior), rlhf1.metrics().get("bandit.kl_teacher"), 1e-12);
    // dpo runs until generation 1: generation 2 keeps its teacher, with no optimum to compare against
    assertEquals("dpo", dpo2.lineage());
    assertEquals(2, dpo2.generation());
    assertEquals(0, dpo2.metrics().get("bandit.kl_teacher"), 1e-15);
    assertTrue(!dpo2.metrics().containsKey("bandit.optimum_kl"));
    assertArrayEquals(new double[] {dpo.get(1).metrics().get("bandit.kl_base")},
        new double[] {dpo2.metrics().get("bandit.kl_base")}, 1e-15);
  }
}
