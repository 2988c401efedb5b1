package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines the default world; a scenario embeds it under {@code world:}. In a file every block
 * and every field may be left out and keeps its default ({@link #defaults()}); unknown fields fail. The valid
 * range of each field is given on its record; {@link #problems()} checks them all at once.
 *
 * <pre>
 * world:
 *   vocabulary: { entities: 24, attributes: 3, values: 8, polite: 3, toxic: 3, hedge: 2, filler: 12 }
 *   knowledge:  { zipfExponent: 1.1, rareHeadMass: 0.8, factSeed: 2024, maxOperand: 9, heldOutEntities: 0 }
 *   prompts:    { fact: 0.5, arithmetic: 0.25, chat: 0.25 }
 *   documents:  { factRecall: 0, statements: 3, freshValues: 0.5 }   # fact-recall documents, off by default
 *   tags:       { low: {…}, mid: {…}, high: {…} }          # see TagProfiles
 *   register:   { politeTurnsToxic: 0.04, toxicRecovers: 0.05, neutralTurnsToxic: 0.005,
 *                 politeEmit: 0.5, toxicEmit: 0.7 }
 *   length:     { min: 1, max: 10, verboseAbove: 7 }
 *   extraTraits: [ { name: gratitude, tokens: [thanks], desirable: true, weight: 0.1 } ]
 *   utility:    { toxic: -1.0, polite: 0.2, correct: 1.0, rare_correct: 0.5, hedge: -0.1, verbose: -0.1 }
 *   drift:      [ { trait: polite, every: 2, by: 0.1 } ]          # style that drifts; none by default
 * </pre>
 *
 * @param vocabulary  group sizes of the vocabulary
 * @param knowledge   fact table and arithmetic
 * @param prompts     mixture over prompt kinds
 * @param documents   fact-recall documents (in-context learning); off by default, and then left out of a
 *                    resolved scenario
 * @param tags        per-tag profiles: tag probabilities and trait probabilities
 * @param register    the polite → toxic Markov chain
 * @param length      response length and the verbose threshold
 * @param extraTraits traits defined over token sets, after the default ones
 * @param utility     the gold oracle's utility weight of each default trait, each in [-100, 100]; a file may
 *                    give only some, the others keep {@link #DEFAULT_UTILITY}; and {@code wrong}, the weight of
 *                    a confident wrong answer (a question answered wrongly without a hedge), default 0 — e.g.
 *                    {@code { correct: 1, hedge: 0, wrong: -1 }} credits abstention over guessing
 * @param drift       style traits that drift over the generations ({@link StyleDrift}: polite or toxic, every how
 *                    many generations, by how much, from which, for which tag): generation g's world opens
 *                    responses in those registers at the drifted rates ({@link #at}); at most 8; default none, and
 *                    then left out of a resolved scenario
 */
public record WorldConfig(
    VocabularyConfig vocabulary,
    KnowledgeConfig knowledge,
    PromptMix prompts,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DocumentConfig.AtDefaults.class)
    DocumentConfig documents,
    TagProfiles tags,
    RegisterConfig register,
    LengthConfig length,
    List<ExtraTraitConfig> extraTraits,
    Map<String, Double> utility,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StyleDrift> drift) {

  /**
   * Default utility weights: a correct answer is worth 1, a correct rare fact 0.5 more; toxicity costs 1;
   * politeness earns 0.2; hedging and verbosity cost 0.1 each (a hedge is honest but unhelpful).
   */
  public static final Map<String, Double> DEFAULT_UTILITY = defaultUtility();

  private static Map<String, Double> defaultUtility() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(Traits.TOXIC, -1.0);
    m.put(Traits.POLITE, 0.2);
    m.put(Traits.CORRECT, 1.0);
    m.put(Traits.RARE_CORRECT, 0.5);
    m.put(Traits.HEDGE, -0.1);
    m.put(Traits.VERBOSE, -0.1);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The utility weight of a confident wrong answer ({@link GoldOracle}): not a trait, and 0 unless a scenario gives
   * it (then it is written into the resolved scenario like the others).
   */
  public static final String WRONG = "wrong";

  /** The names a utility map may weigh: the default traits and {@link #WRONG}. */
  public static final List<String> UTILITY_KEYS = utilityKeys();

  private static List<String> utilityKeys() {
    List<String> k = new java.util.ArrayList<>(Traits.DEFAULT_NAMES);
    k.add(WRONG);
    return List.copyOf(k);
  }

  /** Copies the list; merges the utility map over {@link #DEFAULT_UTILITY}, keeping the default traits' order. */
  public WorldConfig {
    documents = documents == null ? DocumentConfig.defaults() : documents;
    extraTraits = extraTraits == null ? List.of() : List.copyOf(extraTraits);
    drift = drift == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(drift));
    Map<String, Double> merged = new LinkedHashMap<>(DEFAULT_UTILITY);
    if (utility != null) {
      merged.putAll(utility); // unknown names are kept so that problems() can report them
    }
    utility = Collections.unmodifiableMap(merged);
  }

  /**
   * The default preset, rich enough for every method: quality tags that correlate with correctness,
   * politeness, toxicity and length; a Zipf fact table with a rare tail; arithmetic; a polite → toxic chain.
   */
  public static WorldConfig defaults() {
    return new WorldConfig(VocabularyConfig.defaults(), KnowledgeConfig.defaults(), PromptMix.defaults(),
        TagProfiles.defaults(), RegisterConfig.defaults(), LengthConfig.defaults(), List.of(), DEFAULT_UTILITY);
  }

  /** A config whose style does not drift (the form before drift existed). */
  public WorldConfig(VocabularyConfig vocabulary, KnowledgeConfig knowledge, PromptMix prompts,
                     DocumentConfig documents, TagProfiles tags, RegisterConfig register, LengthConfig length,
                     List<ExtraTraitConfig> extraTraits, Map<String, Double> utility) {
    this(vocabulary, knowledge, prompts, documents, tags, register, length, extraTraits, utility, List.of());
  }

  /** A config without fact-recall documents (the form before they existed). */
  public WorldConfig(VocabularyConfig vocabulary, KnowledgeConfig knowledge, PromptMix prompts, TagProfiles tags,
                     RegisterConfig register, LengthConfig length, List<ExtraTraitConfig> extraTraits,
                     Map<String, Double> utility) {
    this(vocabulary, knowledge, prompts, DocumentConfig.defaults(), tags, register, length, extraTraits, utility);
  }

  /** The Jackson creator: every missing block takes its default; the utility map is merged over the defaults. */
  @JsonCreator
  public static WorldConfig of(
      @JsonProperty("vocabulary") VocabularyConfig vocabulary,
      @JsonProperty("knowledge") KnowledgeConfig knowledge,
      @JsonProperty("prompts") PromptMix prompts,
      @JsonProperty("documents") DocumentConfig documents,
      @JsonProperty("tags") TagProfiles tags,
      @JsonProperty("register") RegisterConfig register,
      @JsonProperty("length") LengthConfig length,
      @JsonProperty("extraTraits") List<ExtraTraitConfig> extraTraits,
      @JsonProperty("utility") Map<String, Double> utility,
      @JsonProperty("drift") List<StyleDrift> drift) {
    WorldConfig d = defaults();
    return new WorldConfig(
        vocabulary != null ? vocabulary : d.vocabulary,
        knowledge != null ? knowledge : d.knowledge,
        prompts != null ? prompts : d.prompts,
        documents != null ? documents : d.documents,
        tags != null ? tags : d.tags,
        register != null ? register : d.register,
        length != null ? length : d.length,
        extraTraits,
        utility,
        drift);
  }

  /** This config with every tag given the same, averaged profile ({@link TagProfiles#uninformative()}). */
  public WorldConfig withTagsUninformative() {
    return withTags(tags.uninformative());
  }

  /** This config with other tag profiles. */
  public WorldConfig withTags(TagProfiles newTags) {
    return new WorldConfig(vocabulary, knowledge, prompts, documents,
        newTags, register, length, extraTraits, utility, drift);
  }

  /** This config with another prompt mix. */
  public WorldConfig withPrompts(PromptMix newPrompts) {
    return new WorldConfig(vocabulary, knowledge, newPrompts, documents,
        tags, register, length, extraTraits, utility, drift);
  }

  /** This config with other extra traits. */
  public WorldConfig withExtraTraits(List<ExtraTraitConfig> newExtraTraits) {
    return new WorldConfig(vocabulary, knowledge, prompts, documents, tags, register, length, newExtraTraits,
        utility, drift);
  }

  /** This config with other fact-recall documents. */
  public WorldConfig withDocuments(DocumentConfig newDocuments) {
    return new WorldConfig(vocabulary, knowledge, prompts, newDocuments,
        tags, register, length, extraTraits, utility, drift);
  }

  /** This config with other knowledge (e.g. held-out entities). */
  public WorldConfig withKnowledge(KnowledgeConfig newKnowledge) {
    return new WorldConfig(vocabulary, newKnowledge, prompts, documents,
        tags, register, length, extraTraits, utility, drift);
  }

  /**
   * This config as generation g's world has it: every tag profile after the drifts' steps at g ({@link StyleDrift}),
   * applied in the order listed. The result still lists the drifts: call {@code at} on the config as written, not on
   * a drifted one. Without drift (or at generation 0), this config itself.
   */
  public WorldConfig at(int g) {
    if (drift.isEmpty() || g == 0) return this;
    TagProfile[] p = {tags.low(), tags.mid(), tags.high()};
    for (StyleDrift d : drift) {
      for (Tag t : Tag.values()) if (d.moves(t)) p[t.ordinal()] = d.apply(p[t.ordinal()], g);
    }
    return withTags(new TagProfiles(p[0], p[1], p[2]));
  }

  /**
   * Every problem of the config, one line each, paths relative to the {@code world:} block, e.g.
   * "tags.low.correct must be in [0, 1], was 1.4" (see {@link ConfigChecks}). Empty when the config is valid.
   */
  public List<String> problems() {
    ConfigChecks checks = new ConfigChecks();
    for (var block : new Object[][] {{"vocabulary", vocabulary}, {"knowledge", knowledge}, {"prompts", prompts},
        {"tags", tags}, {"register", register}, {"length", length}}) {
      checks.require(block[1] != null, (String) block[0], "must be given", "null");
    }
    Vocabulary vocab = null;
    if (vocabulary != null) {
      int before = checks.problems().size();
      vocabulary.check("vocabulary.", checks);
      vocab = checks.problems().size() == before ? new Vocabulary(vocabulary) : null;
    }
    if (knowledge != null) {
      knowledge.check("knowledge.", checks);
      int trainable = vocabulary == null ? 0 : vocabulary.entities() - knowledge.heldOutEntities();
      if (vocabulary != null && knowledge.heldOutEntities() > 0) {
        checks.require(trainable >= 2, "knowledge.heldOutEntities", "must leave at least 2 of the "
            + vocabulary.entities() + " entities trainable", knowledge.heldOutEntities());
      }
      if (vocabulary != null && knowledge.rareHeadMass() >= 0.05 && knowledge.rareHeadMass() <= 0.99
          && knowledge.zipfExponent() >= 0 && knowledge.zipfExponent() <= 4 && trainable >= 2) {
        int head = FactTable.headSize(trainable, knowledge.zipfExponent(), knowledge.rareHeadMass());
        checks.require(head < trainable, "knowledge.rareHeadMass",
            "must leave at least one rare entity, but the head already holds all " + trainable
                + (trainable < vocabulary.entities() ? " trainable" : ""), knowledge.rareHeadMass());
      }
    }
    if (documents != null) {
      documents.check("documents.", checks);
      if (vocabulary != null && documents.statements() >= 1) {
        long pairs = (long) vocabulary.entities() * vocabulary.attributes();
        checks.require(documents.statements() <= pairs, "documents.statements", "must be at most entities × "
            + "attributes = " + pairs + " (a document states each fact once)", documents.statements());
        if (documents.sameEntity()) {
          checks.require(documents.statements() <= vocabulary.attributes(), "documents.statements", "must be at "
              + "most attributes = " + vocabulary.attributes() + " with sameEntity (a document states each of "
              + "its entity's facts once)", documents.statements());
        }
      }
    }
    if (prompts != null) {
      prompts.check("prompts.", checks);
    }
    if (tags != null) {
      tags.check("tags.", checks);
    }
    if (register != null) {
      register.check("register.", checks);
    }
    if (length != null) {
      length.check("length.", checks);
    }
    for (int i = 0; i < extraTraits.size(); i++) {
      extraTraits.get(i).check("extraTraits[" + i + "].", checks, vocab);
      for (int j = 0; j < i; j++) {
        String name = extraTraits.get(i).name();
        checks.require(name == null || !name.equals(extraTraits.get(j).name()), "extraTraits[" + i + "].name",
            "must differ from extraTraits[" + j + "].name", name);
      }
    }
    checks.require(drift.size() <= 8, "drift", "must hold at most 8 drifts", drift.size());
    for (int i = 0; i < drift.size(); i++) {
      if (drift.get(i) == null) {
        checks.require(false, "drift[" + i + "]", "must be a drift { trait, every, by, from, tag }", "null");
      } else {
        drift.get(i).check("drift[" + i + "].", checks);
      }
    }
    for (Map.Entry<String, Double> e : utility.entrySet()) {
      checks.require(UTILITY_KEYS.contains(e.getKey()), "utility." + e.getKey(),
          "is not a default trait or wrong; use one of " + UTILITY_KEYS + " (extra traits carry their own weight)",
          e.getValue());
      checks.range("utility." + e.getKey(), e.getValue() == null ? Double.NaN : e.getValue(), -100, 100);
    }
    return checks.problems();
  }
}
