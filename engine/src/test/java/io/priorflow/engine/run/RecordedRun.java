package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One small scenario run in this JVM (Java backend, 1 thread, models in memory) with every stage's work items and
 * results recorded as they pass the executor: what the stage-runner tests check against each stage's Javadoc.
 *
 * @param loaded the parsed scenario
 * @param world  the run's world, as the run used it
 * @param table  the run's metrics
 * @param calls  every executor call, in the order the run made them
 */
record RecordedRun(LoadedScenario loaded, World world, MetricsTable table, List<Call> calls) {

  /** One executor call: the stage's name, its work items and their results. */
  record Call(String stage, List<? extends WorkItem> items, List<WorkResult> results) {}

  /** Runs {@code yaml} (read as file {@code name}) with seed {@code seed}, writing to {@code outputs}. */
  static RecordedRun of(String yaml, String name, long seed, RunOutputs outputs) throws Exception {
    return of(yaml, name, seed, outputs, new ScenarioRun.Listener() {});
  }

  /** As {@link #of(String, String, long, RunOutputs)}, reporting progress to {@code listener}. */
  static RecordedRun of(String yaml, String name, long seed, RunOutputs outputs, ScenarioRun.Listener listener)
      throws Exception {
    return of(ScenarioLoader.parse(yaml, name, List.of()), seed, outputs, listener);
  }

  /**
   * Runs a loaded scenario, e.g. one counterfactual of a scenario ({@code ScenarioLoader.point(base, 0, name)}), with
   * seed {@code seed}, writing to {@code outputs}.
   */
  static RecordedRun of(LoadedScenario loaded, long seed, RunOutputs outputs) throws Exception {
    return of(loaded, seed, outputs, new ScenarioRun.Listener() {});
  }

  private static RecordedRun of(LoadedScenario loaded, long seed, RunOutputs outputs, ScenarioRun.Listener listener)
      throws Exception {
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    try (KernelBackend be = Backends.create("java", 1)) {
      MemoryModelStore store = new MemoryModelStore();
      WorkContext ctx = ScenarioRun.context(loaded.scenario(), store, be);
      LocalExecutor local = new LocalExecutor(ctx);
      WorkExecutor recording = (stage, items) -> {
        List<WorkResult> r = local.execute(stage, items);
        calls.add(new Call(stage, List.copyOf(items), r));
        return r;
      };
      RunLineage lineage = RunLineage.current(loaded.sha256(), seed, List.of(), be.name(), be.device());
      MetricsTable table = new ScenarioRun(loaded, ctx.world(), store, recording, outputs, lineage,
          listener).run();
      return new RecordedRun(loaded, ctx.world(), table, List.copyOf(calls));
    }
  }

  /** The metrics of one generation of a lineage. */
  Map<String, Double> metrics(String lineage, int generation) {
    return table.rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == generation)
        .findFirst().orElseThrow().metrics();
  }

  /** The one call of the named stage; fails when there is none or more than one. */
  Call call(String stage) {
    List<Call> c = calls.stream().filter(x -> x.stage().equals(stage)).toList();
    assertEquals(1, c.size(), stage);
    return c.get(0);
  }
}
