package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The committed JSON Schema is the one the records generate, and says what the validator checks. */
class ScenarioSchemaTest {
  private static final Path COMMITTED = Path.of("../scenarios/scenario.schema.json");

  @Test
  void theCommittedSchemaIsUpToDate() throws Exception {
    String generated = ScenarioSchema.text();
    if (Boolean.getBoolean("pf.updateSchema")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
    assertEquals(generated, committed, "scenarios/scenario.schema.json differs from the records. Regenerate it:\n"
        + "  mvn -pl engine -am test -Dtest=ScenarioSchemaTest -Dsurefire.failIfNoSpecifiedTests=false "
        + "-Dpf.updateSchema=true\nand commit it with the change to the records.");
  }

  @Test
  void theSchemaCarriesTypesBoundsEnumsDefaultsAndStageKinds() {
    JsonNode s = ScenarioSchema.generate();
    JsonNode defs = s.get("$defs");
    assertEquals("https://json-schema.org/draft/2020-12/schema", s.get("$schema").asText());
    assertEquals(false, s.get("additionalProperties").asBoolean());
    JsonNode gen = defs.get("LineageSpec").get("properties").get("generations");
    assertEquals("integer", gen.get("type").asText());
    assertEquals(1, gen.get("minimum").asInt());
    assertEquals(1000, gen.get("maximum").asInt());
    assertEquals(5, gen.get("default").asInt());
    JsonNode keep = defs.get("FilterStage").get("properties").get("keepFraction");
    assertEquals(0, keep.get("exclusiveMinimum").asInt());
    assertEquals(1, keep.get("maximum").asInt());
    assertEquals("filter", defs.get("FilterStage").get("properties").get("kind").get("const").asText());
    assertEquals(List.of("generate", "filter", "label", "train", "redteam"),
        StreamSupport.stream(defs.get("StageSpec").get("properties").get("kind").get("enum").spliterator(), false)
            .map(JsonNode::asText).toList());
    assertEquals(List.of("replace", "accumulate", "subsample"),
        StreamSupport.stream(defs.get("DataPolicySpec").get("properties").get("policy").get("enum").spliterator(),
            false).map(JsonNode::asText).toList());
    JsonNode lr = defs.get("TrainStage").get("properties").get("lr");
    assertEquals("null", lr.get("anyOf").get(1).get("type").asText());
    // the world's bounds come from FieldRules' table
    assertEquals(64, defs.get("VocabularyConfig").get("properties").get("entities").get("maximum").asInt());
    assertTrue(defs.get("ExtraTraitConfig").get("required").toString().contains("tokens"));
    assertEquals("#/$defs/WorldConfig", s.get("properties").get("world").get("$ref").asText());
  }

  @Test
  void everyRefResolves() {
    JsonNode s = ScenarioSchema.generate();
    List<String> refs = new ObjectMapper().valueToTree(s).findValuesAsText("$ref");
    assertTrue(refs.size() > 20, refs.toString());
    for (String ref : refs) {
      assertTrue(s.at(ref.substring(1)).isObject(), ref);
    }
  }

  @Test
  void everyPropertyHasADescriptionFromItsRecordsParamDoc() {
    JsonNode s = ScenarioSchema.generate();
    List<String> missing = new java.util.ArrayList<>();
    int[] count = {0};
    walk(s, "", missing, count);
    assertTrue(count[0] > 150, "properties seen: " + count[0]);
    assertEquals(List.of(), missing, "properties without a description: write an @param line for each in its "
        + "record's Javadoc, then regenerate the schema");
    JsonNode samples = s.get("$defs").get("GenerateStage").get("properties").get("samples");
    assertTrue(samples.get("description").asText().startsWith("responses to generate, in [1, 10000000]"),
        samples.toString());
    // {@code …} and {@link …} are made plain
    assertTrue(!s.toString().contains("{@"), "no Javadoc tags left");
  }

  private static void walk(JsonNode n, String path, List<String> missing, int[] count) {
    if (n.isObject()) {
      JsonNode props = n.get("properties");
      if (props != null && props.isObject() && !path.endsWith("/if")) { // an if's properties only select a branch
        props.fieldNames().forEachRemaining(f -> {
          count[0]++;
          if (!props.get(f).has("description")) {
            missing.add(path + "." + f);
          }
        });
      }
      n.fields().forEachRemaining(e -> walk(e.getValue(), path + "/" + e.getKey(), missing, count));
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), path + "[" + i + "]", missing, count);
      }
    }
  }

  @Test
  void stageKindsAreChosenByTheirKeySoEditorsNameTheBadField() {
    JsonNode stage = ScenarioSchema.generate().get("$defs").get("StageSpec");
    assertTrue(!stage.has("oneOf") && !stage.has("anyOf"), stage.toString());
    JsonNode first = stage.get("allOf").get(0);
    assertEquals("generate", first.get("if").get("properties").get("kind").get("const").asText());
    assertEquals("kind", first.get("if").get("required").get(0).asText());
    assertEquals("#/$defs/GenerateStage", first.get("then").get("$ref").asText());
    assertEquals(false, ScenarioSchema.generate().get("$defs").get("GenerateStage").get("additionalProperties")
        .asBoolean(), "a typo in a generate stage is an unknown property of GenerateStage");
  }
}
