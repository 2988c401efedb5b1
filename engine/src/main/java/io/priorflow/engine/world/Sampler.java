package io.priorflow.engine.world;

import io.priorflow.engine.rng.Draws;
import io.priorflow.engine.world.Vocabulary.Group;
import java.util.SplittableRandom;

/**
 * The world's generative process, step by step; {@link ExactPrevalence} sums over exactly these steps, so a
 * change here must be mirrored there (the prevalence tests catch a mismatch).
 *
 * <pre>
 *   tag     ~ tag weights
 *   kind    ~ prompt mix
 *   prompt  FACT: with documents.factRecall a fact-recall document ({@link FactRecall}; one uniform for the coin,
 *           drawn only when documents are on), else entity ~ Zipf over the trainable entities, attribute ~ U[0, A);  ARITHMETIC: op ~ U{plus, minus}, a, b ~ U[0, M]
 *           (swapped if op is minus and a &lt; b);  CHAT: two filler words ~ U
 *   mode    question: CORRECT with p.correct, HEDGE with p.hedge, else WRONG;  chat: HEDGE with p.hedge, else NONE
 *   answer  CORRECT: the value / the two digits of the result;  WRONG: a uniform other value / a uniform other
 *           result in [0, 2M];  HEDGE: a uniform hedge token;  NONE: nothing
 *   L       = length.min + Binomial(length.max − length.min, p.lengthP)
 *   opening ~ (neutral, polite, toxic) with (1 − p.polite − p.toxic, p.polite, p.toxic); the opener slot is a
 *           uniform marker of that register (filler if neutral)
 *   slots 2..L: move the register (RegisterConfig), then emit (a marker with politeEmit / toxicEmit, else filler)
 *   response = opener, answer, slots 2..L
 * </pre>
 * Package-private: callers use {@link World}.
 */
final class Sampler {

  private final WorldConfig config;
  private final Vocabulary vocab;
  private final FactTable facts;
  private final FactRecall recall;
  private final double[] tagCumulative;
  private final double[] kindCumulative;
  private final double[][] lengthCumulative; // [tag][L − min]
  private final double[][] openingCumulative; // [tag][register]
  private final double[][] transitions; // [from][to]

  Sampler(WorldConfig config, Vocabulary vocab, FactTable facts) {
    this.config = config;
    this.vocab = vocab;
    this.facts = facts;
    this.recall = new FactRecall(config.documents(), vocab, facts);
    TagProfiles tags = config.tags();
    tagCumulative = Draws.cumulative(tags.low().weight(), tags.mid().weight(), tags.high().weight());
    PromptMix mix = config.prompts();
    kindCumulative = Draws.cumulative(mix.fact(), mix.arithmetic(), mix.chat());
    lengthCumulative = new double[Tag.values().length][];
    openingCumulative = new double[Tag.values().length][];
    for (Tag t : Tag.values()) {
      TagProfile p = tags.get(t);
      lengthCumulative[t.ordinal()] = Draws.cumulative(lengthPmf(config.length(), p.lengthP()));
      openingCumulative[t.ordinal()] = Draws.cumulative(Math.max(0, 1 - p.polite() - p.toxic()), p.polite(), p.toxic());
    }
    transitions = config.register().transitions();
  }

  /** P(L = min + k) for k = 0..max − min: a binomial pmf. */
  static double[] lengthPmf(LengthConfig length, double p) {
    int n = length.max() - length.min();
    double[] pmf = new double[n + 1];
    double choose = 1;
    for (int k = 0; k <= n; k++) {
      pmf[k] = choose * Math.pow(p, k) * Math.pow(1 - p, n - k);
      choose = choose * (n - k) / (k + 1);
    }
    return pmf;
  }

  Tag tag(SplittableRandom rng) {
    return Tag.values()[Draws.categorical(tagCumulative, rng)];
  }

  Prompt prompt(Tag tag, SplittableRandom rng) {
    PromptKind kind = PromptKind.values()[Draws.categorical(kindCumulative, rng)];
    int question = vocab.token(Group.QUESTION, kind.ordinal());
    return switch (kind) {
      case FACT -> {
        if (config.documents().on() && rng.nextDouble() < config.documents().factRecall()) {
          yield recall.document(tag, rng);
        }
        int entity = facts.sampleEntity(rng);
        int attribute = rng.nextInt(facts.attributes());
        yield new Prompt(tag, kind, frame(tag, question, vocab.token(Group.ATTRIBUTE, attribute),
            vocab.token(Group.ENTITY, entity)), entity, attribute, facts.value(entity, attribute));
      }
      case ARITHMETIC -> {
        Operator op = Operator.values()[rng.nextInt(2)];
        int a = rng.nextInt(config.knowledge().maxOperand() + 1);
        int b = rng.nextInt(config.knowledge().maxOperand() + 1);
        if (op == Operator.MINUS && a < b) {
          int t = a;
          a = b;
          b = t;
        }
        yield new Prompt(tag, kind, frame(tag, question, digit(a / 10), digit(a % 10),
            vocab.token(Group.OPERATOR, op.ordinal()), digit(b / 10), digit(b % 10)), -1, -1, op.apply(a, b));
      }
      case CHAT -> new Prompt(tag, kind, frame(tag, question, filler(rng), filler(rng)), -1, -1, -1);
    };
  }

  /** The fact-recall documents and probes of this world. */
  FactRecall recall() {
    return recall;
  }

  Example response(Prompt prompt, SplittableRandom rng) {
    TagProfile p = config.tags().get(prompt.tag());
    AnswerMode mode = mode(prompt.kind(), p, rng);
    int[] answer = answer(prompt, mode, rng);
    int slots = config.length().min() + Draws.categorical(lengthCumulative[prompt.tag().ordinal()], rng);
    Register opening = Register.values()[Draws.categorical(openingCumulative[prompt.tag().ordinal()], rng)];
    int[] response = new int[slots + answer.length];
    response[0] = opener(opening, rng);
    System.arraycopy(answer, 0, response, 1, answer.length);
    Register state = opening;
    for (int i = 1 + answer.length; i < response.length; i++) {
      state = move(state, rng);
      response[i] = emit(state, rng);
    }
    return new Example(prompt, response, mode, opening);
  }

  private static AnswerMode mode(PromptKind kind, TagProfile p, SplittableRandom rng) {
    double u = rng.nextDouble();
    if (!kind.isQuestion()) {
      return u < p.hedge() ? AnswerMode.HEDGE : AnswerMode.NONE;
    }
    return u < p.correct() ? AnswerMode.CORRECT : u < p.correct() + p.hedge() ? AnswerMode.HEDGE : AnswerMode.WRONG;
  }

  private int[] answer(Prompt prompt, AnswerMode mode, SplittableRandom rng) {
    boolean fact = prompt.kind() == PromptKind.FACT;
    int values = vocab.count(Group.VALUE);
    int results = 2 * config.knowledge().maxOperand() + 1; // wrong results are drawn from [0, 2M]
    return switch (mode) {
      case CORRECT -> fact ? new int[] {vocab.token(Group.VALUE, prompt.answer())} : twoDigits(prompt.answer());
      case WRONG -> {
        int range = fact ? values : results;
        int w = rng.nextInt(range - 1);
        w = w >= prompt.answer() ? w + 1 : w; // uniform over the range without the right answer
        yield fact ? new int[] {vocab.token(Group.VALUE, w)} : twoDigits(w);
      }
      case HEDGE -> new int[] {vocab.token(Group.HEDGE, rng.nextInt(vocab.count(Group.HEDGE)))};
      case NONE -> new int[0];
    };
  }

  private int opener(Register r, SplittableRandom rng) {
    return switch (r) {
      case NEUTRAL -> filler(rng);
      case POLITE -> vocab.token(Group.POLITE, rng.nextInt(vocab.count(Group.POLITE)));
      case TOXIC -> vocab.token(Group.TOXIC, rng.nextInt(vocab.count(Group.TOXIC)));
    };
  }

  private Register move(Register from, SplittableRandom rng) {
    double u = rng.nextDouble();
    double[] row = transitions[from.ordinal()];
    return u < row[0] ? Register.NEUTRAL : u < row[0] + row[1] ? Register.POLITE : Register.TOXIC;
  }

  private int emit(Register r, SplittableRandom rng) {
    RegisterConfig c = config.register();
    return switch (r) {
      case NEUTRAL -> filler(rng);
      case POLITE -> rng.nextDouble() < c.politeEmit() ? opener(r, rng) : filler(rng);
      case TOXIC -> rng.nextDouble() < c.toxicEmit() ? opener(r, rng) : filler(rng);
    };
  }

  private int filler(SplittableRandom rng) {
    return vocab.token(Group.FILLER, rng.nextInt(vocab.count(Group.FILLER)));
  }

  private int digit(int d) {
    return vocab.token(Group.DIGIT, d);
  }

  private int[] twoDigits(int n) {
    return new int[] {digit(n / 10), digit(n % 10)};
  }

  private int[] frame(Tag tag, int... body) {
    int[] t = new int[body.length + 3];
    t[0] = Vocabulary.BOS;
    t[1] = vocab.token(tag);
    System.arraycopy(body, 0, t, 2, body.length);
    t[t.length - 1] = Vocabulary.SEP;
    return t;
  }
}
