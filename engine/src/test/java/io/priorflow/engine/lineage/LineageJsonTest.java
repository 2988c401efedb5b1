package io.priorflow.engine.lineage;

import static io.priorflow.engine.lineage.Chains.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.TestData;
import io.priorflow.engine.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every lineage record survives a JSON round trip through both mappers [Tribuo Helpers.testProvenanceMarshalling]. */
class LineageJsonTest {

  private static final String M0 = Chains.model("M0");

  private static <T> void roundTrip(T value, Class<T> type) throws Exception {
    assertEquals(value, Json.readLineage(Json.lineageBytes(value), type), type.getSimpleName() + " via lineage");
    ObjectMapper messages = Json.messages();
    assertEquals(value, messages.readValue(messages.writeValueAsBytes(value), type), type.getSimpleName() + " via messages");
  }

  @Test
  void recordsRoundTrip() throws Exception {
    TrainerLineage trainer = new TrainerLineage("lora", Map.of("rank", "4", "lr", "0.0003"), -9, 3);
    roundTrip(trainer, TrainerLineage.class);
    roundTrip(RUN, RunLineage.class);
    roundTrip(new Training(M0, List.of("a", "b"), trainer), Training.class);
    roundTrip(new Training(null, List.of("a"), trainer), Training.class);
    roundTrip(new Edge("model:x", "dataset:y", EdgeKind.TRAINED_ON), Edge.class);
    Dataset ds = Dataset.of("d", "world", TestData.world("d", 3, 4, 0));
    roundTrip(new ModelLineage(M0, "TokenModel", null, List.of(ds.lineage()), trainer, RUN), ModelLineage.class);
  }

  @Test
  void nodesRoundTripWithTheirTypeName() throws Exception {
    Node actor = new ActorNode("actor:h", "human", Map.of("accuracy", "0.8"));
    Node dataset = new DatasetNode("dataset:d", Dataset.of("d", "world", TestData.world("d", 3, 4, 0)).lineage(), 12,
        Map.of("world", 12.0));
    Node model = new ModelNode("model:" + M0, "TokenModel", null,
        new Training(null, List.of("d"), Chains.trainer("pretrain")), 12, Map.of("world", 1.0), "ab".repeat(32));
    Node source = new ModelNode("model:" + Chains.model("B"), "TokenModel", "generator:big", null, 5000,
        Map.of("generator:big", 1.0), null);
    for (Node n : List.of(actor, dataset, model, source)) {
      roundTrip(n, Node.class);
    }
    assertTrue(Json.lineageString(dataset).startsWith("{\n  \"type\" : \"dataset\","), Json.lineageString(dataset));
  }

  @Test
  void graphReadsRejectUnknownAndMissingFields() {
    LineageGraph g = LineageGraph.builder(RUN).addDataset(Chains.world0())
        .addTrainedModel(M0, "TokenModel", Chains.fromScratch("g0/world")).build();
    String json = Json.lineageString(g);
    String unknown = json.replace("\"labelShare\" : 0.5,", "\"labelShare\" : 0.5,\n  \"labelshare\" : 0.5,");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.readLineage(unknown, LineageGraph.class));
    assertTrue(e.getMessage().contains("labelshare"), e.getMessage());
    String missing = json.replace("\"labelShare\" : 0.5,", "");
    assertThrows(IllegalArgumentException.class, () -> Json.readLineage(missing, LineageGraph.class));
    String future = json.replace(LineageGraph.FORMAT, "priorflow.lineage/2");
    e = assertThrows(IllegalArgumentException.class, () -> Json.readLineage(future, LineageGraph.class));
    assertTrue(e.getMessage().contains("priorflow.lineage/2"), e.getMessage());
  }

  @Test
  void runLineageRecordsThisJvmAndNoTimes() {
    RunLineage run = RunLineage.current(RUN.scenarioSha256(), 42, List.of("run", "x.yaml"), "java", "cpu");
    assertEquals(System.getProperty("java.vendor") + " " + System.getProperty("java.version"), run.javaVersion());
    assertEquals(System.getProperty("os.name") + " " + System.getProperty("os.arch"), run.os());
    assertEquals(run, RunLineage.current(RUN.scenarioSha256(), 42, List.of("run", "x.yaml"), "java", "cpu"));
    assertEquals(Json.lineageId(run),
        Json.lineageId(RunLineage.current(RUN.scenarioSha256(), 42, List.of("run", "x.yaml"), "java", "cpu")));
    assertThrows(IllegalArgumentException.class, () -> RunLineage.current("not-a-hash", 42, List.of(), "java", "cpu"));
  }

  @Test
  void runLineageRecordsTheBuildsVersionAndGitCommit() throws Exception {
    String v = RunLineage.currentProjectVersion();
    // buildnumber-maven-plugin asks git for the last commit that is not a merge (git log -1 --no-merges): HEAD, or
    // after a merge commit the newest commit below it
    Process git = new ProcessBuilder("git", "log", "-1", "--no-merges", "--format=%H").redirectErrorStream(true)
        .start();
    String head = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (git.waitFor() == 0) { // Maven filled build.properties: the pom's version, then this checkout's commit
      assertTrue(v.matches("[0-9][^+]*\\+[0-9a-f]{40}"), v);
      assertEquals(head, v.substring(v.indexOf('+') + 1), "the last non-merge commit of this checkout (a worktree's own)");
    } else { // a source archive: the version alone
      assertTrue(v.matches("[0-9][^+]*"), v);
    }
    assertEquals(v, RunLineage.current(RUN.scenarioSha256(), 1, List.of(), "java", "cpu").projectVersion());
  }

  @Test
  void projectVersionFallsBackToTheManifestThenDevAndLeavesOutAnUnknownCommit() {
    java.util.Properties none = new java.util.Properties();
    assertEquals("dev", RunLineage.projectVersion(none, null), "an IDE's classes: no build.properties, no manifest");
    assertEquals("1.4", RunLineage.projectVersion(none, "1.4"), "a jar's manifest without build.properties");
    java.util.Properties versionOnly = new java.util.Properties();
    versionOnly.setProperty("version", "2.0");
    assertEquals("2.0", RunLineage.projectVersion(versionOnly, null));
    assertEquals("2.0", RunLineage.projectVersion(versionOnly, "1.4"), "build.properties' version first");
    java.util.Properties unknown = new java.util.Properties();
    unknown.setProperty("version", "2.0");
    unknown.setProperty("commit", "unknown");
    assertEquals("2.0", RunLineage.projectVersion(unknown, null), "outside git the commit is unknown: left out");
    java.util.Properties commitOnly = new java.util.Properties();
    commitOnly.setProperty("commit", "abc123");
    assertEquals("dev+abc123", RunLineage.projectVersion(commitOnly, null));
    assertEquals("1.4+abc123", RunLineage.projectVersion(commitOnly, "1.4"));
  }
}
