package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One {@link TagProfile} per quality tag. In a file each field of each tag may be left out and keeps that tag's
 * default. The defaults make quality rise with the tag, like the internet: most data is low-tag, and a higher
 * tag is rarer, more correct, more polite, less toxic and shorter.
 *
 * <pre>
 *   tag    weight  correct  hedge  polite  toxic  lengthP
 *   low    0.50    0.45     0.05   0.15    0.20   0.60
 *   mid    0.35    0.70     0.10   0.35    0.05   0.45
 *   high   0.15    0.92     0.06   0.60    0.01   0.35
 * </pre>
 *
 * @param low  the low tag's profile: weight, correct, hedge, polite, toxic, lengthP (the table's first row)
 * @param mid  the mid tag's profile (the table's second row)
 * @param high the high tag's profile (the table's third row)
 */
public record TagProfiles(TagProfile low, TagProfile mid, TagProfile high) {

  /** The table above. */
  public static TagProfiles defaults() {
    return new TagProfiles(
        new TagProfile(0.50, 0.45, 0.05, 0.15, 0.20, 0.60),
        new TagProfile(0.35, 0.70, 0.10, 0.35, 0.05, 0.45),
        new TagProfile(0.15, 0.92, 0.06, 0.60, 0.01, 0.35));
  }

  /** The Jackson creator: each tag's missing fields take that tag's defaults. */
  @JsonCreator
  public static TagProfiles of(
      @JsonProperty("low") TagProfile.Overrides low,
      @JsonProperty("mid") TagProfile.Overrides mid,
      @JsonProperty("high") TagProfile.Overrides high) {
    TagProfiles d = defaults();
    return new TagProfiles(
        low != null ? low.over(d.low) : d.low,
        mid != null ? mid.over(d.mid) : d.mid,
        high != null ? high.over(d.high) : d.high);
  }

  /** The profile of a tag. */
  public TagProfile get(Tag tag) {
    return switch (tag) {
      case LOW -> low;
      case MID -> mid;
      case HIGH -> high;
    };
  }

  /** The tag's probability: its weight over the sum of weights. */
  public double probability(Tag tag) {
    return get(tag).weight() / (low.weight() + mid.weight() + high.weight());
  }

  /**
   * Every tag given the same profile — the tag-probability-weighted average of the three — while keeping the
   * tags' weights: the tags then carry no information about quality (an ablation of the tag–quality correlation).
   */
  public TagProfiles uninformative() {
    double[] avg = new double[5];
    for (Tag t : Tag.values()) {
      TagProfile p = get(t);
      double w = probability(t);
      avg[0] += w * p.correct();
      avg[1] += w * p.hedge();
      avg[2] += w * p.polite();
      avg[3] += w * p.toxic();
      avg[4] += w * p.lengthP();
    }
    return new TagProfiles(
        new TagProfile(low.weight(), avg[0], avg[1], avg[2], avg[3], avg[4]),
        new TagProfile(mid.weight(), avg[0], avg[1], avg[2], avg[3], avg[4]),
        new TagProfile(high.weight(), avg[0], avg[1], avg[2], avg[3], avg[4]));
  }

  /** Adds every range violation under the path prefix (e.g. "tags."). */
  void check(String prefix, ConfigChecks checks) {
    for (Tag t : Tag.values()) {
      get(t).check(prefix + t.key() + ".", checks);
    }
    double sum = low.weight() + mid.weight() + high.weight();
    checks.require(sum > 0, prefix + "*.weight", "must have a positive sum", sum);
  }
}
