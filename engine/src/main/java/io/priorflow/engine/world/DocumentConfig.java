package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Fact-recall documents: pretraining sequences in which reading the context pays. With probability
 * {@code factRecall} a fact prompt becomes a document that first states {@code statements} facts, then asks about
 * one of them:
 *
 * <pre>
 *   BOS tag  ent07 city val3  ent02 color val5  ent19 size val0  what color ent02 SEP  response… EOS
 * </pre>
 * and the right answer is the value stated in the document (val5 here), which the parser and the gold traits judge
 * against ({@link SequenceParser}). Each statement is about a uniform entity (held-out ones included) and a
 * uniform attribute, no (entity, attribute) twice — or, with {@code sameEntity}, every statement is about the
 * entity asked about ({@code ent02 city val3  ent02 color val5  what color ent02}); the one asked about sits at a
 * uniform position. Its value is a
 * fresh uniform draw — so only the context knows it — for every held-out entity and, with probability
 * {@code freshValues}, for a trainable one; otherwise it is the fact table's. Missing fields take
 * {@link #defaults()}. Valid ranges:
 * <ul>
 *   <li>{@code factRecall} — P(a fact prompt is a document), in [0, 1]; default 0: off, and the world draws
 *       exactly what it drew before documents existed</li>
 *   <li>{@code statements} — facts stated per document, in [1, 8] and at most entities × attributes; default 3.
 *       A window model of context C sees a statement only if it ends within C − 4 tokens of SEP, so with 3
 *       statements the first is out of an 8-token window's reach</li>
 *   <li>{@code freshValues} — P(a statement about a trainable entity states a fresh random value), in [0, 1];
 *       default 0.5 (at 0 a model can answer trainable documents from memory; at 1 only the context helps)</li>
 * </ul>
 * Not a retrieval index and not a prompt kind of its own (a new kind would add a question token and change every
 * token id): a document is a fact prompt with a prefix. Left out of a resolved scenario while at its defaults.
 *
 * @param factRecall  probability that a fact prompt is a fact-recall document
 * @param statements  facts stated before the question
 * @param freshValues probability of a fresh value for a trainable entity's statement
 * @param sameEntity  every statement about the entity asked about
 */
public record DocumentConfig(double factRecall, int statements, double freshValues,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean sameEntity) {

  /** Off: factRecall 0 (3 statements about any entities, fresh values 0.5 when turned on). */
  public static DocumentConfig defaults() {
    return new DocumentConfig(0, 3, 0.5, false);
  }

  /** Documents whose statements are about any entities. */
  public DocumentConfig(double factRecall, int statements, double freshValues) {
    this(factRecall, statements, freshValues, false);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static DocumentConfig of(
      @JsonProperty("factRecall") Double factRecall,
      @JsonProperty("statements") Integer statements,
      @JsonProperty("freshValues") Double freshValues,
      @JsonProperty("sameEntity") Boolean sameEntity) {
    DocumentConfig d = defaults();
    return new DocumentConfig(factRecall != null ? factRecall : d.factRecall,
        statements != null ? statements : d.statements, freshValues != null ? freshValues : d.freshValues,
        sameEntity != null ? sameEntity : d.sameEntity);
  }

  /** True when fact prompts can become documents. */
  public boolean on() {
    return factRecall > 0;
  }

  /** Adds every range violation under the path prefix (e.g. "documents."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "factRecall", factRecall, 0, 1)
        .range(prefix + "statements", statements, 1, 8)
        .range(prefix + "freshValues", freshValues, 0, 1);
  }

  /**
   * Jackson's filter for {@code @JsonInclude(CUSTOM)}: a value "equal" to it is left out of written YAML. Equal
   * means equal to {@link #defaults()}, so a resolved scenario mentions documents only when they differ.
   */
  public static final class AtDefaults {
    @Override
    public boolean equals(Object o) {
      return defaults().equals(o);
    }

    @Override
    public int hashCode() {
      return defaults().hashCode();
    }
  }
}
