package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A style trait that drifts over the generations: the probability that a response opens in the trait's register
 * ({@code polite} or {@code toxic} of a tag's profile, {@link TagProfile}) moves by {@code by} every {@code every}
 * generations from generation {@code from} on, for one tag or all three. A world lists drifts under
 * {@code world.drift}, e.g. politeness that rises by 0.1 every 2 generations:
 *
 * <pre>
 *   drift: [ { trait: polite, every: 2, by: 0.1 } ]
 * </pre>
 * At generation g a drift has taken n(g) = 0 steps before {@code from} and 1 + ⌊(g − from) / every⌋ from then on, and
 * the tag's opening probability is p + n(g)·by, clipped to [0, 1 − the other register's opening probability] (so
 * polite + toxic ≤ 1 stays true); drifts of one trait and tag add up, in the order listed, each clipped. Generation
 * 0 is the profile as written. A pure function of the config and g ({@link WorldConfig#at}): generation g's world
 * samples, and its exact prevalences are computed, under the drifted profiles; the gold oracle's detectors and
 * utility weights do not change. Valid ranges:
 * <ul>
 *   <li>{@code trait} — {@code polite} or {@code toxic}</li>
 *   <li>{@code every} — generations between two steps, in [1, 1000]</li>
 *   <li>{@code by} — the step, in [-1, 1], not 0</li>
 *   <li>{@code from} — the generation of the first step, in [1, 1000]; default {@code every}</li>
 *   <li>{@code tag} — {@code low}, {@code mid} or {@code high}; default none (null): every tag</li>
 * </ul>
 *
 * @param trait the style trait whose register opening probability drifts: polite or toxic
 * @param every generations between two steps
 * @param by    the change of the opening probability at each step
 * @param from  the generation of the first step
 * @param tag   the one tag whose profile drifts, or null for every tag
 */
public record StyleDrift(String trait, int every, double by, int from,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String tag) {

  /** The traits that can drift. */
  public static final java.util.List<String> TRAITS = java.util.List.of("polite", "toxic");

  /** The Jackson creator: from defaults to every, tag to none (every tag). */
  @JsonCreator
  public static StyleDrift of(@JsonProperty("trait") String trait, @JsonProperty("every") Integer every,
                              @JsonProperty("by") Double by, @JsonProperty("from") Integer from,
                              @JsonProperty("tag") String tag) {
    int e = every == null ? 0 : every;
    return new StyleDrift(trait, e, by == null ? Double.NaN : by, from == null ? Math.max(1, e) : from, tag);
  }

  /** Steps taken by generation g: 0 before {@code from}, then one more every {@code every}. */
  public int steps(int generation) {
    return generation < from ? 0 : 1 + (generation - from) / every;
  }

  /** True when this drift moves the given tag's profile. */
  boolean moves(Tag t) {
    return tag == null || tag.equals(t.key());
  }

  /** The profile after this drift's steps at generation g, clipped so that polite + toxic ≤ 1. */
  TagProfile apply(TagProfile p, int generation) {
    double shift = steps(generation) * by;
    if (shift == 0) return p;
    return trait.equals("polite")
        ? new TagProfile(p.weight(), p.correct(), p.hedge(), clip(p.polite() + shift, 1 - p.toxic()), p.toxic(),
            p.lengthP())
        : new TagProfile(p.weight(), p.correct(), p.hedge(), p.polite(), clip(p.toxic() + shift, 1 - p.polite()),
            p.lengthP());
  }

  private static double clip(double x, double max) {
    return Math.max(0, Math.min(max, x));
  }

  /** Adds every range violation under the path prefix (e.g. "drift[0]."). */
  void check(String prefix, ConfigChecks checks) {
    checks.require(trait != null && TRAITS.contains(trait), prefix + "trait", "must be polite or toxic", trait)
        .range(prefix + "every", every, 1, 1000)
        .require(by >= -1 && by <= 1 && by != 0, prefix + "by", "must be in [-1, 1] and not 0", by)
        .range(prefix + "from", from, 1, 1000)
        .require(tag == null || java.util.Arrays.stream(Tag.values()).anyMatch(t -> t.key().equals(tag)),
            prefix + "tag", "must be low, mid or high (or left out: every tag)", tag);
  }
}
