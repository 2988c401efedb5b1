package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One slice of changing facts: a share of the trainable facts (entity, attribute) whose value changes every
 * {@code every} generations from generation {@code from} on. A world lists slices under
 * {@code knowledge.changes}, e.g. a fast and a slow one:
 *
 * <pre>
 *   knowledge:
 *     changes: [ { share: 0.1, every: 1 }, { share: 0.2, every: 4 } ]
 * </pre>
 * A fact of this slice has version 0 (the fact table's value) before generation {@code from}, and version
 * 1 + ⌊(g − from) / every⌋ at generation g ≥ from; each new version's value differs from the one before
 * ({@link FactTable#valueAt}). Which facts a slice holds is a pure function of the fact seed ({@link FactTable}).
 * Valid ranges:
 * <ul>
 *   <li>{@code share} — the share of the trainable facts in this slice, in (0, 1]; the shares of all slices sum
 *       to at most 1</li>
 *   <li>{@code every} — generations between two changes of a fact, in [1, 1000]</li>
 *   <li>{@code from} — the generation of the first change, in [1, 1000]; default {@code every}</li>
 * </ul>
 * Not a schedule of the stages: generation g's world (fresh data, gold judgements, evaluation) states the facts'
 * values at g; a model learns them only from data.
 *
 * @param share the share of the trainable facts in the slice
 * @param every generations between two changes
 * @param from  the generation of the first change
 */
public record FactChange(double share, int every, int from) {

  /** The Jackson creator: from defaults to every. */
  @JsonCreator
  public static FactChange of(@JsonProperty("share") Double share, @JsonProperty("every") Integer every,
                              @JsonProperty("from") Integer from) {
    double s = share == null ? Double.NaN : share;
    int e = every == null ? 0 : every;
    return new FactChange(s, e, from == null ? Math.max(1, e) : from);
  }

  /** The version of a fact of this slice at generation g: 0 before {@code from}, then one more every {@code every}. */
  public int version(int generation) {
    return generation < from ? 0 : 1 + (generation - from) / every;
  }

  /** Adds every range violation under the path prefix (e.g. "knowledge.changes[0]."). */
  void check(String prefix, ConfigChecks checks) {
    checks.require(share > 0 && share <= 1, prefix + "share", "must be in (0, 1]", share)
        .range(prefix + "every", every, 1, 1000)
        .range(prefix + "from", from, 1, 1000);
  }
}
