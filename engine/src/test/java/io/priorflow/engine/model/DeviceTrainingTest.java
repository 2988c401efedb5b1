package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps on a device (TornadoVM's training graph, weights kept on the device) against the same steps
 * with the reference kernels: same losses, gradient norms and weights after several steps, within float tolerance.
 * Covers a batch larger than one chunk (gradients accumulated over device runs before the update), the summed step
 * with signed weights, clipping on and off, every activation, two hidden layers, and a session that leaves the device
 * half-way (a soft-target step) and goes on with single kernels. Skipped, not failed, where no TornadoVM device is
 * found.
 */
@Tag("gpu")
class DeviceTrainingTest {
  private static KernelBackend reference;
  private static KernelBackend tornado;

  @BeforeAll
  static void open() {
    assumeTrue(Backends.tornadoAvailable(), "no TornadoVM device here (TORNADOVM_HOME unset or JVM without its flags)");
    // TornadoVM's default is to run a graph that fails to compile as plain Java, which would make these
    // comparisons pass without the device; the JVM must be started with the fallback off (bin/tornado-env, pom.xml)
    assertEquals("False", System.getProperty("tornado.recover.bailout"),
        "start the JVM with -Dtornado.recover.bailout=False, or a kernel that never ran on the device passes");
    reference = new ReferenceBackend();
    tornado = Backends.create(Backends.TORNADO, 1);
  }

  @AfterAll
  static void close() {
    if (tornado != null) tornado.close();
    if (reference != null) reference.close();
  }

  private static List<int[]> sequences(SplittableRandom r, int n, int vocab, int maxLen) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(maxLen - 2)];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(vocab - 1);
      seqs.add(s);
    }
    return seqs;
  }

  private static SequenceBatch signed(SplittableRandom r, List<int[]> seqs) {
    List<float[]> w = new ArrayList<>();
    for (int[] s : seqs) {
      float[] row = new float[s.length];
      for (int t = 1; t < s.length; t++) row[t] = r.nextInt(4) == 0 ? 0f : (float) (r.nextDouble() * 2 - 1);
      w.add(row);
    }
    return new SequenceBatch(seqs, w);
  }

  /** Runs the same steps on both backends and compares losses, norms and the weights after every step. */
  private static void compare(TokenModelConfig cfg, OptimizerConfig opt, long seed, int seqsPerStep, int steps,
                              boolean sum) {
    SplittableRandom r = new SplittableRandom(seed);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    try (ModelTraining ref = new ModelTraining(start, opt, reference);
         ModelTraining dev = new ModelTraining(start, opt, tornado)) {
      for (int k = 0; k < steps; k++) {
        List<int[]> seqs = sequences(r, seqsPerStep, cfg.vocab(), 12);
        SequenceBatch batch = sum ? signed(r, seqs) : SequenceBatch.allTokens(seqs);
        float lr = 0.01f;
        double lRef = sum ? ref.stepSum(batch, lr) : ref.step(batch, lr);
        double lDev = sum ? dev.stepSum(batch, lr) : dev.step(batch, lr);
        assertTrue(dev.onDeviceNow(), "the session trains on the device");
        assertEquals(lRef, lDev, 1e-4 * Math.max(1, Math.abs(lRef)), "loss of step " + k);
        assertEquals(ref.lastGradNorm(), dev.lastGradNorm(), 1e-4 * Math.max(1, ref.lastGradNorm()),
            "gradient norm of step " + k);
        assertWeightsClose(ref.toModel(), dev.toModel(), "after step " + (k + 1));
      }
      assertEquals(ref.steps(), dev.steps());
      // training moved the weights by far more than the tolerance, so agreeing is not vacuous
      assertTrue(maxMove(start, dev.toModel()) > 0.01, "weights moved " + maxMove(start, dev.toModel()));
    }
  }

  static void assertWeightsClose(TokenModel want, TokenModel got, String when) {
    float[][] a = want.weightsUnsafe();
    float[][] b = got.weightsUnsafe();
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[t].length; i++) {
        double d = Math.abs(a[t][i] - b[t][i]);
        if (!(d <= 2e-4 + 1e-3 * Math.abs(a[t][i]))) {
          fail("tensor " + t + "[" + i + "] " + when + ": reference " + a[t][i] + ", device " + b[t][i]);
        }
      }
    }
  }

  /** The largest change of any weight between two models. */
  static double maxMove(TokenModel from, TokenModel to) {
    float[][] a = from.weightsUnsafe();
    float[][] b = to.weightsUnsafe();
    double move = 0;
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[t].length; i++) move = Math.max(move, Math.abs(a[t][i] - b[t][i]));
    }
    return move;
  }

  @Test
  void meanStepsMatchTheReferenceWithGelu() {
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 23, 5, 6, List.of(40),
        TokenModelConfig.Activation.GELU, 0);
    compare(cfg, OptimizerConfig.defaults(), 1, 12, 4, false);
  }

  @Test
  void aBatchLargerThanOneChunkAccumulatesOnTheDevice() {
    // 300 sequences of 3–12 tokens: about 2,000 positions, two device runs before the update
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 17, 4, 5, List.of(24),
        TokenModelConfig.Activation.RELU, 0);
    compare(cfg, new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0.01f, 0.5f), 2, 300, 2, false);
  }

  @Test
  void summedSignedStepsMatchWithTwoTanhLayersAndNoClipping() {
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 19, 4, 6, List.of(20, 12),
        TokenModelConfig.Activation.TANH, 0);
    compare(cfg, new OptimizerConfig(0.8f, 0.95f, 1e-6f, 0.05f, 0f), 3, 10, 4, true);
  }

  @Test
  void aClosedSessionsGraphServesTheNextSessionWithItsOwnWeights() {
    // the backend reuses the compiled graph of a closed session of the same shape; the next session must start from
    // its own model, with zero moments, not from where the last one stopped
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 11, 3, 4, List.of(12),
        TokenModelConfig.Activation.GELU, 0);
    compare(cfg, OptimizerConfig.defaults(), 5, 6, 3, false);
    compare(cfg, OptimizerConfig.defaults(), 6, 6, 3, false);
    compare(cfg, OptimizerConfig.defaults(), 7, 6, 2, true);
  }

  @Test
  void aSessionThatLeavesTheDeviceGoesOnFromTheDeviceWeights() {
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 13, 3, 4, List.of(16),
        TokenModelConfig.Activation.GELU, 0);
    SplittableRandom r = new SplittableRandom(4);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    TokenModel teacher = TokenModel.initialize(cfg, r.split());
    try (ModelTraining ref = new ModelTraining(start, OptimizerConfig.defaults(), reference);
         ModelTraining dev = new ModelTraining(start, OptimizerConfig.defaults(), tornado)) {
      for (int k = 0; k < 3; k++) {
        SequenceBatch batch = SequenceBatch.allTokens(sequences(r, 8, cfg.vocab(), 10));
        ref.step(batch, 0.02f);
        dev.step(batch, 0.02f);
      }
      assertTrue(dev.onDeviceNow());
      List<int[]> seqs = sequences(r, 5, cfg.vocab(), 10);
      int[] from = {1, 1, 2, 0, 1};
      List<float[]> soft = List.of(teacher.nextTokenLogProbs(reference, seqs, from));
      double kRef = ref.stepSoft(seqs, from, soft, 1.5f, 0.02f);
      double kDev = dev.stepSoft(seqs, from, soft, 1.5f, 0.02f);
      assertFalse(dev.onDeviceNow(), "a soft-target step runs on the host");
      assertEquals(kRef, kDev, 1e-4);
      SequenceBatch batch = SequenceBatch.allTokens(sequences(r, 8, cfg.vocab(), 10));
      assertEquals(ref.step(batch, 0.02f), dev.step(batch, 0.02f), 1e-4);
      assertWeightsClose(ref.toModel(), dev.toModel(), "after the session left the device");
      assertEquals(5, dev.steps());
    }
  }
}
