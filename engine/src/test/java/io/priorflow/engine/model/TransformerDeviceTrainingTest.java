package io.priorflow.engine.model;

import static io.priorflow.engine.model.DeviceTrainingTest.maxMove;
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
 * The transformer's whole training step on a device (TornadoVM's {@code train_transformer} graph, weights kept on the
 * device) against the same steps with the reference kernels: same losses, gradient norms and weights after several
 * steps, within float tolerance. Covers sequences longer than the context (sliding-window segments), a batch larger
 * than one chunk (gradients accumulated over device runs before the update), the summed step with signed weights and
 * no clipping, one, two and five blocks (the most one graph holds), a closed session's graph serving the next
 * session, a session that leaves the device half-way, and a model too large for one graph (six blocks: single device
 * kernels instead). The key biases are compared only within a bound (see {@link #assertWeightsClose}). Skipped, not failed, where no TornadoVM device is found; a graph TornadoVM cannot compile fails
 * (the JVM runs with {@code -Dtornado.recover.bailout=False}, checked here).
 */
@Tag("gpu")
class TransformerDeviceTrainingTest {
  private static KernelBackend reference;
  private static KernelBackend tornado;

  @BeforeAll
  static void open() {
    assumeTrue(Backends.tornadoAvailable(), "no TornadoVM device here (TORNADOVM_HOME unset or JVM without its flags)");
    assertEquals("False", System.getProperty("tornado.recover.bailout"),
        "start the JVM with -Dtornado.recover.bailout=False, or a graph that never ran on the device passes");
    reference = new ReferenceBackend();
    tornado = Backends.create(Backends.TORNADO, 1);
  }

  @AfterAll
  static void close() {
    if (tornado != null) tornado.close();
    if (reference != null) reference.close();
  }

  /** V 23, C 8, width 12, 3 heads, MLP 20, {@code layers} blocks. */
  private static TokenModelConfig small(int layers) {
    return TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 23, 8, 12, layers, 3, 20, 0);
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
  private static void compare(TokenModelConfig cfg, OptimizerConfig opt, long seed, int seqsPerStep, int maxLen,
                              int steps, boolean sum) {
    SplittableRandom r = new SplittableRandom(seed);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    try (ModelTraining ref = new ModelTraining(start, opt, reference);
         ModelTraining dev = new ModelTraining(start, opt, tornado)) {
      for (int k = 0; k < steps; k++) {
        List<int[]> seqs = sequences(r, seqsPerStep, cfg.vocab(), maxLen);
        SequenceBatch batch = sum ? signed(r, seqs) : SequenceBatch.allTokens(seqs);
        float lr = 0.01f;
        double lRef = sum ? ref.stepSum(batch, lr) : ref.step(batch, lr);
        double lDev = sum ? dev.stepSum(batch, lr) : dev.step(batch, lr);
        assertTrue(dev.onDeviceNow(), "the session trains on the device");
        assertEquals(lRef, lDev, 1e-4 * Math.max(1, Math.abs(lRef)), "loss of step " + k);
        assertEquals(ref.lastGradNorm(), dev.lastGradNorm(), 1e-4 * Math.max(1, ref.lastGradNorm()),
            "gradient norm of step " + k);
        assertWeightsClose(ref.toModel(), dev.toModel(), "after step " + (k + 1), lr * (k + 1));
      }
      assertEquals(ref.steps(), dev.steps());
      // training moved the weights by far more than the tolerance, so agreeing is not vacuous
      assertTrue(maxMove(start, dev.toModel()) > 0.01, "weights moved " + maxMove(start, dev.toModel()));
    }
  }

  /**
   * {@link DeviceTrainingTest#assertWeightsClose}, except for the key biases. Their gradient is zero up to rounding
   * (the softmax does not change when one constant is added to every score of a row), so each backend's AdamW turns
   * its own rounding noise into steps of up to about lr, and the two drift apart without any effect on the outputs
   * (the losses compared above). For them only a bound: they differ by at most 4·Σ lr ({@code lrSum}).
   */
  private static void assertWeightsClose(TokenModel want, TokenModel got, String when, float lrSum) {
    TokenModelConfig cfg = want.config();
    int d = cfg.embedDim();
    float[][] a = want.weightsUnsafe();
    float[][] b = got.weightsUnsafe();
    for (int t = 0; t < a.length; t++) {
      boolean qkvBias = t >= 2 && t < 2 + 12 * cfg.layers() && (t - 2) % 12 == 3;
      for (int i = 0; i < a[t].length; i++) {
        double diff = Math.abs(a[t][i] - b[t][i]);
        boolean key = qkvBias && i >= d && i < 2 * d;
        double tol = key ? 4 * lrSum : 2e-4 + 1e-3 * Math.abs(a[t][i]);
        if (!(diff <= tol)) {
          fail("tensor " + t + "[" + i + "] " + when + ": reference " + a[t][i] + ", device " + b[t][i]);
        }
      }
    }
  }

  @Test
  void meanStepsMatchTheReferenceWithTwoBlocksAndSlidingWindows() {
    // sequences up to 14 tokens against a context of 8: rows beyond the context get sliding-window segments
    compare(small(2), OptimizerConfig.defaults(), 11, 10, 14, 4, false);
  }

  @Test
  void fiveBlocksStillFitOneGraph() {
    compare(small(5), OptimizerConfig.defaults(), 17, 4, 10, 2, false);
  }

  @Test
  void aTransformerTooLargeForOneGraphTrainsWithSingleDeviceKernels() {
    // beyond TornadoTransformerTrainer.MAX_BLOCKS the graph would overflow TornadoVM's fixed limits: the backend
    // offers no training graph (and says so on stderr), and the steps run kernel by kernel, still matching
    TokenModelConfig cfg = small(6);
    SplittableRandom r = new SplittableRandom(18);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    try (ModelTraining ref = new ModelTraining(start, OptimizerConfig.defaults(), reference);
         ModelTraining dev = new ModelTraining(start, OptimizerConfig.defaults(), tornado)) {
      SequenceBatch batch = SequenceBatch.allTokens(sequences(r, 4, cfg.vocab(), 10));
      double lRef = ref.step(batch, 0.01f);
      double lDev = dev.step(batch, 0.01f);
      assertFalse(dev.onDeviceNow(), "no training graph for 6 blocks");
      assertEquals(lRef, lDev, 1e-4 * Math.max(1, Math.abs(lRef)));
      assertWeightsClose(ref.toModel(), dev.toModel(), "after one step", 0.01f);
    }
  }

  @Test
  void aBatchLargerThanOneChunkAccumulatesOnTheDevice() {
    // 200 sequences of 3–12 tokens: about 1,300 positions, more than one chunk's 1,024 rows, so two device runs
    // before the update
    compare(small(1), new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0.01f, 0.5f), 12, 200, 12, 2, false);
  }

  @Test
  void summedSignedStepsMatchWithoutClipping() {
    compare(small(1), new OptimizerConfig(0.8f, 0.95f, 1e-6f, 0.05f, 0f), 13, 8, 10, 4, true);
  }

  @Test
  void aClosedSessionsGraphServesTheNextSessionWithItsOwnWeights() {
    compare(small(1), OptimizerConfig.defaults(), 14, 6, 8, 2, false);
    compare(small(1), OptimizerConfig.defaults(), 15, 6, 8, 2, false);
  }

  @Test
  void aSessionThatLeavesTheDeviceGoesOnFromTheDeviceWeights() {
    TokenModelConfig cfg = small(1);
    SplittableRandom r = new SplittableRandom(16);
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
      assertWeightsClose(ref.toModel(), dev.toModel(), "after the session left the device", 0.02f * 5);
      assertEquals(5, dev.steps());
    }
  }
}
