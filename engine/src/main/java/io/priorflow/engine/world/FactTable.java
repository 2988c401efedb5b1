package io.priorflow.engine.world;

import io.priorflow.engine.rng.RandomStreams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The world's facts: entity × attribute → value, and how popular each entity is.
 *
 * <pre>
 *   T             = E − heldOutEntities, the trainable entities 0..T−1; entities T..E−1 are held out
 *   popularity(e) = (e + 1)^−s / H,   H = Σ_{r=1..T} r^−s  for e &lt; T;  0 for a held-out entity
 *   head          = entities 0..k−1, k the fewest whose popularity sums to ≥ rareHeadMass
 *   rare(e)       = e ≥ k (held-out entities too);  rareMass = Σ_{e ≥ k} popularity(e)
 *   value(e, a)   = the (e·A + a)-th draw nextInt(V) of new SplittableRandom(factSeed)     (version 0)
 * </pre>
 * <b>Changing facts</b> ({@code knowledge.changes}, {@link FactChange}): the trainable facts f = e·A + a, in
 * popularity order, get u_f = frac(o + f·(√5 − 1)/2), o = derive(factSeed, "changes") as a double in [0, 1); sorted
 * by u_f (ties by f), slice k holds ranks [round(S_{k−1}·N), round(S_k·N)), S_k the shares summed, N = T·A. The
 * golden-ratio sequence spreads every slice evenly over the popularity order, so head, torso and tail facts all
 * change. A fact of slice k has version v = k's {@link FactChange#version}(g) at generation g, and
 * <pre>
 *   value_v(e, a) = r + [r ≥ value_{v−1}(e, a)],  r = nextInt(V − 1) of SplittableRandom(derive(factSeed, "fact/e/a/v"))
 * </pre>
 * so every version differs from the one before. A table is at one generation ({@link #at}): {@link #value} is the
 * current value there; {@link #valueAt} reads any generation. All of it is a pure function of (seed, entity,
 * attribute, generation).
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
  private final int valueCount; // V
  private final long factSeed;
  private final List<FactChange> changes;
  private final byte[] slice; // (entities, attributes): the slice index of a changing fact, −1 for none
  private final int generation;
  private final int[] current; // (entities, attributes): the values at this generation

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
    this.valueCount = vocabulary.values();
    this.factSeed = knowledge.factSeed();
    this.changes = knowledge.changes();
    this.slice = slices(trainable * attributes, entities * attributes, knowledge.factSeed(), changes);
    this.generation = 0;
    this.current = currentValues(0);
  }

  /** The same table at another generation. */
  private FactTable(FactTable t, int generation) {
    this.entities = t.entities;
    this.trainable = t.trainable;
    this.attributes = t.attributes;
    this.values = t.values;
    this.popularity = t.popularity;
    this.cumulative = t.cumulative;
    this.headSize = t.headSize;
    this.rareMass = t.rareMass;
    this.valueCount = t.valueCount;
    this.factSeed = t.factSeed;
    this.changes = t.changes;
    this.slice = t.slice;
    this.generation = generation;
    this.current = currentValues(generation);
  }

  /** This table at generation g ≥ 0: {@link #value} gives the values facts have there. */
  public FactTable at(int g) {
    if (g < 0) {
      throw new IllegalArgumentException("A generation is ≥ 0, was " + g + ".");
    }
    return g == generation ? this : new FactTable(this, g);
  }

  /** The generation whose values {@link #value} gives. */
  public int generation() {
    return generation;
  }

  /** True when some facts change over the generations. */
  public boolean changes() {
    return !changes.isEmpty();
  }

  /** The slice index of each of the n trainable facts (then −1 for the held-out ones, up to size). */
  static byte[] slices(int n, int size, long factSeed, List<FactChange> changes) {
    byte[] out = new byte[size];
    Arrays.fill(out, (byte) -1);
    if (changes.isEmpty()) return out;
    double offset = (RandomStreams.derive(factSeed, "changes") >>> 11) * 0x1.0p-53;
    double step = (Math.sqrt(5) - 1) / 2;
    Integer[] order = new Integer[n];
    double[] u = new double[n];
    for (int f = 0; f < n; f++) {
      order[f] = f;
      double x = offset + f * step;
      u[f] = x - Math.floor(x);
    }
    Arrays.sort(order, (a, b) -> u[a] != u[b] ? Double.compare(u[a], u[b]) : Integer.compare(a, b));
    double sum = 0;
    for (int k = 0; k < changes.size(); k++) {
      int lo = (int) Math.round(sum * n);
      sum += changes.get(k).share();
      int hi = (int) Math.min(n, Math.round(sum * n));
      for (int r = lo; r < hi; r++) out[order[r]] = (byte) k;
    }
    return out;
  }

  private int[] currentValues(int g) {
    int[] c = values.clone();
    for (int i = 0; i < c.length; i++) {
      if (slice[i] >= 0) c[i] = valueOfVersion(i / attributes, i % attributes, changes.get(slice[i]).version(g));
    }
    return c;
  }

  /** The value of a fact at a version: the table's at 0, then a new value per version, each unlike the one before. */
  private int valueOfVersion(int entity, int attribute, int version) {
    int v = values[entity * attributes + attribute];
    for (int k = 1; k <= version; k++) {
      int r = new SplittableRandom(RandomStreams.derive(factSeed, "fact/" + entity + "/" + attribute + "/" + k))
          .nextInt(valueCount - 1);
      v = r >= v ? r + 1 : r;
    }
    return v;
  }

  /** The version of a fact at generation g: 0 for a fact that never changes, else its slice's. */
  public int version(int entity, int attribute, int g) {
    check(entity, attribute);
    int k = slice[entity * attributes + attribute];
    return k < 0 ? 0 : changes.get(k).version(g);
  }

  /** The value a fact has at generation g. */
  public int valueAt(int entity, int attribute, int g) {
    check(entity, attribute);
    return g == generation ? current[entity * attributes + attribute]
        : valueOfVersion(entity, attribute, version(entity, attribute, g));
  }

  /**
   * True when {@code value} is one the fact had at an earlier version and no longer has at generation g: a stale
   * answer (an old value the fact happens to have again counts as current, not stale).
   */
  public boolean stale(int entity, int attribute, int g, int value) {
    int v = version(entity, attribute, g);
    if (value == valueOfVersion(entity, attribute, v)) return false;
    for (int k = 0; k < v; k++) {
      if (valueOfVersion(entity, attribute, k) == value) return true;
    }
    return false;
  }

  /** The slice ({@code knowledge.changes} index) of a fact, or −1 if it never changes. */
  public int sliceOf(int entity, int attribute) {
    check(entity, attribute);
    return slice[entity * attributes + attribute];
  }

  private void check(int entity, int attribute) {
    if (entity < 0 || entity >= entities || attribute < 0 || attribute >= attributes) {
      throw new IllegalArgumentException("The fact table has " + entities + " entities and " + attributes
          + " attributes; there is no fact for entity " + entity + ", attribute " + attribute + ".");
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

  /** The value index (into the VALUE group) of an entity's attribute at this table's generation. */
  public int value(int entity, int attribute) {
    check(entity, attribute);
    return current[entity * attributes + attribute];
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
