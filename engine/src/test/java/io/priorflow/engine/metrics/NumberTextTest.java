package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberTextTest {

  @Test
  void printsLikeJavaScript() {
    // expected strings are what (x).toString() prints in any JavaScript engine
    String[][] cases = {
        {"0", "0"}, {"-0.0", "0"}, {"1", "1"}, {"-3", "-3"}, {"1200", "1200"}, {"0.1", "0.1"},
        {"0.25", "0.25"}, {"-2.5", "-2.5"}, {"123.456", "123.456"}, {"0.000123", "0.000123"},
        {"0.000001", "0.000001"}, {"1e-7", "1e-7"}, {"2.5e-10", "2.5e-10"}, {"1e21", "1e+21"},
        {"1.5e21", "1.5e+21"}, {"1e20", "100000000000000000000"}, {"123456789012345680000", "123456789012345680000"},
        {"0.30000000000000004", "0.30000000000000004"}, {"4.9e-324", "5e-324"},
        {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"NaN", "NaN"}, {"Infinity", "Infinity"},
        {"-Infinity", "-Infinity"}, {"2e-7", "2e-7"}, {"1.25e-6", "0.00000125"}, {"100", "100"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], NumberText.format(Double.parseDouble(c[0])), c[0]);
    }
  }

  @Test
  void readsBackToTheSameDouble() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      double x = Double.longBitsToDouble(rng.nextLong());
      if (Double.isNaN(x) || x == 0) {
        continue;
      }
      assertEquals(x, NumberText.parse(NumberText.format(x)), 0.0, Double.toString(x));
      double y = rng.nextGaussian() * Math.pow(10, rng.nextInt(-12, 12));
      assertEquals(y, NumberText.parse(NumberText.format(y)), 0.0, Double.toString(y));
    }
  }

  @Test
  void ignoresTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("0.5", NumberText.format(0.5));
      assertEquals("1234567.25", NumberText.format(1234567.25));
    } finally {
      Locale.setDefault(before);
    }
  }
}
