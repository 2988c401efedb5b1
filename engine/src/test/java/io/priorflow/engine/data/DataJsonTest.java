package io.priorflow.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every data record survives a JSON round trip through both mappers [Tribuo Helpers.testProvenanceMarshalling]. */
class DataJsonTest {

  private static final String M = TestData.modelId("M0");

  private static <T> void roundTrip(T value, Class<T> type) throws Exception {
    assertEquals(value, Json.readLineage(Json.lineageBytes(value), type), type.getSimpleName() + " via lineage");
    ObjectMapper messages = Json.messages();
    assertEquals(value, messages.readValue(messages.writeValueAsBytes(value), type), type.getSimpleName() + " via messages");
  }

  private static Datum richDatum() {
    return new Datum("L0/g3/correct/17", new int[] {1, 5, 9, 2, 7, 3}, 3,
        new Provenance(SourceKind.HUMAN, "h1", null, 3, List.of("L0/g3/generate/4", "L0/g3/generate/9")),
        List.of(Label.ai(LabelKind.KEEP, 1, "critic-1", M), Label.human(LabelKind.RATING, 5.5, "pool-a"),
            new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "h2", null, "L0/g3/generate/5")));
  }

  @Test
  void provenanceLabelAndDatumRoundTrip() throws Exception {
    roundTrip(Provenance.world(0), Provenance.class);
    roundTrip(Provenance.generated("gen-2", M, 4), Provenance.class);
    roundTrip(new Provenance(SourceKind.RED_TEAM, "rt", null, 1, List.of()), Provenance.class);
    roundTrip(Label.ai(LabelKind.TARGETS, 1, "distiller", M), Label.class);
    roundTrip(Label.ai(LabelKind.REWARD, -0.25, "rm-actor", M), Label.class);
    roundTrip(richDatum(), Datum.class);
  }

  @Test
  void datasetLineageTransformAndPolicyRoundTrip() throws Exception {
    Dataset ds = Dataset.of("L0/g3/train", "L0/g3/generate",
        List.of(new Transform("accumulate", List.of("a", "b"), Map.of()), Transform.of("fresh", Map.of("count", "3"))),
        List.of(richDatum(), TestData.datum("x/1", 4, Provenance.world(0))));
    roundTrip(ds, Dataset.class);
    roundTrip(ds.lineage(), DataLineage.class);
    roundTrip(ds.lineage().transforms().get(0), Transform.class);
    roundTrip(DataPolicyParams.subsample(100).withFreshFraction(0.1), DataPolicyParams.class);
  }

  @Test
  void enumsUseLowercaseJsonNames() {
    String json = Json.lineageString(richDatum());
    assertTrue(json.contains("\"source\" : \"human\""), json);
    assertTrue(json.contains("\"labeller\" : \"ai\""), json);
    assertTrue(json.contains("\"kind\" : \"preference\""), json);
    assertTrue(Json.lineageString(DataPolicyParams.accumulate()).contains("\"accumulate\""));
    assertTrue(Json.lineageString(new Provenance(SourceKind.RED_TEAM, "rt", null, 1, List.of())).contains("\"red_team\""));
  }

  @Test
  void onlyRecordComponentsAreWritten() {
    String json = Json.lineageString(richDatum());
    assertTrue(!json.contains("signalTokens") && !json.contains("origin"), json);
  }

  @Test
  void originsNameTheSourceOfSignal() {
    assertEquals("world", Provenance.world(2).origin());
    assertEquals("model:" + M, Provenance.generated("gen", M, 1).origin());
    assertEquals("human:h1", Provenance.human("h1", 1, List.of("p")).origin());
    assertEquals("critic:rules", new Provenance(SourceKind.CRITIC, "rules", null, 1, null).origin());
    assertEquals("red_team:rt", new Provenance(SourceKind.RED_TEAM, "rt", null, 1, null).origin());
    assertEquals("model:" + M, new Provenance(SourceKind.RED_TEAM, "rt", M, 1, null).origin());
    assertEquals("human:pool-a", Label.human(LabelKind.RATING, 3, "pool-a").origin());
    assertEquals("critic:rules", Label.ai(LabelKind.KEEP, 1, "rules", null).origin());
    assertEquals("model:" + M, Label.ai(LabelKind.KEEP, 1, "critic-1", M).origin());
  }

  @Test
  void rejectsInconsistentRecordsWithReadableMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Provenance(SourceKind.GENERATOR, "gen", null, 0, null));
    assertTrue(e.getMessage().contains("must name the model"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Provenance(SourceKind.WORLD, "world", M, 0, null));
    assertThrows(IllegalArgumentException.class, () -> Provenance.world(-1));
    assertThrows(IllegalArgumentException.class, () -> new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "h", null, null));
    assertThrows(IllegalArgumentException.class, () -> new Label(LabelKind.KEEP, 1, LabellerKind.HUMAN, "h", M, null));
    assertThrows(IllegalArgumentException.class, () -> Label.human(LabelKind.RATING, Double.NaN, "h"));
    e = assertThrows(IllegalArgumentException.class, () -> new Datum("d", new int[] {1, 2}, 2, Provenance.world(0)));
    assertEquals("Datum d has 2 tokens, so responseStart must be in [0, 1], was 2.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DataPolicyParams(DataPolicyParams.Kind.SUBSAMPLE, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> DataPolicyParams.replace().withFreshFraction(1.0));
  }

  @Test
  void datumCopiesItsTokensAndComparesThemByValue() {
    int[] tokens = {1, 2, 3};
    Datum d = new Datum("d", tokens, 1, Provenance.world(0));
    tokens[0] = 99;
    assertEquals(1, d.tokens()[0]);
    assertEquals(d, new Datum("d", new int[] {1, 2, 3}, 1, Provenance.world(0)));
    assertEquals(d.hashCode(), new Datum("d", new int[] {1, 2, 3}, 1, Provenance.world(0)).hashCode());
    assertEquals(2, d.signalTokens());
  }
}
