package io.priorflow.kernels.backend;

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

/**
 * The reference kernels of {@code io.priorflow.kernels} behind the {@link KernelBackend} seam: every method is one
 * direct, single-threaded call of the static kernel of the same name. It is the yardstick the other backends are
 * compared with and a backend of last resort; it is deliberately not fast and holds no threads or devices.
 * Stateless, so safe for concurrent calls on distinct buffers.
 */
public final class ReferenceBackend implements KernelBackend {

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public int threads() {
    return 1;
  }

  @Override
  public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    GemmKernels.matmul(a, b, c, m, k, n, accumulate);
  }

  @Override
  public void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    GemmKernels.matmulTransB(a, b, c, m, k, n, accumulate);
  }

  @Override
  public void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    GemmKernels.matmulTransA(a, b, c, m, k, n, accumulate);
  }

  @Override
  public void denseForward(float[] x, float[] w, float[] b, float[] y, int batch, int nIn, int nOut) {
    DenseKernels.denseForward(x, w, b, y, batch, nIn, nOut);
  }

  @Override
  public void denseBackwardInput(float[] dy, float[] w, float[] dx, int batch, int nIn, int nOut) {
    DenseKernels.denseBackwardInput(dy, w, dx, batch, nIn, nOut);
  }

  @Override
  public void denseBackwardWeights(float[] dy, float[] x, float[] dW, int batch, int nIn, int nOut) {
    DenseKernels.denseBackwardWeights(dy, x, dW, batch, nIn, nOut);
  }

  @Override
  public void denseBackwardBias(float[] dy, float[] db, int batch, int nOut) {
    DenseKernels.denseBackwardBias(dy, db, batch, nOut);
  }

  @Override
  public void geluForward(float[] x, float[] y, int n) {
    ActivationKernels.geluForward(x, y, n);
  }

  @Override
  public void geluBackward(float[] x, float[] dy, float[] dx, int n) {
    ActivationKernels.geluBackward(x, dy, dx, n);
  }

  @Override
  public void reluForward(float[] x, float[] y, int n) {
    ActivationKernels.reluForward(x, y, n);
  }

  @Override
  public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
    ActivationKernels.reluBackward(x, dy, dx, n);
  }

  @Override
  public void tanhForward(float[] x, float[] y, int n) {
    ActivationKernels.tanhForward(x, y, n);
  }

  @Override
  public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    ActivationKernels.tanhBackward(y, dy, dx, n);
  }

  @Override
  public void embeddingForward(int[] tokens, float[] table, float[] out, int n, int dim) {
    EmbeddingKernels.embeddingForward(tokens, table, out, n, dim);
  }

  @Override
  public void embeddingBackward(int[] tokens, float[] dOut, float[] dTable, int n, int dim) {
    EmbeddingKernels.embeddingBackward(tokens, dOut, dTable, n, dim);
  }

  @Override
  public void softmaxForward(float[] logits, float[] probs, int rows, int n) {
    LossKernels.softmaxForward(logits, probs, rows, n);
  }

  @Override
  public void logSoftmaxForward(float[] logits, float[] out, int rows, int n) {
    LossKernels.logSoftmaxForward(logits, out, rows, n);
  }

  @Override
  public void crossEntropyForward(float[] logits, int[] targets, float[] mask, float[] losses, int rows, int n) {
    LossKernels.crossEntropyForward(logits, targets, mask, losses, rows, n);
  }

  @Override
  public void crossEntropyBackward(float[] logits, int[] targets, float[] mask, float[] dlogits, int rows, int n,
                                   float scale) {
    LossKernels.crossEntropyBackward(logits, targets, mask, dlogits, rows, n, scale);
  }

  @Override
  public void softCrossEntropyForward(float[] logits, float[] targetProbs, float[] mask, float[] losses, int rows,
                                      int n) {
    LossKernels.softCrossEntropyForward(logits, targetProbs, mask, losses, rows, n);
  }

  @Override
  public void softCrossEntropyBackward(float[] logits, float[] targetProbs, float[] mask, float[] dlogits, int rows,
                                       int n, float scale) {
    LossKernels.softCrossEntropyBackward(logits, targetProbs, mask, dlogits, rows, n, scale);
  }

  @Override
  public void adamw(float[] params, float[] grads, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                    float eps, float weightDecay, int t) {
    OptimizerKernels.adamw(params, grads, m, v, n, lr, beta1, beta2, eps, weightDecay, t);
  }

  @Override
  public void scale(float[] x, int n, float factor) {
    OptimizerKernels.scale(x, n, factor);
  }

  @Override
  public void loraForward(float[] x, float[] a, float[] b, float[] h, float[] y, int batch, int nIn, int rank,
                          int nOut, float scale) {
    LoraKernels.loraForward(x, a, b, h, y, batch, nIn, rank, nOut, scale);
  }

  @Override
  public void loraBackward(float[] x, float[] h, float[] dy, float[] a, float[] b, float[] dh, float[] dx,
                           float[] dA, float[] dB, int batch, int nIn, int rank, int nOut, float scale) {
    LoraKernels.loraBackward(x, h, dy, a, b, dh, dx, dA, dB, batch, nIn, rank, nOut, scale);
  }

  @Override
  public double sum(float[] x, int n) {
    return ReductionKernels.sum(x, n);
  }

  @Override
  public double sumSquares(float[] x, int n) {
    return ReductionKernels.sumSquares(x, n);
  }

  @Override
  public float max(float[] x, int n) {
    return ReductionKernels.max(x, n);
  }

  @Override
  public float logSumExp(float[] x, int n) {
    return ReductionKernels.logSumExp(x, n);
  }

  @Override
  public void rowLogSumExp(float[] x, float[] out, int rows, int n) {
    ReductionKernels.rowLogSumExp(x, out, rows, n);
  }

  @Override
  public void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                               int rows, int n) {
    NormKernels.layerNormForward(x, gamma, beta, y, mean, rstd, rows, n);
  }

  @Override
  public void layerNormBackward(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                float[] dGamma, float[] dBeta, int rows, int n) {
    NormKernels.layerNormBackward(x, dy, gamma, mean, rstd, dx, dGamma, dBeta, rows, n);
  }

  @Override
  public void attentionForward(float[] qkv, float[] att, float[] out, int batch, int t, int dim, int heads) {
    AttentionKernels.attentionForward(qkv, att, out, batch, t, dim, heads);
  }

  @Override
  public void attentionBackward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int batch, int t,
                                int dim, int heads) {
    AttentionKernels.attentionBackward(qkv, att, dout, datt, dqkv, batch, t, dim, heads);
  }

  @Override
  public void attentionDecode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out,
                              int batch, int tMax, int dim, int heads) {
    AttentionKernels.attentionDecode(q, kCache, vCache, len, scores, out, batch, tMax, dim, heads);
  }

  @Override
  public void add(float[] x, float[] y, int n) {
    NormKernels.add(x, y, n);
  }

  /** Nothing to release. */
  @Override
  public void close() {
  }
}
