package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Charts#round2} (the chart coordinates' fast rounding) gives exactly the string of {@link Charts#round2Exact}
 * (BigDecimal's half-even rounding of the shortest decimal), so the report's SVG bytes are those of the exact path.
 */
class ChartsRoundingTest {

  private static void same(double v) {
    assertEquals(Charts.round2Exact(v), Charts.round2(v), () -> "round2(" + v + ")");
  }

  @Test
  void everyThousandthAndItsNeighboursRoundAsBigDecimalDoes() {
    // k/1000 holds every tie of the third decimal (…5) and the values on either side; the neighbours one ulp away
    // are where the double v·100 and the exact decimal could part
    for (int k = -300_000; k <= 300_000; k++) {
      double v = k / 1000.0;
      same(v);
      same(Math.nextUp(v));
      same(Math.nextDown(v));
    }
  }

  @Test
  void randomValuesOfEveryMagnitudeRoundAsBigDecimalDoes() {
    SplittableRandom r = new SplittableRandom(19);
    for (int i = 0; i < 1_000_000; i++) {
      double v = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(10, r.nextInt(-6, 12));
      same(v);
    }
  }

  @Test
  void edgesRoundAsBigDecimalDoes() {
    for (double v : new double[] {0.0, -0.0, 0.004, -0.004, 0.005, -0.005, 0.015, 0.025, 0.125, 2.675, 1.005,
        99.995, 100, 1e9 - 0.005, 1e9, 1e9 + 0.015, 1e15, 1e300, -1e300, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MAX_VALUE}) {
      same(v);
    }
    assertEquals("0", Charts.round2(Double.NaN));
    assertEquals("0", Charts.round2(Double.POSITIVE_INFINITY));
    assertEquals("-0.05", Charts.round2(-0.05));
    assertEquals("100", Charts.round2(100.001));
    assertEquals("12.3", Charts.round2(12.299999));
  }
}
