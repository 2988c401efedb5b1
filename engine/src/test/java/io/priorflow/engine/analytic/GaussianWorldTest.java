package io.priorflow.engine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.priorflow.engine.rng.RandomStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Gaussian world against {@link GaussianCollapseLaws}: 2000 replicate runs, each from its own item stream,
 * and the replicate mean of each quantity within 3 standard errors of its closed form. A handful of generations
 * is checked per quantity, so that a dozen comparisons (not hundreds) carry the 3-SE risk.
 */
class GaussianWorldTest {

  private static final int REPLICATES = 2000;

  /** values[replicate][generation][0..3] = mean, variance, sd, W₂². */
  private static double[][][] simulate(GaussianWorldConfig config, int generations, String name) {
    GaussianWorld world = new GaussianWorld(config);
    RandomStreams streams = new RandomStreams(20240724L);
    double[][][] out = new double[REPLICATES][generations + 1][];
    for (int r = 0; r < REPLICATES; r++) {
      List<GaussianGeneration> run = world.run(generations, streams.forItem(name + "/replicate/" + r));
      for (GaussianGeneration g : run) {
        GaussianModel m = g.model();
        out[r][g.generation()] = new double[] {m.mean(), m.variance(), m.sd(), g.w2() * g.w2()};
      }
    }
    return out;
  }

  private static SampleStats at(double[][][] values, int generation, int quantity) {
    double[] v = new double[values.length];
    for (int r = 0; r < values.length; r++) {
      v[r] = values[r][generation][quantity];
    }
    return new SampleStats(v);
  }

  private static SampleStats squaredMeanError(double[][][] values, int generation, double mu) {
    double[] v = new double[values.length];
    for (int r = 0; r < values.length; r++) {
      double e = values[r][generation][0] - mu;
      v[r] = e * e;
    }
    return new SampleStats(v);
  }

  @Test
  void unbiasedReplaceKeepsExpectedVarianceWhileSdCollapsesAndMeanWanders() {
    int n = 20;
    VarianceEstimator est = VarianceEstimator.UNBIASED;
    GaussianWorldConfig config = new GaussianWorldConfig(2.0, 1.5, n, est, DataPolicy.REPLACE);
    double[][][] v = simulate(config, 30, "gaussian-unbiased");
    for (int g : new int[] {1, 5}) {
      at(v, g, 1).assertWithin(GaussianCollapseLaws.expectedVariance(1.5, n, est, g), 3, "E[σ²_" + g + "]");
    }
    for (int g : new int[] {1, 10, 30}) {
      at(v, g, 2).assertWithin(GaussianCollapseLaws.expectedSd(1.5, n, est, g), 3, "E[σ_" + g + "]");
    }
    for (int g : new int[] {10, 30}) {
      squaredMeanError(v, g, 2.0).assertWithin(GaussianCollapseLaws.meanVariance(1.5, n, est, g), 3,
          "Var[μ_" + g + "]");
      at(v, g, 3).assertWithin(GaussianCollapseLaws.expectedW2Squared(1.5, n, est, g), 3, "E[W₂²_" + g + "]");
    }
    assertEquals(1.5 * 1.5 * 30 / n, GaussianCollapseLaws.meanVariance(1.5, n, est, 30), 1e-12);
  }

  @Test
  void mleReplaceShrinksVarianceGeometrically() {
    int n = 10;
    VarianceEstimator est = VarianceEstimator.MLE;
    GaussianWorldConfig config = new GaussianWorldConfig(0, 1, n, est, DataPolicy.REPLACE);
    double[][][] v = simulate(config, 20, "gaussian-mle");
    for (int g : new int[] {5, 20}) {
      at(v, g, 1).assertWithin(Math.pow(0.9, g), 3, "E[σ²_" + g + "] = 0.9^" + g);
    }
    squaredMeanError(v, 20, 0).assertWithin(1 - Math.pow(0.9, 20), 3, "Var[μ_20] = 1 − 0.9^20");
    at(v, 20, 3).assertWithin(GaussianCollapseLaws.expectedW2Squared(1, n, est, 20), 3, "E[W₂²_20]");
  }

  @Test
  void accumulateKeepsTheFitNearTheTruth() {
    int n = 20;
    VarianceEstimator est = VarianceEstimator.UNBIASED;
    double[][][] v = simulate(new GaussianWorldConfig(0, 1, n, est, DataPolicy.ACCUMULATE), 50, "gaussian-acc");
    at(v, 50, 0).assertWithin(0, 3, "E[μ_50] under accumulate");
    SampleStats w2 = at(v, 50, 3);
    SampleStats variance = at(v, 50, 1);
    double replaceW2 = GaussianCollapseLaws.expectedW2Squared(1, n, est, 50);
    System.out.printf("accumulate: E[W₂²_50] = %.4f ± %.4f (replace: %.4f); E[σ²_50] = %.4f ± %.4f%n",
        w2.mean, w2.standardError, replaceW2, variance.mean, variance.standardError);
    // Var[μ_n] ≤ max_k E[σ²_k] · π²/(6N) under accumulate; with σ² ≈ 1 that is ≈ 0.082 for N = 20.
    assertTrue(w2.mean < 0.15, "accumulate W₂² stays bounded, was " + w2.mean);
    assertTrue(w2.mean < replaceW2 / 10, "accumulate W₂² is far below replace's " + replaceW2);
    assertTrue(Math.abs(variance.mean - 1) < 0.1, "accumulated variance stays near σ², was " + variance.mean);
  }

  @Test
  void kappaMatchesKnownGammaRatios() {
    // N = 2, unbiased: E|Z| = sqrt(2/π).
    assertEquals(Math.sqrt(2 / Math.PI), GaussianCollapseLaws.kappa(2, VarianceEstimator.UNBIASED), 1e-15);
    // N = 5, MLE: sqrt(2/5) · Γ(5/2)/Γ(2) = sqrt(2/5) · (3/4)√π.
    assertEquals(Math.sqrt(0.4) * 0.75 * Math.sqrt(Math.PI), GaussianCollapseLaws.kappa(5, VarianceEstimator.MLE),
        1e-15);
  }

  @Test
  void fitAndDistanceAreExact() {
    GaussianModel fit = GaussianModel.fit(new double[] {1, 2, 3, 6}, VarianceEstimator.UNBIASED);
    assertEquals(3, fit.mean(), 0);
    assertEquals(14.0 / 3, fit.variance(), 1e-15);
    assertEquals(3.5, GaussianModel.fit(new double[] {1, 2, 3, 6}, VarianceEstimator.MLE).variance(), 1e-15);
    assertEquals(5, new GaussianModel(3, 16).w2(new GaussianModel(0, 0)), 1e-15);
  }

  @Test
  void runIsAPureFunctionOfTheStream() {
    GaussianWorld world = new GaussianWorld(GaussianWorldConfig.defaults());
    RandomStreams streams = new RandomStreams(5);
    assertEquals(world.run(5, streams.forItem("a")), world.run(5, streams.forItem("a")));
    GaussianGeneration first = world.run(0, streams.forItem("a")).get(0);
    assertEquals(world.truth(), first.model());
    assertEquals(List.of(GaussianGeneration.MEAN, GaussianGeneration.VARIANCE, GaussianGeneration.W2),
        List.copyOf(first.metrics().keySet()));
  }

  @Test
  void configReadsPartialYamlWithDefaultsAndRejectsUnknownKeys() throws Exception {
    ObjectMapper yaml = new YAMLMapper();
    GaussianWorldConfig c = yaml.readValue("samples: 10\npolicy: accumulate\nestimator: mle\n",
        GaussianWorldConfig.class);
    assertEquals(new GaussianWorldConfig(0, 1, 10, VarianceEstimator.MLE, DataPolicy.ACCUMULATE), c);
    assertEquals(c, yaml.readValue(yaml.writeValueAsString(c), GaussianWorldConfig.class));
    assertThrows(UnrecognizedPropertyException.class, () -> yaml.readValue("sigma: 2\n", GaussianWorldConfig.class));
    GaussianWorldConfig bad = new GaussianWorldConfig(0, -1, 1, VarianceEstimator.MLE, DataPolicy.REPLACE);
    assertEquals(List.of("sd must be in [0.000001, 1000000], was -1", "samples must be in [2, 10000000], was 1"),
        bad.problems());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianWorld(bad));
    assertTrue(e.getMessage().startsWith("Gaussian world config has 2 problems:"), e.getMessage());
  }
}
