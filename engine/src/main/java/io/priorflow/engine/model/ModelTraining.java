package io.priorflow.engine.model;

import io.priorflow.kernels.OptimizerKernels;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;
import java.util.List;

/**
 * A training session: the mutable weights, gradients and AdamW moments that turn one {@link TokenModel} into
 * another. {@link #toModel()} snapshots the current weights as a new immutable model; the starting model is never
 * touched. Not thread-safe.
 *
 * <p>Each step reads top to bottom: zero gradients; forward and loss over the batch's weighted positions (in
 * chunks of {@link TokenModel#CHUNK_ROWS} rows, gradients accumulating in a fixed order); backward; clip the global
 * norm; AdamW update. The same start model, batches, learning rates and backend give bit-identical weights.
 */
public final class ModelTraining {
  private final TokenModelConfig cfg;
  private final ParamLayout layout;
  private final KernelBackend be;
  private final OptimizerConfig opt;
  private final float[][] w, g, m, v; // ParamLayout order
  private final int[] sizes;
  private Network net;
  private int steps;
  private double lastGradNorm;

  public ModelTraining(TokenModel start, OptimizerConfig opt, KernelBackend be) {
    this.cfg = start.config();
    this.layout = start.layout();
    this.be = be;
    this.opt = opt;
    float[][] src = start.weightsUnsafe();
    w = new float[src.length][];
    for (int i = 0; i < src.length; i++) w[i] = src[i].clone();
    g = layout.zeros();
    m = layout.zeros();
    v = layout.zeros();
    sizes = new int[w.length];
    for (int i = 0; i < w.length; i++) sizes[i] = w[i].length;
  }

  /**
   * One optimizer step on a token-head model: loss = Σ weight·CE over weighted positions / their count.
   * Returns that loss, measured before the update.
   */
  public double step(SequenceBatch batch, float lr) {
    double loss = lossAndGradients(batch);
    update(lr);
    return loss;
  }

  /** Forward and backward only: fills the gradient buffers and returns the loss. Package-private for tests. */
  double lossAndGradients(SequenceBatch batch) {
    requireHead(TokenModelConfig.Head.TOKEN);
    int n = batch.weightedPositions();
    if (n == 0) throw new IllegalArgumentException("the batch has no position with a non-zero loss weight");
    if (net == null) net = new Network(cfg, be, TokenModel.CHUNK_ROWS);
    int vocab = cfg.vocab(), rowsMax = net.maxRows;
    int[] targets = new int[rowsMax];
    float[] mask = new float[rowsMax], losses = new float[rowsMax];
    float scale = 1f / n;
    // zero gradients
    for (float[] x : g) Arrays.fill(x, 0f);
    // forward, loss and backward, a chunk of rows at a time
    double loss = 0;
    int rows = 0;
    for (int i = 0; i < batch.size(); i++) {
      int[] s = batch.sequences().get(i);
      float[] wt = batch.weights().get(i);
      for (int t = 1; t < s.length; t++) {
        if (wt[t] == 0f) continue;
        net.setWindow(rows, s, t, false);
        targets[rows] = s[t];
        mask[rows] = wt[t];
        if (++rows == rowsMax) {
          loss += tokenChunk(rows, targets, mask, losses, vocab, scale);
          rows = 0;
        }
      }
    }
    if (rows > 0) loss += tokenChunk(rows, targets, mask, losses, vocab, scale);
    return loss / n;
  }

  private double tokenChunk(int rows, int[] targets, float[] mask, float[] losses, int vocab, float scale) {
    net.forwardBody(w, rows);
    net.forwardTokenHead(w, rows);
    be.crossEntropyForward(net.out, targets, mask, losses, rows, vocab);
    be.crossEntropyBackward(net.out, targets, mask, net.dout, rows, vocab, scale);
    int last = cfg.layers() - 1;
    net.backwardHead(w, g, net.act[last], net.dout, net.dact[last], rows);
    net.backwardBody(w, g, rows);
    double sum = 0;
    for (int r = 0; r < rows; r++) sum += losses[r];
    return sum;
  }

  /**
   * One optimizer step on a scalar-head model with a loss over the scores of {@code seqs} (scored from positions
   * {@code from}). Scores are computed once with the current weights, the loss gives dLoss/dScore, then each
   * chunk is run forward again and back. Returns the loss before the update.
   */
  public double stepScores(List<int[]> seqs, int[] from, ScoreLoss lossFn, float lr) {
    double loss = scoreLossAndGradients(seqs, from, lossFn);
    update(lr);
    return loss;
  }

  /** Forward and backward only, for a scalar-head model. Package-private for tests. */
  double scoreLossAndGradients(List<int[]> seqs, int[] from, ScoreLoss lossFn) {
    requireHead(TokenModelConfig.Head.SCALAR);
    ScalarPass pass = new ScalarPass(cfg, be, seqs, from);
    float[] scores = new float[seqs.size()];
    for (int start = 0; start < seqs.size(); ) {
      int end = pass.forward(w, start);
      for (int s = start; s < end; s++) scores[s] = pass.score(s - start);
      start = end;
    }
    float[] dScores = new float[seqs.size()];
    double loss = lossFn.lossAndGradient(scores, dScores);
    for (float[] x : g) Arrays.fill(x, 0f);
    for (int start = 0; start < seqs.size(); ) {
      int end = pass.forward(w, start);
      pass.backward(w, g, dScores);
      start = end;
    }
    return loss;
  }

  /** Clip the global gradient norm, then one AdamW step per tensor (no weight decay on biases). */
  private void update(float lr) {
    if (!(lr >= 0f) || Float.isInfinite(lr)) throw new IllegalArgumentException("lr must be finite and ≥ 0, was " + lr);
    lastGradNorm = opt.gradClip() > 0f
        ? OptimizerKernels.clipGradNorm(be, g, sizes, opt.gradClip())
        : Math.sqrt(globalSumSquares());
    steps++;
    for (int i = 0; i < w.length; i++) {
      float wd = layout.tensors().get(i).decay() ? opt.weightDecay() : 0f;
      be.adamw(w[i], g[i], m[i], v[i], w[i].length, lr, opt.beta1(), opt.beta2(), opt.eps(), wd, steps);
    }
  }

  private double globalSumSquares() {
    double s = 0;
    for (float[] x : g) s += be.sumSquares(x, x.length);
    return s;
  }

  private void requireHead(TokenModelConfig.Head head) {
    if (cfg.head() != head) {
      throw new IllegalStateException("this step needs a model with the " + head + " head, but the model has the "
          + cfg.head() + " head");
    }
  }

  /** The current weights as a new immutable model. */
  public TokenModel toModel() {
    float[][] copy = new float[w.length][];
    for (int i = 0; i < w.length; i++) copy[i] = w[i].clone();
    return new TokenModel(cfg, copy);
  }

  /** The gradient buffers of the last forward/backward (ParamLayout order). For tests. */
  float[][] gradients() { return g; }

  /** The live weights (ParamLayout order). For tests that perturb them. */
  float[][] weights() { return w; }

  /** Optimizer steps taken so far. */
  public int steps() { return steps; }

  /** Global gradient norm of the last step, before clipping. */
  public double lastGradNorm() { return lastGradNorm; }
}
