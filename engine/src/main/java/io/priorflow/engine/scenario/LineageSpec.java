package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.List;

/**
 * One teacher → student chain. Generation 0's teacher is pretrained on the world ({@code base}); each generation
 * then runs its stages in order, and the model of its last train stage becomes the next generation's teacher.
 * With an analytic world the stages are not used: each generation refits the analytic model on its own samples.
 *
 * @param name        names the lineage in metrics and lineage files: 1 to 64 characters of {@code [a-z0-9_-]},
 *                    distinct across the scenario; default "main"
 * @param model       names the entry of {@code models} that sizes this lineage's students (and the teachers they
 *                    become); null (the default) takes the scenario's {@code model}
 * @param generations generations after the base model, in [1, 1000]; default 5
 * @param base        how generation 0's teacher is made
 * @param data        which data each generation trains on
 * @param stages      the stages of one generation, in order, 1 to 64; a token-world lineage needs at least one
 *                    train stage; default generate 5000 samples, then sft from scratch
 * @param retrieval   this lineage's models are deployed with retrieval ({@link RetrievalSpec}): every evaluation of
 *                    them (the base's included) puts the retrievers' passages before each evaluation prompt and
 *                    changed-fact probe, in place of {@code evaluation.retrieval}; null (the default) takes
 *                    {@code evaluation.retrieval}. Lets one scenario compare adaptation by retrieval with and without
 *                    fine-tuning, lineage beside lineage
 */
public record LineageSpec(
    @Pattern("[a-z0-9_-]+") @Size(min = 1, max = 64) String name,
    @Nullable String model,
    @Range(min = 1, max = 1000) int generations,
    BaseSpec base,
    DataPolicySpec data,
    @Size(min = 1, max = 64) List<StageSpec> stages,
    @Nullable RetrievalSpec retrieval) {

  /** Copies the list (null stays null, for the validator to report). */
  public LineageSpec {
    stages = stages == null ? null : List.copyOf(stages);
  }

  /** A lineage whose students the scenario's {@code model} sizes. */
  public LineageSpec(String name, int generations, BaseSpec base, DataPolicySpec data, List<StageSpec> stages) {
    this(name, null, generations, base, data, stages, null);
  }

  /** A lineage evaluated as {@code evaluation.retrieval} says. */
  public LineageSpec(String name, String model, int generations, BaseSpec base, DataPolicySpec data,
                     List<StageSpec> stages) {
    this(name, model, generations, base, data, stages, null);
  }

  /** "main": 5 generations of generate-then-sft from scratch, replacing the data each generation. */
  public static LineageSpec defaults() {
    return new LineageSpec("main", 5, BaseSpec.defaults(), DataPolicySpec.defaults(),
        List.of(GenerateStage.defaults(), TrainStage.defaults()));
  }
}
