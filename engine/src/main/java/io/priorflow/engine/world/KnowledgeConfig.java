package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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
 *   <li>{@code changes} — slices of facts whose values change over the generations ({@link FactChange}: a share
 *       of the trainable facts, every how many generations, from which): from a change on, generation g's world
 *       (fresh data, gold judgements, the evaluation) states the new value, and {@code knowledge.current_accuracy}
 *       and {@code knowledge.stale_rate} ask about the changed facts. At most 8 slices, shares summing to at most
 *       1; default none (facts never change), and then left out of a resolved scenario.</li>
 * </ul>
 */
public record KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) int heldOutEntities,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FactChange> changes) {

  /**
   * Copies the list of changes (null: none). A null slice is kept, as {@link WorldConfig}'s drifts are, so that
   * {@link #check} reports it with its path ({@code List.copyOf} would throw a bare NullPointerException first).
   */
  public KnowledgeConfig {
    changes = changes == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(changes));
  }

  /** s = 1.1, head mass 0.8, fact seed 2024, operands up to 9, no held-out entities, no changing facts. */
  public static KnowledgeConfig defaults() {
    return new KnowledgeConfig(1.1, 0.8, 2024, 9, 0, List.of());
  }

  /** A config without held-out entities. */
  public KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand) {
    this(zipfExponent, rareHeadMass, factSeed, maxOperand, 0);
  }

  /** A config whose facts never change. */
  public KnowledgeConfig(double zipfExponent, double rareHeadMass, long factSeed, int maxOperand,
                         int heldOutEntities) {
    this(zipfExponent, rareHeadMass, factSeed, maxOperand, heldOutEntities, List.of());
  }

  /** This config with N held-out entities. */
  public KnowledgeConfig withHeldOutEntities(int n) {
    return new KnowledgeConfig(zipfExponent, rareHeadMass, factSeed, maxOperand, n, changes);
  }

  /** This config with these slices of changing facts. */
  public KnowledgeConfig withChanges(List<FactChange> newChanges) {
    return new KnowledgeConfig(zipfExponent, rareHeadMass, factSeed, maxOperand, heldOutEntities, newChanges);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static KnowledgeConfig of(
      @JsonProperty("zipfExponent") Double zipfExponent,
      @JsonProperty("rareHeadMass") Double rareHeadMass,
      @JsonProperty("factSeed") Long factSeed,
      @JsonProperty("maxOperand") Integer maxOperand,
      @JsonProperty("heldOutEntities") Integer heldOutEntities,
      @JsonProperty("changes") List<FactChange> changes) {
    KnowledgeConfig d = defaults();
    return new KnowledgeConfig(
        zipfExponent != null ? zipfExponent : d.zipfExponent,
        rareHeadMass != null ? rareHeadMass : d.rareHeadMass,
        factSeed != null ? factSeed : d.factSeed,
        maxOperand != null ? maxOperand : d.maxOperand,
        heldOutEntities != null ? heldOutEntities : d.heldOutEntities,
        changes);
  }

  /** Adds every range violation under the path prefix (e.g. "knowledge."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "zipfExponent", zipfExponent, 0, 4)
        .range(prefix + "rareHeadMass", rareHeadMass, 0.05, 0.99)
        .range(prefix + "maxOperand", maxOperand, 1, 49)
        .range(prefix + "heldOutEntities", heldOutEntities, 0, 62);
    checks.require(changes.size() <= 8, prefix + "changes", "must hold at most 8 slices", changes.size());
    double total = 0;
    for (int i = 0; i < changes.size(); i++) {
      FactChange c = changes.get(i);
      if (c == null) {
        checks.require(false, prefix + "changes[" + i + "]", "must be a slice { share, every, from }", "null");
        continue;
      }
      c.check(prefix + "changes[" + i + "].", checks);
      total += c.share();
    }
    checks.require(!(total > 1 + 1e-9), prefix + "changes", "must have shares summing to at most 1",
        ConfigChecks.fmt(total));
  }
}
