package io.priorflow.engine.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The default world: a synthetic "internet" of {@code BOS tag prompt… SEP response… EOS} sequences whose
 * priors are known exactly.
 *
 * <p>Each example draws a quality tag, a prompt kind (fact question about a Zipf-popular entity, two-digit
 * arithmetic, or chit-chat), then a response under the tag's profile: an answer that is right, wrong or a hedge;
 * a length; and a register chain that opens neutral, polite or toxic, where polite can turn toxic and toxic is
 * hard to leave. {@link Sampler} has the process step by step. Because every step is a finite distribution,
 * {@link #truePrevalence(Trait, Tag)} computes each trait's prevalence exactly ({@link ExactPrevalence}).
 *
 * <p>Immutable and thread-safe; every draw comes from the {@link SplittableRandom} the caller passes, so a
 * work item's stream fully determines its examples. The world is not a model: it has no probabilities for
 * arbitrary sequences, and it never learns.
 */
public final class World {

  private final WorldConfig config;
  /** The config as written, whose {@link WorldConfig#at} gives each generation's (differs from config when drifted). */
  private final WorldConfig written;
  private final Vocabulary vocabulary;
  private final FactTable facts;
  private final SequenceParser parser;
  private final Traits traits;
  private final GoldOracle oracle;
  private final Sampler sampler;
  private final ExactPrevalence exact;

  /** The worlds of later generations, built once each (only when facts change or style drifts). */
  private final java.util.concurrent.ConcurrentHashMap<Integer, World> generations;

  /** @throws IllegalArgumentException listing every problem of the config ({@link WorldConfig#problems()}) */
  public World(WorldConfig config) {
    this(checked(config), checked(config), new Vocabulary(config.vocabulary()),
        new FactTable(config.vocabulary(), config.knowledge()), new java.util.concurrent.ConcurrentHashMap<>());
  }

  private static WorldConfig checked(WorldConfig config) {
    ConfigChecks.throwIfAny("World config", config.problems());
    return config;
  }

  private World(WorldConfig written, WorldConfig config, Vocabulary vocabulary, FactTable facts,
                java.util.concurrent.ConcurrentHashMap<Integer, World> generations) {
    this.written = written;
    this.config = config;
    this.vocabulary = vocabulary;
    this.facts = facts;
    this.generations = generations;
    this.parser = new SequenceParser(vocabulary, facts);
    this.traits = new Traits(vocabulary, parser, config);
    this.oracle = new GoldOracle(traits, parser, config);
    this.sampler = new Sampler(config, vocabulary, facts);
    this.exact = new ExactPrevalence(config, vocabulary, facts);
  }

  /**
   * This world at generation g: the same world, except that the facts of {@code knowledge.changes} have the values
   * they have at g ({@link FactTable#at}) — in its examples, documents, gold parser, traits and oracle — and the
   * tag profiles are those after the style drifts of {@code drift} at g ({@link WorldConfig#at}) — in its examples
   * and exact prevalences. Generation g's stages and evaluation use it; a base pretrains at 0. Without changing
   * facts or drifting style, this world itself.
   */
  public World at(int g) {
    if ((!facts.changes() && written.drift().isEmpty()) || g == facts.generation()) return this;
    return generations.computeIfAbsent(g, k -> new World(written, written.at(k), vocabulary, facts.at(k),
        generations));
  }

  /** The generation whose facts this world states ({@link #at}); 0 for a world as built. */
  public int generation() {
    return facts.generation();
  }

  /** The world of {@link WorldConfig#defaults()}. */
  public static World defaults() {
    return new World(WorldConfig.defaults());
  }

  /** The config the world was built from. */
  public WorldConfig config() {
    return config;
  }

  /** The tokens. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The fact table and entity popularity. */
  public FactTable facts() {
    return facts;
  }

  /** The parser the gold detectors use. */
  public SequenceParser parser() {
    return parser;
  }

  /** The traits, in output order. */
  public Traits traits() {
    return traits;
  }

  /** The gold oracle. */
  public GoldOracle oracle() {
    return oracle;
  }

  /**
   * The longest possible sequence: BOS, tag, 3 tokens per statement of a fact-recall document (when documents are
   * on), 6 prompt tokens, SEP, length.max + 2 response tokens, EOS.
   */
  public int maxSequenceLength() {
    int statements = config.documents().on() ? 3 * config.documents().statements() : 0;
    return 9 + statements + config.length().max() + 2 + 1;
  }

  /**
   * A probe of in-context recall for the evaluation, never for training: the question about (entity, attribute)
   * under the tag, with the fact table's value stated at slot {@code statedAt} of a document of
   * {@code documents.statements} statements (the others distractors, drawn as in documents), or the bare
   * question for {@code statedAt} &lt; 0. The prompt's answer is the table value, which this is the only way to
   * read for a held-out entity.
   */
  public Prompt recallProbe(Tag tag, int entity, int attribute, int statedAt, SplittableRandom rng) {
    return sampler.recall().probe(tag, entity, attribute, statedAt, rng);
  }

  /** One example from the wild distribution: tag ~ tag weights, then {@link #sampleWithTag}. */
  public Example sample(SplittableRandom rng) {
    return sampleWithTag(sampler.tag(rng), rng);
  }

  /** One example with the given tag. */
  public Example sampleWithTag(Tag tag, SplittableRandom rng) {
    return sampler.response(sampler.prompt(tag, rng), rng);
  }

  /** A prompt from the wild distribution (tag included), for a model to complete. */
  public Prompt samplePrompt(SplittableRandom rng) {
    return sampler.prompt(sampler.tag(rng), rng);
  }

  /** A prompt with the given tag. */
  public Prompt samplePromptWithTag(Tag tag, SplittableRandom rng) {
    return sampler.prompt(tag, rng);
  }

  /**
   * True when the response of a full sequence (prompt, SEP, response, EOS) is one the world's own response grammar
   * can produce for its prompt ({@link Sampler}): an opener (a filler, polite or toxic word), then the answer part
   * of the prompt's kind — fact: one value or hedge word; arithmetic: two digits or a hedge word; chat: a hedge word
   * or nothing — then filler, polite and toxic words only, with {@code length.min} ≤ words besides the answer part
   * ≤ {@code length.max}. Right or wrong does not matter; noise (a digit, an entity, a tag, SEP in the response, a
   * second answer) does. False for a prompt that is not well formed.
   */
  public boolean wellFormed(int[] sequence) {
    ParsedSequence p = parser.parse(sequence);
    if (p.kind() == null) return false;
    int i = p.responseStart(), end = p.responseEnd();
    if (i >= end || !word(sequence[i])) return false;
    i++;
    int answer = 0;
    if (i < end && vocabulary.is(sequence[i], Vocabulary.Group.HEDGE)) {
      answer = 1;
    } else if (p.kind() == PromptKind.FACT && i < end && vocabulary.is(sequence[i], Vocabulary.Group.VALUE)) {
      answer = 1;
    } else if (p.kind() == PromptKind.ARITHMETIC && i + 1 < end && vocabulary.is(sequence[i], Vocabulary.Group.DIGIT)
        && vocabulary.is(sequence[i + 1], Vocabulary.Group.DIGIT)) {
      answer = 2;
    } else if (p.kind() != PromptKind.CHAT) {
      return false; // a question needs its answer part
    }
    for (i += answer; i < end; i++) {
      if (!word(sequence[i])) return false;
    }
    int words = p.responseLength() - answer;
    return words >= config.length().min() && words <= config.length().max();
  }

  private boolean word(int token) {
    return vocabulary.is(token, Vocabulary.Group.FILLER) || vocabulary.is(token, Vocabulary.Group.POLITE)
        || vocabulary.is(token, Vocabulary.Group.TOXIC);
  }

  /** The world's own response to a prompt, under the prompt's tag (e.g. a human demonstration). */
  public Example sampleResponse(Prompt prompt, SplittableRandom rng) {
    return sampler.response(prompt, rng);
  }

  /**
   * A fixed evaluation set: n wild prompts from {@code new SplittableRandom(seed)}. The same (n, seed) always
   * gives the same prompts, and a longer set starts with the shorter one.
   */
  public List<Prompt> evaluationPrompts(int n, long seed) {
    return evaluationPrompts(n, seed, null);
  }

  /** As {@link #evaluationPrompts(int, long)}, every prompt with the given tag (null: tags as in the wild). */
  public List<Prompt> evaluationPrompts(int n, long seed, Tag tag) {
    if (n < 0) {
      throw new IllegalArgumentException("An evaluation set needs n ≥ 0 prompts, got " + n + ".");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Prompt> prompts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prompts.add(tag == null ? samplePrompt(rng) : samplePromptWithTag(tag, rng));
    }
    return List.copyOf(prompts);
  }

  /** P(tag) in the wild distribution. */
  public double tagProbability(Tag tag) {
    return config.tags().probability(tag);
  }

  /** The exact prevalence of a trait among wild examples: Σ_tag P(tag) · P(trait | tag). */
  public double truePrevalence(Trait trait) {
    double total = 0;
    for (Tag t : Tag.values()) {
      total += tagProbability(t) * truePrevalence(trait, t);
    }
    return total;
  }

  /** The exact prevalence of a trait among examples with the given tag. */
  public double truePrevalence(Trait trait, Tag tag) {
    if (!traits.contains(trait)) {
      throw new IllegalArgumentException("Trait \"" + trait.name() + "\" is not one of this world's traits "
          + traits.all().stream().map(Trait::name).toList() + ".");
    }
    return exact.of(trait.rule(), tag);
  }

  /** The exact knowledge.accuracy of the world's own responses under a tag: P(correct | question, tag). */
  public double trueKnowledgeAccuracy(Tag tag) {
    return config.tags().get(tag).correct();
  }

  /**
   * The exact knowledge.accuracy of wild responses. Correctness does not depend on the entity, so this is also
   * the exact knowledge.rare_accuracy.
   */
  public double trueKnowledgeAccuracy() {
    double total = 0;
    for (Tag t : Tag.values()) {
      total += tagProbability(t) * trueKnowledgeAccuracy(t);
    }
    return total;
  }

  /**
   * The exact expected gold utility under a tag: Σ_i weight_i · P(trait i | tag) + w_wrong · P(wrong | tag), where a
   * world response is a confident wrong answer when a question (fact or arithmetic) gets the wrong answer mode:
   * P(wrong | tag) = P(question) · max(0, 1 − correct − hedge) of the tag's profile.
   */
  public double trueUtility(Tag tag) {
    double total = 0;
    for (int i = 0; i < traits.size(); i++) {
      total += oracle.weight(i) * truePrevalence(traits.get(i), tag);
    }
    TagProfile p = config.tags().get(tag);
    double questions = config.prompts().probability(PromptKind.FACT) + config.prompts().probability(PromptKind.ARITHMETIC);
    return total + oracle.wrongWeight() * questions * Math.max(0, 1 - p.correct() - p.hedge());
  }

  /** The exact expected gold utility of wild examples (reward.gold of the world itself). */
  public double trueUtility() {
    double total = 0;
    for (Tag t : Tag.values()) {
      total += tagProbability(t) * trueUtility(t);
    }
    return total;
  }
}
