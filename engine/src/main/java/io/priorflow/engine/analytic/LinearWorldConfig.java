package io.priorflow.engine.analytic;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.world.ConfigChecks;
import java.util.List;

/**
 * Parameters of the linear-regression world. Missing JSON/YAML fields take the values of {@link #defaults()};
 * unknown fields fail. Valid ranges (checked by {@link #problems()}):
 * <ul>
 *   <li>{@code dimension} — d, features, in [1, 256]; default 10</li>
 *   <li>{@code samples} — T, rows per generation, in [d + 2, 10⁶] (the closed forms need T > d + 1); default 50</li>
 *   <li>{@code noiseSd} — σ, label noise, in [0, 1e6]; default 1</li>
 *   <li>{@code policy} — {@code replace} or {@code accumulate}; default replace</li>
 *   <li>{@code design} — {@code fixed} or {@code fresh}; default fixed (the setting of the accumulate theorem)</li>
 * </ul>
 */
public record LinearWorldConfig(
    int dimension, int samples, double noiseSd, DataPolicy policy, DesignPolicy design) {

  /** d = 10, T = 50, σ = 1, replace, fixed design. */
  public static LinearWorldConfig defaults() {
    return new LinearWorldConfig(10, 50, 1.0, DataPolicy.REPLACE, DesignPolicy.FIXED);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static LinearWorldConfig of(
      @JsonProperty("dimension") Integer dimension,
      @JsonProperty("samples") Integer samples,
      @JsonProperty("noiseSd") Double noiseSd,
      @JsonProperty("policy") DataPolicy policy,
      @JsonProperty("design") DesignPolicy design) {
    LinearWorldConfig d = defaults();
    return new LinearWorldConfig(
        dimension != null ? dimension : d.dimension,
        samples != null ? samples : d.samples,
        noiseSd != null ? noiseSd : d.noiseSd,
        policy != null ? policy : d.policy,
        design != null ? design : d.design);
  }

  /** Every range violation, one line each, paths relative to this record (see {@link ConfigChecks}). */
  public List<String> problems() {
    return new ConfigChecks()
        .range("dimension", dimension, 1, 256)
        .range("samples", samples, (long) dimension + 2, 1_000_000)
        .range("noiseSd", noiseSd, 0, 1e6)
        .require(policy != null, "policy", "must be replace or accumulate", policy)
        .require(design != null, "design", "must be fixed or fresh", design)
        .problems();
  }

  /** This config with another data policy. */
  public LinearWorldConfig withPolicy(DataPolicy newPolicy) {
    return new LinearWorldConfig(dimension, samples, noiseSd, newPolicy, design);
  }

  /** This config with another design policy. */
  public LinearWorldConfig withDesign(DesignPolicy newDesign) {
    return new LinearWorldConfig(dimension, samples, noiseSd, policy, newDesign);
  }
}
