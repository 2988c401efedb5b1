package io.priorflow.engine.lineage;

import static io.priorflow.engine.lineage.Chains.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.DataLineage;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.TestData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The lineage records check what they are given: every field a graph needs is refused when missing (with an
 * IllegalArgumentException naming it, not a NullPointerException later), and optional maps and lists read as empty.
 */
class LineageRecordsTest {

  private static final String M0 = Chains.model("M0");
  private static final DataLineage D = Dataset.of("d", "world", TestData.world("d", 3, 4, 0)).lineage();
  private static final TrainerLineage SFT = Chains.trainer("sft");
  private static final Training TRAINING = Chains.fromScratch("d");

  private static void refused(String needle, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(needle), x.getMessage());
  }

  @Test
  void actorNodesNeedAnIdWithTheirPrefixAndARole() {
    refused("actor:<actor id>", () -> new ActorNode(null, "human", Map.of()));
    refused("was h.", () -> new ActorNode("h", "human", Map.of()));
    refused("was actor:.", () -> new ActorNode("actor:", "human", Map.of()));
    refused("needs a role", () -> new ActorNode("actor:h", null, Map.of()));
    refused("needs a role", () -> new ActorNode("actor:h", " ", Map.of()));
    ActorNode h = new ActorNode("actor:h", "human", null);
    assertEquals(Map.of(), h.params());
    assertEquals("h", h.actorId());
    Map<String, String> unsorted = new LinkedHashMap<>();
    unsorted.put("z", "1");
    unsorted.put("a", "2");
    assertEquals(List.of("a", "z"), List.copyOf(new ActorNode("actor:h", "human", unsorted).params().keySet()));
  }

  @Test
  void datasetNodesAreNamedAfterTheirLineage() {
    refused("for no lineage", () -> new DatasetNode("dataset:d", null, 12, Map.of()));
    refused("was null for d", () -> new DatasetNode(null, D, 12, Map.of()));
    refused("was dataset:e for d", () -> new DatasetNode("dataset:e", D, 12, Map.of()));
    DatasetNode n = new DatasetNode("dataset:d", D, 12, null, null);
    assertEquals(Map.of(), n.signal());
    assertEquals(Map.of(), n.judgement());
    assertEquals("d", n.name());
  }

  @Test
  void modelNodesAreTrainedOrSourcesWithFiniteMass() {
    String id = "model:" + M0;
    refused("model:<model id>", () -> new ModelNode(null, "TokenModel", "init:random", null, 0, Map.of(), null));
    refused("was x.", () -> new ModelNode("x", "TokenModel", "init:random", null, 0, Map.of(), null));
    refused("was model:.", () -> new ModelNode("model:", "TokenModel", "init:random", null, 0, Map.of(), null));
    refused("needs a model class", () -> new ModelNode(id, null, "init:random", null, 0, Map.of(), null));
    refused("needs a model class", () -> new ModelNode(id, "", "init:random", null, 0, Map.of(), null));
    refused("source name \"\"", () -> new ModelNode(id, "TokenModel", "", null, 0, Map.of(), null));
    refused("source name \"model:x\"", () -> new ModelNode(id, "TokenModel", "model:x", null, 0, Map.of(), null));
    refused("neither a training record nor a source", () -> new ModelNode(id, "TokenModel", null, null, 0, Map.of(),
        null));
    refused("tokens = -1.0", () -> new ModelNode(id, "TokenModel", "init:random", null, -1, Map.of(), null));
    refused("tokens = NaN", () -> new ModelNode(id, "TokenModel", "init:random", null, Double.NaN, Map.of(), null));
    refused("tokens = Infinity", () -> new ModelNode(id, "TokenModel", "init:random", null,
        Double.POSITIVE_INFINITY, Map.of(), null));
    ModelNode trained = new ModelNode(id, "TokenModel", null, TRAINING, 0, null, null);
    assertEquals(Map.of(), trained.ancestry());
    assertEquals(M0, trained.modelId());
  }

  @Test
  void edgesNeedBothEndsAndAKind() {
    refused("got null, b, TRAINED_ON", () -> new Edge(null, "b", EdgeKind.TRAINED_ON));
    refused("got a, null, TRAINED_ON", () -> new Edge("a", null, EdgeKind.TRAINED_ON));
    refused("got a, b, null", () -> new Edge("a", "b", null));
  }

  @Test
  void trainerLineagesNeedAMethodAndACountFromZero() {
    refused("needs a method name, was null", () -> new TrainerLineage(null, Map.of(), 1, 0));
    refused("needs a method name, was  .", () -> new TrainerLineage(" ", Map.of(), 1, 0));
    refused("invocation must be ≥ 0, was -1", () -> new TrainerLineage("sft", Map.of(), 1, -1));
    assertEquals(0, new TrainerLineage("sft", Map.of(), 1, 0).invocation());
    assertEquals(Map.of(), new TrainerLineage("sft", null, 1, 0).config());
  }

  @Test
  void trainingsNeedATrainerAndSomethingToStartFrom() {
    refused("needs its trainer", () -> new Training(null, List.of("d"), null));
    refused("A training by sft needs at least one dataset or an initial model",
        () -> new Training(null, List.of(), SFT));
    refused("A training by sft needs", () -> new Training(null, null, SFT));
    assertEquals(List.of(), new Training(M0, null, SFT).datasets());
    assertEquals(List.of("d"), new Training(null, List.of("d"), SFT).datasets());
  }

  @Test
  void modelLineagesNeedEveryPartButTheData() {
    refused("got null, TokenModel", () -> new ModelLineage(null, "TokenModel", null, List.of(), SFT, RUN));
    refused("needs modelId, modelClass, trainer and run, got " + M0 + ", null",
        () -> new ModelLineage(M0, null, null, List.of(), SFT, RUN));
    refused("TokenModel, null, RunLineage", () -> new ModelLineage(M0, "TokenModel", null, List.of(), null, RUN));
    refused(", null.", () -> new ModelLineage(M0, "TokenModel", null, List.of(), SFT, null));
    assertEquals(List.of(), new ModelLineage(M0, "TokenModel", null, null, SFT, RUN).data());
  }

  @Test
  void runLineagesNeedAHashAndEveryVersion() {
    String sha = RUN.scenarioSha256();
    refused("64 lowercase hex digits, was null", () -> new RunLineage(null, 1, List.of(), "java", "cpu", "J", "O",
        "v"));
    refused("was " + sha.toUpperCase(), () -> new RunLineage(sha.toUpperCase(), 1, List.of(), "java", "cpu", "J",
        "O", "v"));
    refused("needs backend, was null", () -> new RunLineage(sha, 1, List.of(), null, "cpu", "J", "O", "v"));
    refused("needs device, was  .", () -> new RunLineage(sha, 1, List.of(), "java", " ", "J", "O", "v"));
    refused("needs javaVersion", () -> new RunLineage(sha, 1, List.of(), "java", "cpu", null, "O", "v"));
    refused("needs os", () -> new RunLineage(sha, 1, List.of(), "java", "cpu", "J", "", "v"));
    refused("needs projectVersion", () -> new RunLineage(sha, 1, List.of(), "java", "cpu", "J", "O", null));
    assertEquals(List.of(), new RunLineage(sha, 1, null, "java", "cpu", "J", "O", "v").invocation());
  }

  @Test
  void architecturesNeedAFamilyAHeadAndParamsFromZero() {
    refused("got null and token", () -> new Architecture(null, "token", 1, 2, Map.of()));
    refused("got   and token", () -> new Architecture(" ", "token", 1, 2, Map.of()));
    refused("got mlp and null", () -> new Architecture("mlp", null, 1, 2, Map.of()));
    refused("got mlp and .", () -> new Architecture("mlp", "", 1, 2, Map.of()));
    refused("params ≥ 0, was -1", () -> new Architecture("mlp", "token", -1, 2, Map.of()));
    assertEquals("mlp 0 params", new Architecture("mlp", "token", 0, 2, null).summary());
  }

  @Test
  void architectureSummariesListTheShapeSortedWithTheParamsInAFewDigits() {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("hidden", List.of(256));
    shape.put("activation", "gelu");
    shape.put("context", 8);
    Architecture a = new Architecture("mlp", "token", 70_400, 77, shape);
    assertEquals("mlp 70.4k params: activation gelu, context 8, hidden [256]", a.summary());
    long[] params = {912, 999, 1000, 1234, 70_449, 999_000, 1_000_000, 1_250_000, 123_456_789};
    String[] text = {"912", "999", "1k", "1.23k", "70.4k", "999k", "1M", "1.25M", "123M"};
    for (int i = 0; i < params.length; i++) {
      assertEquals(text[i], new Architecture("mlp", "token", params[i], 2, Map.of()).paramsText(), "" + params[i]);
    }
  }
}
