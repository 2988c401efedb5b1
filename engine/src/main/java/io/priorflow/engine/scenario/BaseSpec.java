package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * How a lineage's generation-0 teacher is made: a model pretrained from scratch on sequences sampled from the world,
 * with the scenario's training settings. Lineages whose bases have the same model and settings share one base; each
 * distinct base is pretrained once.
 *
 * @param model            names the entry of {@code models} the base has; null (the default) takes the scenario's
 *                         {@code model}
 * @param pretrainExamples world sequences to pretrain on, in [1, 10000000]; default 20000
 * @param epochs           passes over them, in [1, 1000]; default 2
 */
public record BaseSpec(
    @Nullable String model,
    @Range(min = 1, max = 10_000_000) int pretrainExamples,
    @Range(min = 1, max = 1000) int epochs) {

  /** A base of the scenario's {@code model}. */
  public BaseSpec(int pretrainExamples, int epochs) {
    this(null, pretrainExamples, epochs);
  }

  /** 20000 examples, 2 epochs. */
  public static BaseSpec defaults() {
    return new BaseSpec(20_000, 2);
  }
}
