package io.priorflow.engine.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Which labeller labels which item, when a share of the items is labelled by several labellers so that their
 * agreement can be measured ({@link Agreement}).
 *
 * <pre>
 *   n items, L labellers, overlap fraction f, r raters per overlapped item (2 ≤ r ≤ L)
 *   primary(j)  = j mod L                                   every item, round robin (as without overlap)
 *   overlapped  = m = round(f · n) items, uniform without replacement (Floyd's algorithm on rng)
 *   raters(j)   = primary(j), primary(j) + 1, …, primary(j) + r − 1   (mod L) if j is overlapped, else primary(j)
 * </pre>
 * Each labeller's items are listed in increasing item order, which is the order they label them in (it matters for
 * fatigue). Extra raters rotate with the primary, so the extra load spreads evenly. The consensus of an
 * overlapped item is its {@linkplain #majority majority} label.
 *
 * @param byLabeller for each labeller 0..L−1, the items it labels, ascending
 * @param byItem     for each item, its labellers, primary first
 */
public record Overlap(List<List<Integer>> byLabeller, List<List<Integer>> byItem) {

  /** Copies the lists. */
  public Overlap {
    byLabeller = byLabeller.stream().map(List::copyOf).toList();
    byItem = byItem.stream().map(List::copyOf).toList();
  }

  /** The plan for n items; see the class comment. */
  public static Overlap assign(int items, int labellers, double fraction, int raters, SplittableRandom rng) {
    if (items < 0 || labellers < 1) {
      throw new IllegalArgumentException("Need items ≥ 0 and labellers ≥ 1, got " + items + " items and "
          + labellers + " labellers.");
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("The overlap fraction must be in [0, 1], was " + fraction + ".");
    }
    int m = (int) Math.round(fraction * items);
    if (m > 0 && (raters < 2 || raters > labellers)) {
      throw new IllegalArgumentException("An overlapped item needs 2.." + labellers + " raters (there are "
          + labellers + " labellers), got " + raters + ".");
    }
    boolean[] overlapped = new boolean[items];
    for (int j : choose(items, m, rng)) overlapped[j] = true;
    List<List<Integer>> byLabeller = new ArrayList<>();
    for (int h = 0; h < labellers; h++) byLabeller.add(new ArrayList<>());
    List<List<Integer>> byItem = new ArrayList<>(items);
    for (int j = 0; j < items; j++) {
      int primary = j % labellers;
      List<Integer> who = new ArrayList<>();
      for (int q = 0; q < (overlapped[j] ? raters : 1); q++) {
        int h = (primary + q) % labellers;
        who.add(h);
        byLabeller.get(h).add(j);
      }
      byItem.add(who);
    }
    return new Overlap(byLabeller, byItem);
  }

  /** The items with more than one labeller, ascending. */
  public List<Integer> overlapped() {
    List<Integer> out = new ArrayList<>();
    for (int j = 0; j < byItem.size(); j++) if (byItem.get(j).size() > 1) out.add(j);
    return Collections.unmodifiableList(out);
  }

  /**
   * The most frequent label; a tie goes to the label given first (the primary labeller's, when labels are listed
   * primary first).
   */
  public static int majority(int[] labels) {
    if (labels.length == 0) throw new IllegalArgumentException("A majority needs at least one label.");
    int best = labels[0], bestCount = 0;
    for (int candidate : labels) {
      int count = 0;
      for (int l : labels) if (l == candidate) count++;
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }

  /** m distinct indices of [0, n) uniformly (Floyd's algorithm), ascending. */
  static int[] choose(int n, int m, SplittableRandom rng) {
    TreeSet<Integer> set = new TreeSet<>();
    for (int j = n - m; j < n; j++) {
      int t = rng.nextInt(j + 1);
      if (!set.add(t)) set.add(j);
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }
}
