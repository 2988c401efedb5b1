package io.priorflow.engine.analytic;

import io.priorflow.engine.world.ConfigChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Gaussian world of Shumailov et al., "AI models collapse when trained on recursively generated data",
 * Nature 631 (2024): a 1-D Gaussian refitted, generation after generation, on samples of its predecessor.
 *
 * <pre>
 *   generation 0:  model_0 = N(μ, σ²), the truth;      data_0 ~ model_0, N points
 *   generation n:  model_n = fit(D_n);                 data_n ~ model_n, N points
 *                  D_n = data_{n-1}                    under {@link DataPolicy#REPLACE}
 *                  D_n = data_0 ‖ … ‖ data_{n-1}       under {@link DataPolicy#ACCUMULATE} (Gerstgrasser et al. 2024)
 * </pre>
 * "fit" is the sample mean and the variance estimator of the config. Under replace the fitted variance
 * collapses to 0 almost surely and the mean random-walks away ({@link GaussianCollapseLaws} has the exact
 * expectations); under accumulate both stay near the truth.
 *
 * <p>This is the simulation only, run in one thread over a passed-in generator; it is not an actor, and it
 * keeps no state between runs.
 */
public final class GaussianWorld {

  private final GaussianWorldConfig config;

  /** @throws IllegalArgumentException listing every problem of the config */
  public GaussianWorld(GaussianWorldConfig config) {
    ConfigChecks.throwIfAny("Gaussian world config", config.problems());
    this.config = config;
  }

  /** The config this world was built from. */
  public GaussianWorldConfig config() {
    return config;
  }

  /** The true Gaussian, generation 0's model. */
  public GaussianModel truth() {
    return config.truth();
  }

  /**
   * Runs generations 0..generations. Draw order: data_0, data_1, …, each N Gaussian draws, so a run is a pure
   * function of the generator's state.
   *
   * @return generations + 1 entries, entry n being generation n
   */
  public List<GaussianGeneration> run(int generations, SplittableRandom rng) {
    if (generations < 0) {
      throw new IllegalArgumentException("Generations must be ≥ 0, was " + generations + ".");
    }
    GaussianModel truth = truth();
    List<GaussianGeneration> out = new ArrayList<>(generations + 1);
    List<double[]> data = new ArrayList<>();
    GaussianModel model = truth;
    for (int n = 0; ; n++) {
      out.add(new GaussianGeneration(n, model, model.w2(truth)));
      if (n == generations) {
        return out;
      }
      double[] produced = model.sample(config.samples(), rng);
      if (config.policy() == DataPolicy.REPLACE) {
        data.clear();
      }
      data.add(produced);
      model = GaussianModel.fit(data, config.estimator());
    }
  }
}
