package io.priorflow.engine.run;

import io.priorflow.engine.scenario.Counterfactual;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.scenario.Sweep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One run of a batch: a sweep point and a replicate.
 *
 * @param point     the sweep point (0 without a sweep)
 * @param replicate the replicate, ≥ 0
 * @param name      the run's name ({@link Replicates#name}); empty for a run that is the whole command
 * @param params    the point's values as metrics.csv's {@code param.<path>} columns show them; empty without a sweep;
 *                  with counterfactuals also {@code counterfactual} (its name, or {@code factual})
 * @param counterfactual the counterfactual this run makes ({@link Counterfactual}), or null for the factual run
 */
public record RunSpec(int point, int replicate, String name, SortedMap<String, String> params,
                      String counterfactual) {

  /** Copies the parameters. */
  public RunSpec {
    if (point < 0 || replicate < 0) {
      throw new IllegalArgumentException("Point and replicate must be ≥ 0, were " + point + " and " + replicate + ".");
    }
    params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
  }

  /** A factual run. */
  public RunSpec(int point, int replicate, String name, SortedMap<String, String> params) {
    this(point, replicate, name, params, null);
  }

  /** The one run of a plain command: point 0, replicate 0, no sweep. */
  public static RunSpec single() {
    return new RunSpec(0, 0, "", new TreeMap<>());
  }

  /**
   * The runs of every listed point and replicate, replicate by replicate: all points of the first replicate, then
   * all points of the next, so that a batch stopped early has whole sweeps for its first replicates.
   *
   * @param named whether the runs get names (a batch of several runs) or not (one run: the command's own)
   */
  public static List<RunSpec> grid(Sweep sweep, List<Integer> points, List<Integer> replicates, boolean named) {
    return grid(sweep, points, replicates, List.of(), named);
  }

  /**
   * As {@link #grid(Sweep, List, List, boolean)}, each point also under each counterfactual: for every replicate and
   * point the factual run first, then one run per counterfactual, named {@code <run>-<counterfactual>}
   * ({@code <run>-factual} for the factual one) — all with the replicate's seed, so each counterfactual is paired with
   * its factual run (common random numbers). Without counterfactuals, the plain grid.
   */
  public static List<RunSpec> grid(Sweep sweep, List<Integer> points, List<Integer> replicates,
                                   List<Counterfactual> counterfactuals, boolean named) {
    int maxPoint = sweep.isEmpty() ? -1 : points.stream().mapToInt(Integer::intValue).max().orElse(0);
    int maxReplicate = replicates.stream().mapToInt(Integer::intValue).max().orElse(0);
    List<String> variants = new ArrayList<>();
    if (!counterfactuals.isEmpty()) {
      variants.add(Counterfactual.FACTUAL);
      counterfactuals.forEach(c -> variants.add(c.name()));
    }
    List<RunSpec> out = new ArrayList<>(points.size() * replicates.size() * Math.max(1, variants.size()));
    for (int r : replicates) {
      for (int p : points) {
        String run = named ? Replicates.name(p, maxPoint, r, maxReplicate) : "";
        if (variants.isEmpty()) {
          out.add(new RunSpec(p, r, run, sweep.params(p)));
          continue;
        }
        for (String v : variants) {
          SortedMap<String, String> params = new TreeMap<>(sweep.params(p));
          params.put(Counterfactual.PARAM, v);
          out.add(new RunSpec(p, r, run + "-" + v, params, v.equals(Counterfactual.FACTUAL) ? null : v));
        }
      }
    }
    return out;
  }

  /**
   * This run's scenario: the base's sweep point {@link #point} ({@link ScenarioLoader#point}), under its
   * {@link #counterfactual} if any, with the seed of
   * replicate {@link #replicate} ({@link Replicates#seed} of the point's seed).
   */
  public LoadedScenario scenario(LoadedScenario base) {
    LoadedScenario p = ScenarioLoader.point(base, point, counterfactual);
    return ScenarioLoader.withSeed(p, Replicates.seed(p.scenario().seed(), replicate));
  }
}
