package io.priorflow.engine.world;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The world's facts: entity × attribute → value, and how popular each entity is.
 *
 * <pre>
 *   T             = E − heldOutEntities, the trainable entities 0..T−1; entities T..E−1 are held out
 *   popularity(e) = (e + 1)^−s / H,   H = Σ_{r=1..T} r^−s  for e &lt; T;  0 for a held-out entity
 *   head          = entities 0..k−1, k the fewest whose popularity sums to ≥ rareHeadMass
 *   rare(e)       = e ≥ k (held-out entities too);  rareMass = Σ_{e ≥ k} popularity(e)
 *   value(e, a)   = the (e·A + a)-th draw nextInt(V) of new SplittableRandom(factSeed)
 * </pre>
 * Fact prompts draw their entity by popularity, so rare facts are seldom seen — the long tail a model forgets
 * first — and held-out facts never. With no held-out entity (the default) T = E. Immutable; the table is a pure function of the config. Not a knowledge base: values are indices into
 * the VALUE token group, with no meaning beyond being right or wrong.
 */
public final class FactTable {

  private final int entities;
  private final int trainable;
  private final int attributes;
  private final int[] values; // (entities, attributes) row-major: value index in [0, V)
  private final double[] popularity; // (entities)
  private final double[] cumulative; // (entities): P(entity ≤ e)
  private final int headSize;
  private final double rareMass;

  /** Builds the table for a vocabulary's group sizes and the knowledge config. */
  public FactTable(VocabularyConfig vocabulary, KnowledgeConfig knowledge) {
    this.entities = vocabulary.entities();
    this.trainable = entities - knowledge.heldOutEntities();
    if (trainable < 1 || trainable > entities) {
      throw new IllegalArgumentException("A fact table of " + entities + " entities cannot hold out "
          + knowledge.heldOutEntities() + " of them.");
    }
    this.attributes = vocabulary.attributes();
    this.popularity = Arrays.copyOf(zipf(trainable, knowledge.zipfExponent()), entities);
    this.cumulative = new double[trainable];
    double running = 0;
    for (int e = 0; e < trainable; e++) {
      running += popularity[e];
      cumulative[e] = running;
    }
    cumulative[trainable - 1] = 1.0;
    this.headSize = headSize(trainable, knowledge.zipfExponent(), knowledge.rareHeadMass());
    double rare = 0;
    for (int e = trainable - 1; e >= headSize; e--) { // smallest first
      rare += popularity[e];
    }
    this.rareMass = rare;
    SplittableRandom rng = new SplittableRandom(knowledge.factSeed());
    this.values = new int[entities * attributes];
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextInt(vocabulary.values());
    }
  }

  /** Zipf probabilities (e + 1)^−s / H for e = 0..n−1. */
  static double[] zipf(int n, double s) {
    double[] p = new double[n];
    double h = 0;
    for (int r = n; r >= 1; r--) { // smallest first
      h += Math.pow(r, -s);
    }
    for (int e = 0; e < n; e++) {
      p[e] = Math.pow(e + 1, -s) / h;
    }
    return p;
  }

  /** The fewest top entities whose popularity sums to at least headMass. */
  static int headSize(int entities, double s, double headMass) {
    double[] p = zipf(entities, s);
    double running = 0;
    for (int k = 0; k < entities; k++) {
      running += p[k];
      if (running >= headMass) {
        return k + 1;
      }
    }
    return entities;
  }

  /** Number of entities E. */
  public int entities() {
    return entities;
  }

  /** Number of trainable entities T = E − held out: entities 0..T−1, the only ones wild prompts ask about. */
  public int trainableEntities() {
    return trainable;
  }

  /** Number of held-out entities, E − T. */
  public int heldOutEntities() {
    return entities - trainable;
  }

  /** True if the entity's facts never appear in training data (ranks T + 1 .. E). */
  public boolean isHeldOut(int entity) {
    return entity >= trainable;
  }

  /** Number of attributes A per entity. */
  public int attributes() {
    return attributes;
  }

  /** The value index (into the VALUE group) of an entity's attribute. */
  public int value(int entity, int attribute) {
    if (entity < 0 || entity >= entities || attribute < 0 || attribute >= attributes) {
      throw new IllegalArgumentException("The fact table has " + entities + " entities and " + attributes
          + " attributes; there is no fact for entity " + entity + ", attribute " + attribute + ".");
    }
    return values[entity * attributes + attribute];
  }

  /** p(entity) in wild fact prompts: (e + 1)^−s / H, 0 for a held-out entity. */
  public double popularity(int entity) {
    return popularity[entity];
  }

  /** Popularity rank, 1 for the most popular: entity + 1. */
  public int rank(int entity) {
    return entity + 1;
  }

  /** Number of head (not rare) entities; entities headSize..E−1 are rare. */
  public int headSize() {
    return headSize;
  }

  /** True if the entity lies outside the head. */
  public boolean isRare(int entity) {
    return entity >= headSize;
  }

  /** The total popularity of rare entities: P(a fact prompt asks about a rare entity). */
  public double rareMass() {
    return rareMass;
  }

  /** A trainable entity drawn by popularity (one uniform). */
  int sampleEntity(SplittableRandom rng) {
    double u = rng.nextDouble();
    for (int e = 0; e < trainable - 1; e++) {
      if (u < cumulative[e]) {
        return e;
      }
    }
    return trainable - 1;
  }
}
