package io.priorflow.engine.run;

import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import java.util.List;

/**
 * How one stage kind runs in a lineage's generation. Each kind of {@link StageSpec} has one runner, found by
 * {@link #of}; to add a kind, write its record (see {@link StageSpec}) and its runner, and add one case below.
 *
 * @param <S> the stage record this runner runs
 */
interface StageRunner<S extends StageSpec> {

  /**
   * Runs the stage {@code stage} (its id, {@code <lineage>/g<generation>/s<k>-<kind>}) in generation {@code gen} of
   * lineage {@code l}, on the items the stages before it passed on; returns the items it passes on.
   */
  List<Item> run(LineageRun l, Generation gen, String stage, S spec, List<Item> items)
      throws InterruptedException;

  /** Runs {@code spec} by the runner of its kind. */
  static List<Item> runStage(LineageRun l, Generation gen, String stage, StageSpec spec,
                                        List<Item> items) throws InterruptedException {
    return switch (spec) {
      case GenerateStage s -> GenerateRunner.KIND.run(l, gen, stage, s, items);
      case FilterStage s -> FilterRunner.KIND.run(l, gen, stage, s, items);
      case LabelStage s -> LabelRunner.KIND.run(l, gen, stage, s, items);
      case TrainStage s -> TrainRunner.KIND.run(l, gen, stage, s, items);
      case RedTeamStage s -> RedTeamRunner.KIND.run(l, gen, stage, s, items);
    };
  }
}
