package io.priorflow.kernels.tornado;

import io.priorflow.kernels.backend.DeviceTrainer;
import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The token MLP's whole training step as one TornadoVM task graph, {@code "train"}, built and compiled once and
 * executed once per chunk of rows. Weights, gradients, AdamW moments and every activation buffer are copied to the
 * device on the first execution and stay there ({@code FIRST_EXECUTION}); each execution moves in only the batch
 * (windows, targets, loss weights) and a few sizes and scalars, and moves out only the per-row losses and the
 * gradient norm. Weights and moments come back only when asked ({@code UNDER_DEMAND}, {@link #download}).
 *
 * <pre>
 *  ctx ─embed_fwd─▶ x0 ─dense_fwd_0─▶ pre_0 ─act_fwd_0─▶ act_0 ─ … ─▶ act_{L−1} ─out_fwd─▶ logits
 *  logits, targets, mask ─ce_fwd─▶ losses            (moved to the host)
 *                        ─ce_bwd─▶ dlogits
 *  dlogits ─out_bwd_w─▶ dW_out   ─out_bwd_b─▶ db_out   ─out_bwd_x─▶ dact_{L−1}
 *  for l = L−1 … 0: zero_l; dact_l ─act_bwd_l─▶ dpre_l ─bwd_w_l / bwd_b_l─▶ dW_l, db_l ─bwd_x_l─▶ dact_{l−1} (dx0)
 *  dx0 ─embed_bwd─▶ dE
 *  update runs only: grads ─norm_i─▶ partials ─norm─▶ {norm, clip factor} ─adamw_i─▶ weights, m, v; grads ← 0
 * </pre>
 * The update tasks are switched off in runs without update by setting their sizes to 0, so one graph serves both
 * kinds of run and nothing recompiles.
 */
final class TornadoTrainer extends PooledSession<TornadoTrainer> implements DeviceTrainer {
  private final Spec spec;
  private final int layers;
  private final int tensors;
  private final FloatArray[] w;
  private final FloatArray[] g;
  private final FloatArray[] m;
  private final FloatArray[] v;
  private final IntArray ctx;
  private final IntArray targets;
  private final FloatArray mask;
  private final FloatArray losses;
  private final FloatArray stats = new FloatArray(2);
  private final FloatArray scaleParam = new FloatArray(1);
  private final FloatArray hpDecay = new FloatArray(7);
  private final FloatArray hpPlain = new FloatArray(7);
  /** Per-run sizes: rows-dependent dims of the forward/backward tasks, and the update tasks' on/off sizes. */
  private final List<Runnable> setRows = new ArrayList<>();
  private final IntArray[] updateDims;
  private final IntArray[] sqDims;
  /** Weights, then first and second moments: what {@link #download} brings back. */
  private final Object[] onDemand;
  private final IntArray normDims = new IntArray(1);
  private final int totalBlocks;
  private final TornadoExecutionPlan plan;
  private TornadoExecutionResult last;
  private int rows;
  private double lastGradNorm = Double.NaN;

  TornadoTrainer(Spec spec, float[][] params, TornadoDevice device,
                 java.util.function.Consumer<TornadoTrainer> pool) {
    super(pool);
    this.spec = spec;
    int[] hidden = spec.hidden();
    layers = hidden.length;
    tensors = Spec.tensorCount(layers);
    if (params.length != tensors) {
      throw new IllegalArgumentException(params.length + " tensors given, the spec has " + tensors);
    }
    int r = spec.maxRows();
    int c = spec.context();
    int d = spec.embedDim();
    int vocab = spec.vocab();
    w = new FloatArray[tensors];
    g = new FloatArray[tensors];
    m = new FloatArray[tensors];
    v = new FloatArray[tensors];
    for (int i = 0; i < tensors; i++) {
      if (params[i].length != spec.size(i)) {
        throw new IllegalArgumentException("tensor " + i + " has " + params[i].length + " values, the spec says "
            + spec.size(i));
      }
      w[i] = FloatArray.fromArray(params[i]);
      g[i] = zeros(spec.size(i));
      m[i] = zeros(spec.size(i));
      v[i] = zeros(spec.size(i));
    }
    ctx = new IntArray(r * c);
    targets = new IntArray(r);
    mask = new FloatArray(r);
    losses = new FloatArray(r);
    FloatArray one = FloatArray.fromElements(1f);
    FloatArray clip = FloatArray.fromElements(spec.gradClip());

    // activations and their gradients: device scratch
    FloatArray x0 = zeros(r * c * d);
    FloatArray dx0 = zeros(r * c * d);
    FloatArray[] pre = new FloatArray[layers];
    FloatArray[] act = new FloatArray[layers];
    FloatArray[] dpre = new FloatArray[layers];
    FloatArray[] dact = new FloatArray[layers];
    for (int l = 0; l < layers; l++) {
      pre[l] = zeros(r * hidden[l]);
      act[l] = zeros(r * hidden[l]);
      dpre[l] = zeros(r * hidden[l]);
      dact[l] = zeros(r * hidden[l]);
    }
    FloatArray logits = zeros(r * vocab);
    FloatArray dlogits = zeros(r * vocab);

    TaskGraph tg = new TaskGraph("train");
    List<Object> persistent = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      persistent.add(w[i]);
      persistent.add(g[i]);
      persistent.add(m[i]);
      persistent.add(v[i]);
    }
    persistent.add(x0);
    persistent.add(dx0);
    for (int l = 0; l < layers; l++) {
      persistent.add(pre[l]);
      persistent.add(act[l]);
      persistent.add(dpre[l]);
      persistent.add(dact[l]);
    }
    persistent.add(logits);
    persistent.add(dlogits);
    persistent.add(one);
    persistent.add(clip);
    int blocks = 0;
    int[] blockOffset = new int[tensors];
    for (int i = 0; i < tensors; i++) {
      blockOffset[i] = blocks;
      blocks += (spec.size(i) + TornadoKernels.BLOCK - 1) / TornadoKernels.BLOCK;
    }
    totalBlocks = blocks;
    FloatArray partials = zeros(blocks);
    persistent.add(partials);

    // every-execution inputs: the batch, scalars, and the small dims arrays
    List<Object> moving = new ArrayList<>(List.of(ctx, targets, mask, scaleParam, hpDecay, hpPlain, normDims));

    // forward
    IntArray embDims = rowsDims(moving, 2, rr -> new int[] {rr * c, d});
    tg.task("embed_fwd", TornadoKernels::embeddingForward, ctx, w[0], x0, embDims, r * c * d);
    FloatArray in = x0;
    int nIn = c * d;
    for (int l = 0; l < layers; l++) {
      int h = hidden[l];
      int ni = nIn;
      IntArray dd = rowsDims(moving, 3, rr -> new int[] {rr, ni, h});
      tg.task("dense_fwd_" + l, TornadoKernels::denseForward, in, w[1 + 2 * l], w[2 + 2 * l], pre[l], dd, r * h);
      IntArray ad = rowsDims(moving, 1, rr -> new int[] {rr * h});
      switch (spec.activation()) {
        case GELU -> tg.task("act_fwd_" + l, TornadoKernels::geluForward, pre[l], act[l], ad, r * h);
        case RELU -> tg.task("act_fwd_" + l, TornadoKernels::reluForward, pre[l], act[l], ad, r * h);
        case TANH -> tg.task("act_fwd_" + l, TornadoKernels::tanhForward, pre[l], act[l], ad, r * h);
      }
      in = act[l];
      nIn = h;
    }
    int hl = nIn;
    int o = tensors - 2;
    IntArray od = rowsDims(moving, 3, rr -> new int[] {rr, hl, vocab});
    tg.task("out_fwd", TornadoKernels::denseForward, in, w[o], w[o + 1], logits, od, r * vocab);
    // loss
    IntArray ld = rowsDims(moving, 2, rr -> new int[] {rr, vocab});
    tg.task("ce_fwd", TornadoKernels::crossEntropyForward, logits, targets, mask, losses, ld, r);
    tg.task("ce_bwd", TornadoKernels::crossEntropyBackward, logits, targets, mask, dlogits, ld, scaleParam, r);
    // output layer backward: dW_out += dlogitsᵀ · act, db_out += Σ dlogits, dact = dlogits · W_out
    IntArray owd = rowsDims(moving, 4, rr -> new int[] {vocab, rr, hl, 1});
    tg.task("out_bwd_w", TornadoKernels::gemmTN, dlogits, in, g[o], owd, one, vocab * hl);
    tg.task("out_bwd_b", TornadoKernels::denseBackwardBias, dlogits, g[o + 1], od, vocab);
    IntArray oxd = rowsDims(moving, 4, rr -> new int[] {rr, vocab, hl, 0});
    tg.task("out_bwd_x", TornadoKernels::gemmNN, dlogits, w[o], dact[layers - 1], oxd, one, r * hl);
    // body backward
    for (int l = layers - 1; l >= 0; l--) {
      int h = hidden[l];
      int ni = l == 0 ? c * d : hidden[l - 1];
      FloatArray lin = l == 0 ? x0 : act[l - 1];
      FloatArray din = l == 0 ? dx0 : dact[l - 1];
      IntArray ad = rowsDims(moving, 1, rr -> new int[] {rr * h});
      tg.task("zero_" + l, TornadoKernels::zero, dpre[l], ad, r * h);
      switch (spec.activation()) {
        case GELU -> tg.task("act_bwd_" + l, TornadoKernels::geluBackward, pre[l], dact[l], dpre[l], ad, r * h);
        case RELU -> tg.task("act_bwd_" + l, TornadoKernels::reluBackward, pre[l], dact[l], dpre[l], ad, r * h);
        case TANH -> tg.task("act_bwd_" + l, TornadoKernels::tanhBackward, act[l], dact[l], dpre[l], ad, r * h);
      }
      IntArray wd = rowsDims(moving, 4, rr -> new int[] {h, rr, ni, 1});
      tg.task("bwd_w_" + l, TornadoKernels::gemmTN, dpre[l], lin, g[1 + 2 * l], wd, one, h * ni);
      IntArray bd = rowsDims(moving, 3, rr -> new int[] {rr, 0, h});
      tg.task("bwd_b_" + l, TornadoKernels::denseBackwardBias, dpre[l], g[2 + 2 * l], bd, h);
      IntArray xd = rowsDims(moving, 4, rr -> new int[] {rr, h, ni, 0});
      tg.task("bwd_x_" + l, TornadoKernels::gemmNN, dpre[l], w[1 + 2 * l], din, xd, one, r * ni);
    }
    tg.task("embed_bwd", TornadoKernels::embeddingBackward, ctx, dx0, g[0], embDims, d);
    // update: global norm, clip, AdamW, zero the gradients (sizes 0 in runs without update)
    updateDims = new IntArray[tensors];
    IntArray[] sqDims = new IntArray[tensors];
    for (int i = 0; i < tensors; i++) {
      updateDims[i] = new IntArray(1);
      sqDims[i] = new IntArray(2);
      sqDims[i].set(1, blockOffset[i]);
      moving.add(updateDims[i]);
      moving.add(sqDims[i]);
      int nb = (spec.size(i) + TornadoKernels.BLOCK - 1) / TornadoKernels.BLOCK;
      tg.task("norm_" + i, TornadoKernels::blockSumSquares, g[i], partials, sqDims[i], nb);
    }
    this.sqDims = sqDims;
    tg.task("norm", TornadoKernels::finishNorm, partials, stats, normDims, clip);
    for (int i = 0; i < tensors; i++) {
      FloatArray hp = spec.decay()[i] ? hpDecay : hpPlain;
      tg.task("adamw_" + i, TornadoKernels::adamwClipZero, w[i], g[i], m[i], v[i], updateDims[i], hp, stats,
          spec.size(i));
    }
    moving.add(stats);

    tg.transferToDevice(DataTransferMode.FIRST_EXECUTION, persistent.toArray());
    tg.transferToDevice(DataTransferMode.EVERY_EXECUTION, moving.toArray());
    tg.transferToHost(DataTransferMode.EVERY_EXECUTION, losses, stats);
    onDemand = new Object[3 * tensors];
    for (int i = 0; i < tensors; i++) {
      onDemand[i] = w[i];
      onDemand[tensors + i] = m[i];
      onDemand[2 * tensors + i] = v[i];
    }
    tg.transferToHost(DataTransferMode.UNDER_DEMAND, onDemand);
    plan = new TornadoExecutionPlan(tg.snapshot()).withDevice(device);
  }

  /** A dims array of n values that depend on the run's row count; re-filled before every execution. */
  private IntArray rowsDims(List<Object> moving, int n, java.util.function.IntFunction<int[]> values) {
    IntArray a = new IntArray(n);
    moving.add(a);
    setRows.add(() -> {
      int[] vals = values.apply(rows);
      for (int i = 0; i < vals.length; i++) {
        a.set(i, vals[i]);
      }
    });
    return a;
  }

  private static FloatArray zeros(int n) {
    FloatArray a = new FloatArray(Math.max(n, 1));
    a.init(0f);
    return a;
  }

  @Override
  public double run(int[] ctxIds, int[] targetIds, float[] weights, int rowCount, float scale, boolean update,
                    float lr, int t) {
    checkOpen();
    if (rowCount < 1 || rowCount > spec.maxRows()) {
      throw new IllegalArgumentException("rows must be in [1, " + spec.maxRows() + "], was " + rowCount);
    }
    if (update && t < 1) {
      throw new IllegalArgumentException("the AdamW step t is 1-based, was " + t);
    }
    rows = rowCount;
    int c = spec.context();
    TornadoBackend.copyIn(ctxIds, ctx, rowCount * c);
    TornadoBackend.copyIn(targetIds, targets, rowCount);
    TornadoBackend.copyIn(weights, mask, rowCount);
    for (Runnable s : setRows) {
      s.run();
    }
    scaleParam.set(0, scale);
    for (int i = 0; i < tensors; i++) {
      updateDims[i].set(0, update ? spec.size(i) : 0);
      sqDims[i].set(0, update ? spec.size(i) : 0);
    }
    normDims.set(0, update ? totalBlocks : 0);
    if (update) {
      float bc1 = (float) (1.0 - Math.pow(spec.beta1(), t));
      float bc2 = (float) (1.0 - Math.pow(spec.beta2(), t));
      setHp(hpDecay, lr, spec.weightDecay(), bc1, bc2);
      setHp(hpPlain, lr, 0f, bc1, bc2);
      stats.set(0, 0f);
      stats.set(1, 1f);
    }
    last = plan.execute();
    if (update) {
      lastGradNorm = stats.get(0);
    }
    double sum = 0;
    for (int r = 0; r < rowCount; r++) {
      sum += losses.get(r);
    }
    return sum;
  }

  private void setHp(FloatArray hp, float lr, float wd, float bc1, float bc2) {
    hp.set(0, lr);
    hp.set(1, spec.beta1());
    hp.set(2, spec.beta2());
    hp.set(3, spec.eps());
    hp.set(4, wd);
    hp.set(5, bc1);
    hp.set(6, bc2);
  }

  @Override
  public double lastGradNorm() { return lastGradNorm; }

  @Override
  public void download(float[][] params, float[][] mOut, float[][] vOut) {
    checkOpen();
    if (last != null) {
      last.transferToHost(onDemand);
    }
    for (int i = 0; i < tensors; i++) {
      int n = spec.size(i);
      TornadoBackend.copyOut(w[i], params[i], n);
      TornadoBackend.copyOut(m[i], mOut[i], n);
      TornadoBackend.copyOut(v[i], vOut[i], n);
    }
  }

  Spec spec() { return spec; }

  /**
   * Starts a new session on this trainer's compiled graph: new weights, zero moments and gradients. The plan's device
   * buffers are released, so the next run copies every FIRST_EXECUTION buffer to the device again — the weights
   * just set among them — while the compiled kernels stay: compiling the graph costs far more than one copy.
   */
  void reset(float[][] params) {
    for (int i = 0; i < tensors; i++) {
      if (params[i].length != spec.size(i)) {
        throw new IllegalArgumentException("tensor " + i + " has " + params[i].length + " values, the spec says "
            + spec.size(i));
      }
      TornadoBackend.copyIn(params[i], w[i], spec.size(i));
      g[i].init(0f);
      m[i].init(0f);
      v[i].init(0f);
    }
    plan.freeDeviceMemory();
    last = null;
    lastGradNorm = Double.NaN;
    reopen();
  }

  @Override
  TornadoExecutionPlan plan() { return plan; }

  @Override
  TornadoTrainer self() { return this; }
}
