package io.priorflow.engine.world;

import io.priorflow.engine.world.Vocabulary.Group;

/**
 * Reads any token sequence — the world's or a model's — as {@code [PAD…] BOS tag prompt… SEP response… [EOS …]}.
 *
 * <p>The prompt must be exactly one of the three forms of {@link Prompt} (after optional PAD and BOS, and the
 * tag, which may be missing); otherwise its kind is null and nothing about it is correct. A fact question may be
 * preceded by statements {@code ENTITY ATTRIBUTE VALUE} (a fact-recall document, {@link DocumentConfig}); any
 * other question after statements is not well formed. The response is what lies between the first SEP and the
 * next EOS (or the end). A response is <em>correct</em> when:
 * <ul>
 *   <li>FACT: its first VALUE token is the fact's value — the value the prompt's last statement of that entity
 *       and attribute gives, if one does, else the fact table's;</li>
 *   <li>ARITHMETIC: its first two DIGIT tokens, read as tens and units, are the result.</li>
 * </ul>
 * Later tokens do not matter, so a model cannot be right by listing every value. Not a tokenizer and not
 * lenient: the gold detectors rely on this exact grammar.
 */
public final class SequenceParser {

  private final Vocabulary vocab;
  private final FactTable facts;

  /** A parser for a vocabulary and its fact table. */
  public SequenceParser(Vocabulary vocab, FactTable facts) {
    this.vocab = vocab;
    this.facts = facts;
  }

  /** Parses a sequence; never throws for token ids inside the vocabulary. */
  public ParsedSequence parse(int[] s) {
    int sep = indexOf(s, Vocabulary.SEP, 0);
    int start = sep < 0 ? s.length : sep + 1;
    int eos = indexOf(s, Vocabulary.EOS, start);
    int end = eos < 0 ? s.length : eos;
    int i = 0;
    int promptEnd = sep < 0 ? s.length : sep;
    while (i < promptEnd && (s[i] == Vocabulary.PAD || s[i] == Vocabulary.BOS)) {
      i++;
    }
    Tag tag = null;
    if (i < promptEnd && vocab.is(s[i], Group.TAG)) {
      tag = Tag.values()[vocab.indexInGroup(s[i])];
      i++;
    }
    int statementsFrom = i;
    while (promptEnd - i >= 6 && vocab.is(s[i], Group.ENTITY) && vocab.is(s[i + 1], Group.ATTRIBUTE)
        && vocab.is(s[i + 2], Group.VALUE)) {
      i += 3;
    }
    int statementsTo = i;
    int body = promptEnd - i;
    PromptKind kind = null;
    int entity = -1;
    int answer = -1;
    if (sep >= 0 && body >= 1 && vocab.is(s[i], Group.QUESTION)) {
      PromptKind k = PromptKind.values()[vocab.indexInGroup(s[i])];
      if (k == PromptKind.FACT && body == 3 && vocab.is(s[i + 1], Group.ATTRIBUTE)
          && vocab.is(s[i + 2], Group.ENTITY)) {
        kind = k;
        entity = vocab.indexInGroup(s[i + 2]);
        answer = statedOrTable(s, statementsFrom, statementsTo, entity, vocab.indexInGroup(s[i + 1]));
      } else if (statementsTo > statementsFrom) {
        kind = null; // statements precede fact questions only
      } else if (k == PromptKind.ARITHMETIC && body == 6 && digits(s, i + 1) && vocab.is(s[i + 3], Group.OPERATOR)
          && digits(s, i + 4)) {
        kind = k;
        Operator op = Operator.values()[vocab.indexInGroup(s[i + 3])];
        int result = op.apply(number(s, i + 1), number(s, i + 4));
        answer = result >= 0 ? result : -1; // a negative result cannot be written, so nothing is correct
      } else if (k == PromptKind.CHAT) {
        kind = k;
      }
    }
    boolean correct = kind != null && answer >= 0 && answered(s, start, end, kind, answer);
    boolean rare = kind == PromptKind.FACT && facts.isRare(entity);
    return new ParsedSequence(tag, kind, entity, answer, start, end, correct, rare);
  }

  /** The value of the last statement in [from, to) about (entity, attribute), else the fact table's. */
  private int statedOrTable(int[] s, int from, int to, int entity, int attribute) {
    for (int j = to - 3; j >= from; j -= 3) {
      if (vocab.indexInGroup(s[j]) == entity && vocab.indexInGroup(s[j + 1]) == attribute) {
        return vocab.indexInGroup(s[j + 2]);
      }
    }
    return facts.value(entity, attribute);
  }

  /**
   * True when the response of a parsed question gives an answer at all, right or wrong: a VALUE token (FACT), two
   * DIGIT tokens (ARITHMETIC). False for anything else.
   */
  public boolean answers(int[] s, ParsedSequence p) {
    if (!p.isQuestion()) return false;
    int digits = 0;
    for (int j = p.responseStart(); j < p.responseEnd(); j++) {
      if (p.kind() == PromptKind.FACT && vocab.is(s[j], Group.VALUE)) return true;
      if (p.kind() == PromptKind.ARITHMETIC && vocab.is(s[j], Group.DIGIT) && ++digits == 2) return true;
    }
    return false;
  }

  private boolean answered(int[] s, int start, int end, PromptKind kind, int answer) {
    if (kind == PromptKind.FACT) {
      for (int j = start; j < end; j++) {
        if (vocab.is(s[j], Group.VALUE)) {
          return vocab.indexInGroup(s[j]) == answer;
        }
      }
      return false;
    }
    int seen = 0;
    int number = 0;
    for (int j = start; j < end && seen < 2; j++) {
      if (vocab.is(s[j], Group.DIGIT)) {
        number = 10 * number + vocab.indexInGroup(s[j]);
        seen++;
      }
    }
    return seen == 2 && number == answer;
  }

  private boolean digits(int[] s, int at) {
    return vocab.is(s[at], Group.DIGIT) && vocab.is(s[at + 1], Group.DIGIT);
  }

  private int number(int[] s, int at) {
    return 10 * vocab.indexInGroup(s[at]) + vocab.indexInGroup(s[at + 1]);
  }

  /** The index of the first token equal to t at or after from, or −1. */
  static int indexOf(int[] s, int t, int from) {
    for (int j = from; j < s.length; j++) {
      if (s[j] == t) {
        return j;
      }
    }
    return -1;
  }
}
