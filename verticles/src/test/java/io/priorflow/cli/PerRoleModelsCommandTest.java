package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * capacity-gap.yaml (a big base distilled into small students beside a small control) through the command line, at a
 * reduced size: byte-identical for any number of actor instances and kernel threads, and report.html shows each
 * model's family and size.
 */
class PerRoleModelsCommandTest {
  static final List<String> SMALL = List.of(
      "--set", "lineages[0].generations=1", "--set", "lineages[1].generations=1",
      "--set", "lineages[0].base.pretrainExamples=600", "--set", "lineages[1].base.pretrainExamples=600",
      "--set", "lineages[0].base.epochs=1", "--set", "lineages[1].base.epochs=1",
      "--set", "lineages[0].stages[0].samples=100", "--set", "lineages[1].stages[0].samples=100",
      "--set", "training.epochs=1", "--set", "evaluation.prompts=20");

  @TempDir Path tmp;
  @RegisterExtension final CapturedOutput io = new CapturedOutput();

  private int run(Path dir, List<String> extra) {
    Path file = Path.of(System.getProperty("user.dir")).resolve("../scenarios/capacity-gap.yaml");
    List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", dir.toString()));
    args.addAll(SMALL);
    args.addAll(extra);
    return Main.execute(args.toArray(String[]::new));
  }

  @Test
  void differentBasesAndSizesRunByteIdenticallyOnAnyNumberOfInstancesAndThreads() throws Exception {
    assertEquals(0, run(tmp.resolve("one"), List.of("--threads", "1", "--set", "actors.generators.count=1",
        "--set", "actors.trainers.count=1", "--set", "actors.evaluators.count=1")), io.err());
    assertEquals(0, run(tmp.resolve("many"), List.of("--threads", "2", "--set", "actors.generators.count=3",
        "--set", "actors.trainers.count=2", "--set", "actors.evaluators.count=2")), io.err());
    for (String f : List.of("metrics.csv", "metrics.jsonl", "lineage.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(f)),
          Files.readAllBytes(tmp.resolve("many").resolve(f)), f + " depends on instances or threads");
    }
    List<String> csv = Files.readAllLines(tmp.resolve("one/metrics.csv"));
    assertEquals(1 + 4, csv.size(), "generations 0 and 1 of two lineages");
    String gapBase = csv.stream().filter(r -> r.startsWith("gap,0,")).findFirst().orElseThrow().split(",")[2];
    String controlBase = csv.stream().filter(r -> r.startsWith("control,0,")).findFirst().orElseThrow().split(",")[2];
    assertTrue(!gapBase.equals(controlBase), "the two lineages have different bases");
    String lineage = Files.readString(tmp.resolve("one/lineage.json"));
    assertTrue(lineage.contains("\"hidden\" : [ 512, 256 ]"), "the big base's size is in lineage.json");
    assertTrue(lineage.contains("\"family\" : \"mlp\""), lineage.substring(0, 400));
    String report = Files.readString(tmp.resolve("one/report.html"));
    assertTrue(report.contains("Every model: family, size and ancestry"), "the models table");
    assertTrue(report.contains("context 8, embedDim 24, hidden [512, 256]"), "the big base's size in the report");
    assertTrue(report.contains("hidden [32]"), "the students' size in the report");
  }
}
