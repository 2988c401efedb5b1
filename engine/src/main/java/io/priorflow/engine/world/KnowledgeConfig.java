package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * </ul>
 */
public record KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand) {

  /** s = 1.1, head mass 0.8, fact seed 2024, operands up to 9. */
  public static KnowledgeConfig defaults() {
    return new KnowledgeConfig(1.1, 0.8, 2024, 9);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static KnowledgeConfig of(
      @JsonProperty("zipfExponent") Double zipfExponent,
      @JsonProperty("rareHeadMass") Double rareHeadMass,
      @JsonProperty("factSeed") Long factSeed,
      @JsonProperty("maxOperand") Integer maxOperand) {
    KnowledgeConfig d = defaults();
    return new KnowledgeConfig(
        zipfExponent != null ? zipfExponent : d.zipfExponent,
        rareHeadMass != null ? rareHeadMass : d.rareHeadMass,
        factSeed != null ? factSeed : d.factSeed,
        maxOperand != null ? maxOperand : d.maxOperand);
  }

  /** Adds every range violation under the path prefix (e.g. "knowledge."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "zipfExponent", zipfExponent, 0, 4)
        .range(prefix + "rareHeadMass", rareHeadMass, 0.05, 0.99)
        .range(prefix + "maxOperand", maxOperand, 1, 49);
  }
}
