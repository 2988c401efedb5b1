package io.priorflow.engine.rng;

import java.util.SplittableRandom;

/**
 * Draws from a few distributions, always from a {@link SplittableRandom} the caller passes in.
 *
 * <p>Every method uses only {@code nextDouble()} / {@code nextInt(bound)}, whose results SplittableRandom
 * specifies, and {@link StrictMath}, whose results are bit-identical on every platform. This is why there is a
 * Gaussian here at all: {@code RandomGenerator.nextGaussian()} uses an algorithm the JDK does not promise to
 * keep, and {@link Math#log} may differ in the last bit between platforms.
 *
 * <p>Not a random generator, and holds no state: two calls with generators in the same state give the same value.
 */
public final class Draws {

  private Draws() {
  }

  /**
   * A standard normal draw by the Box–Muller transform, consuming exactly two uniforms:
   * <pre>  z = sqrt(-2 ln u1) · cos(2π u2),  u1 = 1 − U ∈ (0, 1],  u2 = U ∈ [0, 1)</pre>
   * (the sine twin is discarded, so the method keeps no state).
   */
  public static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** A draw from N(mean, sd²). */
  public static double gaussian(double mean, double sd, SplittableRandom rng) {
    return mean + sd * gaussian(rng);
  }

  /** True with probability p (one uniform; p ≤ 0 is never, p ≥ 1 always). */
  public static boolean bernoulli(double p, SplittableRandom rng) {
    return rng.nextDouble() < p;
  }

  /**
   * An index drawn by inverse CDF from cumulative probabilities {@code cumulative[i] = P(X ≤ i)}, whose last
   * entry is 1 (it is treated as 1 whatever its rounding). One uniform.
   */
  public static int categorical(double[] cumulative, SplittableRandom rng) {
    double u = rng.nextDouble();
    int last = cumulative.length - 1;
    for (int i = 0; i < last; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return last;
  }

  /**
   * Cumulative probabilities of non-negative weights, normalised by their sum; the last entry is exactly 1.
   *
   * @throws IllegalArgumentException if a weight is negative or not finite, or all are zero
   */
  public static double[] cumulative(double... weights) {
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException(
          "Weight " + i + " must be finite and non-negative, was " + weights[i] + ".");
      }
      total += weights[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException(
        "Weights must have a positive sum, but all " + weights.length + " are zero.");
    }
    double[] cumulative = new double[weights.length];
    double running = 0;
    for (int i = 0; i < weights.length; i++) {
      running += weights[i];
      cumulative[i] = running / total;
    }
    cumulative[weights.length - 1] = 1.0;
    return cumulative;
  }
}
