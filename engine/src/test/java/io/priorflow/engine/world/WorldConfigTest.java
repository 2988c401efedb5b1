package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WorldConfig as a scenario's {@code world:} block: defaults, partial overrides, unknown keys, problems. */
class WorldConfigTest {

  private final ObjectMapper yaml = new YAMLMapper();

  @Test
  void defaultsAreValidAndRoundTrip() throws Exception {
    WorldConfig d = WorldConfig.defaults();
    assertEquals(List.of(), d.problems());
    assertEquals(d, yaml.readValue(yaml.writeValueAsString(d), WorldConfig.class));
    ObjectMapper json = new ObjectMapper();
    assertEquals(d, json.readValue(json.writeValueAsString(d), WorldConfig.class));
    assertEquals(d, yaml.readValue("{}", WorldConfig.class));
  }

  @Test
  void partialOverridesKeepEveryOtherDefault() throws Exception {
    WorldConfig c = yaml.readValue("""
        tags:
          high: { correct: 0.94 }
        register:
          politeTurnsToxic: 0.2
        utility:
          toxic: -3
        extraTraits:
          - { name: gratitude, tokens: [thanks] }
        """, WorldConfig.class);
    WorldConfig d = WorldConfig.defaults();
    assertEquals(0.94, c.tags().high().correct());
    assertEquals(d.tags().high().polite(), c.tags().high().polite(), "the high tag's other fields stay");
    assertEquals(d.tags().low(), c.tags().low());
    assertEquals(0.2, c.register().politeTurnsToxic());
    assertEquals(d.register().toxicEmit(), c.register().toxicEmit());
    assertEquals(-3.0, c.utility().get("toxic"));
    assertEquals(1.0, c.utility().get("correct"));
    assertEquals(List.copyOf(Traits.DEFAULT_NAMES), List.copyOf(c.utility().keySet()));
    assertEquals(new ExtraTraitConfig("gratitude", List.of("thanks"), false, 0), c.extraTraits().get(0));
    assertEquals(d.vocabulary(), c.vocabulary());
    assertEquals(List.of(), c.problems());
  }

  @Test
  void unknownKeysFail() {
    assertThrows(UnrecognizedPropertyException.class, () -> yaml.readValue("tagz: {}\n", WorldConfig.class));
    assertThrows(UnrecognizedPropertyException.class,
        () -> yaml.readValue("tags: { high: { corect: 0.9 } }\n", WorldConfig.class));
    assertThrows(UnrecognizedPropertyException.class,
        () -> yaml.readValue("knowledge: { zipf: 1.2 }\n", WorldConfig.class));
  }

  @Test
  void everyProblemIsReportedAtOnceWithPathRuleAndValue() throws Exception {
    WorldConfig c = yaml.readValue("""
        vocabulary: { entities: 1 }
        tags:
          low: { correct: 1.4 }
          mid: { polite: 0.7, toxic: 0.5 }
        length: { min: 5, max: 3 }
        extraTraits:
          - { name: Bad-Name, tokens: [thanks, nope] }
        utility: { helpful: 1 }
        """, WorldConfig.class);
    List<String> problems = c.problems();
    problems.forEach(System.out::println);
    assertEquals(List.of(
        "vocabulary.entities must be in [2, 64], was 1",
        "tags.low.correct must be in [0, 1], was 1.4",
        "tags.low.correct plus tags.low.hedge must be at most 1, was 1.45",
        "tags.mid.polite plus tags.mid.toxic must be at most 1, was 1.2",
        "length.max must be in [5, 32], was 3",
        "extraTraits[0].name must match [a-z][a-z0-9_]{0,31}, was Bad-Name",
        "utility.helpful is not a default trait or wrong; use one of [toxic, polite, correct, rare_correct, hedge, "
            + "verbose, wrong]"
            + " (extra traits carry their own weight), was 1"), problems);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new World(c));
    assertTrue(e.getMessage().startsWith("World config has 7 problems:\n  vocabulary.entities"), e.getMessage());
  }

  @Test
  void extraTraitTokensMustExist() {
    WorldConfig c = WorldConfig.defaults().withExtraTraits(
        List.of(ExtraTraitConfig.of("thanks_or", List.of("thanks", "nope"), true, 0.1),
            ExtraTraitConfig.of("toxic", List.of("thanks"), null, null)));
    assertEquals(List.of("extraTraits[0].tokens[1] must be a token of the vocabulary, was nope",
        "extraTraits[1].name must differ from the default traits "
            + "[toxic, polite, correct, rare_correct, hedge, verbose], was toxic"), c.problems());
  }

  @Test
  void headMassMustLeaveARareEntity() throws Exception {
    WorldConfig c = yaml.readValue("vocabulary: { entities: 2 }\nknowledge: { zipfExponent: 4, rareHeadMass: 0.99 }",
        WorldConfig.class);
    assertEquals(List.of("knowledge.rareHeadMass must leave at least one rare entity, but the head already holds"
        + " all 2, was 0.99"), c.problems());
  }

  @Test
  void utilityMapIsMergedOverTheDefaults() {
    WorldConfig c = new WorldConfig(VocabularyConfig.defaults(), KnowledgeConfig.defaults(), PromptMix.defaults(),
        TagProfiles.defaults(), RegisterConfig.defaults(), LengthConfig.defaults(), null, Map.of("hedge", 0.3));
    assertEquals(0.3, c.utility().get("hedge"));
    assertEquals(WorldConfig.DEFAULT_UTILITY.get("toxic"), c.utility().get("toxic"));
  }
}
