package io.priorflow.engine.analytic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.priorflow.engine.rng.RandomStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linear-regression world against {@link LinearCollapseLaws}: 1000 replicate runs, each from its own item
 * stream, replicate means within 3 standard errors of the closed forms at a few generations.
 */
class LinearWorldTest {

  private static final int REPLICATES = 1000;

  /** errors[replicate][generation]. */
  private static double[][] simulate(LinearWorldConfig config, int generations, String name) {
    LinearWorld world = new LinearWorld(config);
    RandomStreams streams = new RandomStreams(20240401L);
    double[][] out = new double[REPLICATES][generations + 1];
    for (int r = 0; r < REPLICATES; r++) {
      for (LinearGeneration g : world.run(generations, streams.forItem(name + "/replicate/" + r))) {
        out[r][g.generation()] = g.testError();
      }
    }
    return out;
  }

  private static SampleStats at(double[][] errors, int generation) {
    double[] v = new double[errors.length];
    for (int r = 0; r < errors.length; r++) {
      v[r] = errors[r][generation];
    }
    return new SampleStats(v);
  }

  @Test
  void replaceErrorGrowsLinearly() {
    for (DesignPolicy design : DesignPolicy.values()) {
      LinearWorldConfig config = new LinearWorldConfig(8, 20, 0.5, DataPolicy.REPLACE, design);
      double[][] errors = simulate(config, 10, "linear-replace-" + design);
      assertEquals(0, errors[0][0]);
      for (int n : new int[] {1, 4, 10}) {
        at(errors, n).assertWithin(LinearCollapseLaws.expectedTestError(config, n), 3,
            "replace/" + design + " E[err_" + n + "] = σ²·n·d/(T−d−1)");
      }
    }
  }

  @Test
  void accumulateErrorIsBoundedByPiSquaredOverSix() {
    LinearWorldConfig config = new LinearWorldConfig(8, 20, 0.5, DataPolicy.ACCUMULATE, DesignPolicy.FIXED);
    double[][] errors = simulate(config, 20, "linear-accumulate");
    for (int n : new int[] {1, 3, 20}) {
      at(errors, n).assertWithin(LinearCollapseLaws.expectedTestError(config, n), 3,
          "accumulate E[err_" + n + "] = σ²·d/(T−d−1)·Σ1/i²");
    }
    assertTrue(LinearCollapseLaws.expectedTestError(config, 20) < LinearCollapseLaws.accumulateLimit(config));
  }

  @Test
  void accumulateWithFreshFeaturesFollowsGerstgrassersFormulaNotTheFixedDesignOne() {
    LinearWorldConfig config = new LinearWorldConfig(8, 20, 0.5, DataPolicy.ACCUMULATE, DesignPolicy.FRESH);
    double[][] errors = simulate(config, 20, "linear-accumulate-fresh");
    for (int n : new int[] {1, 3, 20}) {
      at(errors, n).assertWithin(LinearCollapseLaws.expectedTestError(config, n), 3,
          "accumulate/fresh E[err_" + n + "] = σ²·d·Σ1/(i(iT−d−1))");
    }
    // the two designs' laws differ by more than the noise here: the fixed one is rejected for fresh data
    double fixed = LinearCollapseLaws.expectedTestError(config.withDesign(DesignPolicy.FIXED), 20);
    SampleStats last = at(errors, 20);
    assertTrue(Math.abs(last.mean - fixed) > 4 * last.standardError, last.mean + " ± " + last.standardError
        + " vs the fixed-design law " + fixed);
    // closed form by hand: σ² = 0.25, d = 8, T = 20; n = 2: 0.25·8·(1/(1·11) + 1/(2·31))
    assertEquals(0.25 * 8 * (1.0 / 11 + 1.0 / 62), LinearCollapseLaws.expectedTestError(config, 2), 1e-15);
    assertTrue(LinearCollapseLaws.expectedTestError(config, 20) < LinearCollapseLaws.accumulateLimit(config));
  }

  @Test
  void fitRecoversExactLabelsWithoutNoise() {
    LinearWorld world = new LinearWorld(new LinearWorldConfig(5, 12, 0, DataPolicy.REPLACE, DesignPolicy.FRESH));
    List<LinearGeneration> run = world.run(3, new RandomStreams(1).forItem("noiseless"));
    for (LinearGeneration g : run) {
      assertArrayEquals(world.trueWeights(), g.weights(), 1e-12);
      assertEquals(0, g.testError(), 1e-20);
    }
    assertEquals(run, world.run(3, new RandomStreams(1).forItem("noiseless")));
  }

  @Test
  void configReadsPartialYamlAndChecksRanges() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    LinearWorldConfig c = yaml.readValue("dimension: 4\ndesign: fresh\n", LinearWorldConfig.class);
    assertEquals(new LinearWorldConfig(4, 50, 1.0, DataPolicy.REPLACE, DesignPolicy.FRESH), c);
    assertEquals(c, yaml.readValue(yaml.writeValueAsString(c), LinearWorldConfig.class));
    assertEquals(List.of("samples must be in [12, 1000000], was 11"),
        new LinearWorldConfig(10, 11, 1, DataPolicy.REPLACE, DesignPolicy.FIXED).problems());
  }
}
