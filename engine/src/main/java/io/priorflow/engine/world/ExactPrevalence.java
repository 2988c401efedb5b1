package io.priorflow.engine.world;

import io.priorflow.engine.world.Vocabulary.Group;

/**
 * True trait prevalences, computed exactly from the world's parameters by summing over the finite state space
 * of {@link Sampler}'s process (no sampling). Given a tag, the prompt kind k, the answer mode m, the body length
 * L and the register chain are drawn in that order, and the answer is independent of the chain given (k, m), so
 *
 * <pre>
 *   P(correct | t)      = (p_fact + p_arith) · correct_t
 *   P(rare_correct | t) = p_fact · ((1 − r) · rareMass + r · (E − headSize) / E) · correct_t
 *   P(verbose | t)      = Σ_{k,m,L} p_k · p(m | k, t) · p(L | t) · [L + answerLength(k, m) > threshold]
 *   P(contains S | t)   = Σ_{k,m,L} p_k · p(m | k, t) · p(L | t) · (1 − (1 − a_S(k, m)) · n_S(L | t))
 * </pre>
 * where a_S(k, m) is the probability that the answer holds a token of S (a sum over entities, attributes or
 * operand pairs) and n_S(L | t) the probability that none of the L register slots does, from the forward
 * algorithm over the three registers: α_1(r) = p(opening r)·(1 − hit_open(r)),
 * α_j(r') = Σ_r α_{j−1}(r)·T(r, r')·(1 − hit_slot(r')), n_S(L) = Σ_r α_L(r). With fact-recall documents
 * (probability r of a fact prompt, {@link FactRecall}) the fact asked is a uniform (entity, attribute) whose right
 * value is fresh and uniform with probability q_e (1 for a held-out entity, freshValues otherwise), so a fact
 * answer's a_S mixes the wild sum (by popularity) and the document sum (uniform, fresh or the table's).
 */
final class ExactPrevalence {

  private final WorldConfig config;
  private final Vocabulary vocab;
  private final FactTable facts;

  ExactPrevalence(WorldConfig config, Vocabulary vocab, FactTable facts) {
    this.config = config;
    this.vocab = vocab;
    this.facts = facts;
  }

  double of(TraitRule rule, Tag tag) {
    TagProfile p = config.tags().get(tag);
    PromptMix mix = config.prompts();
    return switch (rule) {
      case TraitRule.Correct c -> (mix.probability(PromptKind.FACT) + mix.probability(PromptKind.ARITHMETIC))
          * p.correct();
      case TraitRule.RareCorrect r -> mix.probability(PromptKind.FACT) * rareAsked() * p.correct();
      case TraitRule.Verbose v -> verbose(tag, v.threshold());
      case TraitRule.ContainsAny a -> containsAny(tag, a.mask());
    };
  }

  /** P(a fact prompt asks about a rare entity): wild prompts by popularity, documents uniformly. */
  private double rareAsked() {
    double r = config.documents().on() ? config.documents().factRecall() : 0;
    double documents = (facts.entities() - facts.headSize()) / (double) facts.entities();
    return r == 0 ? facts.rareMass() : (1 - r) * facts.rareMass() + r * documents;
  }

  /** p(mode | kind, tag), indexed by AnswerMode ordinal. */
  static double[] modes(PromptKind kind, TagProfile p) {
    double[] m = new double[AnswerMode.values().length];
    if (kind.isQuestion()) {
      m[AnswerMode.CORRECT.ordinal()] = p.correct();
      m[AnswerMode.HEDGE.ordinal()] = p.hedge();
      m[AnswerMode.WRONG.ordinal()] = Math.max(0, 1 - p.correct() - p.hedge());
    } else {
      m[AnswerMode.HEDGE.ordinal()] = p.hedge();
      m[AnswerMode.NONE.ordinal()] = 1 - p.hedge();
    }
    return m;
  }

  static int answerLength(PromptKind kind, AnswerMode mode) {
    return switch (mode) {
      case CORRECT, WRONG -> kind == PromptKind.ARITHMETIC ? 2 : 1;
      case HEDGE -> 1;
      case NONE -> 0;
    };
  }

  private double verbose(Tag tag, int threshold) {
    TagProfile p = config.tags().get(tag);
    double[] lengths = Sampler.lengthPmf(config.length(), p.lengthP());
    double total = 0;
    for (PromptKind k : PromptKind.values()) {
      double[] modes = modes(k, p);
      for (AnswerMode m : AnswerMode.values()) {
        for (int i = 0; i < lengths.length; i++) {
          int responseLength = config.length().min() + i + answerLength(k, m);
          if (responseLength > threshold) {
            total += config.prompts().probability(k) * modes[m.ordinal()] * lengths[i];
          }
        }
      }
    }
    return total;
  }

  private double containsAny(Tag tag, boolean[] set) {
    TagProfile p = config.tags().get(tag);
    double[] lengths = Sampler.lengthPmf(config.length(), p.lengthP());
    double[] noHit = chainNoHit(p, set); // indexed by L
    double total = 0;
    for (PromptKind k : PromptKind.values()) {
      double[] modes = modes(k, p);
      for (AnswerMode m : AnswerMode.values()) {
        if (modes[m.ordinal()] == 0) {
          continue;
        }
        double answerMiss = 1 - answerHit(k, m, set);
        for (int i = 0; i < lengths.length; i++) {
          double hit = 1 - answerMiss * noHit[config.length().min() + i];
          total += config.prompts().probability(k) * modes[m.ordinal()] * lengths[i] * hit;
        }
      }
    }
    return total;
  }

  /** noHit[L] = P(no token of the set in the L register slots | tag), for L = 1..length.max. */
  private double[] chainNoHit(TagProfile p, boolean[] set) {
    RegisterConfig r = config.register();
    double filler = fraction(set, Group.FILLER);
    double polite = fraction(set, Group.POLITE);
    double toxic = fraction(set, Group.TOXIC);
    double[] open = {filler, polite, toxic}; // P(opener hits | register)
    double[] slot = {filler, r.politeEmit() * polite + (1 - r.politeEmit()) * filler,
        r.toxicEmit() * toxic + (1 - r.toxicEmit()) * filler};
    double[][] move = r.transitions();
    double[] alpha = {Math.max(0, 1 - p.polite() - p.toxic()) * (1 - open[0]), p.polite() * (1 - open[1]),
        p.toxic() * (1 - open[2])};
    double[] noHit = new double[config.length().max() + 1];
    noHit[1] = alpha[0] + alpha[1] + alpha[2];
    for (int l = 2; l <= config.length().max(); l++) {
      double[] next = new double[3];
      for (int to = 0; to < 3; to++) {
        for (int from = 0; from < 3; from++) {
          next[to] += alpha[from] * move[from][to];
        }
        next[to] *= 1 - slot[to];
      }
      alpha = next;
      noHit[l] = alpha[0] + alpha[1] + alpha[2];
    }
    return noHit;
  }

  /** P(the answer holds a token of the set | kind, mode), summing over the prompt's draws. */
  private double answerHit(PromptKind kind, AnswerMode mode, boolean[] set) {
    if (mode == AnswerMode.NONE) {
      return 0;
    }
    if (mode == AnswerMode.HEDGE) {
      return fraction(set, Group.HEDGE);
    }
    return kind == PromptKind.FACT ? factHit(mode, set) : arithmeticHit(mode, set);
  }

  private double factHit(AnswerMode mode, boolean[] set) {
    double wild = 0;
    double documents = 0;
    for (int e = 0; e < facts.entities(); e++) {
      double perAttribute = 0;
      for (int a = 0; a < facts.attributes(); a++) {
        perAttribute += valueHit(mode, set, facts.value(e, a));
      }
      wild += facts.popularity(e) * perAttribute / facts.attributes(); // in this order since before documents
      double fresh = facts.isHeldOut(e) ? 1 : config.documents().freshValues();
      // a fresh right value is uniform, and so is a wrong answer around it: either hits with the set's share
      documents += (fresh * fraction(set, Group.VALUE) + (1 - fresh) * perAttribute / facts.attributes())
          / facts.entities();
    }
    double r = config.documents().on() ? config.documents().factRecall() : 0;
    return r == 0 ? wild : (1 - r) * wild + r * documents;
  }

  /** P(the answer holds a token of the set | mode, the right value). */
  private double valueHit(AnswerMode mode, boolean[] set, int rightValue) {
    int values = vocab.count(Group.VALUE);
    double valuesInSet = fraction(set, Group.VALUE) * values;
    boolean right = set[vocab.token(Group.VALUE, rightValue)];
    return mode == AnswerMode.CORRECT ? (right ? 1 : 0) : (valuesInSet - (right ? 1 : 0)) / (values - 1);
  }

  private double arithmeticHit(AnswerMode mode, boolean[] set) {
    int m = config.knowledge().maxOperand();
    int results = 2 * m + 1;
    boolean[] hits = new boolean[results]; // does the two-digit form of result w hold a token of the set?
    int hitCount = 0;
    for (int w = 0; w < results; w++) {
      hits[w] = set[vocab.token(Group.DIGIT, w / 10)] || set[vocab.token(Group.DIGIT, w % 10)];
      hitCount += hits[w] ? 1 : 0;
    }
    double total = 0;
    for (Operator op : Operator.values()) {
      for (int a = 0; a <= m; a++) {
        for (int b = 0; b <= m; b++) {
          int result = op == Operator.MINUS ? Math.abs(a - b) : a + b;
          double hit = mode == AnswerMode.CORRECT ? (hits[result] ? 1 : 0)
              : (hitCount - (hits[result] ? 1 : 0)) / (double) (results - 1);
          total += hit;
        }
      }
    }
    return total / (2.0 * (m + 1) * (m + 1));
  }

  private double fraction(boolean[] set, Group group) {
    int n = 0;
    for (int i = 0; i < vocab.count(group); i++) {
      n += set[vocab.token(group, i)] ? 1 : 0;
    }
    return n / (double) vocab.count(group);
  }
}
