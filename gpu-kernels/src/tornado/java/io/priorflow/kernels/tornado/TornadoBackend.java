package io.priorflow.kernels.tornado;

import io.priorflow.kernels.AttentionKernels;
import io.priorflow.kernels.backend.DeviceTrainer;
import io.priorflow.kernels.backend.DeviceTransformerTrainer;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The {@link KernelBackend} on TornadoVM's default device: every kernel of the interface as a task graph over
 * {@link TornadoKernels}, and a whole training step kept on the device, for the MLP ({@link TornadoTrainer}) and for
 * the transformer ({@link TornadoTransformerTrainer}).
 *
 * <p>Single kernel calls come with the interface's plain {@code float[]} arrays, so each call copies its inputs into
 * off-heap buffers, runs the kernel's graph and copies its outputs back: correct everywhere, but for small problems
 * the copies cost more than the arithmetic. Training, where the time goes, uses {@link #deviceTrainer}, whose graph
 * moves only batches. Each kernel's graph is built and compiled once per buffer capacity (sizes rounded up to a power
 * of two, so a few graphs serve every shape) and its {@link TornadoExecutionPlan} reused; sizes travel in a
 * {@code dims} array, so changing the batch does not recompile.
 *
 * <p>Calls are serialised (one device, one queue); results match the reference kernels within float rounding.
 */
public final class TornadoBackend implements KernelBackend {
  private static final int MIN_CAPACITY = 64;

  private final TornadoDevice device;
  private final String deviceName;
  private final Map<String, Op> ops = new HashMap<>();
  /** Training graphs of ended sessions, by spec, waiting for the next session of that shape. */
  private final Map<DeviceTrainer.Spec, java.util.ArrayDeque<TornadoTrainer>> trainers = new HashMap<>();
  /** The same for the transformer's training graphs. */
  private final Map<DeviceTransformerTrainer.Spec, java.util.ArrayDeque<TornadoTransformerTrainer>>
      transformerTrainers = new HashMap<>();
  private boolean warnedBlocks;
  private boolean closed;

  /** System property choosing the device as "backend:device" indices, as {@code tornado --devices} lists them. */
  public static final String DEVICE_PROPERTY = "priorflow.tornado.device";

  /** The backend on TornadoVM's default device, or the one {@value #DEVICE_PROPERTY} names (e.g. "0:1"). */
  public TornadoBackend() {
    device = chooseDevice(System.getProperty(DEVICE_PROPERTY));
    deviceName = describe(device);
  }

  private static TornadoDevice chooseDevice(String spec) {
    var runtime = TornadoRuntimeProvider.getTornadoRuntime();
    if (spec == null || spec.isBlank()) {
      return runtime.getDefaultDevice();
    }
    String[] parts = spec.trim().split(":");
    try {
      int b = Integer.parseInt(parts[0]);
      int d = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      if (parts.length > 2 || b < 0 || b >= runtime.getNumBackends() || d < 0
          || d >= runtime.getBackend(b).getNumDevices()) {
        throw new NumberFormatException();
      }
      return runtime.getBackend(b).getDevice(d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + DEVICE_PROPERTY + "=" + spec + " names no TornadoVM device; "
          + "expected backend:device as 'tornado --devices' lists them, e.g. 0:0");
    }
  }

  /**
   * "platform / device (TornadoVM id)", e.g. "Portable Computing Language / pthread-skylake-avx512-AMD EPYC (opencl-0-0)":
   * the physical device's own name, which is what tells two machines' results apart.
   */
  static String describe(TornadoDevice d) {
    String platform = d.getPlatformName();
    String id = d.getDeviceName();
    String name = id;
    try {
      if (d.getPhysicalDevice() != null && d.getPhysicalDevice().getDeviceName() != null) {
        name = d.getPhysicalDevice().getDeviceName().trim() + " (" + id.trim() + ")";
      }
    } catch (RuntimeException e) {
      // a backend that cannot describe its device: its TornadoVM id is all we record
    }
    return platform == null || platform.isBlank() ? name.trim() : platform.trim() + " / " + name.trim();
  }

  @Override
  public String name() { return "tornado"; }

  @Override
  public String device() { return deviceName; }

  @Override
  public int threads() { return 1; }

  // ---- the machinery of one kernel call ----------------------------------------------------------------------

  /** Adds the kernel's task(s) to a graph, given the op's buffers and the work-item count cap. */
  @FunctionalInterface
  private interface Tasks {
    void add(TaskGraph tg, FloatArray[] f, IntArray[] t, IntArray dims, FloatArray params, int cap);
  }

  /** One compiled graph with its buffers: float buffers f, int buffers t, and the dims/params arrays. */
  private static final class Op implements AutoCloseable {
    final FloatArray[] f;
    final IntArray[] t;
    final IntArray dims = new IntArray(8);
    final FloatArray params = new FloatArray(8);
    final TornadoExecutionPlan plan;

    Op(String name, int[] fCaps, int[] tCaps, int cap, int outputs, Tasks tasks, TornadoDevice device) {
      f = new FloatArray[fCaps.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = new FloatArray(fCaps[i]);
      }
      t = new IntArray[tCaps.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = new IntArray(tCaps[i]);
      }
      TaskGraph tg = new TaskGraph(name);
      Object[] in = new Object[f.length + t.length + 2];
      System.arraycopy(f, 0, in, 0, f.length);
      System.arraycopy(t, 0, in, f.length, t.length);
      in[in.length - 2] = dims;
      in[in.length - 1] = params;
      tg.transferToDevice(DataTransferMode.EVERY_EXECUTION, in);
      tasks.add(tg, f, t, dims, params, cap);
      // the last `outputs` float buffers are what the kernel writes
      Object[] out = new Object[outputs];
      System.arraycopy(f, f.length - outputs, out, 0, outputs);
      tg.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
      plan = new TornadoExecutionPlan(tg.snapshot()).withDevice(device);
    }

    Op in(int i, float[] src, int n) {
      copyIn(src, f[i], n);
      return this;
    }

    Op in(int i, int[] src, int n) {
      copyIn(src, t[i], n);
      return this;
    }

    Op dims(int... d) {
      for (int i = 0; i < d.length; i++) {
        dims.set(i, d[i]);
      }
      return this;
    }

    Op param(float... p) {
      for (int i = 0; i < p.length; i++) {
        params.set(i, p[i]);
      }
      return this;
    }

    Op run() {
      plan.execute();
      return this;
    }

    void out(int i, float[] dst, int n) {
      copyOut(f[i], dst, n);
    }

    @Override
    public void close() {
      try {
        plan.close();
      } catch (Exception e) {
        // the plan's device memory is released with the runtime anyway; nothing else to do with the error
      }
    }
  }

  // Element loops rather than MemorySegment.copy: the FFM API is a preview API on JDK 21, and SDKs exist for 21.
  static void copyIn(float[] src, FloatArray dst, int n) {
    for (int i = 0; i < n; i++) {
      dst.set(i, src[i]);
    }
  }

  static void copyIn(int[] src, IntArray dst, int n) {
    for (int i = 0; i < n; i++) {
      dst.set(i, src[i]);
    }
  }

  static void copyOut(FloatArray src, float[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = src.get(i);
    }
  }

  /** Sizes rounded up to a power of two, at least {@link #MIN_CAPACITY}. */
  static int capacity(int n) {
    int c = MIN_CAPACITY;
    while (c < n) {
      c <<= 1;
    }
    return c;
  }

  /**
   * The op for this kernel and these sizes: float buffers of sizes fSizes (the last {@code outputs} are written),
   * int buffers of sizes tSizes, and {@code work} work-items.
   */
  private Op op(String name, int[] fSizes, int[] tSizes, int work, int outputs, Tasks tasks) {
    if (closed) {
      throw new IllegalStateException("the tornado backend is closed");
    }
    int[] fc = new int[fSizes.length];
    int[] tc = new int[tSizes.length];
    StringBuilder key = new StringBuilder(name);
    for (int i = 0; i < fc.length; i++) {
      fc[i] = capacity(fSizes[i]);
      key.append('_').append(fc[i]);
    }
    key.append('_');
    for (int i = 0; i < tc.length; i++) {
      tc[i] = capacity(tSizes[i]);
      key.append('_').append(tc[i]);
    }
    int cap = capacity(work);
    key.append("_w").append(cap);
    return ops.computeIfAbsent(key.toString(), k -> new Op(k.replace('-', '_'), fc, tc, cap, outputs, tasks, device));
  }

  private static int[] sizes(int... s) { return s; }

  private static final int[] NONE = {};

  // ---- matrix products ---------------------------------------------------------------------------------------

  @Override
  public synchronized void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm("gemm_nn", a, b, c, m, k, n, accumulate, 1f, m * k, k * n);
  }

  @Override
  public synchronized void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm("gemm_nt", a, b, c, m, k, n, accumulate, 1f, m * k, n * k);
  }

  @Override
  public synchronized void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    gemm("gemm_tn", a, b, c, m, k, n, accumulate, 1f, k * m, k * n);
  }

  private void gemm(String kind, float[] a, float[] b, float[] c, int m, int k, int n, boolean acc, float alpha,
                    int aSize, int bSize) {
    if (m == 0 || n == 0) {
      return;
    }
    Op op = op(kind, sizes(aSize, bSize, m * n), NONE, m * n, 1, (tg, f, t, d, p, cap) -> {
      switch (kind) {
        case "gemm_nn" -> tg.task(kind, TornadoKernels::gemmNN, f[0], f[1], f[2], d, p, cap);
        case "gemm_nt" -> tg.task(kind, TornadoKernels::gemmNT, f[0], f[1], f[2], d, p, cap);
        default -> tg.task(kind, TornadoKernels::gemmTN, f[0], f[1], f[2], d, p, cap);
      }
    });
    op.in(0, a, aSize).in(1, b, bSize);
    if (acc) {
      op.in(2, c, m * n);
    }
    op.dims(m, k, n, acc ? 1 : 0).param(alpha).run().out(2, c, m * n);
  }

  // ---- dense layer -----------------------------------------------------------------------------------------

  @Override
  public synchronized void denseForward(float[] x, float[] w, float[] b, float[] y, int batch, int nIn, int nOut) {
    if (batch == 0) {
      return;
    }
    op("dense_fwd", sizes(batch * nIn, nOut * nIn, nOut, batch * nOut), NONE, batch * nOut, 1,
        (tg, f, t, d, p, cap) -> tg.task("dense_fwd", TornadoKernels::denseForward, f[0], f[1], f[2], f[3], d, cap))
        .in(0, x, batch * nIn).in(1, w, nOut * nIn).in(2, b, nOut).dims(batch, nIn, nOut).run()
        .out(3, y, batch * nOut);
  }

  @Override
  public synchronized void denseBackwardInput(float[] dy, float[] w, float[] dx, int batch, int nIn, int nOut) {
    gemm("gemm_nn", dy, w, dx, batch, nOut, nIn, true, 1f, batch * nOut, nOut * nIn);
  }

  @Override
  public synchronized void denseBackwardWeights(float[] dy, float[] x, float[] dW, int batch, int nIn, int nOut) {
    gemm("gemm_tn", dy, x, dW, nOut, batch, nIn, true, 1f, batch * nOut, batch * nIn);
  }

  @Override
  public synchronized void denseBackwardBias(float[] dy, float[] db, int batch, int nOut) {
    if (nOut == 0) {
      return;
    }
    op("dense_bwd_bias", sizes(batch * nOut, nOut), NONE, nOut, 1,
        (tg, f, t, d, p, cap) -> tg.task("dense_bwd_bias", TornadoKernels::denseBackwardBias, f[0], f[1], d, cap))
        .in(0, dy, batch * nOut).in(1, db, nOut).dims(batch, 0, nOut).run().out(1, db, nOut);
  }

  // ---- activations -----------------------------------------------------------------------------------------

  @Override
  public synchronized void geluForward(float[] x, float[] y, int n) {
    unary("gelu_fwd", x, y, n, 0);
  }

  @Override
  public synchronized void geluBackward(float[] x, float[] dy, float[] dx, int n) {
    binaryAcc("gelu_bwd", x, dy, dx, n, 0);
  }

  @Override
  public synchronized void reluForward(float[] x, float[] y, int n) {
    unary("relu_fwd", x, y, n, 1);
  }

  @Override
  public synchronized void reluBackward(float[] x, float[] dy, float[] dx, int n) {
    binaryAcc("relu_bwd", x, dy, dx, n, 1);
  }

  @Override
  public synchronized void tanhForward(float[] x, float[] y, int n) {
    unary("tanh_fwd", x, y, n, 2);
  }

  @Override
  public synchronized void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    binaryAcc("tanh_bwd", y, dy, dx, n, 2);
  }

  private void unary(String name, float[] x, float[] y, int n, int which) {
    if (n == 0) {
      return;
    }
    op(name, sizes(n, n), NONE, n, 1, (tg, f, t, d, p, cap) -> {
      switch (which) {
        case 0 -> tg.task(name, TornadoKernels::geluForward, f[0], f[1], d, cap);
        case 1 -> tg.task(name, TornadoKernels::reluForward, f[0], f[1], d, cap);
        default -> tg.task(name, TornadoKernels::tanhForward, f[0], f[1], d, cap);
      }
    }).in(0, x, n).dims(n).run().out(1, y, n);
  }

  private void binaryAcc(String name, float[] x, float[] dy, float[] dx, int n, int which) {
    if (n == 0) {
      return;
    }
    op(name, sizes(n, n, n), NONE, n, 1, (tg, f, t, d, p, cap) -> {
      switch (which) {
        case 0 -> tg.task(name, TornadoKernels::geluBackward, f[0], f[1], f[2], d, cap);
        case 1 -> tg.task(name, TornadoKernels::reluBackward, f[0], f[1], f[2], d, cap);
        default -> tg.task(name, TornadoKernels::tanhBackward, f[0], f[1], f[2], d, cap);
      }
    }).in(0, x, n).in(1, dy, n).in(2, dx, n).dims(n).run().out(2, dx, n);
  }

  // ---- embeddings ------------------------------------------------------------------------------------------

  @Override
  public synchronized void embeddingForward(int[] tokens, float[] table, float[] out, int n, int dim) {
    if (n == 0 || dim == 0) {
      return;
    }
    op("embed_fwd", sizes(table.length, n * dim), sizes(n), n * dim, 1,
        (tg, f, t, d, p, cap) -> tg.task("embed_fwd", TornadoKernels::embeddingForward, t[0], f[0], f[1], d, cap))
        .in(0, tokens, n).in(0, table, table.length).dims(n, dim).run().out(1, out, n * dim);
  }

  @Override
  public synchronized void embeddingBackward(int[] tokens, float[] dOut, float[] dTable, int n, int dim) {
    if (n == 0 || dim == 0) {
      return;
    }
    op("embed_bwd", sizes(n * dim, dTable.length), sizes(n), dim, 1,
        (tg, f, t, d, p, cap) -> tg.task("embed_bwd", TornadoKernels::embeddingBackward, t[0], f[0], f[1], d, cap))
        .in(0, tokens, n).in(0, dOut, n * dim).in(1, dTable, dTable.length).dims(n, dim).run()
        .out(1, dTable, dTable.length);
  }

  // ---- softmax and losses ----------------------------------------------------------------------------------

  @Override
  public synchronized void softmaxForward(float[] logits, float[] probs, int rows, int n) {
    rowsOp("softmax_fwd", logits, probs, rows, n, 0);
  }

  @Override
  public synchronized void logSoftmaxForward(float[] logits, float[] out, int rows, int n) {
    rowsOp("log_softmax_fwd", logits, out, rows, n, 1);
  }

  private void rowsOp(String name, float[] x, float[] y, int rows, int n, int which) {
    if (rows == 0) {
      return;
    }
    op(name, sizes(rows * n, rows * n), NONE, rows, 1, (tg, f, t, d, p, cap) -> {
      if (which == 0) {
        tg.task(name, TornadoKernels::softmaxForward, f[0], f[1], d, cap);
      } else {
        tg.task(name, TornadoKernels::logSoftmaxForward, f[0], f[1], d, cap);
      }
    }).in(0, x, rows * n).dims(rows, n).run().out(1, y, rows * n);
  }

  @Override
  public synchronized void crossEntropyForward(float[] logits, int[] targets, float[] mask, float[] losses, int rows,
                                               int n) {
    if (rows == 0) {
      return;
    }
    op("ce_fwd", sizes(rows * n, rows, rows), sizes(rows), rows, 1, (tg, f, t, d, p, cap) ->
        tg.task("ce_fwd", TornadoKernels::crossEntropyForward, f[0], t[0], f[1], f[2], d, cap))
        .in(0, logits, rows * n).in(0, targets, rows).in(1, mask, rows).dims(rows, n).run().out(2, losses, rows);
  }

  @Override
  public synchronized void crossEntropyBackward(float[] logits, int[] targets, float[] mask, float[] dlogits,
                                                int rows, int n, float scale) {
    if (rows == 0) {
      return;
    }
    op("ce_bwd", sizes(rows * n, rows, rows * n), sizes(rows), rows, 1, (tg, f, t, d, p, cap) ->
        tg.task("ce_bwd", TornadoKernels::crossEntropyBackward, f[0], t[0], f[1], f[2], d, p, cap))
        .in(0, logits, rows * n).in(0, targets, rows).in(1, mask, rows).dims(rows, n).param(scale).run()
        .out(2, dlogits, rows * n);
  }

  @Override
  public synchronized void softCrossEntropyForward(float[] logits, float[] targetProbs, float[] mask, float[] losses,
                                                   int rows, int n) {
    if (rows == 0) {
      return;
    }
    op("soft_ce_fwd", sizes(rows * n, rows * n, rows, rows), NONE, rows, 1, (tg, f, t, d, p, cap) ->
        tg.task("soft_ce_fwd", TornadoKernels::softCrossEntropyForward, f[0], f[1], f[2], f[3], d, cap))
        .in(0, logits, rows * n).in(1, targetProbs, rows * n).in(2, mask, rows).dims(rows, n).run()
        .out(3, losses, rows);
  }

  @Override
  public synchronized void softCrossEntropyBackward(float[] logits, float[] targetProbs, float[] mask,
                                                    float[] dlogits, int rows, int n, float scale) {
    if (rows == 0) {
      return;
    }
    op("soft_ce_bwd", sizes(rows * n, rows * n, rows, rows * n), NONE, rows, 1, (tg, f, t, d, p, cap) ->
        tg.task("soft_ce_bwd", TornadoKernels::softCrossEntropyBackward, f[0], f[1], f[2], f[3], d, p, cap))
        .in(0, logits, rows * n).in(1, targetProbs, rows * n).in(2, mask, rows).dims(rows, n).param(scale).run()
        .out(3, dlogits, rows * n);
  }

  // ---- optimizer -------------------------------------------------------------------------------------------

  @Override
  public synchronized void adamw(float[] params, float[] grads, float[] m, float[] v, int n, float lr, float beta1,
                                 float beta2, float eps, float weightDecay, int t) {
    if (n == 0) {
      return;
    }
    float bc1 = (float) (1.0 - Math.pow(beta1, t));
    float bc2 = (float) (1.0 - Math.pow(beta2, t));
    // buffers: grads, then the three it writes: params, m, v
    Op op = op("adamw", sizes(n, n, n, n), NONE, n, 3, (tg, f, tt, d, p, cap) ->
        tg.task("adamw", TornadoKernels::adamw, f[1], f[0], f[2], f[3], d, p, cap));
    op.in(0, grads, n).in(1, params, n).in(2, m, n).in(3, v, n).dims(n)
        .param(lr, beta1, beta2, eps, weightDecay, bc1, bc2).run();
    op.out(1, params, n);
    op.out(2, m, n);
    op.out(3, v, n);
  }

  @Override
  public synchronized void scale(float[] x, int n, float factor) {
    if (n == 0) {
      return;
    }
    op("scale", sizes(n), NONE, n, 1,
        (tg, f, t, d, p, cap) -> tg.task("scale", TornadoKernels::scale, f[0], d, p, cap))
        .in(0, x, n).dims(n).param(factor).run().out(0, x, n);
  }

  // ---- LoRA: compositions of the products ------------------------------------------------------------------

  @Override
  public synchronized void loraForward(float[] x, float[] a, float[] b, float[] h, float[] y, int batch, int nIn,
                                       int rank, int nOut, float scale) {
    // h = x · Aᵀ; y += scale · h · Bᵀ
    gemm("gemm_nt", x, a, h, batch, nIn, rank, false, 1f, batch * nIn, rank * nIn);
    gemm("gemm_nt", h, b, y, batch, rank, nOut, true, scale, batch * rank, nOut * rank);
  }

  @Override
  public synchronized void loraBackward(float[] x, float[] h, float[] dy, float[] a, float[] b, float[] dh,
                                        float[] dx, float[] dA, float[] dB, int batch, int nIn, int rank, int nOut,
                                        float scale) {
    // dh = scale · dy · B; dB += scale · dyᵀ · h; dA += dhᵀ · x; dx += dh · A
    gemm("gemm_nn", dy, b, dh, batch, nOut, rank, false, scale, batch * nOut, nOut * rank);
    gemm("gemm_tn", dy, h, dB, nOut, batch, rank, true, scale, batch * nOut, batch * rank);
    gemm("gemm_tn", dh, x, dA, rank, batch, nIn, true, 1f, batch * rank, batch * nIn);
    gemm("gemm_nn", dh, a, dx, batch, rank, nIn, true, 1f, batch * rank, rank * nIn);
  }

  // ---- reductions: block sums on the device, the blocks added on the host in order ---------------------------

  @Override
  public synchronized double sum(float[] x, int n) {
    return inOrder(blocks("block_sum", x, n, 0, 0f));
  }

  @Override
  public synchronized double sumSquares(float[] x, int n) {
    return inOrder(blocks("block_sum_squares", x, n, 1, 0f));
  }

  @Override
  public synchronized float max(float[] x, int n) {
    float[] parts = blocks("block_max", x, n, 2, 0f);
    float m = parts[0];
    for (int i = 1; i < parts.length; i++) {
      m = Math.max(m, parts[i]);
    }
    return m;
  }

  @Override
  public synchronized float logSumExp(float[] x, int n) {
    float m = max(x, n);
    if (Float.isInfinite(m)) {
      return m; // all −∞ gives −∞, any +∞ gives +∞, as the reference
    }
    return (float) (m + Math.log(inOrder(blocks("block_sum_exp", x, n, 3, m))));
  }

  /** The block sums added on the host, in block order, in double. */
  private static double inOrder(float[] parts) {
    double s = 0.0;
    for (float p : parts) {
      s += p;
    }
    return s;
  }

  private float[] blocks(String name, float[] x, int n, int which, float param) {
    int nb = (n + TornadoKernels.BLOCK - 1) / TornadoKernels.BLOCK;
    float[] parts = new float[nb];
    if (nb == 0) {
      return parts;
    }
    op(name, sizes(n, nb), NONE, nb, 1, (tg, f, t, d, p, cap) -> {
      switch (which) {
        case 0 -> tg.task(name, TornadoKernels::blockSum, f[0], f[1], d, cap);
        case 1 -> tg.task(name, TornadoKernels::blockSumSquares, f[0], f[1], d, cap);
        case 2 -> tg.task(name, TornadoKernels::blockMax, f[0], f[1], d, cap);
        default -> tg.task(name, TornadoKernels::blockSumExp, f[0], f[1], d, p, cap);
      }
    }).in(0, x, n).dims(n, 0).param(param).run().out(1, parts, nb);
    return parts;
  }

  @Override
  public synchronized void rowLogSumExp(float[] x, float[] out, int rows, int n) {
    if (rows == 0) {
      return;
    }
    op("row_lse", sizes(rows * n, rows), NONE, rows, 1,
        (tg, f, t, d, p, cap) -> tg.task("row_lse", TornadoKernels::rowLogSumExp, f[0], f[1], d, cap))
        .in(0, x, rows * n).dims(rows, n).run().out(1, out, rows);
  }

  // ---- transformer blocks: layer norm, causal attention, residual add ---------------------------------------

  @Override
  public synchronized void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean,
                                            float[] rstd, int rows, int n) {
    if (rows == 0) {
      return;
    }
    // buffers: x, gamma, beta, then the three it writes: y, mean, rstd
    Op op = op("ln_fwd", sizes(rows * n, n, n, rows * n, rows, rows), NONE, rows, 3, (tg, f, t, d, p, cap) ->
        tg.task("ln_fwd", TornadoKernels::layerNormForward, f[0], f[1], f[2], f[3], f[4], f[5], d, cap));
    op.in(0, x, rows * n).in(1, gamma, n).in(2, beta, n).dims(rows, n).run();
    op.out(3, y, rows * n);
    op.out(4, mean, rows);
    op.out(5, rstd, rows);
  }

  @Override
  public synchronized void layerNormBackward(float[] x, float[] dy, float[] gamma, float[] mean, float[] rstd,
                                             float[] dx, float[] dGamma, float[] dBeta, int rows, int n) {
    if (rows == 0) {
      return;
    }
    // buffers: x, dy, gamma, mean, rstd, then the three it adds into: dx, dGamma, dBeta. Two tasks: rows, columns.
    Op op = op("ln_bwd", sizes(rows * n, rows * n, n, rows, rows, rows * n, n, n), NONE, Math.max(rows, n), 3,
        (tg, f, t, d, p, cap) -> {
          tg.task("ln_bwd_x", TornadoKernels::layerNormBackwardInput, f[0], f[1], f[2], f[3], f[4], f[5], d, cap);
          tg.task("ln_bwd_p", TornadoKernels::layerNormBackwardParams, f[0], f[1], f[3], f[4], f[6], f[7], d, cap);
        });
    op.in(0, x, rows * n).in(1, dy, rows * n).in(2, gamma, n).in(3, mean, rows).in(4, rstd, rows)
        .in(5, dx, rows * n).in(6, dGamma, n).in(7, dBeta, n).dims(rows, n).run();
    op.out(5, dx, rows * n);
    op.out(6, dGamma, n);
    op.out(7, dBeta, n);
  }

  @Override
  public synchronized void attentionForward(float[] qkv, float[] att, float[] out, int batch, int t, int dim,
                                            int heads) {
    if (batch == 0 || t == 0) {
      return;
    }
    int rows = batch * t;
    int planes = batch * heads * t * t;
    Op op = op("att_fwd", sizes(rows * 3 * dim, planes, rows * dim), NONE, batch * heads * t, 2,
        (tg, f, tt, d, p, cap) -> tg.task("att_fwd", TornadoKernels::attentionForward, f[0], f[1], f[2], d, p, cap));
    op.in(0, qkv, rows * 3 * dim).dims(batch, t, dim, heads).param(AttentionKernels.scoreScale(dim / heads)).run();
    op.out(1, att, planes);
    op.out(2, out, rows * dim);
  }

  @Override
  public synchronized void attentionBackward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv,
                                             int batch, int t, int dim, int heads) {
    if (batch == 0 || t == 0) {
      return;
    }
    int rows = batch * t;
    int planes = batch * heads * t * t;
    // buffers: qkv, att, dout, then datt (written in full) and dqkv (added into). Query rows first, then keys/values.
    Op op = op("att_bwd", sizes(rows * 3 * dim, planes, rows * dim, planes, rows * 3 * dim), NONE,
        batch * heads * t, 2, (tg, f, tt, d, p, cap) -> {
          tg.task("att_bwd_q", TornadoKernels::attentionBackwardQuery, f[0], f[1], f[2], f[3], f[4], d, p, cap);
          tg.task("att_bwd_kv", TornadoKernels::attentionBackwardKeyValue, f[0], f[1], f[2], f[3], f[4], d, p, cap);
        });
    op.in(0, qkv, rows * 3 * dim).in(1, att, planes).in(2, dout, rows * dim).in(4, dqkv, rows * 3 * dim)
        .dims(batch, t, dim, heads).param(AttentionKernels.scoreScale(dim / heads)).run();
    op.out(3, datt, planes);
    op.out(4, dqkv, rows * 3 * dim);
  }

  @Override
  public synchronized void attentionDecode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores,
                                           float[] out, int batch, int tMax, int dim, int heads) {
    if (batch == 0) {
      return;
    }
    int cache = batch * tMax * dim;
    int sc = batch * heads * tMax;
    // buffers: q, kCache, vCache, then scores (entries past len[b] untouched, so copied in) and out
    Op op = op("att_dec", sizes(batch * dim, cache, cache, sc, batch * dim), sizes(batch), batch * heads, 2,
        (tg, f, t, d, p, cap) ->
            tg.task("att_dec", TornadoKernels::attentionDecode, f[0], f[1], f[2], t[0], f[3], f[4], d, p, cap));
    op.in(0, q, batch * dim).in(1, kCache, cache).in(2, vCache, cache).in(3, scores, sc).in(0, len, batch)
        .dims(batch, tMax, dim, heads).param(AttentionKernels.scoreScale(dim / heads)).run();
    op.out(3, scores, sc);
    op.out(4, out, batch * dim);
  }

  @Override
  public synchronized void add(float[] x, float[] y, int n) {
    if (n == 0) {
      return;
    }
    op("add", sizes(n, n), NONE, n, 1,
        (tg, f, t, d, p, cap) -> tg.task("add", TornadoKernels::addInto, f[0], f[1], d, cap))
        .in(0, x, n).in(1, y, n).dims(n).run().out(1, y, n);
  }

  // ---- the whole training step -----------------------------------------------------------------------------

  /**
   * A training graph for this spec: a closed one from an earlier session of the same shape, reset to these weights
   * (no recompilation: PoCL takes ~0.1 s per kernel and a graph has 20–30), or a new one.
   */
  @Override
  public synchronized Optional<DeviceTrainer> deviceTrainer(DeviceTrainer.Spec spec, float[][] params) {
    if (closed) {
      throw new IllegalStateException("the tornado backend is closed");
    }
    java.util.ArrayDeque<TornadoTrainer> idle = trainers.get(spec);
    TornadoTrainer t = idle == null ? null : idle.pollFirst();
    if (t != null) {
      t.reset(params);
      return Optional.of(t);
    }
    return Optional.of(new TornadoTrainer(spec, params, device, this::returnTrainer));
  }

  /**
   * The transformer's training graph for this spec, reused from a closed session of the same shape like
   * {@link #deviceTrainer}'s (a graph has 19 + 31·blocks tasks to compile). Empty for a transformer of more than
   * {@link TornadoTransformerTrainer#MAX_BLOCKS} blocks, after saying so once on stderr: its graph would not fit
   * TornadoVM's fixed limits, and its steps then run as single kernel calls, each still on the device.
   */
  @Override
  public synchronized Optional<DeviceTransformerTrainer> transformerTrainer(DeviceTransformerTrainer.Spec spec,
                                                                           float[][] params) {
    if (closed) {
      throw new IllegalStateException("the tornado backend is closed");
    }
    if (spec.layers() > TornadoTransformerTrainer.MAX_BLOCKS) {
      if (!warnedBlocks) {
        warnedBlocks = true;
        System.err.println("priorflow: a transformer of " + spec.layers() + " blocks does not fit one TornadoVM task "
            + "graph (at most " + TornadoTransformerTrainer.MAX_BLOCKS + "); its training steps run as single kernel "
            + "calls on the device, which is slower");
      }
      return Optional.empty();
    }
    java.util.ArrayDeque<TornadoTransformerTrainer> idle = transformerTrainers.get(spec);
    TornadoTransformerTrainer t = idle == null ? null : idle.pollFirst();
    if (t != null) {
      t.reset(params);
      return Optional.of(t);
    }
    return Optional.of(new TornadoTransformerTrainer(spec, params, device, this::returnTransformerTrainer));
  }

  private synchronized void returnTransformerTrainer(TornadoTransformerTrainer t) {
    if (closed) {
      t.release();
    } else {
      transformerTrainers.computeIfAbsent(t.spec(), k -> new java.util.ArrayDeque<>()).addLast(t);
    }
  }

  private synchronized void returnTrainer(TornadoTrainer t) {
    if (closed) {
      t.release();
    } else {
      trainers.computeIfAbsent(t.spec(), k -> new java.util.ArrayDeque<>()).addLast(t);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      for (Op op : ops.values()) {
        op.close();
      }
      ops.clear();
      for (java.util.ArrayDeque<TornadoTrainer> idle : trainers.values()) {
        for (TornadoTrainer t : idle) {
          t.release();
        }
      }
      trainers.clear();
      for (java.util.ArrayDeque<TornadoTransformerTrainer> idle : transformerTrainers.values()) {
        for (TornadoTransformerTrainer t : idle) {
          t.release();
        }
      }
      transformerTrainers.clear();
    }
  }
}
