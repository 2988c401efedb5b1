package io.priorflow.engine.analytic;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mean and standard error of replicate values, and the "within k standard errors" assertion. */
final class SampleStats {

  final double mean;
  final double standardError;

  SampleStats(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    standardError = Math.sqrt(squares / (values.length - 1) / values.length);
  }

  /** Asserts |mean − expected| ≤ k · standard error, and says both numbers either way. */
  void assertWithin(double expected, double k, String what) {
    double z = (mean - expected) / standardError;
    String text = String.format("%s: simulated %.5f ± %.5f (1 SE), closed form %.5f, z = %.2f",
        what, mean, standardError, expected, z);
    System.out.println(text);
    assertTrue(Math.abs(z) <= k, text);
  }
}
