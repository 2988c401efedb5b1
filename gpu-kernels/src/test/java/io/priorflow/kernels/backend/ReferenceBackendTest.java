package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static io.priorflow.kernels.KernelAsserts.randomTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.kernels.ActivationKernels;
import io.priorflow.kernels.AttentionKernels;
import io.priorflow.kernels.DenseKernels;
import io.priorflow.kernels.EmbeddingKernels;
import io.priorflow.kernels.GemmKernels;
import io.priorflow.kernels.LoraKernels;
import io.priorflow.kernels.LossKernels;
import io.priorflow.kernels.NormKernels;
import io.priorflow.kernels.OptimizerKernels;
import io.priorflow.kernels.ReductionKernels;
import org.junit.jupiter.api.Test;

/** Each backend method is the static kernel of the same name, with the arguments in the same order. */
class ReferenceBackendTest {
  private static final int M = 7, K = 13, N = 5, RANK = 3;
  private final KernelBackend be = new ReferenceBackend();

  private static float[] r(long seed, int n) {
    return randomArray(seed, n, 1f);
  }

  @Test
  void describesItselfAsSingleThreadedCpuReference() {
    assertEquals("reference", be.name());
    assertEquals("cpu", be.device());
    assertEquals(1, be.threads());
    be.close();
  }

  @Test
  void productsAndDenseLayerDelegateToTheKernels() {
    float[] a = r(1, M * K), b = r(2, K * N), c0 = r(3, M * N);
    float[] want = c0.clone(), got = c0.clone();
    GemmKernels.matmul(a, b, want, M, K, N, true);
    be.matmul(a, b, got, M, K, N, true);
    assertBitIdentical("matmul", want, got, M * N);
    GemmKernels.matmulTransB(a, r(4, N * K), want, M, K, N, false);
    be.matmulTransB(a, r(4, N * K), got, M, K, N, false);
    assertBitIdentical("matmulTransB", want, got, M * N);
    GemmKernels.matmulTransA(r(5, K * M), b, want, M, K, N, true);
    be.matmulTransA(r(5, K * M), b, got, M, K, N, true);
    assertBitIdentical("matmulTransA", want, got, M * N);

    float[] x = r(6, M * K), w = r(7, N * K), bias = r(8, N), dy = r(9, M * N);
    DenseKernels.denseForward(x, w, bias, want, M, K, N);
    be.denseForward(x, w, bias, got, M, K, N);
    assertBitIdentical("denseForward", want, got, M * N);
    float[] dxWant = r(10, M * K), dxGot = dxWant.clone();
    DenseKernels.denseBackwardInput(dy, w, dxWant, M, K, N);
    be.denseBackwardInput(dy, w, dxGot, M, K, N);
    assertBitIdentical("denseBackwardInput", dxWant, dxGot, M * K);
    float[] dWWant = r(11, N * K), dWGot = dWWant.clone();
    DenseKernels.denseBackwardWeights(dy, x, dWWant, M, K, N);
    be.denseBackwardWeights(dy, x, dWGot, M, K, N);
    assertBitIdentical("denseBackwardWeights", dWWant, dWGot, N * K);
    float[] dbWant = r(12, N), dbGot = dbWant.clone();
    DenseKernels.denseBackwardBias(dy, dbWant, M, N);
    be.denseBackwardBias(dy, dbGot, M, N);
    assertBitIdentical("denseBackwardBias", dbWant, dbGot, N);
  }

  @Test
  void activationsAndEmbeddingsDelegateToTheKernels() {
    int n = 33;
    float[] x = randomArray(20, n, 3f), dy = r(21, n), dx0 = r(22, n);
    float[] want = new float[n], got = new float[n];
    ActivationKernels.geluForward(x, want, n);
    be.geluForward(x, got, n);
    assertBitIdentical("geluForward", want, got, n);
    ActivationKernels.reluForward(x, want, n);
    be.reluForward(x, got, n);
    assertBitIdentical("reluForward", want, got, n);
    ActivationKernels.tanhForward(x, want, n);
    be.tanhForward(x, got, n);
    assertBitIdentical("tanhForward", want, got, n);
    want = dx0.clone();
    got = dx0.clone();
    ActivationKernels.geluBackward(x, dy, want, n);
    be.geluBackward(x, dy, got, n);
    ActivationKernels.reluBackward(x, dy, want, n);
    be.reluBackward(x, dy, got, n);
    ActivationKernels.tanhBackward(x, dy, want, n);
    be.tanhBackward(x, dy, got, n);
    assertBitIdentical("activation backward", want, got, n);

    int vocab = 7, dim = 13, tokensN = 33;
    int[] tokens = randomTokens(23, tokensN, vocab);
    float[] table = r(24, vocab * dim), outWant = new float[tokensN * dim], outGot = new float[tokensN * dim];
    EmbeddingKernels.embeddingForward(tokens, table, outWant, tokensN, dim);
    be.embeddingForward(tokens, table, outGot, tokensN, dim);
    assertBitIdentical("embeddingForward", outWant, outGot, tokensN * dim);
    float[] dOut = r(25, tokensN * dim), dtWant = r(26, vocab * dim), dtGot = dtWant.clone();
    EmbeddingKernels.embeddingBackward(tokens, dOut, dtWant, tokensN, dim);
    be.embeddingBackward(tokens, dOut, dtGot, tokensN, dim);
    assertBitIdentical("embeddingBackward", dtWant, dtGot, vocab * dim);
  }

  @Test
  void lossesDelegateToTheKernels() {
    float[] logits = randomArray(30, M * K, 3f), mask = r(31, M), p = new float[M * K];
    int[] targets = randomTokens(32, M, K);
    LossKernels.softmaxForward(r(33, M * K), p, M, K);
    float[] want = new float[M * K], got = new float[M * K];
    LossKernels.softmaxForward(logits, want, M, K);
    be.softmaxForward(logits, got, M, K);
    assertBitIdentical("softmaxForward", want, got, M * K);
    LossKernels.logSoftmaxForward(logits, want, M, K);
    be.logSoftmaxForward(logits, got, M, K);
    assertBitIdentical("logSoftmaxForward", want, got, M * K);
    LossKernels.crossEntropyBackward(logits, targets, mask, want, M, K, 0.5f);
    be.crossEntropyBackward(logits, targets, mask, got, M, K, 0.5f);
    assertBitIdentical("crossEntropyBackward", want, got, M * K);
    LossKernels.softCrossEntropyBackward(logits, p, mask, want, M, K, 0.5f);
    be.softCrossEntropyBackward(logits, p, mask, got, M, K, 0.5f);
    assertBitIdentical("softCrossEntropyBackward", want, got, M * K);
    float[] lossWant = new float[M], lossGot = new float[M];
    LossKernels.crossEntropyForward(logits, targets, mask, lossWant, M, K);
    be.crossEntropyForward(logits, targets, mask, lossGot, M, K);
    assertBitIdentical("crossEntropyForward", lossWant, lossGot, M);
    LossKernels.softCrossEntropyForward(logits, p, mask, lossWant, M, K);
    be.softCrossEntropyForward(logits, p, mask, lossGot, M, K);
    assertBitIdentical("softCrossEntropyForward", lossWant, lossGot, M);
    ReductionKernels.rowLogSumExp(logits, lossWant, M, K);
    be.rowLogSumExp(logits, lossGot, M, K);
    assertBitIdentical("rowLogSumExp", lossWant, lossGot, M);
  }

  @Test
  void optimizerLoraAndReductionsDelegateToTheKernels() {
    int n = 33;
    float[] g = r(40, n);
    float[] pW = r(41, n), mW = r(42, n), vW = r(43, n);
    for (int i = 0; i < n; i++) {
      vW[i] = Math.abs(vW[i]);
    }
    float[] pG = pW.clone(), mG = mW.clone(), vG = vW.clone();
    OptimizerKernels.adamw(pW, g, mW, vW, n, 1e-2f, 0.9f, 0.99f, 1e-8f, 0.1f, 3);
    be.adamw(pG, g, mG, vG, n, 1e-2f, 0.9f, 0.99f, 1e-8f, 0.1f, 3);
    assertBitIdentical("adamw params", pW, pG, n);
    assertBitIdentical("adamw m", mW, mG, n);
    assertBitIdentical("adamw v", vW, vG, n);
    OptimizerKernels.scale(pW, n, 0.3f);
    be.scale(pG, n, 0.3f);
    assertBitIdentical("scale", pW, pG, n);

    float[] x = r(44, M * K), a = r(45, RANK * K), b = r(46, N * RANK), dy = r(47, M * N);
    float[] hW = new float[M * RANK], hG = new float[M * RANK], yW = r(48, M * N), yG = yW.clone();
    LoraKernels.loraForward(x, a, b, hW, yW, M, K, RANK, N, 0.5f);
    be.loraForward(x, a, b, hG, yG, M, K, RANK, N, 0.5f);
    assertBitIdentical("lora h", hW, hG, M * RANK);
    assertBitIdentical("lora y", yW, yG, M * N);
    float[] dhW = new float[M * RANK], dhG = new float[M * RANK];
    float[] dxW = r(49, M * K), dxG = dxW.clone(), dAW = r(50, RANK * K), dAG = dAW.clone();
    float[] dBW = r(51, N * RANK), dBG = dBW.clone();
    LoraKernels.loraBackward(x, hW, dy, a, b, dhW, dxW, dAW, dBW, M, K, RANK, N, 0.5f);
    be.loraBackward(x, hG, dy, a, b, dhG, dxG, dAG, dBG, M, K, RANK, N, 0.5f);
    assertBitIdentical("lora dh", dhW, dhG, M * RANK);
    assertBitIdentical("lora dx", dxW, dxG, M * K);
    assertBitIdentical("lora dA", dAW, dAG, RANK * K);
    assertBitIdentical("lora dB", dBW, dBG, N * RANK);

    assertEquals(ReductionKernels.sum(g, n), be.sum(g, n));
    assertEquals(ReductionKernels.sumSquares(g, n), be.sumSquares(g, n));
    assertEquals(ReductionKernels.max(g, n), be.max(g, n));
    assertEquals(ReductionKernels.logSumExp(g, n), be.logSumExp(g, n));
  }

  @Test
  void transformerKernelsDelegateToTheKernels() {
    float[] x = randomArray(60, M * K, 3f), gamma = r(61, K), beta = r(62, K), dy = r(63, M * K);
    float[] yW = new float[M * K], yG = new float[M * K], meanW = new float[M], meanG = new float[M];
    float[] rstdW = new float[M], rstdG = new float[M];
    NormKernels.layerNormForward(x, gamma, beta, yW, meanW, rstdW, M, K);
    be.layerNormForward(x, gamma, beta, yG, meanG, rstdG, M, K);
    assertBitIdentical("layerNormForward y", yW, yG, M * K);
    assertBitIdentical("layerNormForward mean", meanW, meanG, M);
    assertBitIdentical("layerNormForward rstd", rstdW, rstdG, M);
    float[] dxW = r(64, M * K), dxG = dxW.clone(), dgW = r(65, K), dgG = dgW.clone(), dbW = r(66, K), dbG = dbW.clone();
    NormKernels.layerNormBackward(x, dy, gamma, meanW, rstdW, dxW, dgW, dbW, M, K);
    be.layerNormBackward(x, dy, gamma, meanW, rstdW, dxG, dgG, dbG, M, K);
    assertBitIdentical("layerNormBackward dx", dxW, dxG, M * K);
    assertBitIdentical("layerNormBackward dGamma", dgW, dgG, K);
    assertBitIdentical("layerNormBackward dBeta", dbW, dbG, K);
    float[] sumW = x.clone(), sumG = x.clone();
    NormKernels.add(dy, sumW, M * K);
    be.add(dy, sumG, M * K);
    assertBitIdentical("add", sumW, sumG, M * K);

    int batch = 2, t = 5, dim = 6, heads = 2, tMax = 7;
    float[] qkv = randomArray(67, batch * t * 3 * dim, 2f), dout = r(68, batch * t * dim);
    float[] attW = new float[batch * heads * t * t], attG = new float[attW.length];
    float[] outW = new float[batch * t * dim], outG = new float[outW.length];
    AttentionKernels.attentionForward(qkv, attW, outW, batch, t, dim, heads);
    be.attentionForward(qkv, attG, outG, batch, t, dim, heads);
    assertBitIdentical("attentionForward att", attW, attG, attW.length);
    assertBitIdentical("attentionForward out", outW, outG, outW.length);
    float[] dattW = new float[attW.length], dattG = new float[attW.length];
    float[] dqkvW = r(69, qkv.length), dqkvG = dqkvW.clone();
    AttentionKernels.attentionBackward(qkv, attW, dout, dattW, dqkvW, batch, t, dim, heads);
    be.attentionBackward(qkv, attW, dout, dattG, dqkvG, batch, t, dim, heads);
    assertBitIdentical("attentionBackward datt", dattW, dattG, dattW.length);
    assertBitIdentical("attentionBackward dqkv", dqkvW, dqkvG, dqkvW.length);
    float[] q = r(70, batch * dim), kc = r(71, batch * tMax * dim), vc = r(72, batch * tMax * dim);
    int[] len = {3, 7};
    float[] sW = new float[batch * heads * tMax], sG = new float[sW.length];
    float[] oW = new float[batch * dim], oG = new float[batch * dim];
    AttentionKernels.attentionDecode(q, kc, vc, len, sW, oW, batch, tMax, dim, heads);
    be.attentionDecode(q, kc, vc, len, sG, oG, batch, tMax, dim, heads);
    assertBitIdentical("attentionDecode scores", sW, sG, sW.length);
    assertBitIdentical("attentionDecode out", oW, oG, oW.length);
  }
}
