package io.priorflow.engine.model;

import io.priorflow.kernels.OptimizerKernels;
import io.priorflow.kernels.backend.DeviceSession;
import io.priorflow.kernels.backend.DeviceTrainer;
import io.priorflow.kernels.backend.DeviceTransformerTrainer;
import io.priorflow.kernels.backend.KernelBackend;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A training session: the mutable weights, gradients and AdamW moments that turn one {@link TokenModel} into
 * another. {@link #toModel()} snapshots the current weights as a new immutable model; the starting model is never
 * touched. Not thread-safe.
 *
 * <p>Two kinds of session. <b>Full fine-tuning</b> ({@link #ModelTraining}) trains every tensor of a copy of the
 * start model. <b>LoRA</b> ({@link #lora}) keeps the start model's own arrays as a frozen base — read, never written,
 * so its weights stay bit-identical — and trains only rank-r adapters on its dense layers ({@link LoraConfig});
 * gradients and AdamW moments exist only for the adapters, and {@link #toModel()} merges them into the weights
 * (W + (alpha/r)·B·A), so a LoRA-trained model is an ordinary {@link TokenModel} with an ordinary file and id.
 * Every step below works in both kinds, so DPO, RLHF or distillation can run with LoRA too.
 *
 * <p>Each step reads top to bottom: zero gradients; forward and loss over the batch's weighted positions (in
 * chunks of {@link TokenModel#CHUNK_ROWS} rows, gradients accumulating in a fixed order); backward; clip the global
 * norm; AdamW update. The same start model, batches, learning rates and backend give bit-identical weights.
 *
 * <p><b>On a device.</b> Where the backend keeps a device of its own (TornadoVM: {@link KernelBackend#deviceTrainer}
 * for the MLP, {@link KernelBackend#transformerTrainer} for the transformer, which lays out each chunk's segments
 * here and hands their tokens over), {@link #step} and {@link #stepSum} of a full fine-tuning session of a token-head
 * model run as one device graph per chunk, with weights,
 * gradients and moments staying on the device between steps; only the batch moves. {@link #toModel()} copies the
 * weights back. Any other kind of step (soft targets, scores) first brings the state back to the host and the session
 * goes on there with the backend's single kernels. LoRA sessions always use the single kernels. {@link #close()}
 * frees the device memory (a session that is merely dropped frees it when collected).
 */
public final class ModelTraining implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();
  /** Bytes of AdamW state per trainable parameter: two float moments. */
  public static final int ADAMW_BYTES_PER_PARAM = 2 * Float.BYTES;

  private final TokenModelConfig cfg;
  private final KernelBackend be;
  private final OptimizerConfig opt;
  private final float[][] w;          // ParamLayout order: a private copy (full) or the frozen base's arrays (LoRA)
  private final LoraAdapters lora;    // null in full fine-tuning
  private final float[][] p, g, m, v; // the trainable tensors: w itself (full) or A_0, B_0, …, A_L, B_L (LoRA)
  private final boolean[] decay;      // AdamW decays this trainable tensor (matrices yes, biases no)
  private final int[] sizes;
  private Body net;
  private int steps;
  private double lastGradNorm;
  /** The scalar head's forward/backward buffers, kept from step to step where they fit ({@link ScalarPass#reuse}). */
  private ScalarPass scalarPass;
  /** The device side of the session while it lives there; see the class comment. */
  private final DeviceHolder device = new DeviceHolder();
  private boolean deviceChecked;
  private final Cleaner.Cleanable cleanable = CLEANER.register(this, device);

  /** Owns the device trainer, apart from the session, so the cleaner can close it after the session is gone. */
  private static final class DeviceHolder implements Runnable {
    DeviceSession trainer;

    @Override
    public void run() {
      if (trainer != null) {
        trainer.close();
        trainer = null;
      }
    }
  }

  /** Full fine-tuning: every tensor of a copy of {@code start} trains. */
  public ModelTraining(TokenModel start, OptimizerConfig opt, KernelBackend be) {
    this.cfg = start.config();
    this.be = be;
    this.opt = opt;
    this.lora = null;
    ParamLayout layout = start.layout();
    float[][] src = start.weightsUnsafe();
    w = new float[src.length][];
    for (int i = 0; i < src.length; i++) w[i] = src[i].clone();
    p = w;
    g = layout.zeros();
    m = layout.zeros();
    v = layout.zeros();
    decay = new boolean[w.length];
    for (int i = 0; i < w.length; i++) decay[i] = layout.tensors().get(i).decay();
    sizes = sizesOf(p);
  }

  private ModelTraining(TokenModel base, LoraAdapters lora, OptimizerConfig opt, KernelBackend be) {
    this.cfg = base.config();
    this.be = be;
    this.opt = opt;
    this.lora = lora;
    this.w = base.weightsUnsafe(); // frozen: only read by the forward and backward passes
    int n = 2 * lora.layers();
    p = new float[n][];
    g = new float[n][];
    m = new float[n][];
    v = new float[n][];
    decay = new boolean[n];
    for (int l = 0; l < lora.layers(); l++) {
      p[2 * l] = lora.a[l];
      p[2 * l + 1] = lora.b[l];
      g[2 * l] = lora.da[l];
      g[2 * l + 1] = lora.db[l];
    }
    for (int i = 0; i < n; i++) {
      m[i] = new float[p[i].length];
      v[i] = new float[p[i].length];
      decay[i] = true; // adapters are matrices; decay pulls B·A toward 0, i.e. the model toward its base
    }
    sizes = sizesOf(p);
  }

  /**
   * LoRA on a token-head model: {@code base} stays frozen and bit-identical; A is drawn from {@code rng}, B starts at
   * 0, so the session starts exactly at the base model.
   */
  public static ModelTraining lora(TokenModel base, LoraConfig config, OptimizerConfig opt, KernelBackend be,
                                   SplittableRandom rng) {
    base.requireHead(TokenModelConfig.Head.TOKEN);
    return new ModelTraining(base, new LoraAdapters(base.config(), config, rng), opt, be);
  }

  private static int[] sizesOf(float[][] t) {
    int[] s = new int[t.length];
    for (int i = 0; i < t.length; i++) s[i] = t[i].length;
    return s;
  }

  private Body net() {
    if (net == null) net = Body.of(cfg, be, TokenModel.CHUNK_ROWS, lora);
    return net;
  }

  /** The base-weight gradients to accumulate into: none when the base is frozen. */
  private float[][] baseGrads() { return lora == null ? g : null; }

  // ---- token head: weighted cross-entropy ----------------------------------------------------------------

  /**
   * One optimizer step on a token-head model: loss = Σ weight·CE over weighted positions / their count.
   * Returns that loss, measured before the update.
   */
  public double step(SequenceBatch batch, float lr) {
    DeviceSession dev = onDevice();
    if (dev != null) return deviceStep(dev, batch, true, lr);
    double loss = lossAndGradients(batch, true);
    update(lr);
    return loss;
  }

  /**
   * One optimizer step on the <b>sum</b> Σ_t weight_t · CE_t over all positions, not divided by their count. Since
   * CE_t = −log p(x_t | x_&lt;t), its gradient is −Σ_t weight_t · ∇log p(x_t | x_&lt;t): the weights are free
   * per-position coefficients on log-probability gradients (advantages for policy gradients, ±β·σ(·) for DPO), with
   * the caller doing any normalisation. Returns the surrogate loss before the update.
   */
  public double stepSum(SequenceBatch batch, float lr) {
    DeviceSession dev = onDevice();
    if (dev != null) return deviceStep(dev, batch, false, lr);
    double loss = lossAndGradients(batch, false);
    update(lr);
    return loss;
  }

  /** Forward and backward of the mean loss (see {@link #step}) only. Package-private for tests. */
  double lossAndGradients(SequenceBatch batch) { return lossAndGradients(batch, true); }

  /** Forward and backward of the summed loss (see {@link #stepSum}) only. Package-private for tests. */
  double stepSumLossAndGradients(SequenceBatch batch) { return lossAndGradients(batch, false); }

  private double lossAndGradients(SequenceBatch batch, boolean mean) {
    leaveDevice();
    int vocab = cfg.vocab();
    float[] losses = new float[net().maxRows];
    // zero gradients
    for (float[] x : g) Arrays.fill(x, 0f);
    // forward, loss and backward, a chunk of rows at a time
    return forEachChunk(batch, mean, (rows, targets, mask, scale, last) ->
        tokenChunk(rows, targets, mask, losses, vocab, scale));
  }

  /** What is done with one chunk of rows; {@code last} marks the batch's final chunk. Returns its summed loss. */
  @FunctionalInterface
  private interface Chunk {
    double run(int rows, int[] targets, float[] mask, float scale, boolean last);
  }

  /**
   * The batch's weighted positions, in order, as chunks of up to {@link TokenModel#CHUNK_ROWS} rows: each chunk's
   * windows in {@code net.ctx}, its targets and weights, handed to {@code chunk}; a full chunk is handed on when the
   * next position arrives, so the final chunk is known. Returns the mean (or sum) of the chunks' losses.
   */
  private double forEachChunk(SequenceBatch batch, boolean mean, Chunk chunk) {
    requireHead(TokenModelConfig.Head.TOKEN);
    int n = batch.weightedPositions();
    if (n == 0) throw new IllegalArgumentException("the batch has no position with a non-zero loss weight");
    Body net = net();
    int rowsMax = net.maxRows;
    int[] targets = new int[rowsMax];
    float[] mask = new float[rowsMax];
    float scale = mean ? 1f / n : 1f;
    double loss = 0;
    int rows = 0;
    for (int i = 0; i < batch.size(); i++) {
      int[] s = batch.sequences().get(i);
      float[] wt = batch.weights().get(i);
      for (int t = 1; t < s.length; t++) {
        if (wt[t] == 0f) continue;
        if (net.full(rows)) {
          loss += chunk.run(rows, targets, mask, scale, false);
          rows = 0;
        }
        net.setRow(rows, s, t, false);
        targets[rows] = s[t];
        mask[rows] = wt[t];
        rows++;
      }
    }
    loss += chunk.run(rows, targets, mask, scale, true); // rows ≥ 1: n > 0
    return mean ? loss / n : loss;
  }

  private double tokenChunk(int rows, int[] targets, float[] mask, float[] losses, int vocab, float scale) {
    net.forwardBody(w, rows);
    net.forwardTokenHead(w, rows);
    be.crossEntropyForward(net.out, targets, mask, losses, rows, vocab);
    be.crossEntropyBackward(net.out, targets, mask, net.dout, rows, vocab, scale);
    backwardFromLogits(rows);
    double sum = 0;
    for (int r = 0; r < rows; r++) sum += losses[r];
    return sum;
  }

  private void backwardFromLogits(int rows) {
    net.backwardHead(w, baseGrads(), net.feats(), net.dout, net.dfeats(), rows);
    net.backwardBody(w, baseGrads(), rows);
  }

  // ---- token head: soft targets (token-level distillation) ---------------------------------------------------

  /**
   * One optimizer step of token-level distillation (Hinton, Vinyals &amp; Dean 2015) at positions t = from_i ..
   * len_i − 1 of each sequence, given the teacher's next-token log-distributions there ({@code teacherLogProbs.get(i)}
   * is the flat (len_i − from_i, V) array of {@link TokenModel#nextTokenLogProbs(KernelBackend, List, int[])}).
   * <pre>
   *   p = softmax(teacher log-probs / T)         teacher at temperature T
   *   q = softmax(student logits / T)            student at the same temperature
   *   loss = T² · mean over positions of Σ_v −p_v log q_v          (soft cross-entropy; T² keeps gradients
   *   d loss / d logits = T · (q − p) / positions                    of comparable size across T)
   * </pre>
   * Both sides tempered, as in the paper: the minimum is the student equal to the teacher at every T. Returns
   * T² · mean KL(p ‖ q) over the positions (the loss minus the teacher's entropy), before the update.
   */
  public double stepSoft(List<int[]> seqs, int[] from, List<float[]> teacherLogProbs, float temperature, float lr) {
    double kl = softLossAndGradients(seqs, from, teacherLogProbs, temperature);
    update(lr);
    return kl;
  }

  /**
   * The response positions a teacher supervises, after checking that the sequences, start positions and teacher rows
   * agree (one row of vocab log-probabilities per position from {@code from[i]}).
   */
  private int teacherPositions(List<int[]> seqs, int[] from, List<float[]> teacherLogProbs) {
    int vocab = cfg.vocab(), n = 0;
    if (seqs.size() != from.length || seqs.size() != teacherLogProbs.size()) {
      throw new IllegalArgumentException(seqs.size() + " sequences, " + from.length + " start positions and "
          + teacherLogProbs.size() + " teacher rows; they must agree");
    }
    for (int i = 0; i < seqs.size(); i++) {
      int len = seqs.get(i).length;
      if (from[i] < 0 || from[i] > len) {
        throw new IllegalArgumentException("from[" + i + "] must be in [0, " + len + "], was " + from[i]);
      }
      if (teacherLogProbs.get(i).length != (len - from[i]) * vocab) {
        throw new IllegalArgumentException("teacher row " + i + " has " + teacherLogProbs.get(i).length
            + " values, expected (" + len + " − " + from[i] + ") × " + vocab);
      }
      n += len - from[i];
    }
    if (n == 0) throw new IllegalArgumentException("distillation needs at least one position");
    return n;
  }

  /** Forward and backward of {@link #stepSoft} only. Package-private for tests. */
  double softLossAndGradients(List<int[]> seqs, int[] from, List<float[]> teacherLogProbs, float temperature) {
    leaveDevice();
    requireHead(TokenModelConfig.Head.TOKEN);
    if (!(temperature > 0f) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("distillation temperature must be finite and > 0, was " + temperature);
    }
    int vocab = cfg.vocab(), n = teacherPositions(seqs, from, teacherLogProbs);
    Body net = net();
    int rowsMax = net.maxRows;
    float[] probs = new float[rowsMax * vocab], mask = new float[rowsMax], losses = new float[rowsMax];
    Arrays.fill(mask, 1f);
    float invT = 1f / temperature;
    float gradScale = temperature / n;
    for (float[] x : g) Arrays.fill(x, 0f);
    double klSum = 0, entropy = 0;
    int rows = 0;
    for (int i = 0; i < seqs.size(); i++) {
      int[] s = seqs.get(i);
      float[] tl = teacherLogProbs.get(i);
      for (int t = from[i]; t < s.length; t++) {
        net.setRow(rows, s, t, false);
        entropy += temperedRow(tl, (t - from[i]) * vocab, vocab, invT, probs, rows * vocab);
        if (net.full(++rows)) {
          klSum += softChunk(rows, probs, mask, losses, vocab, invT, gradScale);
          rows = 0;
        }
      }
    }
    if (rows > 0) klSum += softChunk(rows, probs, mask, losses, vocab, invT, gradScale);
    double t2 = (double) temperature * temperature;
    return t2 * (klSum - entropy) / n;
  }

  /** out[off..] = softmax(logp[src..] / T) in double; returns its entropy −Σ p log p. */
  private static double temperedRow(float[] logp, int src, int vocab, float invT, float[] out, int off) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < vocab; j++) max = Math.max(max, logp[src + j] * (double) invT);
    double z = 0;
    for (int j = 0; j < vocab; j++) z += Math.exp(logp[src + j] * (double) invT - max);
    double logZ = max + Math.log(z), h = 0;
    for (int j = 0; j < vocab; j++) {
      double lp = logp[src + j] * (double) invT - logZ;
      double pj = Math.exp(lp);
      out[off + j] = (float) pj;
      if (pj > 0) h -= pj * lp;
    }
    return h;
  }

  private double softChunk(int rows, float[] probs, float[] mask, float[] losses, int vocab, float invT,
                           float gradScale) {
    net.forwardBody(w, rows);
    net.forwardTokenHead(w, rows);
    be.scale(net.out, rows * vocab, invT); // logits / T
    be.softCrossEntropyForward(net.out, probs, mask, losses, rows, vocab);
    be.softCrossEntropyBackward(net.out, probs, mask, net.dout, rows, vocab, gradScale);
    backwardFromLogits(rows);
    double sum = 0;
    for (int r = 0; r < rows; r++) sum += losses[r];
    return sum;
  }

  // ---- token head: a divergence to teacher distributions (on-policy distillation) ------------------------------

  /**
   * One optimizer step that minimises the mean over positions t = from_i .. len_i − 1 of {@code divergence}(teacher,
   * student) at each position, given the teacher's next-token log-distributions there (the flat (len_i − from_i, V)
   * arrays of {@link TokenModel#nextTokenLogProbs(KernelBackend, List, int[])}); {@code beta} is JSD's β (ignored by
   * the KLs). Returns the mean divergence before the update. With FORWARD_KL this is {@link #stepSoft} at T = 1.
   */
  public double stepDivergence(List<int[]> seqs, int[] from, List<float[]> teacherLogProbs, Divergence divergence,
                               double beta, float lr) {
    double d = divergenceLossAndGradients(seqs, from, teacherLogProbs, divergence, beta);
    update(lr);
    return d;
  }

  /** Forward and backward of {@link #stepDivergence} only. Package-private for tests. */
  double divergenceLossAndGradients(List<int[]> seqs, int[] from, List<float[]> teacherLogProbs,
                                    Divergence divergence, double beta) {
    leaveDevice();
    requireHead(TokenModelConfig.Head.TOKEN);
    int vocab = cfg.vocab(), n = teacherPositions(seqs, from, teacherLogProbs);
    Body net = net();
    int[] srcRow = new int[net.maxRows];
    float[][] srcSeq = new float[net.maxRows][];
    for (float[] x : g) Arrays.fill(x, 0f);
    double total = 0, scale = 1.0 / n;
    int rows = 0;
    for (int i = 0; i < seqs.size(); i++) {
      int[] s = seqs.get(i);
      for (int t = from[i]; t < s.length; t++) {
        net.setRow(rows, s, t, false);
        srcSeq[rows] = teacherLogProbs.get(i);
        srcRow[rows] = (t - from[i]) * vocab;
        if (net.full(++rows)) {
          total += divergenceChunk(rows, srcSeq, srcRow, vocab, divergence, beta, scale);
          rows = 0;
        }
      }
    }
    if (rows > 0) total += divergenceChunk(rows, srcSeq, srcRow, vocab, divergence, beta, scale);
    return total / n;
  }

  private double divergenceChunk(int rows, float[][] srcSeq, int[] srcRow, int vocab, Divergence divergence,
                                 double beta, double scale) {
    net.forwardBody(w, rows);
    net.forwardTokenHead(w, rows);
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      sum += divergence.row(net.out, r * vocab, srcSeq[r], srcRow[r], vocab, beta, net.dout, scale);
    }
    backwardFromLogits(rows);
    return sum;
  }

  // ---- scalar head -----------------------------------------------------------------------------------------

  /**
   * One optimizer step on a scalar-head model with a loss over the scores of {@code seqs} (scored from positions
   * {@code from}). Scores are computed once with the current weights, the loss gives dLoss/dScore, then each
   * chunk is run forward again and back (a batch of one chunk goes straight back: its forward is still there).
   * Returns the loss before the update. Full fine-tuning only.
   */
  public double stepScores(List<int[]> seqs, int[] from, ScoreLoss lossFn, float lr) {
    double loss = scoreLossAndGradients(seqs, from, lossFn);
    update(lr);
    return loss;
  }

  /** Forward and backward only, for a scalar-head model. Package-private for tests. */
  double scoreLossAndGradients(List<int[]> seqs, int[] from, ScoreLoss lossFn) {
    leaveDevice();
    requireHead(TokenModelConfig.Head.SCALAR);
    if (lora != null) throw new IllegalStateException("LoRA sessions train token-head models only");
    ScalarPass pass = scalarPass = ScalarPass.reuse(scalarPass, cfg, be, seqs, from);
    float[] scores = new float[seqs.size()];
    int chunks = 0;
    for (int start = 0; start < seqs.size(); chunks++) {
      int end = pass.forward(w, start);
      for (int s = start; s < end; s++) scores[s] = pass.score(s - start);
      start = end;
    }
    float[] dScores = new float[seqs.size()];
    double loss = lossFn.lossAndGradient(scores, dScores);
    for (float[] x : g) Arrays.fill(x, 0f);
    if (chunks == 1) {
      // the pass still holds that chunk's forward, with these weights: the same values a second forward would give
      pass.backward(w, g, dScores);
      return loss;
    }
    for (int start = 0; start < seqs.size(); ) {
      int end = pass.forward(w, start);
      pass.backward(w, g, dScores);
      start = end;
    }
    return loss;
  }

  // ---- on a device ------------------------------------------------------------------------------------------

  /**
   * The device trainer (the MLP's or the transformer's), created on first use, or null: a LoRA session, a scalar
   * head, a backend without a device, or a session that has left the device.
   */
  private DeviceSession onDevice() {
    if (device.trainer != null || deviceChecked) return device.trainer;
    deviceChecked = true;
    if (lora != null || cfg.head() != TokenModelConfig.Head.TOKEN) return null;
    int[] hidden = cfg.hidden().stream().mapToInt(Integer::intValue).toArray();
    if (cfg.isTransformer()) {
      DeviceTransformerTrainer.Spec spec = new DeviceTransformerTrainer.Spec(cfg.vocab(), cfg.context(),
          cfg.embedDim(), cfg.heads(), hidden, ((TransformerNet) net()).maxSegments(), TokenModel.CHUNK_ROWS,
          opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay(), opt.gradClip(), decay);
      device.trainer = be.transformerTrainer(spec, w).orElse(null);
      return device.trainer;
    }
    // the two enums name the same three functions (gpu-kernels cannot see the engine's)
    DeviceTrainer.Activation act = DeviceTrainer.Activation.valueOf(cfg.activation().name());
    DeviceTrainer.Spec spec = new DeviceTrainer.Spec(cfg.vocab(), cfg.context(), cfg.embedDim(), hidden, act,
        TokenModel.CHUNK_ROWS, opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay(), opt.gradClip(), decay);
    device.trainer = be.deviceTrainer(spec, w).orElse(null);
    return device.trainer;
  }

  /**
   * {@link #step} (mean) or {@link #stepSum} (sum) on the device: the batch's weighted positions in chunks of up to
   * {@link TokenModel#CHUNK_ROWS} rows, gradients accumulating on the device; the last chunk's run goes on to clip,
   * update and zero the gradients. Same positions, same order, same scale as the host path.
   */
  private double deviceStep(DeviceSession dev, SequenceBatch batch, boolean mean, float lr) {
    checkLearningRate(lr);
    double loss;
    if (dev instanceof DeviceTransformerTrainer tt) {
      TransformerNet tn = (TransformerNet) net();
      int[] rowPositions = new int[tn.maxRows];
      loss = forEachChunk(batch, mean, (rows, targets, mask, scale, last) -> {
        tn.layoutChunk();
        tn.rowPositions(rows, rowPositions);
        return tt.run(tn.tokens(), tn.segments(), tn.segmentLength(), rowPositions, targets, mask, rows, scale, last,
            last ? lr : 0f, last ? ++steps : 0);
      });
    } else {
      DeviceTrainer mlp = (DeviceTrainer) dev;
      loss = forEachChunk(batch, mean, (rows, targets, mask, scale, last) ->
          last ? mlp.run(((Network) net).ctx, targets, mask, rows, scale, true, lr, ++steps)
              : mlp.run(((Network) net).ctx, targets, mask, rows, scale, false, 0f, 0));
    }
    lastGradNorm = dev.lastGradNorm();
    return loss;
  }

  /** Brings weights and moments back from the device, if there, so the host arrays are current. */
  private void syncFromDevice() {
    if (device.trainer != null) device.trainer.download(p, m, v);
  }

  /** Brings the state back and goes on with the backend's single kernels for the rest of the session. */
  private void leaveDevice() {
    deviceChecked = true;
    if (device.trainer != null) {
      syncFromDevice();
      device.run();
    }
  }

  /** Whether the session's state lives on a device now. */
  public boolean onDeviceNow() { return device.trainer != null; }

  /** Frees the device memory, after bringing the state back; the session goes on on the host if used again. */
  @Override
  public void close() {
    leaveDevice();
    cleanable.clean();
  }

  // ---- optimizer -------------------------------------------------------------------------------------------

  /** Clip the global gradient norm, then one AdamW step per trainable tensor (no weight decay on biases). */
  private void update(float lr) {
    checkLearningRate(lr);
    lastGradNorm = opt.gradClip() > 0f
        ? OptimizerKernels.clipGradNorm(be, g, sizes, opt.gradClip())
        : Math.sqrt(globalSumSquares());
    steps++;
    for (int i = 0; i < p.length; i++) {
      float wd = decay[i] ? opt.weightDecay() : 0f;
      be.adamw(p[i], g[i], m[i], v[i], p[i].length, lr, opt.beta1(), opt.beta2(), opt.eps(), wd, steps);
    }
  }

  private static void checkLearningRate(float lr) {
    if (!(lr >= 0f) || Float.isInfinite(lr)) throw new IllegalArgumentException("lr must be finite and ≥ 0, was " + lr);
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

  /**
   * The current weights as a new immutable model; under LoRA the adapters merged into a copy of the base,
   * W_l + (alpha/r)·B_l·A_l, which computes the adapted function up to float rounding. Cheap enough to call every
   * step (the id is hashed only when asked for).
   */
  public TokenModel toModel() {
    syncFromDevice();
    float[][] copy = new float[w.length][];
    for (int i = 0; i < w.length; i++) copy[i] = w[i].clone();
    if (lora != null) {
      for (int l = 0; l < lora.layers(); l++) lora.mergeInto(l, copy[lora.tensor[l]]);
    }
    return new TokenModel(cfg, copy);
  }

  /** What this session trains and what its optimizer holds. */
  public Footprint footprint() { return Footprint.of(cfg, lora == null ? null : lora.config); }

  /** The gradient buffers of the last forward/backward, one per trainable tensor. For tests. */
  float[][] gradients() {
    leaveDevice();
    return g;
  }

  /** The live trainable tensors (the weights in full fine-tuning, A_0, B_0, … under LoRA). For tests. */
  float[][] weights() {
    syncFromDevice();
    return p;
  }

  /** Optimizer steps taken so far. */
  public int steps() { return steps; }

  /** Global gradient norm of the last step, before clipping. */
  public double lastGradNorm() { return lastGradNorm; }

  /**
   * Trainable parameters and optimizer memory of a session, beside the same for full fine-tuning of the same model.
   *
   * @param trainableParams     parameters the optimizer updates
   * @param optimizerBytes      AdamW state for them: two float moments each ({@link #ADAMW_BYTES_PER_PARAM})
   * @param gradientBytes       gradient buffers: one float per trainable parameter
   * @param fullParams          every parameter of the model (what full fine-tuning trains)
   * @param fullOptimizerBytes  AdamW state of full fine-tuning
   */
  public record Footprint(long trainableParams, long optimizerBytes, long gradientBytes, long fullParams,
                          long fullOptimizerBytes) {
    /** The footprint of full fine-tuning ({@code lora} null) or of LoRA on a model of this architecture. */
    public static Footprint of(TokenModelConfig cfg, LoraConfig lora) {
      long full = ParamLayout.of(cfg).parameterCount();
      long trainable = lora == null ? full : LoraAdapters.parameterCount(cfg, lora.rank());
      return new Footprint(trainable, trainable * ADAMW_BYTES_PER_PARAM, trainable * Float.BYTES, full,
          full * ADAMW_BYTES_PER_PARAM);
    }
  }
}
