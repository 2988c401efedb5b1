package io.priorflow.engine.analytic;

import io.priorflow.engine.rng.Draws;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fitted 1-D Gaussian N(mean, variance): the "model" of the Gaussian world. An immutable value; fitting makes
 * a new one. Not a general statistics class: it fits, samples and measures distance, nothing else.
 *
 * @param mean     the mean μ
 * @param variance the variance σ², ≥ 0
 */
public record GaussianModel(double mean, double variance) {

  /** Checks the parameters are finite and the variance non-negative. */
  public GaussianModel {
    if (!Double.isFinite(mean) || !(variance >= 0) || Double.isInfinite(variance)) {
      throw new IllegalArgumentException(
          "A Gaussian needs a finite mean and a finite non-negative variance, got mean " + mean
              + " and variance " + variance + ".");
    }
  }

  /** The standard deviation σ. */
  public double sd() {
    return Math.sqrt(variance);
  }

  /** n independent draws x = μ + σ z, z from {@link Draws#gaussian(SplittableRandom)}, in draw order. */
  public double[] sample(int n, SplittableRandom rng) {
    double[] x = new double[n];
    double sd = sd();
    for (int i = 0; i < n; i++) {
      x[i] = mean + sd * Draws.gaussian(rng);
    }
    return x;
  }

  /**
   * Fits mean and variance to the concatenation of the batches, in order (two passes, fixed summation order,
   * so the result does not depend on how the caller stored the data).
   *
   * @throws IllegalArgumentException if there are fewer than 2 points in all
   */
  public static GaussianModel fit(List<double[]> batches, VarianceEstimator estimator) {
    long n = 0;
    double sum = 0;
    for (double[] batch : batches) {
      for (double x : batch) {
        sum += x;
      }
      n += batch.length;
    }
    if (n < 2) {
      throw new IllegalArgumentException("Fitting a Gaussian needs at least 2 points, got " + n + ".");
    }
    double mean = sum / n;
    double squares = 0;
    for (double[] batch : batches) {
      for (double x : batch) {
        squares += (x - mean) * (x - mean);
      }
    }
    return new GaussianModel(mean, squares / estimator.divisor(n));
  }

  /** Fits one batch; see {@link #fit(List, VarianceEstimator)}. */
  public static GaussianModel fit(double[] data, VarianceEstimator estimator) {
    return fit(List.of(data), estimator);
  }

  /**
   * The 2-Wasserstein distance to another 1-D Gaussian, exact: W₂² = (μ₁ − μ₂)² + (σ₁ − σ₂)².
   */
  public double w2(GaussianModel other) {
    double dm = mean - other.mean;
    double ds = sd() - other.sd();
    return Math.sqrt(dm * dm + ds * ds);
  }
}
