package io.priorflow.kernels.tornado;

import io.priorflow.kernels.AttentionKernels;
import io.priorflow.kernels.backend.DeviceTransformerTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The transformer's whole training step as one TornadoVM task graph, {@code "train_transformer"}, built and compiled
 * once and executed once per chunk, as {@link TornadoTrainer} is for the MLP: weights, gradients, AdamW moments and
 * every activation stay on the device ({@code FIRST_EXECUTION}); each execution moves in the chunk's tokens, rows,
 * targets and loss weights and a few sizes, and moves out the per-row losses and the gradient norm. Weights and
 * moments come back only when asked ({@code UNDER_DEMAND}, {@link #download}).
 *
 * <pre>
 *  tokens ─embed─▶ h_0
 *  block l (forward):  h_l ─ln1_l─▶ ln1 ─qkv_l─▶ qkv ─att_l─▶ att, y ─proj_l─▶ h2 ─res1_l (+= h_l)─▶ h2
 *                      h2 ─ln2_l─▶ ln2 ─fc_l─▶ pre ─gelu_l─▶ act ─fcproj_l─▶ h_{l+1} ─res2_l (+= h2)─▶ h_{l+1}
 *  h_L ─lnf─▶ lnf ─gather─▶ feats ─head─▶ logits ─ce_fwd─▶ losses (moved to the host)
 *                                                ─ce_bwd─▶ dlogits ─head_bwd_w/_b─▶ dW, db ─head_bwd_x─▶ dfeats
 *  dfeats ─zero_dlnf, scatter─▶ dlnf ─zero_dh, lnf_bwd_x/_p─▶ dh (= d h_L), dγ, dβ
 *  block l (backward, l = L−1 … 0), dh = d h_{l+1}:
 *     dh ─fcproj_bwd_w/_b/_x─▶ dact ─zero_dpre, gelu_bwd─▶ dpre ─fc_bwd_w/_b/_x─▶ dln ─ln2_bwd_x/_p─▶ dh += (d h2)
 *     dh ─proj_bwd_w/_b/_x─▶ dy ─zero_dqkv, att_bwd_q, att_bwd_kv─▶ dqkv ─qkv_bwd_w/_b/_x─▶ dln ─ln1_bwd_x/_p─▶ dh +=
 *  dh ─wte_bwd, wpe_bwd─▶ dwte, dwpe
 *  update runs only: G ─norm_blocks─▶ partials ─norm─▶ {norm, clip factor} ─adamw─▶ W, M, V; G ← 0
 * </pre>
 * The residual adds and the backward's "+=" into dh are what carry the residual stream's gradient, as in the
 * engine's host pass. All weights live in one device array W, all gradients in one G, the moments in M and V, tensor
 * i at a fixed offset (the {@code …At} kernels take it as an argument): with an array per tensor the graph exceeded
 * TornadoVM's 1,024 graph nodes at two blocks. So the update is three tasks over every parameter at once, each
 * parameter with its own weight decay from a persistent array. Sizes that change with the chunk (positions N,
 * segments, T, rows) travel in small dims arrays refilled before every execution; the update tasks are switched off
 * in runs without update by setting their sizes to 0, so one compiled graph serves every chunk and nothing
 * recompiles.
 */
final class TornadoTransformerTrainer extends PooledSession<TornadoTransformerTrainer>
    implements DeviceTransformerTrainer {
  /**
   * The most blocks one graph holds. TornadoVM 5.2 has fixed limits per task graph: 8 KB of graph bytecode
   * (15 + 5·arguments bytes per task), 1,024 nodes in its internal graph (objects, their transfers, tasks, written
   * arguments) and 256 tasks. This graph has 19 + 31·blocks tasks of about 8 arguments: 1 to 5 blocks (up to 174
   * tasks) were checked on PoCL, 6, 8 and 12 overflowed the graph bytecode. The limit does not depend on the
   * widths.
   */
  static final int MAX_BLOCKS = 5;

  private final Spec spec;
  private final int tensors;
  /** Every tensor in one array each: weights, gradients, AdamW moments; tensor i at {@link #offset}[i]. */
  private final FloatArray w;
  private final FloatArray g;
  private final FloatArray m;
  private final FloatArray v;
  private final int[] offset;
  private final int total;
  private final IntArray tokens;
  private final IntArray positions;
  private final IntArray rowPos;
  private final IntArray targets;
  private final FloatArray mask;
  private final FloatArray losses;
  private final FloatArray stats = new FloatArray(2);
  private final FloatArray scaleParam = new FloatArray(1);
  private final FloatArray hp = new FloatArray(7);
  /** Dims arrays that depend on the chunk, by their formula; refilled before every execution. */
  private final Map<String, Dims> dims = new LinkedHashMap<>();
  private final List<Object> moving = new ArrayList<>();
  /** {n, 0} in a run with update, {0, 0} otherwise: switches the update tasks on and off. */
  private final IntArray updateDims = new IntArray(2);
  private final IntArray normDims = new IntArray(1);
  private final int totalBlocks;
  private final TornadoExecutionPlan plan;
  private TornadoExecutionResult last;
  // the current chunk's sizes, read by the dims formulas
  private int n;
  private int segs;
  private int t;
  private int rows;
  private double lastGradNorm = Double.NaN;

  /** A dims array and how to fill it from the chunk's sizes. */
  private record Dims(IntArray array, java.util.function.Supplier<int[]> values) {}

  TornadoTransformerTrainer(Spec spec, float[][] params, TornadoDevice device,
                            Consumer<TornadoTransformerTrainer> pool) {
    super(pool);
    this.spec = spec;
    int layers = spec.layers();
    tensors = Spec.tensorCount(layers);
    if (params.length != tensors) {
      throw new IllegalArgumentException(params.length + " tensors given, the spec has " + tensors);
    }
    int vocab = spec.vocab();
    int d = spec.width();
    int nh = spec.heads();
    int c = spec.context();
    int r = spec.maxRows();
    int maxN = spec.maxSegments() * c;
    int planes = spec.maxSegments() * nh * c * c;
    int[] f = spec.mlpWidth();
    int fMax = Arrays.stream(f).max().orElse(1);
    offset = new int[tensors];
    int sum = 0;
    for (int i = 0; i < tensors; i++) {
      offset[i] = sum;
      sum += spec.size(i);
    }
    total = sum;
    w = zeros(total);
    g = zeros(total);
    m = zeros(total);
    v = zeros(total);
    FloatArray wd = zeros(total);
    for (int i = 0; i < tensors; i++) {
      float decay = spec.decay()[i] ? spec.weightDecay() : 0f;
      for (int k = 0; k < spec.size(i); k++) {
        wd.set(offset[i] + k, decay);
      }
    }
    setWeights(params);
    tokens = new IntArray(maxN);
    positions = new IntArray(maxN);
    rowPos = new IntArray(r);
    targets = new IntArray(r);
    mask = new FloatArray(r);
    losses = new FloatArray(r);
    FloatArray clip = FloatArray.fromElements(spec.gradClip());
    FloatArray attScale = FloatArray.fromElements(AttentionKernels.scoreScale(d / nh));

    // activations, per block, and one set of gradient buffers shared by every block (as the host pass)
    FloatArray[] h = new FloatArray[layers + 1];
    for (int l = 0; l <= layers; l++) {
      h[l] = zeros(maxN * d);
    }
    FloatArray[] h2 = new FloatArray[layers];
    FloatArray[] ln1 = new FloatArray[layers];
    FloatArray[] ln2 = new FloatArray[layers];
    FloatArray[] y = new FloatArray[layers];
    FloatArray[] qkv = new FloatArray[layers];
    FloatArray[] pre = new FloatArray[layers];
    FloatArray[] act = new FloatArray[layers];
    FloatArray[] att = new FloatArray[layers];
    FloatArray[] ln1Mean = new FloatArray[layers];
    FloatArray[] ln1Rstd = new FloatArray[layers];
    FloatArray[] ln2Mean = new FloatArray[layers];
    FloatArray[] ln2Rstd = new FloatArray[layers];
    for (int l = 0; l < layers; l++) {
      h2[l] = zeros(maxN * d);
      ln1[l] = zeros(maxN * d);
      ln2[l] = zeros(maxN * d);
      y[l] = zeros(maxN * d);
      qkv[l] = zeros(maxN * 3 * d);
      pre[l] = zeros(maxN * f[l]);
      act[l] = zeros(maxN * f[l]);
      att[l] = zeros(planes);
      ln1Mean[l] = zeros(maxN);
      ln1Rstd[l] = zeros(maxN);
      ln2Mean[l] = zeros(maxN);
      ln2Rstd[l] = zeros(maxN);
    }
    FloatArray lnf = zeros(maxN * d);
    FloatArray lnfMean = zeros(maxN);
    FloatArray lnfRstd = zeros(maxN);
    FloatArray feats = zeros(r * d);
    FloatArray dfeats = zeros(r * d);
    FloatArray logits = zeros(r * vocab);
    FloatArray dlogits = zeros(r * vocab);
    FloatArray dh = zeros(maxN * d);
    FloatArray dln = zeros(maxN * d);
    FloatArray dy = zeros(maxN * d);
    FloatArray dqkv = zeros(maxN * 3 * d);
    FloatArray datt = zeros(planes);
    FloatArray dpre = zeros(maxN * fMax);
    FloatArray dact = zeros(maxN * fMax);
    FloatArray dlnf = zeros(maxN * d);

    List<Object> persistent = new ArrayList<>(List.of(w, g, m, v, wd));
    persistent.addAll(List.of(h));
    for (int l = 0; l < layers; l++) {
      persistent.addAll(List.of(h2[l], ln1[l], ln2[l], y[l], qkv[l], pre[l], act[l], att[l], ln1Mean[l],
          ln1Rstd[l], ln2Mean[l], ln2Rstd[l]));
    }
    persistent.addAll(List.of(lnf, lnfMean, lnfRstd, feats, dfeats, logits, dlogits, dh, dln, dy, dqkv, datt, dpre,
        dact, dlnf, clip, attScale));
    totalBlocks = (total + TornadoKernels.BLOCK - 1) / TornadoKernels.BLOCK;
    FloatArray partials = zeros(totalBlocks);
    persistent.add(partials);
    moving.addAll(List.of(tokens, positions, rowPos, targets, mask, scaleParam, hp, normDims, updateDims));

    TaskGraph tg = new TaskGraph("train_transformer");
    IntArray nd = dims("n,d", () -> new int[] {n, d, t});
    IntArray ndFlat = dims("n*d", () -> new int[] {n * d});
    IntArray attDims = dims("att", () -> new int[] {segs, t, d, nh});
    // forward
    tg.task("embed", TornadoKernels::embedAt, tokens, w, h[0], nd, offset[0], offset[1], maxN * d);
    for (int l = 0; l < layers; l++) {
      int b = Spec.block(l);
      int fl = f[l];
      IntArray fFlat = dims("n*" + fl, () -> new int[] {n * fl});
      tg.task("ln1_" + l, TornadoKernels::layerNormForwardAt, h[l], w, ln1[l], ln1Mean[l], ln1Rstd[l], nd,
          offset[b], offset[b + 1], maxN);
      tg.task("qkv_" + l, TornadoKernels::denseForwardAt, ln1[l], w, qkv[l], dense(d, 3 * d), offset[b + 2],
          offset[b + 3], maxN * 3 * d);
      tg.task("att_" + l, TornadoKernels::attentionForward, qkv[l], att[l], y[l], attDims, attScale,
          spec.maxSegments() * nh * c);
      tg.task("proj_" + l, TornadoKernels::denseForwardAt, y[l], w, h2[l], dense(d, d), offset[b + 4],
          offset[b + 5], maxN * d);
      tg.task("res1_" + l, TornadoKernels::addInto, h[l], h2[l], ndFlat, maxN * d);
      tg.task("ln2_" + l, TornadoKernels::layerNormForwardAt, h2[l], w, ln2[l], ln2Mean[l], ln2Rstd[l], nd,
          offset[b + 6], offset[b + 7], maxN);
      tg.task("fc_" + l, TornadoKernels::denseForwardAt, ln2[l], w, pre[l], dense(d, fl), offset[b + 8],
          offset[b + 9], maxN * fl);
      tg.task("gelu_" + l, TornadoKernels::geluForward, pre[l], act[l], fFlat, maxN * fl);
      tg.task("fcproj_" + l, TornadoKernels::denseForwardAt, act[l], w, h[l + 1], dense(fl, d), offset[b + 10],
          offset[b + 11], maxN * d);
      tg.task("res2_" + l, TornadoKernels::addInto, h2[l], h[l + 1], ndFlat, maxN * d);
    }
    int lf = Spec.block(layers);
    tg.task("lnf", TornadoKernels::layerNormForwardAt, h[layers], w, lnf, lnfMean, lnfRstd, nd, offset[lf],
        offset[lf + 1], maxN);
    IntArray rd = dims("rows,d", () -> new int[] {rows, d});
    tg.task("gather", TornadoKernels::gatherRows, lnf, rowPos, feats, rd, r * d);
    IntArray headDims = dims("head", () -> new int[] {rows, d, vocab});
    tg.task("head", TornadoKernels::denseForwardAt, feats, w, logits, headDims, offset[lf + 2], offset[lf + 3],
        r * vocab);
    // loss
    IntArray ld = dims("rows,vocab", () -> new int[] {rows, vocab});
    tg.task("ce_fwd", TornadoKernels::crossEntropyForward, logits, targets, mask, losses, ld, r);
    tg.task("ce_bwd", TornadoKernels::crossEntropyBackward, logits, targets, mask, dlogits, ld, scaleParam, r);
    // head backward: dW += dlogitsᵀ · feats, db += Σ dlogits, dfeats = dlogits · W
    tg.task("head_bwd_w", TornadoKernels::gemmTNInto, dlogits, feats, g,
        dims("head_w", () -> new int[] {vocab, rows, d}), offset[lf + 2], vocab * d);
    tg.task("head_bwd_b", TornadoKernels::biasGradAt, dlogits, g, headDims, offset[lf + 3], vocab);
    tg.task("head_bwd_x", TornadoKernels::gemmNNFrom, dlogits, w, dfeats,
        dims("head_x", () -> new int[] {rows, vocab, d}), offset[lf + 2], r * d);
    // the rows' feature gradients into the chunk's positions, then the final LayerNorm
    tg.task("zero_dlnf", TornadoKernels::zero, dlnf, ndFlat, maxN * d);
    tg.task("scatter", TornadoKernels::scatterRows, dfeats, rowPos, dlnf, rd, d);
    tg.task("zero_dh", TornadoKernels::zero, dh, ndFlat, maxN * d);
    tg.task("lnf_bwd_x", TornadoKernels::layerNormBackwardInputAt, h[layers], dlnf, w, lnfMean, lnfRstd, dh, nd,
        offset[lf], maxN);
    tg.task("lnf_bwd_p", TornadoKernels::layerNormBackwardParamsAt, h[layers], dlnf, lnfMean, lnfRstd, g, nd,
        offset[lf], offset[lf + 1], d);
    // blocks backward; dh holds d h_{l+1} on entry and d h_l on exit
    for (int l = layers - 1; l >= 0; l--) {
      int b = Spec.block(l);
      int fl = f[l];
      IntArray fFlat = dims("n*" + fl, () -> new int[] {n * fl});
      // MLP branch
      denseBackward(tg, "fcproj_bwd_" + l, act[l], dh, b + 10, dact, fl, d, maxN);
      tg.task("zero_dpre_" + l, TornadoKernels::zero, dpre, fFlat, maxN * fl);
      tg.task("gelu_bwd_" + l, TornadoKernels::geluBackward, pre[l], dact, dpre, fFlat, maxN * fl);
      denseBackward(tg, "fc_bwd_" + l, ln2[l], dpre, b + 8, dln, d, fl, maxN);
      tg.task("ln2_bwd_x_" + l, TornadoKernels::layerNormBackwardInputAt, h2[l], dln, w, ln2Mean[l], ln2Rstd[l], dh,
          nd, offset[b + 6], maxN);
      tg.task("ln2_bwd_p_" + l, TornadoKernels::layerNormBackwardParamsAt, h2[l], dln, ln2Mean[l], ln2Rstd[l], g,
          nd, offset[b + 6], offset[b + 7], d);
      // attention branch
      denseBackward(tg, "proj_bwd_" + l, y[l], dh, b + 4, dy, d, d, maxN);
      tg.task("zero_dqkv_" + l, TornadoKernels::zero, dqkv, dims("n*3d", () -> new int[] {n * 3 * d}),
          maxN * 3 * d);
      tg.task("att_bwd_q_" + l, TornadoKernels::attentionBackwardQuery, qkv[l], att[l], dy, datt, dqkv, attDims,
          attScale, spec.maxSegments() * nh * c);
      tg.task("att_bwd_kv_" + l, TornadoKernels::attentionBackwardKeyValue, qkv[l], att[l], dy, datt, dqkv, attDims,
          attScale, spec.maxSegments() * nh * c);
      denseBackward(tg, "qkv_bwd_" + l, ln1[l], dqkv, b + 2, dln, d, 3 * d, maxN);
      tg.task("ln1_bwd_x_" + l, TornadoKernels::layerNormBackwardInputAt, h[l], dln, w, ln1Mean[l], ln1Rstd[l], dh,
          nd, offset[b], maxN);
      tg.task("ln1_bwd_p_" + l, TornadoKernels::layerNormBackwardParamsAt, h[l], dln, ln1Mean[l], ln1Rstd[l], g, nd,
          offset[b], offset[b + 1], d);
    }
    // embeddings: each table column adds its positions' gradients in position order
    tg.task("wte_bwd", TornadoKernels::embeddingBackwardAt, tokens, dh, g, nd, offset[0], d);
    tg.task("wpe_bwd", TornadoKernels::embeddingBackwardAt, positions, dh, g, nd, offset[1], d);
    // update: global norm, clip, AdamW, zero the gradients (sizes 0 in runs without update)
    tg.task("norm_blocks", TornadoKernels::blockSumSquares, g, partials, updateDims, totalBlocks);
    tg.task("norm", TornadoKernels::finishNorm, partials, stats, normDims, clip);
    tg.task("adamw", TornadoKernels::adamwClipZeroFlat, w, g, m, v, wd, updateDims, hp, stats, total);
    moving.add(stats);

    tg.transferToDevice(DataTransferMode.FIRST_EXECUTION, persistent.toArray());
    tg.transferToDevice(DataTransferMode.EVERY_EXECUTION, moving.toArray());
    tg.transferToHost(DataTransferMode.EVERY_EXECUTION, losses, stats);
    tg.transferToHost(DataTransferMode.UNDER_DEMAND, w, m, v);
    plan = new TornadoExecutionPlan(tg.snapshot()).withDevice(device);
  }

  private void setWeights(float[][] params) {
    for (int i = 0; i < tensors; i++) {
      if (params[i].length != spec.size(i)) {
        throw new IllegalArgumentException("tensor " + i + " has " + params[i].length + " values, the spec says "
            + spec.size(i));
      }
      for (int k = 0; k < params[i].length; k++) {
        w.set(offset[i] + k, params[i][k]);
      }
    }
  }

  /** The dims array of this formula (one per distinct formula), moved to the device and refilled every run. */
  private IntArray dims(String key, java.util.function.Supplier<int[]> values) {
    Dims existing = dims.get(key);
    if (existing != null) {
      return existing.array();
    }
    IntArray a = new IntArray(values.get().length);
    dims.put(key, new Dims(a, values));
    moving.add(a);
    return a;
  }

  /** dims of a dense layer over the chunk's positions: {N, nIn, nOut}. */
  private IntArray dense(int nIn, int nOut) {
    return dims("dense " + nIn + "," + nOut, () -> new int[] {n, nIn, nOut});
  }

  /**
   * Backward of a dense layer over the chunk's N positions, its weight tensor wi and bias wi + 1: dW(nOut, nIn) +=
   * dOutᵀ · in, db += Σ dOut, and dIn(N, nIn) = dOut · W (written, as the host pass zeroes it and adds).
   */
  private void denseBackward(TaskGraph tg, String name, FloatArray in, FloatArray dOut, int wi, FloatArray dIn,
                             int nIn, int nOut, int maxN) {
    tg.task(name + "_w", TornadoKernels::gemmTNInto, dOut, in, g,
        dims("tn " + nOut + "," + nIn, () -> new int[] {nOut, n, nIn}), offset[wi], nOut * nIn);
    tg.task(name + "_b", TornadoKernels::biasGradAt, dOut, g, dense(nIn, nOut), offset[wi + 1], nOut);
    tg.task(name + "_x", TornadoKernels::gemmNNFrom, dOut, w, dIn,
        dims("nn " + nOut + "," + nIn, () -> new int[] {n, nOut, nIn}), offset[wi], maxN * nIn);
  }

  private static FloatArray zeros(int n) {
    FloatArray a = new FloatArray(Math.max(n, 1));
    a.init(0f);
    return a;
  }

  @Override
  public double run(int[] tokenIds, int segments, int len, int[] rowPositions, int[] targetIds, float[] weights,
                    int rowCount, float scale, boolean update, float lr, int step) {
    checkOpen();
    if (rowCount < 1 || rowCount > spec.maxRows()) {
      throw new IllegalArgumentException("rows must be in [1, " + spec.maxRows() + "], was " + rowCount);
    }
    if (segments < 1 || segments > spec.maxSegments() || len < 1 || len > spec.context()) {
      throw new IllegalArgumentException(segments + " segments of " + len + " positions; at most "
          + spec.maxSegments() + " of " + spec.context());
    }
    if (update && step < 1) {
      throw new IllegalArgumentException("the AdamW step is 1-based, was " + step);
    }
    n = segments * len;
    segs = segments;
    t = len;
    rows = rowCount;
    TornadoBackend.copyIn(tokenIds, tokens, n);
    for (int p = 0; p < n; p++) {
      positions.set(p, p % len);
    }
    for (int i = 0; i < rowCount; i++) {
      if (rowPositions[i] < 0 || rowPositions[i] >= n) {
        throw new IllegalArgumentException("row " + i + " reads position " + rowPositions[i] + " of " + n);
      }
      rowPos.set(i, rowPositions[i]);
    }
    TornadoBackend.copyIn(targetIds, targets, rowCount);
    TornadoBackend.copyIn(weights, mask, rowCount);
    for (Dims dd : dims.values()) {
      int[] vals = dd.values().get();
      for (int i = 0; i < vals.length; i++) {
        dd.array().set(i, vals[i]);
      }
    }
    scaleParam.set(0, scale);
    updateDims.set(0, update ? total : 0);
    normDims.set(0, update ? totalBlocks : 0);
    if (update) {
      hp.set(0, lr);
      hp.set(1, spec.beta1());
      hp.set(2, spec.beta2());
      hp.set(3, spec.eps());
      hp.set(5, (float) (1.0 - Math.pow(spec.beta1(), step)));
      hp.set(6, (float) (1.0 - Math.pow(spec.beta2(), step)));
      stats.set(0, 0f);
      stats.set(1, 1f);
    }
    last = plan.execute();
    if (update) {
      lastGradNorm = stats.get(0);
    }
    double sum = 0;
    for (int i = 0; i < rowCount; i++) {
      sum += losses.get(i);
    }
    return sum;
  }

  @Override
  public double lastGradNorm() { return lastGradNorm; }

  @Override
  public void download(float[][] params, float[][] mOut, float[][] vOut) {
    checkOpen();
    if (last != null) {
      last.transferToHost(w, m, v);
    }
    for (int i = 0; i < tensors; i++) {
      for (int k = 0; k < spec.size(i); k++) {
        params[i][k] = w.get(offset[i] + k);
        mOut[i][k] = m.get(offset[i] + k);
        vOut[i][k] = v.get(offset[i] + k);
      }
    }
  }

  Spec spec() { return spec; }

  /**
   * Starts a new session on this trainer's compiled graph: new weights, zero moments and gradients; the device
   * buffers are released so the next run copies every FIRST_EXECUTION buffer again (see {@link TornadoTrainer#reset}).
   */
  void reset(float[][] params) {
    setWeights(params);
    g.init(0f);
    m.init(0f);
    v.init(0f);
    plan.freeDeviceMemory();
    last = null;
    lastGradNorm = Double.NaN;
    reopen();
  }

  @Override
  TornadoExecutionPlan plan() { return plan; }

  @Override
  TornadoTransformerTrainer self() { return this; }
}
