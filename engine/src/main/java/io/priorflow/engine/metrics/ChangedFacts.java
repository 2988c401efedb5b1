package io.priorflow.engine.metrics;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.FactTable;
import io.priorflow.engine.world.ParsedSequence;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Knowledge of facts that changed ({@code world.knowledge.changes}): does a model answer with the value a fact has
 * now, or with one it had before? At generation g (the world's, {@link World#at}) every trainable fact whose version
 * is above 0 is asked equally often, as the bare question under the high tag, and the first VALUE token of each
 * completion is
 * <pre>
 *   current   the fact's value at g                                   → knowledge.current_accuracy
 *   stale     a value the fact had at an earlier version, not now     → knowledge.stale_rate
 *   other     anything else (another value, a hedge, no value)
 *
 *   probe i   fact f = changed[i mod n], n changed facts, the fewest rounds over them giving ≥ atLeast probes
 *             BOS tag_high what a e SEP  ─ stream child(seed, "changed/i") ─▶ completion
 * </pre>
 * both again by the popularity bucket of the entity ({@link Honesty#bucket}: head, torso, tail), and, in a world whose
 * slices change at different rates, by velocity: {@code _fast} over the facts of the slices with the smallest
 * {@code every}, {@code _slow} over the others (NaN while none of them has changed). The facts are
 * weighted equally, not by popularity: a rare changed fact counts as much as a popular one. Nothing is measured
 * while no fact has changed. Models are reached through an {@link InContextRecall.Completer}, so any model family,
 * and a model reading retrieved passages, fits. Not a trainer; nothing here changes a model.
 */
public final class ChangedFacts {
  private ChangedFacts() {}

  /**
   * One question about a changed fact.
   *
   * @param prompt    the bare question under the high tag
   * @param entity    the entity asked about
   * @param attribute the attribute asked about
   */
  public record Probe(Prompt prompt, int entity, int attribute) {}

  /** The probes of the world's generation: empty when no fact has changed by then. */
  public static List<Probe> probes(World world, int atLeast) {
    FactTable facts = world.facts();
    int g = facts.generation();
    List<int[]> changed = new ArrayList<>();
    for (int e = 0; e < facts.trainableEntities(); e++) {
      for (int a = 0; a < facts.attributes(); a++) {
        if (facts.version(e, a, g) > 0) changed.add(new int[] {e, a});
      }
    }
    if (changed.isEmpty()) return List.of();
    int n = changed.size();
    int count = Math.max(1, (atLeast + n - 1) / n) * n;
    SplittableRandom unused = new SplittableRandom(0); // a bare question draws nothing
    List<Probe> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int[] f = changed.get(i % n);
      out.add(new Probe(world.recallProbe(Tag.HIGH, f[0], f[1], -1, unused), f[0], f[1]));
    }
    return List.copyOf(out);
  }

  /**
   * knowledge.current_accuracy and knowledge.stale_rate, overall and by bucket (NaN for a bucket without changed
   * facts), handing the completer at most {@code batchSize} prompts per call (the result does not depend on it).
   * Empty for no probes.
   */
  public static Map<String, Double> measure(World world, List<Probe> probes, InContextRecall.Completer model,
                                            long seed, int batchSize) {
    return measure(world, probes, model, seed, batchSize, null);
  }

  /**
   * As {@link #measure(World, List, InContextRecall.Completer, long, int)}, retrieval-augmented: probe i is asked with
   * {@code passages[i]} before its question ({@code Retriever#augment}); null for none.
   */
  public static Map<String, Double> measure(World world, List<Probe> probes, InContextRecall.Completer model,
                                            long seed, int batchSize, List<int[]> passages) {
    if (passages != null && passages.size() != probes.size()) {
      throw new IllegalArgumentException("Retrieval gave passages for " + passages.size() + " of " + probes.size()
          + " changed-fact probes.");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    if (probes.isEmpty()) return m;
    FactTable facts = world.facts();
    int g = facts.generation();
    long[] asked = new long[6], current = new long[6], stale = new long[6]; // 3: all buckets, 4: fast, 5: slow
    int fastest = fastestEvery(world);
    int n = probes.size();
    for (int start = 0; start < n; start += Math.min(batchSize, n - start)) {
      int end = start + Math.min(batchSize, n - start);
      List<int[]> prompts = new ArrayList<>(end - start);
      List<SplittableRandom> rngs = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        int[] q = probes.get(i).prompt().tokens();
        prompts.add(passages == null ? q
            : io.priorflow.engine.work.Retriever.augment(world.vocabulary(), q, passages.get(i)));
        rngs.add(RandomStreams.child(seed, "changed/" + i));
      }
      List<int[]> done = model.complete(prompts, rngs);
      if (done.size() != prompts.size()) {
        throw new IllegalStateException("The model completed " + done.size() + " of " + prompts.size()
            + " changed-fact probes.");
      }
      for (int i = start; i < end; i++) {
        Probe p = probes.get(i);
        int value = firstValue(world, done.get(i - start));
        int b = Honesty.bucket(facts, p.entity()).ordinal();
        boolean now = value >= 0 && value == facts.value(p.entity(), p.attribute());
        boolean old = value >= 0 && !now && facts.stale(p.entity(), p.attribute(), g, value);
        int slice = facts.sliceOf(p.entity(), p.attribute());
        int velocity = fastest < 0 ? -1 : world.config().knowledge().changes().get(slice).every() == fastest ? 4 : 5;
        for (int k : velocity < 0 ? new int[] {b, 3} : new int[] {b, 3, velocity}) {
          asked[k]++;
          current[k] += now ? 1 : 0;
          stale[k] += old ? 1 : 0;
        }
      }
    }
    m.put(MetricNames.KNOWLEDGE_CURRENT_ACCURACY, current[3] / (double) asked[3]);
    m.put(MetricNames.KNOWLEDGE_STALE_RATE, stale[3] / (double) asked[3]);
    String[] suffix = {"_head", "_torso", "_tail"};
    for (int b = 0; b < 3; b++) {
      m.put(MetricNames.KNOWLEDGE_CURRENT_ACCURACY + suffix[b], asked[b] == 0 ? Double.NaN
          : current[b] / (double) asked[b]);
    }
    for (int b = 0; b < 3; b++) {
      m.put(MetricNames.KNOWLEDGE_STALE_RATE + suffix[b], asked[b] == 0 ? Double.NaN : stale[b] / (double) asked[b]);
    }
    if (fastest >= 0) {
      m.put(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST, asked[4] == 0 ? Double.NaN : current[4] / (double) asked[4]);
      m.put(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_SLOW, asked[5] == 0 ? Double.NaN : current[5] / (double) asked[5]);
      m.put(MetricNames.KNOWLEDGE_STALE_RATE_FAST, asked[4] == 0 ? Double.NaN : stale[4] / (double) asked[4]);
      m.put(MetricNames.KNOWLEDGE_STALE_RATE_SLOW, asked[5] == 0 ? Double.NaN : stale[5] / (double) asked[5]);
    }
    return m;
  }

  /**
   * The smallest {@code every} of the world's slices of changing facts when they change at more than one rate (then
   * the metrics are split into fast and slow), else −1.
   */
  public static int fastestEvery(World world) {
    var changes = world.config().knowledge().changes();
    int min = Integer.MAX_VALUE, max = -1;
    for (var c : changes) {
      min = Math.min(min, c.every());
      max = Math.max(max, c.every());
    }
    return max > min ? min : -1;
  }

  /** The value index of the first VALUE token of the response (as the gold parser reads an answer), or −1. */
  static int firstValue(World world, int[] sequence) {
    ParsedSequence p = world.parser().parse(sequence);
    Vocabulary v = world.vocabulary();
    for (int j = p.responseStart(); j < p.responseEnd(); j++) {
      if (v.is(sequence[j], Vocabulary.Group.VALUE)) return v.indexInGroup(sequence[j]);
    }
    return -1;
  }
}
