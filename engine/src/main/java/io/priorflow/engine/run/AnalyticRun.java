package io.priorflow.engine.run;

import io.priorflow.engine.analytic.DataPolicy;
import io.priorflow.engine.analytic.GaussianWorld;
import io.priorflow.engine.analytic.LinearWorld;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.AnalyticMetrics;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.AnalyticSpec;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs a scenario with an analytic world ({@code analytic: gaussian|linear}): for each lineage, in order, the world
 * refits its model generation after generation under the lineage's {@code data.policy} (replace or accumulate),
 * and the run directory gets the same files as a token-world run — metrics.csv (gaussian.mean, gaussian.variance,
 * gaussian.w2 or linear.test_error per generation, generation 0 being the truth), an empty lineage graph (analytic
 * models have no content hash and no datasets), events.jsonl (one line per lineage) and scenario.yaml.
 *
 * <pre>
 *   lineage l:  rng = stream of item "&lt;l&gt;/analytic" (DESIGN §5), from the run's seed
 *               generations 0..G = GaussianWorld / LinearWorld .run(G, rng)
 * </pre>
 * The stages of a lineage are not used, nor actors: each lineage is one sequential draw, microseconds to seconds,
 * done in the calling thread. So a replicate differs only by its seed, and a batch of replicates spreads over the
 * batch's threads.
 */
public final class AnalyticRun {
  private AnalyticRun() {}

  /** A plain run: replicate 0, no sweep point. */
  public static MetricsTable run(LoadedScenario loaded, RunOutputs outputs, RunLineage runLineage,
                                 ScenarioRun.Listener listener) throws InterruptedException {
    return run(loaded, outputs, runLineage, listener, 0, new TreeMap<>());
  }

  /**
   * Runs every lineage and returns the metrics; the run directory is complete after each lineage.
   *
   * @throws IllegalArgumentException when the scenario has no analytic world
   * @throws InterruptedException     when the thread is interrupted between lineages (those done stay written)
   */
  public static MetricsTable run(LoadedScenario loaded, RunOutputs outputs, RunLineage runLineage,
                                 ScenarioRun.Listener listener, int replicate, SortedMap<String, String> params)
      throws InterruptedException {
    Scenario s = loaded.scenario();
    AnalyticSpec analytic = s.analytic();
    if (analytic == null) {
      throw new IllegalArgumentException("scenario " + s.name() + " has no analytic world; ScenarioRun runs it");
    }
    outputs.writeScenario(loaded.resolvedYaml());
    RandomStreams streams = new RandomStreams(s.seed());
    LineageGraph graph = LineageGraph.builder(runLineage).build();
    List<MetricsRow> rows = new ArrayList<>();
    for (LineageSpec l : s.lineages()) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted before lineage " + l.name());
      }
      String stage = l.name() + "/analytic";
      listener.stageStarted(stage, "analytic", 1);
      long t0 = System.nanoTime();
      SplittableRandom rng = streams.forItem(stage);
      DataPolicy policy = l.data().toAnalytic();
      long drawn;
      switch (analytic) {
        case AnalyticSpec.Gaussian g -> {
          var config = g.toConfig(policy);
          rows.addAll(AnalyticMetrics.gaussianRows(l.name(), replicate, params,
              new GaussianWorld(config).run(l.generations(), rng), config));
          drawn = (long) l.generations() * g.samples();
        }
        case AnalyticSpec.Linear lin -> {
          var config = lin.toConfig(policy);
          rows.addAll(AnalyticMetrics.linearRows(l.name(), replicate, params,
              new LinearWorld(config).run(l.generations(), rng), config));
          drawn = (long) l.generations() * lin.samples();
        }
      }
      MetricsTable table = MetricsTable.of(rows);
      outputs.writeMetrics(table);
      outputs.writeLineage(graph);
      StageEvent e = new StageEvent(stage, l.name(), l.generations(), "analytic", 1,
          (int) Math.min(Integer.MAX_VALUE, drawn), 0, (System.nanoTime() - t0) / 1_000_000, 0, 0, 0, 0, 0,
          Instant.now().toString());
      outputs.appendEvent(e);
      listener.stageFinished(e);
      listener.generationFinished(l.name(), l.generations(), l.generations());
    }
    return MetricsTable.of(rows);
  }
}
