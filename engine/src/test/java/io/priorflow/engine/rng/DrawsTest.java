package io.priorflow.engine.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DrawsTest {

  @Test
  void gaussianHasMeanZeroVarianceOneAndNormalTails() {
    SplittableRandom rng = new RandomStreams(3).forItem("draws/gaussian");
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    int beyond2 = 0;
    for (int i = 0; i < n; i++) {
      double z = Draws.gaussian(rng);
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 2) {
        beyond2++;
      }
    }
    double mean = sum / n;
    double var = sumSq / n - mean * mean;
    assertEquals(0, mean, 4 / Math.sqrt(n));
    assertEquals(1, var, 4 * Math.sqrt(2.0 / n));
    double p2 = 0.04550026389635842; // P(|Z| > 2)
    assertEquals(p2, beyond2 / (double) n, 4 * Math.sqrt(p2 * (1 - p2) / n));
  }

  @Test
  void categoricalFollowsItsWeights() {
    double[] cum = Draws.cumulative(1, 0, 3);
    assertArrayEquals(new double[] {0.25, 0.25, 1.0}, cum);
    SplittableRandom rng = new SplittableRandom(11);
    int[] counts = new int[3];
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts[Draws.categorical(cum, rng)]++;
    }
    assertEquals(0, counts[1]);
    assertEquals(0.25, counts[0] / (double) n, 4 * Math.sqrt(0.25 * 0.75 / n));
  }

  @Test
  void cumulativeRejectsBadWeights() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Draws.cumulative(1, -2));
    assertEquals("Weight 1 must be finite and non-negative, was -2.0.", e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Draws.cumulative(0, 0))
      .getMessage().contains("positive sum"));
  }
}
