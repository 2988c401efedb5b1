package io.priorflow.engine.run;

import io.priorflow.engine.analytic.BanditWorld;
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
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
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

  /** The bandit world's per-arm file in the run directory, and the item whose stream draws its gold rewards. */
  public static final String BANDIT_CSV = "bandit.csv", BANDIT_REWARDS = "bandit/rewards";

  /** A bandit lineage's stages as the world's steps: label (prefer) draws pairs, train stages fit. */
  static List<BanditWorld.Step> steps(LineageSpec l, io.priorflow.engine.scenario.TrainingSpec training) {
    List<BanditWorld.Step> steps = new ArrayList<>();
    for (StageSpec st : l.stages()) {
      switch (st) {
        case LabelStage lb -> steps.add(new BanditWorld.Step(BanditWorld.Kind.LABEL, lb.sample(), 0, 0, 0, 0,
            lb::runsIn));
        case TrainStage t -> {
          BanditWorld.Kind kind = switch (t.method()) {
            case SFT -> BanditWorld.Kind.SFT;
            case REWARD_MODEL -> BanditWorld.Kind.REWARD_MODEL;
            case DPO -> BanditWorld.Kind.DPO;
            case RLHF -> BanditWorld.Kind.RLHF;
            case BEST_OF_N -> BanditWorld.Kind.BEST_OF_N;
            default -> throw new IllegalArgumentException("method " + t.method() + " has no bandit form (validate "
                + "rejects it)");
          };
          steps.add(new BanditWorld.Step(kind, t.prompts(), t.klCoef(), t.n(), t.epochs(training), t.lr(training),
              t::runsIn));
        }
        default -> throw new IllegalArgumentException("stage kind " + st.kind() + " has no bandit form (validate "
            + "rejects it)");
      }
    }
    return steps;
  }

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
    java.util.Set<String> columns = null; // fixed at the first write (MetricColumns)
    StringBuilder bandit = new StringBuilder(AnalyticMetrics.BANDIT_CSV_HEADER);
    double[] rewards = analytic instanceof AnalyticSpec.Bandit b ? b.rewards(streams.forItem(BANDIT_REWARDS)) : null;
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
        case AnalyticSpec.Bandit b -> {
          List<BanditWorld.Generation> run = new BanditWorld(rewards, b.priorPolicy(), steps(l, s.training()))
              .run(l.generations(), rng);
          rows.addAll(AnalyticMetrics.banditRows(l.name(), replicate, params, run, rewards));
          AnalyticMetrics.banditCsv(bandit, l.name(), replicate, run, rewards);
          outputs.writeText(BANDIT_CSV, bandit.toString());
          drawn = run.stream().mapToLong(BanditWorld.Generation::pairs).sum();
        }
      }
      if (columns == null) columns = MetricColumns.expected(s, rows.get(0).metrics().keySet());
      MetricsTable table = MetricsTable.of(rows, columns); // the same columns from the first lineage on
      outputs.writeMetrics(table);
      outputs.writeLineage(graph);
      StageEvent e = new StageEvent(stage, l.name(), l.generations(), "analytic", 1,
          (int) Math.min(Integer.MAX_VALUE, drawn), 0, (System.nanoTime() - t0) / 1_000_000, 0, 0, 0, 0, 0,
          Instant.now().toString());
      outputs.appendEvent(e);
      listener.stageFinished(e);
      listener.generationFinished(l.name(), l.generations(), l.generations());
    }
    return MetricsTable.of(rows, columns == null ? List.of() : columns);
  }
}
