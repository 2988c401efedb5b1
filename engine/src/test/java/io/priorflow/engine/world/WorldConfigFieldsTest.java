package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every field of every {@code world:} block as a scenario writes it: given alone it is kept and every other field
 * takes its default; and every range check at its bounds (the bound itself accepted, one step beyond refused).
 */
class WorldConfigFieldsTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  /** Reads {field: value} for each field alone: the field has the value, the others their defaults. */
  private static <T> void eachFieldAlone(Class<T> type, T defaults, Map<String, Object> values) throws Exception {
    Map<String, Object> d = YAML.convertValue(defaults, MAP);
    for (Map.Entry<String, Object> e : values.entrySet()) {
      T read = YAML.readValue(YAML.writeValueAsString(Map.of(e.getKey(), e.getValue())), type);
      Map<String, Object> expected = new TreeMap<>(d);
      expected.put(e.getKey(), e.getValue());
      assertEquals(expected, new TreeMap<>(YAML.convertValue(read, MAP)), type.getSimpleName() + "." + e.getKey());
    }
    assertEquals(defaults, YAML.readValue("{}", type), type.getSimpleName() + " of no field");
  }

  private static List<String> problems(String yaml) throws Exception {
    return YAML.readValue(yaml, WorldConfig.class).problems();
  }

  @Test
  void everyFieldOfEveryFlatBlockIsKeptAloneAndTheOthersDefault() throws Exception {
    eachFieldAlone(VocabularyConfig.class, VocabularyConfig.defaults(), Map.of("entities", 30, "attributes", 4,
        "values", 9, "polite", 4, "toxic", 5, "hedge", 3, "filler", 13));
    eachFieldAlone(KnowledgeConfig.class, KnowledgeConfig.defaults(), Map.of("zipfExponent", 1.3, "rareHeadMass", 0.7,
        "factSeed", 7L, "maxOperand", 12, "heldOutEntities", 2,
        "changes", List.of(Map.of("share", 0.5, "every", 2, "from", 3))));
    eachFieldAlone(RegisterConfig.class, RegisterConfig.defaults(), Map.of("politeTurnsToxic", 0.2,
        "toxicRecovers", 0.1, "neutralTurnsToxic", 0.01, "politeEmit", 0.6, "toxicEmit", 0.8));
    eachFieldAlone(LengthConfig.class, LengthConfig.defaults(), Map.of("min", 2, "max", 12, "verboseAbove", 9));
    eachFieldAlone(DocumentConfig.class, DocumentConfig.defaults(), Map.of("factRecall", 0.5, "statements", 2,
        "freshValues", 0.25));
    eachFieldAlone(PromptMix.class, PromptMix.defaults(), Map.of("fact", 2.0, "arithmetic", 1.0, "chat", 3.0));
  }

  @Test
  void everyFieldOfEveryTagIsKeptAloneAndTheOthersAreThatTagsDefaults() throws Exception {
    TagProfiles d = TagProfiles.defaults();
    for (Tag t : Tag.values()) {
      for (String field : List.of("weight", "correct", "hedge", "polite", "toxic", "lengthP")) {
        TagProfiles read = YAML.readValue("{" + t.key() + ": {" + field + ": 0.123}}", TagProfiles.class);
        Map<String, Object> expected = YAML.convertValue(d, MAP);
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = new LinkedHashMap<>((Map<String, Object>) expected.get(t.key()));
        profile.put(field, 0.123);
        expected.put(t.key(), profile);
        assertEquals(expected, YAML.convertValue(read, MAP), t.key() + "." + field);
      }
    }
    assertEquals(d, YAML.readValue("{}", TagProfiles.class));
  }

  @Test
  void everyBlockOfTheWorldIsKeptAloneAndTheOthersDefault() throws Exception {
    WorldConfig d = WorldConfig.defaults();
    WorldConfig c = YAML.readValue("prompts: { fact: 0.6 }", WorldConfig.class);
    assertEquals(new PromptMix(0.6, 0.25, 0.25), c.prompts());
    assertEquals(d, c.withPrompts(d.prompts()));
    c = YAML.readValue("documents: { factRecall: 0.3 }", WorldConfig.class);
    assertEquals(new DocumentConfig(0.3, 3, 0.5), c.documents());
    assertEquals(d, c.withDocuments(d.documents()));
    c = YAML.readValue("documents: { sameEntity: true }", WorldConfig.class);
    assertEquals(new DocumentConfig(0, 3, 0.5, true), c.documents(), "sameEntity read, the rest default");
    c = YAML.readValue("knowledge: { heldOutEntities: 3 }", WorldConfig.class);
    assertEquals(KnowledgeConfig.defaults().withHeldOutEntities(3), c.knowledge());
    assertEquals(d, c.withKnowledge(d.knowledge()));
    c = YAML.readValue("vocabulary: { filler: 20 }", WorldConfig.class);
    assertEquals(new VocabularyConfig(24, 3, 8, 3, 3, 2, 20), c.vocabulary());
    c = YAML.readValue("length: { max: 12 }", WorldConfig.class);
    assertEquals(new LengthConfig(1, 12, 7), c.length());
    assertEquals(d.register(), c.register());
    assertEquals(DocumentConfig.defaults(), new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), null, d.tags(),
        d.register(), d.length(), null, null).documents());
  }

  @Test
  void extraTraitsDriftsAndChangesTakeTheirDefaultsWhenLeftOut() throws Exception {
    assertEquals(new ExtraTraitConfig("grat", List.of("thanks"), false, 0.0),
        ExtraTraitConfig.of("grat", List.of("thanks"), null, null));
    assertEquals(new ExtraTraitConfig("grat", List.of("thanks"), true, -2.5),
        ExtraTraitConfig.of("grat", List.of("thanks"), true, -2.5));
    assertEquals(new ExtraTraitConfig("grat", List.of("thanks"), false, 1.0),
        ExtraTraitConfig.of("grat", List.of("thanks"), false, 1.0));
    assertNull(ExtraTraitConfig.of("grat", null, null, null).tokens());
    assertEquals(new FactChange(0.5, 3, 3), FactChange.of(0.5, 3, null));
    assertEquals(new FactChange(0.5, 3, 7), FactChange.of(0.5, 3, 7));
    FactChange noEvery = FactChange.of(null, null, null);
    assertTrue(Double.isNaN(noEvery.share()));
    assertEquals(0, noEvery.every());
    assertEquals(1, noEvery.from());
    assertEquals(new StyleDrift("toxic", 3, -0.1, 3, null), StyleDrift.of("toxic", 3, -0.1, null, null));
    assertEquals(new StyleDrift("toxic", 3, -0.1, 5, "low"), StyleDrift.of("toxic", 3, -0.1, 5, "low"));
    StyleDrift noStep = StyleDrift.of("polite", null, null, null, null);
    assertEquals(0, noStep.every());
    assertEquals(1, noStep.from());
    assertTrue(Double.isNaN(noStep.by()));
    assertEquals(List.of(
        "knowledge.changes[0].share must be in (0, 1], was NaN",
        "knowledge.changes[1].every must be in [1, 1000], was 0",
        "extraTraits[0].tokens must list at least one token, was null",
        "drift[0].every must be in [1, 1000], was 0",
        "drift[0].by must be in [-1, 1] and not 0, was NaN"), problems("""
        knowledge: { changes: [ { every: 2 }, { share: 0.1 } ] }
        extraTraits: [ { name: grat } ]
        drift: [ { trait: polite } ]
        """));
  }

  @Test
  void rangesAcceptTheirBoundsAndRefuseOneStepBeyond() throws Exception {
    assertEquals(List.of(), problems("""
        vocabulary: { entities: 64, attributes: 1, values: 2, filler: 32 }
        knowledge: { zipfExponent: 0, rareHeadMass: 0.05, maxOperand: 49,
                     changes: [ { share: 1, every: 1, from: 1000 }, { share: 1.0e-9, every: 1000 } ] }
        prompts: { fact: 0, arithmetic: 1000, chat: 0 }
        tags: { low: { correct: 1, hedge: 1.0e-12, polite: 1, toxic: 1.0e-12 }, mid: { weight: 0 },
                high: { lengthP: 1 } }
        length: { min: 32, max: 32, verboseAbove: 64 }
        drift: [ { trait: polite, every: 1, by: 1 }, { trait: toxic, every: 1000, by: -1 } ]
        """));
    assertEquals(List.of(
        "vocabulary.entities must be in [2, 64], was 65",
        "knowledge.zipfExponent must be in [0, 4], was -0.5",
        "knowledge.changes[0].share must be in (0, 1], was 0",
        "knowledge.changes[1].share must be in (0, 1], was 1.5",
        "knowledge.changes must have shares summing to at most 1, was 1.5",
        "prompts.chat must be in [0, 1000], was 1001",
        "tags.low.correct plus tags.low.hedge must be at most 1, was 1.2",
        "tags.low.polite plus tags.low.toxic must be at most 1, was 1.1",
        "drift[0].by must be in [-1, 1] and not 0, was 1.5",
        "drift[1].by must be in [-1, 1] and not 0, was -1.5"), problems("""
        vocabulary: { entities: 65 }
        knowledge: { zipfExponent: -0.5, changes: [ { share: 0, every: 1 }, { share: 1.5, every: 1 } ] }
        prompts: { chat: 1001 }
        tags: { low: { correct: 0.6, hedge: 0.6, polite: 0.6, toxic: 0.5 } }
        drift: [ { trait: polite, every: 1, by: 1.5 }, { trait: toxic, every: 1, by: -1.5 } ]
        """));
  }

  @Test
  void promptAndTagWeightsNeedAPositiveSumAndAreNormalisedByIt() throws Exception {
    PromptMix mix = new PromptMix(2, 1, 1);
    assertEquals(0.5, mix.probability(PromptKind.FACT));
    assertEquals(0.25, mix.probability(PromptKind.CHAT));
    TagProfiles d = TagProfiles.defaults();
    TagProfiles heavy = new TagProfiles(d.low(), d.mid(), new TagProfile(3, 0.92, 0.06, 0.6, 0.01, 0.35));
    assertEquals(0.35 / 3.85, heavy.probability(Tag.MID), 1e-15);
    // each weight alone is a positive sum
    assertEquals(List.of(), problems("prompts: { fact: 0, arithmetic: 1, chat: 0 }"));
    assertEquals(List.of(), problems("prompts: { fact: 0, arithmetic: 0, chat: 1 }"));
    assertEquals(List.of(), problems("tags: { low: { weight: 0 }, mid: { weight: 1 }, high: { weight: 0 } }"));
    assertEquals(List.of(), problems("tags: { low: { weight: 0 }, mid: { weight: 0 }, high: { weight: 1 } }"));
    assertEquals(List.of("prompts weights must have a positive sum, was 0",
        "tags.*.weight must have a positive sum, was 0"), problems("""
        prompts: { fact: 0, arithmetic: 0, chat: 0 }
        tags: { low: { weight: 0 }, mid: { weight: 0 }, high: { weight: 0 } }
        """));
    assertEquals(List.of("prompts.fact must be in [0, 1000], was -1",
        "prompts weights must have a positive sum, was -0.25"), problems("prompts: { fact: -1, arithmetic: 0.5 }"));
    ConfigChecks unprefixed = new ConfigChecks();
    new PromptMix(0, 0, 0).check("", unprefixed);
    assertEquals(List.of("prompts weights must have a positive sum, was 0"), unprefixed.problems());
  }

  @Test
  void knowledgeChecksHeldOutEntitiesAndTheRareTail() throws Exception {
    assertEquals(List.of(), problems("vocabulary: { entities: 6 }\nknowledge: { heldOutEntities: 4, rareHeadMass: 0.5 }"));
    assertEquals(List.of("knowledge.heldOutEntities must leave at least 2 of the 6 entities trainable, was 5"),
        problems("vocabulary: { entities: 6 }\nknowledge: { heldOutEntities: 5 }"));
    // uniform popularity over 2 entities: a head mass of 0.99 takes both
    assertEquals(List.of("knowledge.rareHeadMass must leave at least one rare entity, but the head already holds all"
        + " 2, was 0.99"), problems("vocabulary: { entities: 2 }\nknowledge: { zipfExponent: 0, rareHeadMass: 0.99 }"));
    assertEquals(List.of("knowledge.rareHeadMass must leave at least one rare entity, but the head already holds all"
        + " 2 trainable, was 0.99"), problems("""
        vocabulary: { entities: 4 }
        knowledge: { zipfExponent: 0, rareHeadMass: 0.99, heldOutEntities: 2 }
        """));
    List<String> eight = Collections.nCopies(8, "{ share: 0.1, every: 1 }");
    assertEquals(List.of(), problems("knowledge: { changes: " + eight + " }"));
    List<String> nine = new ArrayList<>(eight);
    nine.add("{ share: 0.1, every: 1 }");
    assertEquals(List.of("knowledge.changes must hold at most 8 slices, was 9"),
        problems("knowledge: { changes: " + nine + " }"));
    // a slice left empty is reported with its path, not thrown as a NullPointerException while reading
    assertEquals(List.of("knowledge.changes[1] must be a slice { share, every, from }, was null"),
        problems("knowledge: { changes: [ { share: 0.1, every: 1 }, ~ ] }"));
  }

  @Test
  void aWorldReportsMissingBlocksAndBadOnesWithoutFailing() {
    WorldConfig d = WorldConfig.defaults();
    WorldConfig none = new WorldConfig(null, d.knowledge(), null, d.documents(), d.tags(), null, d.length(), null,
        null);
    assertEquals(List.of("vocabulary must be given, was null", "prompts must be given, was null",
        "register must be given, was null"), none.problems());
    WorldConfig bad = new WorldConfig(d.vocabulary(), d.knowledge(), new PromptMix(-1, 1, 1), d.documents(), d.tags(),
        new RegisterConfig(1.5, 0.05, 0.005, 0.5, 0.7), d.length(), null, null);
    assertEquals(List.of("prompts.fact must be in [0, 1000], was -1",
        "register.politeTurnsToxic must be in [0, 1], was 1.5"), bad.problems());
  }

  @Test
  void documentsMustFitTheFactsEvenWhenTheVocabularyIsWrong() throws Exception {
    assertEquals(List.of("vocabulary.attributes must be in [1, 8], was 0",
        "documents.statements must be at most entities × attributes = 0 (a document states each fact once), was 1"),
        problems("vocabulary: { attributes: 0 }\ndocuments: { statements: 1 }"));
    assertEquals(List.of("documents.statements must be at most entities × attributes = 2 (a document states each"
        + " fact once), was 3"), problems("vocabulary: { entities: 2, attributes: 1 }\nknowledge: { rareHeadMass: 0.5 }\ndocuments: { statements: 3 }"));
  }

  @Test
  void extraTraitNamesAreUniqueAndMayBeMissing() throws Exception {
    assertEquals(List.of("extraTraits[2].name must differ from extraTraits[0].name, was grat"), problems("""
        extraTraits: [ { name: grat, tokens: [thanks] }, { name: ok, tokens: [ok] }, { name: grat, tokens: [please] } ]
        """));
    assertEquals(List.of("extraTraits[1].name must match [a-z][a-z0-9_]{0,31}, was null"), problems("""
        extraTraits: [ { name: grat, tokens: [thanks] }, { tokens: [ok] } ]
        """));
  }

  @Test
  void driftsAreAtMostEightAndEachADrift() throws Exception {
    List<String> eight = Collections.nCopies(8, "{ trait: polite, every: 1, by: 0.01 }");
    assertEquals(List.of(), problems("drift: " + eight));
    assertEquals(List.of("drift[1] must be a drift { trait, every, by, from, tag }, was null"),
        problems("drift: [ { trait: polite, every: 1, by: 0.01 }, ~ ]"));
  }

  @Test
  void aUtilityWeightLeftEmptyIsReported() throws Exception {
    assertEquals(List.of("utility.toxic must be in [-100, 100], was NaN"), problems("utility: { toxic: ~ }"));
    assertEquals(List.of(), problems("utility: { toxic: -100, wrong: 100 }"));
  }

  @Test
  void aWorldWithoutDriftOrAtGenerationZeroIsItself() {
    WorldConfig d = WorldConfig.defaults();
    assertSame(d, d.at(5));
    WorldConfig drifting = new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.documents(), d.tags(),
        d.register(), d.length(), d.extraTraits(), d.utility(), List.of(new StyleDrift("toxic", 1, 0.5, 1, "low")));
    assertSame(drifting, drifting.at(0));
    // low: polite 0.15, toxic 0.20 + 0.5 = 0.70 ≤ 1 − 0.15; two steps: 1.2, clipped to 1 − polite = 0.85
    assertEquals(0.70, drifting.at(1).tags().low().toxic(), 1e-15);
    assertEquals(0.85, drifting.at(2).tags().low().toxic(), 1e-15);
    assertEquals(d.tags().mid(), drifting.at(2).tags().mid());
    // before its first step a drift leaves a profile as written, even one at the tolerance of polite + toxic ≤ 1
    TagProfile edge = new TagProfile(0.5, 0.45, 0.05, 1, 1e-12, 0.6);
    WorldConfig late = new WorldConfig(d.vocabulary(), d.knowledge(), d.prompts(), d.documents(),
        new TagProfiles(edge, d.tags().mid(), d.tags().high()), d.register(), d.length(), d.extraTraits(),
        d.utility(), List.of(new StyleDrift("polite", 1, -0.1, 5, "low")));
    assertEquals(edge, late.at(1).tags().low());
  }

  @Test
  void documentsAtTheirDefaultsAreLeftOutOfAResolvedScenario() {
    DocumentConfig.AtDefaults filter = new DocumentConfig.AtDefaults();
    assertEquals(filter, DocumentConfig.defaults());
    assertNotEquals(filter, new DocumentConfig(0.5, 3, 0.5));
    assertEquals(DocumentConfig.defaults().hashCode(), filter.hashCode());
  }

  @Test
  void configChecksFormatNumbersPlainlyAndCountProblems() {
    assertEquals("NaN", ConfigChecks.fmt(Double.NaN));
    assertEquals("-Infinity", ConfigChecks.fmt(Double.NEGATIVE_INFINITY));
    assertEquals("0.000001", ConfigChecks.fmt(1e-6));
    assertEquals("1", ConfigChecks.fmt(1.0));
    ConfigChecks c = new ConfigChecks();
    assertSame(c, c.require(true, "a", "must hold"));
    assertSame(c, c.require(false, "a.b", "must hold with c"));
    assertEquals(List.of("a.b must hold with c"), c.problems());
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> ConfigChecks.throwIfAny("X config", List.of("p1")));
    assertEquals("X config has 1 problem:\n  p1", one.getMessage());
    IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
        () -> ConfigChecks.throwIfAny("X config", List.of("p1", "p2")));
    assertEquals("X config has 2 problems:\n  p1\n  p2", two.getMessage());
    ConfigChecks.throwIfAny("X config", List.of());
  }
}
