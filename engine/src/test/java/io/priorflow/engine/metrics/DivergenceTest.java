package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DivergenceTest {

  private final KernelBackend be = new ReferenceBackend();

  private static float[] log(double... p) {
    float[] l = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      l[i] = (float) Math.log(p[i]);
    }
    return l;
  }

  @Test
  void klOfTwoKnownDistributions() {
    // KL((½, ½) ‖ (¼, ¾)) = ½ ln 2 + ½ ln(2/3)
    assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), Divergence.kl(log(0.5, 0.5), log(0.25, 0.75)), 1e-7);
    // a token p never gives contributes nothing, even where q is 0
    float[] p = {0f, Float.NEGATIVE_INFINITY};
    float[] q = {(float) Math.log(0.5), (float) Math.log(0.5)};
    assertEquals(Math.log(2), Divergence.kl(p, q), 1e-7);
    assertEquals(Double.POSITIVE_INFINITY, Divergence.kl(q, p));
  }

  @Test
  void klOfADistributionToItselfIsExactlyZero() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 20; trial++) {
      float[] l = new float[50];
      for (int i = 0; i < l.length; i++) {
        l[i] = (float) (rng.nextGaussian() * 3 - 4); // not normalised on purpose
      }
      assertEquals(0.0, Divergence.kl(l, l.clone()), 0.0);
    }
  }

  @Test
  void klOfAModelToItselfAlongAnySequenceIsExactlyZero() {
    TokenModel m = HandModels.random(9, 4);
    TokenModel twin = HandModels.random(9, 4);
    SampledResponses s = new SampledResponses(List.of(new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {8, 1, 2}),
        new int[] {2, 1});
    for (double kl : Divergence.perSample(m, twin, be, s)) {
      assertEquals(0.0, kl, 0.0);
    }
  }

  @Test
  void uniformAgainstAConstantModelSumsTheHandComputedKlOverGeneratedPositions() {
    float[] logits = {2f, 0f, -1f, 0.5f, 0f};
    TokenModel q = HandModels.constant(logits);
    TokenModel u = HandModels.uniform(5);
    // by hand: q_v = e^{l_v} / Σ e^l;  KL(u ‖ q) = Σ_v (1/5)(ln(1/5) − ln q_v)
    double z = 0;
    for (float l : logits) {
      z += Math.exp(l);
    }
    double perPosition = 0;
    for (float l : logits) {
      perPosition += 0.2 * (Math.log(0.2) - (l - Math.log(z)));
    }
    SampledResponses s = new SampledResponses(List.of(new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4, 0, 0, 1}),
        new int[] {3, 2});
    double[] kl = Divergence.perSample(u, q, be, s);
    assertEquals(1 * perPosition, kl[0], 1e-6);
    assertEquals(5 * perPosition, kl[1], 1e-6);
    // and the other direction, KL(q ‖ u) = Σ q_v ln(5 q_v)
    double reverse = 0;
    for (float l : logits) {
      double qv = Math.exp(l) / z;
      reverse += qv * Math.log(5 * qv);
    }
    assertEquals(5 * reverse, Divergence.perSample(q, u, be, s)[1], 1e-6);
  }

  @Test
  void rejectsDifferentVocabularies() {
    SampledResponses s = new SampledResponses(List.of(new int[] {1, 2}), new int[] {1});
    assertThrows(IllegalArgumentException.class,
        () -> Divergence.perSample(HandModels.uniform(5), HandModels.uniform(6), be, s));
    assertThrows(IllegalArgumentException.class, () -> Divergence.kl(new float[2], new float[3]));
  }
}
