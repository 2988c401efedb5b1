package io.priorflow.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Builds a generation's training set from earlier data, this generation's new data and fresh world data: a pure
 * function, deterministic in its arguments. Follows the settings compared by Shumailov et al. 2024 (replace),
 * Gerstgrasser et al. 2024 (accumulate) and Bertrand et al. 2024 (a fraction of real data in every generation's
 * training set), with the semantics of the scenario's {@code data:} block.
 *
 * <pre>
 *   pool  = the union, by datum id, of every dataset in history and newData, sorted by id
 *   base  = REPLACE:    newData
 *           ACCUMULATE: pool
 *           SUBSAMPLE:  pool                            k = subsampleSize
 *   n     = |base|, or min(k, |pool|) for SUBSAMPLE     the training set's size
 *   m     = round(f · n)                                f = freshFraction; Math.round, halves up
 *   kept  = n − m data drawn uniformly without replacement from base (all of base when n − m = |base|)
 *   fresh = freshData.draw(m, freshRng)
 *   result = kept ∪ fresh, sorted by id
 * </pre>
 * So fresh world data <em>replace</em> a fraction f of the training set, whose size the policy alone decides:
 * with f = 0, accumulate keeps everything and a subsample has exactly k data; with f &gt; 0 they have n − m
 * earlier data and m fresh ones. Two random streams are split from {@code rng} before anything is drawn, first
 * the sample's, then the fresh data's, so that neither shifts the other. The sample is a partial Fisher–Yates
 * shuffle of base in id order with {@link SplittableRandom#nextInt(int)}: every subset of the size has the same
 * probability, whatever the order of history.
 *
 * <p>The result's lineage has source {@code "policy"} and the transforms {@code replace | accumulate | subsample}
 * (inputs: the datasets read; params: {@code size} for subsample) then, when m &gt; 0, {@code fresh} (params:
 * {@code count}, {@code fraction}). Fresh data join no history by themselves: a caller who wants them to
 * accumulate passes them in the next generation's history (their source is world and their generation this one).
 */
public final class DataPolicies {

  private DataPolicies() {
  }

  /**
   * The next training set.
   *
   * @param name      the result's name, e.g. {@code "L0/g3/train"}
   * @param history   the datasets of earlier generations the pool draws from: generation 0's training data, then
   *                  each later generation's new data (earlier training sets may be passed too; repeated ids count
   *                  once). Unused by {@link DataPolicyParams.Kind#REPLACE}
   * @param newData   this generation's new data
   * @param freshData where fresh world data come from ({@link FreshData#none()} if the fraction is 0)
   * @param params    the policy
   * @param rng       this work item's stream
   * @throws IllegalArgumentException if two data share an id but differ, or the supplier gives the wrong number
   *                                  of data or an id already in the set
   */
  public static Dataset next(String name, List<Dataset> history, Dataset newData, FreshData freshData,
                             DataPolicyParams params, SplittableRandom rng) {
    SplittableRandom sampleRng = rng.split();
    SplittableRandom freshRng = rng.split();
    String policy = params.policy().name().toLowerCase(Locale.ROOT);
    List<Datum> base;
    int n;
    Transform step;
    switch (params.policy()) {
      case REPLACE -> {
        base = newData.data();
        n = base.size();
        step = new Transform(policy, List.of(newData.name()), Map.of());
      }
      case ACCUMULATE -> {
        base = pool(history, newData);
        n = base.size();
        step = new Transform(policy, inputNames(history, newData), Map.of());
      }
      case SUBSAMPLE -> {
        base = pool(history, newData);
        n = Math.min(params.subsampleSize(), base.size());
        step = new Transform(policy, inputNames(history, newData),
            Map.of("size", String.valueOf(params.subsampleSize())));
      }
      default -> throw new IllegalStateException("Unhandled policy " + params.policy());
    }
    int m = freshCount(n, params.freshFraction());
    List<Datum> result = new ArrayList<>(sample(base, n - m, sampleRng));
    List<Transform> transforms = new ArrayList<>(List.of(step));
    if (m > 0) {
      List<Datum> fresh = freshData.draw(m, freshRng);
      if (fresh.size() != m) {
        throw new IllegalArgumentException("Asked the fresh-data supplier for " + m + " data for " + name
            + ", got " + fresh.size() + ".");
      }
      result.addAll(fresh);
      transforms.add(Transform.of("fresh",
          Map.of("count", String.valueOf(m), "fraction", String.valueOf(params.freshFraction()))));
    }
    return Dataset.of(name, "policy", transforms, result);
  }

  /** m = round(f · n): how many of a training set of n data are fresh world data. */
  public static int freshCount(int n, double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("freshFraction must be in [0, 1), was " + fraction + ".");
    }
    return Math.toIntExact(Math.round(fraction * n));
  }

  /** The union by id, sorted by id; an id seen twice must name equal data. */
  static List<Datum> pool(List<Dataset> history, Dataset newData) {
    Map<String, Datum> byId = new TreeMap<>();
    List<Dataset> all = new ArrayList<>(history);
    all.add(newData);
    for (Dataset ds : all) {
      for (Datum d : ds.data()) {
        Datum seen = byId.putIfAbsent(d.id(), d);
        if (seen != null && !seen.equals(d)) {
          throw new IllegalArgumentException("Two different data have id " + d.id() + " (one in dataset "
              + ds.name() + "); ids must be unique in a run.");
        }
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** The first k of a partial Fisher–Yates shuffle of the pool (all of it, and no draws, when k ≥ |pool|). */
  static List<Datum> sample(List<Datum> pool, int k, SplittableRandom rng) {
    int n = pool.size();
    if (k >= n) {
      return pool;
    }
    Datum[] a = pool.toArray(new Datum[0]);
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      Datum t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return List.of(a).subList(0, k);
  }

  private static List<String> inputNames(List<Dataset> history, Dataset newData) {
    Map<String, Boolean> names = new LinkedHashMap<>();
    for (Dataset ds : history) {
      names.put(ds.name(), true);
    }
    names.put(newData.name(), true);
    return List.copyOf(names.keySet());
  }
}
