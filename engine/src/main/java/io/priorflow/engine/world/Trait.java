package io.priorflow.engine.world;

/**
 * A named prior of the data with its gold detector: toxic, polite, correct, rare_correct, hedge, verbose, or a
 * config-defined extra. The detector is the ground truth; actors never call it, they see traits only through
 * their own noisy views. Traits come from a world's {@link Traits} registry.
 *
 * @param name      lowercase name, e.g. "rare_correct"; the metric is {@code trait.<name>}
 * @param desirable whether more of the trait is better
 * @param rule      the gold detector
 */
public record Trait(String name, boolean desirable, TraitRule rule) {

  /** True if the full token sequence (BOS … SEP response EOS) has the trait. */
  public boolean detect(int[] sequence) {
    return rule.test(sequence);
  }

  /** The metric name of its prevalence: {@code trait.<name>}. */
  public String metricName() {
    return "trait." + name;
  }
}
