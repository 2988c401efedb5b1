package io.priorflow.engine.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {

  /** Components deliberately out of alphabetical order. */
  record Sample(String zeta, int alpha, Map<String, Double> middle) {
  }

  record Numbers(List<Double> values) {
  }

  @Test
  void lineageSortsPropertiesAndMapKeysAndIndentsWithLineFeeds() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("b", 0.1);
    m.put("a", 2.0);
    String json = Json.lineageString(new Sample("z", 3, m));
    assertEquals("{\n  \"alpha\" : 3,\n  \"middle\" : {\n    \"a\" : 2.0,\n    \"b\" : 0.1\n  },\n  \"zeta\" : \"z\"\n}", json);
    assertFalse(json.contains("\r"));
  }

  @Test
  void messagesAreCompact() throws JsonProcessingException {
    assertEquals("{\"zeta\":\"z\",\"alpha\":3,\"middle\":{}}", Json.messages().writeValueAsString(new Sample("z", 3, Map.of())));
  }

  @Test
  void bothMappersRejectUnknownKeys() {
    String json = "{\"zeta\":\"z\",\"alpha\":3,\"middle\":{},\"typo\":1}";
    assertThrows(UnrecognizedPropertyException.class, () -> Json.messages().readValue(json, Sample.class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.readLineage(json, Sample.class));
    assertTrue(e.getMessage().contains("typo"), e.getMessage());
  }

  @Test
  void lineageRejectsMissingPropertiesAndTrailingContent() {
    assertThrows(IllegalArgumentException.class, () -> Json.readLineage("{\"zeta\":\"z\",\"middle\":{}}", Sample.class));
    assertThrows(IllegalArgumentException.class,
        () -> Json.readLineage("{\"zeta\":\"z\",\"alpha\":3,\"middle\":{}} {}", Sample.class));
  }

  @Test
  void doublesRoundTripExactlyInShortestForm() {
    SplittableRandom rng = new SplittableRandom(5);
    List<Double> values = new java.util.ArrayList<>(List.of(0.1, 1.0 / 3, 1e-300, -0.0, 123456789.125, Double.MIN_VALUE));
    for (int i = 0; i < 1000; i++) {
      values.add(Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL));
    }
    Numbers n = new Numbers(values);
    Numbers back = Json.readLineage(Json.lineageBytes(n), Numbers.class);
    for (int i = 0; i < values.size(); i++) {
      assertEquals(Double.doubleToLongBits(values.get(i)), Double.doubleToLongBits(back.values().get(i)), "value " + i);
    }
    assertTrue(Json.lineageString(new Numbers(List.of(0.1, 0.45))).contains("[ 0.1, 0.45 ]"));
  }

  @Test
  void lineageIdIsSha256OfTheSortedJsonAndIgnoresMapInsertionOrder() {
    Map<String, Double> ab = new LinkedHashMap<>();
    ab.put("a", 1.0);
    ab.put("b", 2.0);
    Map<String, Double> ba = new LinkedHashMap<>();
    ba.put("b", 2.0);
    ba.put("a", 1.0);
    String id = Json.lineageId(new Sample("z", 1, ab));
    assertEquals(id, Json.lineageId(new Sample("z", 1, ba)));
    assertEquals(Json.sha256Hex(Json.lineageBytes(new Sample("z", 1, ab))), id);
    assertTrue(id.matches("[0-9a-f]{64}"));
  }

  @Test
  void sha256HexMatchesAKnownVector() {
    // FIPS 180-2 test vector: SHA-256("abc").
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Json.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    assertArrayEquals(Json.lineageBytes(List.of(1, 2)), Json.lineageBytes(List.of(1, 2)));
  }
}
