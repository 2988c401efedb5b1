package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The world's knowledge: the fact table and arithmetic. Missing fields take {@link #defaults()}. Valid ranges:
 * <ul>
 *   <li>{@code zipfExponent} — s in p(entity of rank r) ∝ r^−s, in [0, 4]; default 1.1</li>
 *   <li>{@code rareHeadMass} — the head is the fewest most popular entities whose popularity sums to at least
 *       this; every other entity is rare. In [0.05, 0.99]; default 0.8</li>
 *   <li>{@code factSeed} — seeds the fact table (which value each entity's attribute has), any long;
 *       default 2024</li>
 *   <li>{@code maxOperand} — arithmetic operands are drawn from [0, maxOperand], in [1, 49] (so every result
 *       fits in two digits); default 9</li>
 *   <li>{@code heldOutEntities} — the N least popular entities (ranks E − N + 1 .. E) whose facts never appear in
 *       any training data: no wild prompt asks about them, and a fact-recall document ({@link DocumentConfig})
 *       that names one states a fresh random value, never the table's. They are measured by
 *       {@code knowledge.context_accuracy} and {@code knowledge.heldout_accuracy}. In [0, entities − 2] (two
 *       entities stay trainable); default 0, none. The Zipf popularity, the head and the rare tail are those of
 *       the E − N trainable entities. Left out of a resolved scenario when 0, so existing runs' files and
 *       hashes do not change.</li>
 * </ul>
 */
public record KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) int heldOutEntities) {

  /** s = 1.1, head mass 0.8, fact seed 2024, operands up to 9, no held-out entities. */
  public static KnowledgeConfig defaults() {
    return new KnowledgeConfig(1.1, 0.8, 2024, 9, 0);
  }

  /** A config without held-out entities. */
  public KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand) {
    this(zipfExponent, rareHeadMass, factSeed, maxOperand, 0);
  }

  /** This config with N held-out entities. */
  public KnowledgeConfig withHeldOutEntities(int n) {
    return new KnowledgeConfig(zipfExponent, rareHeadMass, factSeed, maxOperand, n);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static KnowledgeConfig of(
      @JsonProperty("zipfExponent") Double zipfExponent,
      @JsonProperty("rareHeadMass") Double rareHeadMass,
      @JsonProperty("factSeed") Long factSeed,
      @JsonProperty("maxOperand") Integer maxOperand,
      @JsonProperty("heldOutEntities") Integer heldOutEntities) {
    KnowledgeConfig d = defaults();
    return new KnowledgeConfig(
        zipfExponent != null ? zipfExponent : d.zipfExponent,
        rareHeadMass != null ? rareHeadMass : d.rareHeadMass,
        factSeed != null ? factSeed : d.factSeed,
        maxOperand != null ? maxOperand : d.maxOperand,
        heldOutEntities != null ? heldOutEntities : d.heldOutEntities);
  }

  /** Adds every range violation under the path prefix (e.g. "knowledge."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "zipfExponent", zipfExponent, 0, 4)
        .range(prefix + "rareHeadMass", rareHeadMass, 0.05, 0.99)
        .range(prefix + "maxOperand", maxOperand, 1, 49)
        .range(prefix + "heldOutEntities", heldOutEntities, 0, 62);
  }
}
