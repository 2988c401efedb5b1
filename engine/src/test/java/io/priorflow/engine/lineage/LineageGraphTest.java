package io.priorflow.engine.lineage;

import static io.priorflow.engine.lineage.Chains.RUN;
import static io.priorflow.engine.lineage.Chains.fineTune;
import static io.priorflow.engine.lineage.Chains.fromScratch;
import static io.priorflow.engine.lineage.Chains.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.DataPolicies;
import io.priorflow.engine.data.DataPolicyParams;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.FreshData;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.TestData;
import io.priorflow.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LineageGraphTest {

  private static final String M0 = model("M0"), M1 = model("M1"), M2 = model("M2"), R = model("R");

  /** Every step of a two-generation run, as separate additions that may come in any order. */
  private static List<Consumer<LineageGraph.Builder>> steps() {
    Dataset w0 = Chains.world0();
    Dataset d1 = Chains.filteredAndCorrected("g1/new", M0, 1);
    Dataset t1 = DataPolicies.next("g1/train", List.of(w0), d1, FreshData.none(), DataPolicyParams.accumulate(),
        new SplittableRandom(1));
    Dataset rated = Dataset.of("g2/rated", "g2/label", TestData.data("g2/rated", 6, 4,
        i -> Provenance.generated("gen", M1, 2), i -> new Label[] {Label.ai(LabelKind.REWARD, i, "rm", R)}));
    List<Consumer<LineageGraph.Builder>> steps = new ArrayList<>();
    steps.add(b -> b.addDataset(w0));
    steps.add(b -> b.addDataset(d1));
    steps.add(b -> b.addDataset(t1));
    steps.add(b -> b.addDataset(rated));
    steps.add(b -> b.addActor("C", "critic", Map.of("rules", "no-toxic", "threshold", "0.5")));
    steps.add(b -> b.addActor("h", "human", Map.of("accuracy", "0.9")));
    steps.add(b -> b.addTrainedModel(M0, "TokenModel", fromScratch("g0/world")));
    steps.add(b -> b.addTrainedModel(M1, "TokenModel", fromScratch("g1/train")));
    steps.add(b -> b.addSourceModel(R, "TokenModel/scalar", "critic:rm", 0));
    steps.add(b -> b.addTrainedModel(M2, "TokenModel", new Training(M1, List.of("g2/rated"), Chains.trainer("rlhf"))));
    return steps;
  }

  private static LineageGraph build(List<Consumer<LineageGraph.Builder>> steps) {
    LineageGraph.Builder b = LineageGraph.builder(RUN);
    steps.forEach(s -> s.accept(b));
    return b.build();
  }

  @Test
  void insertionOrderDoesNotChangeTheBytes() {
    List<Consumer<LineageGraph.Builder>> steps = steps();
    byte[] forward = build(steps).toJson();
    Collections.reverse(steps);
    byte[] backward = build(steps).toJson();
    Collections.shuffle(steps, new java.util.Random(3));
    byte[] shuffled = build(steps).toJson();
    assertArrayEquals(forward, backward);
    assertArrayEquals(forward, shuffled);
    // A fresh build of the same run (new objects throughout) gives the same bytes too.
    assertArrayEquals(forward, build(steps()).toJson());
  }

  @Test
  void readsTheLineageOfEarlierVersionsWithoutJudgementOrArchitecture() throws Exception {
    LineageGraph g = build(steps());
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.lineage().readTree(g.toJson());
    int stripped = 0;
    for (com.fasterxml.jackson.databind.JsonNode n : tree.get("nodes")) {
      var o = (com.fasterxml.jackson.databind.node.ObjectNode) n;
      if (o.remove("judgement") != null) stripped++;
      if (o.remove("architecture") != null) stripped++;
    }
    assertTrue(stripped > 0);
    LineageGraph old = LineageGraph.fromJson(Json.lineage().writeValueAsBytes(tree));
    assertEquals(g.nodes().size(), old.nodes().size());
    for (Node n : old.nodes()) {
      if (n instanceof DatasetNode d) assertTrue(d.judgement().isEmpty(), d.id());
    }
    assertEquals(g.edges(), old.edges());
  }

  @Test
  void roundTripsThroughJsonToAnEqualGraphAndTheSameBytes() throws Exception {
    LineageGraph g = build(steps());
    LineageGraph back = LineageGraph.fromJson(g.toJson());
    assertEquals(g, back);
    assertArrayEquals(g.toJson(), back.toJson());
    assertEquals(g, Json.messages().readValue(Json.messages().writeValueAsBytes(g), LineageGraph.class));
    // The stored ancestry is what the definition gives for the stored nodes.
    for (Map.Entry<String, Ancestry.Result> e : back.recomputeAncestry().entrySet()) {
      assertEquals(e.getValue().shares(), back.ancestry(e.getKey()), e.getKey());
      assertEquals(e.getValue().tokens(), back.model(e.getKey()).tokens(), e.getKey());
    }
    // Read back, the shares are still the hand-computed ones: M1 trained on W0 ∪ D1, see AncestryTest.
    assertEquals(1225.0 / 1500, back.ancestry(M1).get("world"), 1e-12);
    assertEquals(0.15, back.ancestry(M1).get("critic:C"), 1e-12);
  }

  @Test
  void hasTheTypedEdgesOfTheRun() {
    LineageGraph g = build(steps());
    String m0 = "model:" + M0, m1 = "model:" + M1, m2 = "model:" + M2, r = "model:" + R;
    List<Edge> expected = new ArrayList<>(List.of(
        new Edge("dataset:g0/world", "actor:world", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/new", "actor:C", EdgeKind.FILTERED_BY),
        new Edge("dataset:g1/new", "actor:gen", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/new", "actor:h", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/new", m0, EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/train", "actor:C", EdgeKind.FILTERED_BY),
        new Edge("dataset:g1/train", "actor:gen", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/train", "actor:h", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/train", "actor:world", EdgeKind.GENERATED_BY),
        new Edge("dataset:g1/train", "dataset:g0/world", EdgeKind.DERIVED_FROM),
        new Edge("dataset:g1/train", "dataset:g1/new", EdgeKind.DERIVED_FROM),
        new Edge("dataset:g1/train", m0, EdgeKind.GENERATED_BY),
        new Edge("dataset:g2/rated", "actor:gen", EdgeKind.GENERATED_BY),
        new Edge("dataset:g2/rated", "actor:rm", EdgeKind.LABELLED_BY),
        new Edge("dataset:g2/rated", m1, EdgeKind.GENERATED_BY),
        new Edge("dataset:g2/rated", r, EdgeKind.LABELLED_BY),
        new Edge(m0, "dataset:g0/world", EdgeKind.TRAINED_ON),
        new Edge(m0, m1, EdgeKind.TEACHER_OF),
        new Edge(m1, "dataset:g1/train", EdgeKind.TRAINED_ON),
        new Edge(m2, "dataset:g2/rated", EdgeKind.TRAINED_ON),
        new Edge(m2, m1, EdgeKind.INITIALIZED_FROM)));
    expected.sort(Edge.ORDER);
    assertEquals(expected, g.edges());
    assertFalse(g.edges().contains(new Edge(m1, m2, EdgeKind.TEACHER_OF)), "M2's rollouts came from its own init");
  }

  @Test
  void actorsAreDeclaredOrImpliedByTheData() {
    LineageGraph g = build(steps());
    assertEquals(new ActorNode("actor:C", "critic", Map.of("rules", "no-toxic", "threshold", "0.5")), g.actor("C"));
    assertEquals(new ActorNode("actor:gen", "generator", Map.of()), g.actor("gen"));
    assertEquals(new ActorNode("actor:world", "world", Map.of()), g.actor("world"));
    assertEquals(new ActorNode("actor:rm", "critic", Map.of()), g.actor("rm"));
    List<String> ids = g.nodes().stream().map(Node::id).toList();
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    assertEquals(sorted, ids);
  }

  @Test
  void modelLineageIsSelfContainedAndItsIdIsTheHashOfItsSortedJson() {
    LineageGraph g = build(steps());
    ModelLineage ml = g.modelLineage(M1);
    assertEquals(M1, ml.modelId());
    assertEquals(List.of(g.dataset("g1/train").lineage()), ml.data());
    assertEquals(RUN, ml.run());
    assertEquals(Json.sha256Hex(Json.lineageBytes(ml)), ml.lineageId());
    assertEquals(ml.lineageId(), g.model(M1).lineageId());
    assertEquals(ml, Json.readLineage(Json.lineageBytes(ml), ModelLineage.class));
    assertNull(g.model(R).lineageId());
    assertThrows(IllegalArgumentException.class, () -> g.modelLineage(R));
    String json = Json.lineageString(ml);
    assertFalse(json.contains("lineageId"), json);
  }

  @Test
  void theJsonHasTheDocumentedShape() {
    String json = new String(build(steps()).toJson(), StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\n  \"edges\" : [ {\n    \"from\" : \"dataset:g0/world\",\n    \"kind\" : \"generated_by\","), json);
    assertTrue(json.contains("\"format\" : \"priorflow.lineage/1\",\n  \"labelShare\" : 0.5,\n  \"nodes\" : [ {\n"
        + "    \"type\" : \"actor\",\n    \"id\" : \"actor:C\","), json);
    assertTrue(json.contains("\"type\" : \"model\""), json);
    assertTrue(json.contains("\"ancestry\" : {\n      \"critic:C\" : 0.15,"), json);
    assertFalse(json.contains("\r"));
    assertFalse(json.matches("(?s).*\\b20\\d\\d-\\d\\d-\\d\\d.*"), "no dates in lineage");
  }

  @Test
  void rejectsConflictingAdditionsAndDanglingReferences() {
    Dataset a = Dataset.of("same", "x", TestData.world("a", 2, 3, 0));
    Dataset b = Dataset.of("same", "x", TestData.world("b", 2, 3, 0));
    LineageGraph.Builder builder = LineageGraph.builder(RUN).addDataset(a).addDataset(a);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.addDataset(b));
    assertTrue(e.getMessage().contains("Two different datasets are named same"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.addActor("h", "human", Map.of())
        .addActor("h", "human", Map.of("accuracy", "1")));
    assertThrows(IllegalArgumentException.class, () -> builder.addSourceModel(M0, "TokenModel", "model:x", 0));

    Dataset w0 = Chains.world0();
    Dataset t = DataPolicies.next("t", List.of(w0), Chains.world0(), FreshData.none(), DataPolicyParams.replace(),
        new SplittableRandom(1));
    // t derives from g0/world, which was never added.
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> LineageGraph.builder(RUN).addDataset(t).build());
    assertTrue(s.getMessage().contains("dataset:g0/world"), s.getMessage());
    // A graph read from JSON is checked the same way.
    LineageGraph g = LineageGraph.builder(RUN).addDataset(w0).addTrainedModel(M0, "TokenModel", fineTune(M1, "g0/world"))
        .addSourceModel(M1, "TokenModel", "init:random", 0).build();
    String dangling = new String(g.toJson(), StandardCharsets.UTF_8).replace("\"to\" : \"dataset:g0/world\"", "\"to\" : \"dataset:nope\"");
    e = assertThrows(IllegalArgumentException.class, () -> LineageGraph.fromJson(dangling.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("dataset:nope"), e.getMessage());
  }

  @Test
  void theGraphRefusesDuplicateIdsAStrayLabelShareAndEdgesToNowhere() {
    Node a = new ActorNode("actor:h", "human", Map.of());
    Node b = new ActorNode("actor:w", "world", Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LineageGraph(LineageGraph.FORMAT, 0.5, RUN, List.of(b, a, new ActorNode("actor:h", "critic", null)),
            List.of()));
    assertTrue(e.getMessage().contains("two nodes with id actor:h"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new LineageGraph(LineageGraph.FORMAT, 1.25, RUN, List.of(a), List.of()));
    assertTrue(e.getMessage().contains("was 1.25"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LineageGraph(LineageGraph.FORMAT, 0.5, RUN,
        List.of(a), List.of(new Edge("dataset:gone", "actor:h", EdgeKind.LABELLED_BY))));
    assertTrue(e.getMessage().contains("joins dataset:gone, which is not a node"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LineageGraph(LineageGraph.FORMAT, 0.5, RUN,
        List.of(a), List.of(new Edge("actor:h", "model:gone", EdgeKind.TRAINED_ON))));
    assertTrue(e.getMessage().contains("joins model:gone, which is not a node"), e.getMessage());
    assertEquals(List.of(a, b), new LineageGraph(LineageGraph.FORMAT, 0.5, RUN, List.of(b, a), List.of()).nodes());
  }

  @Test
  void recomputedAncestryCoversEveryModel() {
    LineageGraph g = build(steps());
    assertEquals(new java.util.TreeSet<>(List.of(M0, M1, M2, R)), g.recomputeAncestry().keySet());
    assertEquals(Map.of("critic:rm", 1.0), g.recomputeAncestry().get(R).shares());
  }

  @Test
  void readingReportsWhereTheJsonIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LineageGraph.fromJson("{ \"edges\" : [ ".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("Not a valid LineageGraph lineage JSON"), e.getMessage());
    // A current graph with a wrong value: read as it is, so the error names the line and column of the value.
    String json = new String(build(steps()).toJson(), StandardCharsets.UTF_8)
        .replace("\"labelShare\" : 0.5,", "\"labelShare\" : \"half\",");
    int line = json.substring(0, json.indexOf("\"half\"")).split("\n", -1).length;
    e = assertThrows(IllegalArgumentException.class,
        () -> LineageGraph.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("line: " + line + ", column: 18]"), line + ": " + e.getMessage());
  }

  @Test
  void aModelOrActorAddedTwiceTheSameIsAddedOnce() {
    List<Consumer<LineageGraph.Builder>> twice = steps();
    twice.addAll(steps());
    assertArrayEquals(build(steps()).toJson(), build(twice).toJson());
    LineageGraph.Builder b = LineageGraph.builder(RUN).addSourceModel(M0, "TokenModel", "init:random", 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.addSourceModel(M0, "TokenModel", "init:other", 0));
    assertTrue(e.getMessage().contains("Model " + M0 + " was added twice, differently"), e.getMessage());
  }

  @Test
  void aHumanWhoOnlyLabelsIsAHumanActor() {
    Dataset rated = Dataset.of("rated", "label", TestData.data("rated", 2, 4, i -> Provenance.world(0),
        i -> new Label[] {Label.human(LabelKind.RATING, 5, "h"), Label.ai(LabelKind.RATING, 4, "C", null)}));
    LineageGraph g = LineageGraph.builder(RUN).addDataset(rated).build();
    assertEquals(new ActorNode("actor:h", "human", Map.of()), g.actor("h"));
    assertEquals(new ActorNode("actor:C", "critic", Map.of()), g.actor("C"));
    assertEquals(List.of(new Edge("dataset:rated", "actor:C", EdgeKind.LABELLED_BY),
        new Edge("dataset:rated", "actor:h", EdgeKind.LABELLED_BY),
        new Edge("dataset:rated", "actor:world", EdgeKind.GENERATED_BY)), g.edges());
  }
}
