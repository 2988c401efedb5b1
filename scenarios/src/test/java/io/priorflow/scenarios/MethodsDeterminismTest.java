package io.priorflow.scenarios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.cli.Main;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The determinism contract for the preference and distillation methods (rlhf rloo / ppo / grpo, kto, online_dpo,
 * gkd): the same scenario gives byte-identical metrics.csv, lineage.json and rlhf-trace.csv with one actor per role
 * and one kernel thread, and with several actors per role and two kernel threads. Each method draws only from its
 * work item's streams (on-policy samples, GKD's mixing, online DPO's rounds are items of their own).
 */
class MethodsDeterminismTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"preference-methods.yaml", "on-policy-distillation.yaml"})
  void oneOrManyActorsAndThreadsGiveTheSameBytes(String name) throws Exception {
    Path file = Path.of(System.getProperty("user.dir")).resolve(name);
    List<String> small = ScenarioLibraryRunTest.shrink(ScenarioLoader.load(file).scenario());
    run(file, tmp.resolve("one"), small, List.of("--threads", "1", "--set", "actors.generators.count=1", "--set",
        "actors.critics.count=1", "--set", "actors.trainers.count=1"));
    run(file, tmp.resolve("many"), small, List.of("--threads", "2", "--set", "actors.generators.count=3", "--set",
        "actors.critics.count=2", "--set", "actors.trainers.count=3", "--set", "actors.evaluators.count=2"));
    List<String> files = new ArrayList<>(List.of("metrics.csv", "lineage.json"));
    if (name.startsWith("preference")) files.add("rlhf-trace.csv");
    for (String f : files) {
      assertTrue(Files.isRegularFile(tmp.resolve("one").resolve(f)), f);
      assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(f)),
          Files.readAllBytes(tmp.resolve("many").resolve(f)), name + ": " + f + " depends on actors or threads");
    }
  }

  private static void run(Path file, Path out, List<String> sets, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString()));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    args.addAll(extra);
    assertEquals(0, Main.execute(args.toArray(String[]::new)), file + " did not run");
  }
}
