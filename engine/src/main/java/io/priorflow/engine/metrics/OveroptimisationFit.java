package io.priorflow.engine.metrics;

import io.priorflow.engine.train.RlhfStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functional forms of reward over-optimisation (Gao, Schulman and Hilton 2022, "Scaling Laws for Reward Model
 * Overoptimization", §3), fitted by least squares: the gold reward gained over the initial policy, R, against
 * d = √KL(π ‖ π_init),
 * <pre>
 *   best-of-n  R(d) = d (α − β d)          peak at d* = α / (2β)
 *   RL         R(d) = d (α − β log d)      peak at d* = exp(α/β − 1)
 * </pre>
 * Both vanish at d = 0, so the fit goes through the origin: R ≈ α·f₁(d) − β·f₂(d) with f₁ = d and f₂ = d² or
 * d·log d, solved from the 2×2 normal equations. r² is 1 − SS_res / SS_tot (SS_tot about the mean of R), so a
 * form that fits worse than a constant gives r² &lt; 0. Pure static functions.
 */
public final class OveroptimisationFit {

  private OveroptimisationFit() {}

  /** Which form. */
  public enum Form { BEST_OF_N, RL }

  /**
   * A fit.
   *
   * @param alpha  α
   * @param beta   β (&gt; 0: the gold reward peaks and then falls — over-optimisation)
   * @param r2     coefficient of determination
   * @param points the (d, R) points fitted
   */
  public record Fit(Form form, double alpha, double beta, double r2, int points) {

    /** R(d) of the fitted form. */
    public double at(double d) {
      return form == Form.BEST_OF_N ? d * (alpha - beta * d) : d == 0 ? 0 : d * (alpha - beta * Math.log(d));
    }

    /** The d at which R peaks, or NaN when β ≤ 0 (no peak: the gold reward keeps rising). */
    public double peak() {
      if (!(beta > 0)) return Double.NaN;
      return form == Form.BEST_OF_N ? alpha / (2 * beta) : Math.exp(alpha / beta - 1);
    }
  }

  /**
   * Fits R = α f₁(d) − β f₂(d) through the origin.
   *
   * @return the fit, with NaN α, β and r² when there are fewer than 3 points or the points cannot tell α from β
   */
  public static Fit fit(Form form, double[] d, double[] gain) {
    if (d.length != gain.length) {
      throw new IllegalArgumentException("d and R need one value per point, got " + d.length + " and " + gain.length);
    }
    double s11 = 0, s12 = 0, s22 = 0, b1 = 0, b2 = 0;
    for (int i = 0; i < d.length; i++) {
      double f1 = d[i], f2 = f2(form, d[i]);
      s11 += f1 * f1;
      s12 += f1 * f2;
      s22 += f2 * f2;
      b1 += f1 * gain[i];
      b2 += f2 * gain[i];
    }
    double det = s11 * s22 - s12 * s12;
    if (d.length < 3 || !(Math.abs(det) > 1e-12 * Math.max(1e-300, s11 * s22))) {
      return new Fit(form, Double.NaN, Double.NaN, Double.NaN, d.length);
    }
    double a = (b1 * s22 - b2 * s12) / det, c = (s11 * b2 - s12 * b1) / det; // R ≈ a f₁ + c f₂, β = −c
    Fit fit = new Fit(form, a, -c, Double.NaN, d.length);
    double mean = 0;
    for (double g : gain) mean += g / gain.length;
    double res = 0, tot = 0;
    for (int i = 0; i < d.length; i++) {
      double e = gain[i] - fit.at(d[i]);
      res += e * e;
      tot += (gain[i] - mean) * (gain[i] - mean);
    }
    return new Fit(form, a, -c, tot > 0 ? 1 - res / tot : Double.NaN, d.length);
  }

  private static double f2(Form form, double d) {
    return form == Form.BEST_OF_N ? d * d : d == 0 ? 0 : d * Math.log(d);
  }

  /**
   * The RL form fitted to an RLHF trace: step 0's samples come from the initial policy (KL 0), so R is each step's
   * gold reward minus step 0's and d = √KL. The metrics rlhf.gold_fit_alpha, rlhf.gold_fit_beta, rlhf.gold_fit_r2
   * and rlhf.gold_fit_peak_kl (d*², the KL at which the fitted gold reward peaks; NaN without a peak); empty for a
   * trace shorter than 3 steps.
   */
  public static Map<String, Double> rlhfMetrics(List<RlhfStep> trace) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (trace.size() < 3) return m;
    double[] d = new double[trace.size()], gain = new double[trace.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(Math.max(0, trace.get(i).kl()));
      gain[i] = trace.get(i).goldReward() - trace.get(0).goldReward();
    }
    Fit f = fit(Form.RL, d, gain);
    m.put(MetricNames.RLHF_GOLD_FIT_ALPHA, f.alpha());
    m.put(MetricNames.RLHF_GOLD_FIT_BETA, f.beta());
    m.put(MetricNames.RLHF_GOLD_FIT_R2, f.r2());
    double peak = f.peak();
    m.put(MetricNames.RLHF_GOLD_FIT_PEAK_KL, peak * peak);
    return m;
  }
}
