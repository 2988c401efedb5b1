package io.priorflow.engine.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sampling, parsing and the vocabulary of the default world. */
class WorldTest {

  private final World world = World.defaults();

  @Test
  void vocabularyIsSmallNamedAndGrouped() {
    Vocabulary v = world.vocabulary();
    assertEquals(77, v.size());
    assertEquals(v.size(), new HashSet<>(v.names()).size(), "names are unique");
    assertEquals("PAD", v.name(Vocabulary.PAD));
    assertEquals("EOS", v.name(Vocabulary.EOS));
    assertEquals(4, v.token(Tag.LOW));
    assertEquals("tag_high", v.name(v.token(Tag.HIGH)));
    assertEquals("7", v.name(v.token(Vocabulary.Group.DIGIT, 7)));
    assertEquals(Vocabulary.Group.ENTITY, v.group(v.id("ent23")));
    assertEquals(List.of("please", "thanks", "kindly"), v.names().subList(v.first(Vocabulary.Group.POLITE),
        v.first(Vocabulary.Group.POLITE) + 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.id("ent24"));
    assertTrue(e.getMessage().startsWith("The vocabulary has no token named \"ent24\"; it has 77 tokens: PAD BOS"));
  }

  @Test
  void contextWindowPadsBeforeTheStart() {
    int[] out = new int[4];
    Vocabulary.contextWindow(new int[] {1, 4, 7, 40, 52}, 2, 4, out);
    assertArrayEquals(new int[] {Vocabulary.PAD, Vocabulary.PAD, 1, 4}, out);
    Vocabulary.contextWindow(new int[] {1, 4, 7, 40, 52}, 5, 4, out);
    assertArrayEquals(new int[] {4, 7, 40, 52}, out);
  }

  @Test
  void samplingIsAPureFunctionOfTheStream() {
    RandomStreams streams = new RandomStreams(12);
    for (int i = 0; i < 50; i++) {
      assertEquals(world.sample(streams.forItem("x")), world.sample(streams.forItem("x")));
    }
    assertNotEquals(world.sample(streams.forItem("x")), world.sample(streams.forItem("y")));
  }

  @Test
  void everyExampleParsesBackToItsPromptAndAnswer() {
    SplittableRandom rng = new RandomStreams(12).forItem("world/parse");
    SequenceParser parser = world.parser();
    int[] kinds = new int[PromptKind.values().length];
    for (int i = 0; i < 20_000; i++) {
      Example e = world.sample(rng);
      int[] s = e.sequence();
      assertTrue(s.length <= world.maxSequenceLength());
      ParsedSequence p = parser.parse(s);
      assertEquals(e.prompt().tag(), p.tag());
      assertEquals(e.prompt().kind(), p.kind());
      assertEquals(e.prompt().entity(), p.entity());
      assertEquals(e.prompt().answer(), p.answer());
      assertEquals(e.mode() == AnswerMode.CORRECT, p.correct(), () -> world.vocabulary().format(s));
      assertEquals(e.response().length, p.responseLength());
      assertEquals(e.mode() == AnswerMode.HEDGE, world.traits().get(Traits.HEDGE).detect(s));
      assertEquals(e.opening() == Register.POLITE, world.traits().get(Traits.POLITE).detect(s));
      kinds[p.kind().ordinal()]++;
    }
    for (int k : kinds) {
      assertTrue(k > 0);
    }
  }

  @Test
  void evaluationPromptsAreFixedByTheirSeed() {
    List<Prompt> a = world.evaluationPrompts(100, 9);
    assertEquals(a, world.evaluationPrompts(100, 9));
    assertEquals(a.subList(0, 40), world.evaluationPrompts(40, 9));
    assertNotEquals(a, world.evaluationPrompts(100, 10));
    List<Prompt> high = world.evaluationPrompts(50, 9, Tag.HIGH);
    assertTrue(high.stream().allMatch(p -> p.tag() == Tag.HIGH));
    Prompt first = high.get(0);
    assertEquals(Vocabulary.BOS, first.tokens()[0]);
    assertEquals(world.vocabulary().token(Tag.HIGH), first.tokens()[1]);
    assertEquals(Vocabulary.SEP, first.tokens()[first.length() - 1]);
  }

  @Test
  void responseFollowsThePromptsTag() {
    SplittableRandom rng = new RandomStreams(3).forItem("world/respond");
    Prompt prompt = world.samplePromptWithTag(Tag.HIGH, rng);
    Example e = world.sampleResponse(prompt, rng);
    assertEquals(prompt, e.prompt());
    assertThrows(IllegalArgumentException.class,
        () -> world.truePrevalence(World.defaults().traits().get(Traits.TOXIC)), "a trait of another world");
  }

  @Test
  void wellFormedFollowsTheResponseGrammar() {
    Vocabulary v = world.vocabulary();
    SplittableRandom rng = new RandomStreams(5).forItem("world/wellformed");
    for (int i = 0; i < 20_000; i++) {
      Example e = world.sample(rng);
      assertTrue(world.wellFormed(e.sequence()), () -> v.format(e.sequence()));
    }
    int the = v.id("the"), please = v.id("please"), idk = v.id("idk"), d3 = v.token(Vocabulary.Group.DIGIT, 3);
    int value = v.token(Vocabulary.Group.VALUE, 0), ent = v.id("ent03");
    Prompt fact = null, sum = null, chat = null;
    while (fact == null || sum == null || chat == null) {
      Prompt p = world.samplePrompt(rng);
      if (p.kind() == PromptKind.FACT) fact = p;
      if (p.kind() == PromptKind.ARITHMETIC) sum = p;
      if (p.kind() == PromptKind.CHAT) chat = p;
    }
    assertTrue(world.wellFormed(seq(fact, please, value, the)));
    assertTrue(world.wellFormed(seq(fact, the, idk)));                  // a hedge answers any question
    assertTrue(world.wellFormed(seq(sum, the, d3, d3, the)));
    assertTrue(world.wellFormed(seq(chat, the, the, please)));          // chat: no answer part
    assertTrue(world.wellFormed(seq(chat, the, idk)));
    assertTrue(!world.wellFormed(seq(fact, value, the)));               // no opener
    assertTrue(!world.wellFormed(seq(fact, the, the)));                 // a question without its answer
    assertTrue(!world.wellFormed(seq(fact, the, d3)));                  // a digit answers no fact
    assertTrue(!world.wellFormed(seq(sum, the, d3, the)));              // one digit
    assertTrue(!world.wellFormed(seq(chat, the, value)));               // a value in a chat
    assertTrue(!world.wellFormed(seq(fact, the, value, ent)));          // an entity in a response
    assertTrue(!world.wellFormed(seq(fact, the, value, value)));        // a second answer
    assertTrue(!world.wellFormed(seq(chat)));                           // nothing
    int[] longest = new int[world.config().length().max() + 1];
    java.util.Arrays.fill(longest, the);
    assertTrue(!world.wellFormed(seq(chat, longest)));                  // longer than length.max
    assertTrue(world.wellFormed(seq(chat, java.util.Arrays.copyOf(longest, longest.length - 1))));
  }

  @Test
  void aResponseCutBeforeItsEosIsJudgedWithoutReadingPastTheEnd() {
    Vocabulary v = world.vocabulary();
    int[] chat = java.util.Arrays.stream("BOS tag_low chat the a SEP the".split(" ")).mapToInt(v::id).toArray();
    assertTrue(world.wellFormed(chat), "one word and no EOS");
    int[] fact = java.util.Arrays.stream("BOS tag_low what color ent00 SEP the".split(" ")).mapToInt(v::id).toArray();
    assertTrue(!world.wellFormed(fact), "a fact without its answer");
    int[] sum = java.util.Arrays.stream("BOS tag_low compute 0 1 plus 0 2 SEP the 0".split(" ")).mapToInt(v::id)
        .toArray();
    assertTrue(!world.wellFormed(sum), "half an arithmetic answer");
    int[] empty = java.util.Arrays.stream("BOS tag_low chat the a SEP".split(" ")).mapToInt(v::id).toArray();
    assertTrue(!world.wellFormed(empty), "no response at all");
    int[] noPrompt = java.util.Arrays.stream("BOS tag_low the a SEP the idk EOS".split(" ")).mapToInt(v::id)
        .toArray();
    assertTrue(!world.wellFormed(noPrompt), "no prompt kind, though the response would do for a chat");
    int[] digitFirst = java.util.Arrays.stream("BOS tag_low chat the a SEP 0 the EOS".split(" ")).mapToInt(v::id)
        .toArray();
    assertTrue(!world.wellFormed(digitFirst), "an opener that is not a word");
  }

  @Test
  void theLongestSequenceCountsEveryPart() {
    // BOS tag, 6 prompt tokens, SEP, length.max = 10 slots + 2 answer tokens, EOS
    assertEquals(2 + 6 + 1 + 10 + 2 + 1, world.maxSequenceLength());
    World documents = new World(WorldConfig.defaults().withDocuments(new DocumentConfig(0.5, 2, 0.5)));
    assertEquals(22 + 3 * 2, documents.maxSequenceLength(), "3 tokens per statement");
    World off = new World(WorldConfig.defaults().withDocuments(new DocumentConfig(0, 2, 0.5)));
    assertEquals(22, off.maxSequenceLength(), "documents off state nothing");
  }

  @Test
  void anEvaluationSetHasNoOrMorePrompts() {
    assertEquals(List.of(), world.evaluationPrompts(0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> world.evaluationPrompts(-1, 1));
    assertEquals("An evaluation set needs n ≥ 0 prompts, got -1.", e.getMessage());
  }

  @Test
  void theOracleKeepsItsWeightsUnlessGivenOthersAndKnowsItsTraits() {
    GoldOracle oracle = world.oracle();
    assertSame(oracle, oracle.withUtility(null));
    assertSame(oracle, oracle.withUtility(java.util.Map.of()));
    assertSame(world.traits(), oracle.traits());
    assertEquals(-3.0, oracle.withUtility(java.util.Map.of("toxic", -3.0)).weights().get("toxic"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> world.traits().indexOf("tox"));
    assertTrue(e.getMessage().startsWith("There is no trait named \"tox\"; the traits are [toxic, polite"),
        e.getMessage());
    assertEquals(world.traits().size() - 1, world.traits().indexOf(Traits.VERBOSE));
  }

  @Test
  void aRecallProbeStatesItsFactInOneOfTheDocumentsSlots() {
    World w = new World(WorldConfig.defaults().withDocuments(new DocumentConfig(0.5, 3, 0.5)));
    SplittableRandom rng = new SplittableRandom(3);
    Prompt last = w.recallProbe(Tag.HIGH, 2, 1, 2, rng);
    int value = w.vocabulary().token(Vocabulary.Group.VALUE, w.facts().value(2, 1));
    assertEquals(value, last.tokens()[2 + 3 * 2 + 2], "stated in the third statement");
    assertEquals(w.facts().value(2, 1), last.answer());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.recallProbe(Tag.HIGH, 2, 1, 3, rng));
    assertEquals("A document has 3 statements, so a fact cannot be stated at slot 3.", e.getMessage());
  }

  /** prompt, SEP-terminated as prompts are, then the response and EOS. */
  private static int[] seq(Prompt p, int... response) {
    int[] s = java.util.Arrays.copyOf(p.tokens(), p.tokens().length + response.length + 1);
    System.arraycopy(response, 0, s, p.tokens().length, response.length);
    s[s.length - 1] = Vocabulary.EOS;
    return s;
  }
}
