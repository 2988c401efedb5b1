package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.ParamLayout;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run budget: exact parameter counts, an estimate near what a real run uses, and the refusal's words. */
class RunBudgetTest {
  @TempDir Path tmp;

  @Test
  void parameterCountsAreTheLayoutsExactly() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      int vocab = 2 + rng.nextInt(300);
      TokenModelConfig c;
      if (rng.nextBoolean()) {
        List<Integer> hidden = Stream.generate(() -> 1 + rng.nextInt(600)).limit(1 + rng.nextInt(4)).toList();
        c = new TokenModelConfig(TokenModelConfig.Head.TOKEN, vocab, 1 + rng.nextInt(16), 1 + rng.nextInt(64), hidden,
            TokenModelConfig.Activation.GELU, 0);
      } else {
        int heads = 1 + rng.nextInt(8);
        c = TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, vocab, 1 + rng.nextInt(128),
            heads * (1 + rng.nextInt(16)), 1 + rng.nextInt(4), heads, 1 + rng.nextInt(512), 0);
      }
      if (rng.nextBoolean()) c = c.withScalarHead();
      assertEquals(ParamLayout.of(c).parameterCount(), RunBudget.parameters(c), c.toString());
    }
  }

  @Test
  void theDefaultModelsHaveTheReadmesCounts() {
    // README, Model families: the default MLP (V 77) 71 k parameters, the default transformer (V 96) 117 k
    var mlp = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 77, 8, 24, List.of(256),
        TokenModelConfig.Activation.GELU, 0);
    var gpt = TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 96, 64, 64, 2, 4, 256, 0);
    assertEquals(71, Math.round(RunBudget.parameters(mlp) / 1000.0));
    assertEquals(117, Math.round(RunBudget.parameters(gpt) / 1000.0));
  }

  /**
   * Against a real run of ScenarioRunTest's scenario: the models kept are those the run writes, their bytes within
   * 10% of the model files (which add a header), and the positions trained within a factor of two of events.jsonl's.
   */
  @Test
  void theEstimateIsNearWhatARunUses() throws Exception {
    Path dir = tmp.resolve("run");
    ScenarioRunTest.runInto(dir, ScenarioRunTest.SCENARIO);
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of()).scenario();
    RunBudget b = RunBudget.of(s);
    long files, fileBytes = 0;
    try (var models = Files.list(dir.resolve("models"))) {
      List<Path> all = models.toList();
      files = all.size();
      for (Path f : all) fileBytes += Files.size(f);
    }
    var graph = Json.lineage().readTree(dir.resolve("lineage.json").toFile());
    long inLineage = 0, lineageBytes = 0;
    for (var n : graph.get("nodes")) {
      if (n.has("architecture")) {
        inLineage++;
        lineageBytes += 4 * n.get("architecture").get("params").asLong();
      }
    }
    RunBudget.Part models = b.parts().stream().filter(p -> p.name().startsWith("models")).findFirst().orElseThrow();
    assertEquals("models (" + inLineage + " kept)", models.name());
    assertEquals(lineageBytes, models.bytes(), "4 bytes per parameter of every model in lineage.json");
    assertTrue(models.bytes() <= fileBytes * 1.1 + 4 * 2000 && files <= inLineage, models + " vs " + fileBytes);
    long trained = 0;
    for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
      trained += Json.messages().readTree(line).get("trainTokens").asLong();
    }
    double ratio = b.tokensTrained() / (double) trained;
    assertTrue(ratio > 0.5 && ratio < 2, "estimated " + b.tokensTrained() + " positions trained, the run trained "
        + trained);
    assertTrue(b.memoryBytes() > RunBudget.BASELINE_BYTES && b.memoryBytes() < RunBudget.BASELINE_BYTES + (64L << 20),
        b.describe(1L << 30, 2));
  }

  @Test
  void aModelLargerThanTheHeapIsRefusedNamingWhatToLower() throws Exception {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml",
        List.of("model.hidden=[16384,16384,16384,16384,16384,16384,16384,16384]")).scenario();
    RunBudget b = RunBudget.of(s);
    // seven 16384² layers are 1.88 G parameters: 7.5 GB per model, and the run keeps five
    assertTrue(b.memoryBytes() > 5 * 7_500_000_000L, b.describe(4L << 30, 2));
    String refusal = b.refusal(4L << 30);
    assertNotNull(refusal);
    assertTrue(refusal.startsWith("the run needs about "), refusal);
    assertTrue(refusal.contains("more than this JVM's 4.0 GiB: lower the largest model"), refusal);
    assertTrue(refusal.contains("hidden [16384, 16384"), refusal);
    assertTrue(refusal.endsWith("--ignore-budget runs it anyway"), refusal);
    assertEquals(1, refusal.lines().count());
    assertNull(RunBudget.of(ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of()).scenario())
        .refusal(1L << 30));
  }

  @Test
  void aBatchHoldsItsLanesAtOnceAndAddsUpItsWork() throws Exception {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of()).scenario();
    RunBudget one = RunBudget.of(s);
    RunBudget four = RunBudget.ofBatch(List.of(s, s, s, s), 2);
    assertEquals(4 * one.tokensTrained(), four.tokensTrained());
    assertEquals(2 * (one.memoryBytes() - RunBudget.BASELINE_BYTES) + RunBudget.BASELINE_BYTES, four.memoryBytes());
    assertEquals(2 * one.seconds(1), four.seconds(2), 1e-9);
  }
}
