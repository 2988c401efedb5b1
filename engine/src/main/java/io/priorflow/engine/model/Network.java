package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;

/**
 * The window MLP's {@link Body}: scratch buffers and the forward/backward pass of its hidden layers, for up to
 * {@code maxRows} positions (rows, one window each) at once. Not thread-safe: one per thread of work. Not a model: it holds no weights, only
 * activations and activation gradients; weights and weight gradients are passed in, as arrays in
 * {@link ParamLayout} order.
 *
 * <p>Dimensions: R rows (positions) in this pass, C window, D embedding width, H_l hidden widths, V vocabulary.
 * <pre>
 *  ctx (R, C) ─embeddingForward─▶ x0 (R, C·D) ─denseForward─▶ pre_0 ─act─▶ act_0 ─ … ─▶ act_L−1 (R, H_L)
 *  token head : act_L−1 ─denseForward─▶ logits (R, V)
 *  scalar head: done by the caller on pooled rows of act_L−1 (see {@link TokenModel#scores})
 * </pre>
 * With {@link LoraAdapters} attached, every dense layer of the body and of the token head adds its low-rank path
 * after the frozen layer's own output ({@code loraForward}), and backward accumulates adapter gradients
 * ({@code loraBackward}); passing {@code g = null} to the backward methods then skips every base-weight gradient,
 * so a frozen base costs no gradient memory and no gradient arithmetic.
 */
final class Network extends Body {
  final int[] ctx;            // (maxRows, C) token ids of each row's window
  final float[] x0, dx0;      // (maxRows, C·D)
  final float[][] pre, act;   // per layer l: (maxRows, H_l)
  final float[][] dpre, dact; // same shapes
  final float[][] loraH, loraDh; // per hidden layer l = 0..L−1: (maxRows, r); null without adapters

  Network(TokenModelConfig cfg, KernelBackend be, int maxRows, LoraAdapters lora) {
    super(cfg, be, maxRows, lora);
    if (lora == null) {
      loraH = null;
      loraDh = null;
    } else {
      loraH = new float[lora.layers() - 1][maxRows * lora.rank];
      loraDh = new float[lora.layers() - 1][maxRows * lora.rank];
    }
    int l = cfg.layers();
    ctx = new int[maxRows * cfg.context()];
    x0 = new float[maxRows * cfg.inputWidth()];
    dx0 = new float[x0.length];
    pre = new float[l][];
    act = new float[l][];
    dpre = new float[l][];
    dact = new float[l][];
    for (int i = 0; i < l; i++) {
      int n = maxRows * cfg.hidden().get(i);
      pre[i] = new float[n];
      act[i] = new float[n];
      dpre[i] = new float[n];
      dact[i] = new float[n];
    }
  }

  @Override
  void setRow(int r, int[] seq, int t, boolean inclusive) { setWindow(r, seq, t, inclusive); }

  @Override
  boolean full(int rows) { return rows >= maxRows; }

  @Override
  boolean fits(int rows, int[] seq, int from, int to, boolean inclusive) { return rows + (to - from) <= maxRows; }

  @Override
  float[] feats() { return act[cfg.layers() - 1]; }

  @Override
  float[] dfeats() { return dact[cfg.layers() - 1]; }

  /**
   * Fills row r's window with the C tokens before position {@code pos} of {@code seq} (exclusive), or ending at
   * {@code pos} inclusive when {@code inclusive}; positions before the start are the pad token.
   */
  void setWindow(int r, int[] seq, int pos, boolean inclusive) {
    int c = cfg.context();
    int end = inclusive ? pos + 1 : pos; // exclusive end of the window in seq
    for (int j = 0; j < c; j++) {
      int p = end - c + j;
      ctx[r * c + j] = p >= 0 ? seq[p] : cfg.padToken();
    }
  }

  /** Body forward for the first {@code rows} windows: fills x0, pre and act. */
  @Override
  void forwardBody(float[][] w, int rows) {
    int c = cfg.context(), d = cfg.embedDim();
    be.embeddingForward(ctx, w[0], x0, rows * c, d);
    float[] in = x0;
    int nIn = cfg.inputWidth();
    for (int l = 0; l < cfg.layers(); l++) {
      int h = cfg.hidden().get(l);
      be.denseForward(in, w[ParamLayout.weight(l)], w[ParamLayout.bias(l)], pre[l], rows, nIn, h);
      if (lora != null) be.loraForward(in, lora.a[l], lora.b[l], loraH[l], pre[l], rows, nIn, lora.rank, h, lora.scale);
      activate(pre[l], act[l], rows * h);
      in = act[l];
      nIn = h;
    }
  }

  /**
   * Body backward from dact[L−1] (rows, H_L) down to the embedding table; accumulates into g, or, when g is null
   * (a frozen base), only into the adapters' gradients.
   */
  @Override
  void backwardBody(float[][] w, float[][] g, int rows) {
    int c = cfg.context(), d = cfg.embedDim();
    for (int l = cfg.layers() - 1; l >= 0; l--) {
      int h = cfg.hidden().get(l);
      int nIn = l == 0 ? cfg.inputWidth() : cfg.hidden().get(l - 1);
      float[] in = l == 0 ? x0 : act[l - 1];
      float[] dIn = l == 0 ? dx0 : dact[l - 1];
      Arrays.fill(dpre[l], 0, rows * h, 0f);
      activateBackward(pre[l], act[l], dact[l], dpre[l], rows * h);
      if (g != null) {
        be.denseBackwardWeights(dpre[l], in, g[ParamLayout.weight(l)], rows, nIn, h);
        be.denseBackwardBias(dpre[l], g[ParamLayout.bias(l)], rows, h);
      }
      Arrays.fill(dIn, 0, rows * nIn, 0f);
      // d(x0) only feeds the embedding gradient: a frozen base skips it
      if (g != null || l > 0) be.denseBackwardInput(dpre[l], w[ParamLayout.weight(l)], dIn, rows, nIn, h);
      if (lora != null) {
        be.loraBackward(in, loraH[l], dpre[l], lora.a[l], lora.b[l], loraDh[l], dIn, lora.da[l], lora.db[l], rows, nIn,
            lora.rank, h, lora.scale);
      }
    }
    if (g != null) be.embeddingBackward(ctx, dx0, g[0], rows * c, d);
  }

  private void activate(float[] x, float[] y, int n) {
    switch (cfg.activation()) {
      case GELU -> be.geluForward(x, y, n);
      case RELU -> be.reluForward(x, y, n);
      case TANH -> be.tanhForward(x, y, n);
    }
  }

  private void activateBackward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    switch (cfg.activation()) {
      case GELU -> be.geluBackward(x, dy, dx, n);
      case RELU -> be.reluBackward(x, dy, dx, n);
      case TANH -> be.tanhBackward(y, dy, dx, n);
    }
  }
}
