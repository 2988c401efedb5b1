package io.priorflow.engine.analytic;

import io.priorflow.engine.rng.Draws;
import io.priorflow.engine.world.ConfigChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The linear-regression world of Dohmatob, Feng and Kempe, "Model Collapse Demystified: The Case of Regression"
 * (2024) and Gerstgrasser et al., "Is Model Collapse Inevitable? Breaking the Curse of Recursion by
 * Accumulating Real and Synthetic Data" (2024): least squares refitted, generation after generation, on labels
 * its predecessor produced.
 *
 * <pre>
 *   d features, T rows per generation, x ~ N(0, I_d), label noise ε ~ N(0, σ²), w*_i = 1/√d (‖w*‖ = 1)
 *   generation 0:  ŵ_0 = w*;                        data_0 = (X_0, X_0 ŵ_0 + ε_0)
 *   generation n:  ŵ_n = OLS on D_n;                data_n = (X_n, X_n ŵ_n + ε_n)
 *                  D_n = data_{n-1}                 under {@link DataPolicy#REPLACE}
 *                  D_n = data_0 ‖ … ‖ data_{n-1}    under {@link DataPolicy#ACCUMULATE}
 *                  X_n = X_0 ({@link DesignPolicy#FIXED}) or freshly drawn ({@link DesignPolicy#FRESH})
 *   test error of generation n = ‖ŵ_n − w*‖²  (= E_x[(xᵀ(ŵ_n − w*))²] for isotropic x, noise floor excluded)
 * </pre>
 * {@link LinearCollapseLaws} gives its exact expectation. This is the simulation only, one thread over a
 * passed-in generator; it is not an actor and keeps no state between runs.
 */
public final class LinearWorld {

  private final LinearWorldConfig config;

  /** @throws IllegalArgumentException listing every problem of the config */
  public LinearWorld(LinearWorldConfig config) {
    ConfigChecks.throwIfAny("Linear world config", config.problems());
    this.config = config;
  }

  /** The config this world was built from. */
  public LinearWorldConfig config() {
    return config;
  }

  /** The true weights w*, every entry 1/√d. */
  public double[] trueWeights() {
    double[] w = new double[config.dimension()];
    Arrays.fill(w, 1 / Math.sqrt(config.dimension()));
    return w;
  }

  /**
   * Runs generations 0..generations. Draw order per generation n: X_n (row-major; only at n = 0 for a fixed
   * design), then the T noise values ε_n.
   *
   * @return generations + 1 entries, entry n being generation n
   */
  public List<LinearGeneration> run(int generations, SplittableRandom rng) {
    if (generations < 0) {
      throw new IllegalArgumentException("Generations must be ≥ 0, was " + generations + ".");
    }
    int d = config.dimension();
    int t = config.samples();
    double[] truth = trueWeights();
    double[] weights = truth;
    double[] gram = new double[d * d]; // (d, d): Σ XᵀX over D_n
    double[] xty = new double[d]; // (d): Σ Xᵀy over D_n
    double[] x = null; // (T, d) row-major
    List<LinearGeneration> out = new ArrayList<>(generations + 1);
    for (int n = 0; ; n++) {
      out.add(new LinearGeneration(n, weights, squaredDistance(weights, truth)));
      if (n == generations) {
        return out;
      }
      // produce data_n: features, then labels from this generation's weights plus fresh noise
      if (x == null || config.design() == DesignPolicy.FRESH) {
        x = gaussians(t * d, 1.0, rng);
      }
      double[] y = gaussians(t, config.noiseSd(), rng);
      for (int r = 0; r < t; r++) {
        for (int i = 0; i < d; i++) {
          y[r] += x[r * d + i] * weights[i];
        }
      }
      // fit the next generation on D_{n+1}
      if (config.policy() == DataPolicy.REPLACE) {
        Arrays.fill(gram, 0);
        Arrays.fill(xty, 0);
      }
      LeastSquares.accumulate(x, y, t, d, gram, xty);
      weights = LeastSquares.solve(gram, xty, d);
    }
  }

  private static double[] gaussians(int n, double sd, SplittableRandom rng) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = sd * Draws.gaussian(rng);
    }
    return v;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }
}
