package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.train.RlhfStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gao et al.'s forms recovered from their own curves, their peaks in closed form, and the fit of an RLHF trace. */
class OveroptimisationFitTest {

  static double[] grid(int n, double step) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = i * step;
    return d;
  }

  @Test
  void recoversBothFormsExactlyAndTheirPeaks() {
    double[] d = grid(30, 0.2);
    double[] bon = new double[d.length], rl = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      bon[i] = d[i] * (1.5 - 0.4 * d[i]);
      rl[i] = d[i] == 0 ? 0 : d[i] * (0.8 - 0.5 * Math.log(d[i]));
    }
    OveroptimisationFit.Fit b = OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, d, bon);
    assertEquals(1.5, b.alpha(), 1e-9);
    assertEquals(0.4, b.beta(), 1e-9);
    assertEquals(1, b.r2(), 1e-12);
    assertEquals(1.5 / 0.8, b.peak(), 1e-9);                     // α / (2β)
    OveroptimisationFit.Fit r = OveroptimisationFit.fit(OveroptimisationFit.Form.RL, d, rl);
    assertEquals(0.8, r.alpha(), 1e-9);
    assertEquals(0.5, r.beta(), 1e-9);
    assertEquals(Math.exp(0.8 / 0.5 - 1), r.peak(), 1e-9);        // exp(α/β − 1)
    // the peak is where R'(d) = 0: α − β(log d + 1) = 0
    double p = r.peak(), h = 1e-6;
    assertEquals(0, (r.at(p + h) - r.at(p - h)) / (2 * h), 1e-6);
    // the wrong form fits worse
    assertTrue(OveroptimisationFit.fit(OveroptimisationFit.Form.RL, d, bon).r2() < 0.999);
  }

  @Test
  void noPeakWithoutOveroptimisationAndNothingToFitFromTooFewPoints() {
    double[] d = grid(10, 0.3), up = new double[10];
    for (int i = 0; i < 10; i++) up[i] = 2 * d[i] + 0.1 * d[i] * d[i];
    OveroptimisationFit.Fit f = OveroptimisationFit.fit(OveroptimisationFit.Form.BEST_OF_N, d, up);
    assertEquals(-0.1, f.beta(), 1e-9);
    assertTrue(Double.isNaN(f.peak()));
    assertTrue(Double.isNaN(OveroptimisationFit.fit(OveroptimisationFit.Form.RL, new double[] {0, 1},
        new double[] {0, 1}).alpha()));
    assertTrue(Double.isNaN(OveroptimisationFit.fit(OveroptimisationFit.Form.RL, new double[] {0, 0, 0},
        new double[] {0, 1, 2}).alpha()));
  }

  @Test
  void anRlhfTraceIsFittedFromItsFirstStep() {
    List<RlhfStep> trace = new ArrayList<>();
    for (int s = 0; s < 12; s++) {
      double kl = 0.05 * s * s, d = Math.sqrt(kl);
      double gold = 0.3 + (d == 0 ? 0 : d * (0.6 - 0.4 * Math.log(d)));
      trace.add(new RlhfStep(s, 1 + s, gold, kl, 0, "rloo"));
    }
    Map<String, Double> m = OveroptimisationFit.rlhfMetrics(trace);
    assertEquals(0.6, m.get(MetricNames.RLHF_GOLD_FIT_ALPHA), 1e-9);
    assertEquals(0.4, m.get(MetricNames.RLHF_GOLD_FIT_BETA), 1e-9);
    assertEquals(1, m.get(MetricNames.RLHF_GOLD_FIT_R2), 1e-12);
    assertEquals(Math.exp(2 * (0.6 / 0.4 - 1)), m.get(MetricNames.RLHF_GOLD_FIT_PEAK_KL), 1e-9);
    assertTrue(OveroptimisationFit.rlhfMetrics(trace.subList(0, 2)).isEmpty());
  }
}
