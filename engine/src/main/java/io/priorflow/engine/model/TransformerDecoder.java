package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;

/**
 * Incremental decoding of a transformer with a key/value cache: each step feeds one position of every sequence of a
 * chunk through the blocks, keeping each block's keys and values, so a sampled token costs one position's work
 * instead of the whole prefix's. Not thread-safe; one per {@link TokenModel#sample} call.
 *
 * <p>Sequences are read as in {@link TransformerNet}: u = [pad, x_0, …]. Step k feeds position k of every sequence of
 * the chunk (a prompt's own tokens while it is shorter than k, then what was sampled); a sequence whose last known
 * position is k samples its next token from step k's output. Every kernel computes an output row on its own, and
 * {@link KernelBackend#attentionDecode} reproduces {@link KernelBackend#attentionForward}'s row bit for bit, so the
 * tokens are the same as sampling without the cache. The cache holds C positions; a sequence that needs more goes on
 * without it (sliding windows) in the caller's loop.
 *
 * <p>Dimensions: B sequences in the chunk, C context, D width, NH heads, F_l MLP width of block l, V vocabulary.
 */
final class TransformerDecoder {
  private final TokenModelConfig cfg;
  private final KernelBackend be;
  private final float[][] w;
  private final int batch, c, d, nh, layers, v;
  private final float[][] kCache, vCache;    // per block: (B, C, D)
  private final int[] tok, pos, len;         // (B): this step's token, position, and cache length (pos + 1)
  private final float[] x, ln, qkv, q, y, h2, tmp, scores, logits; // (B, ·) scratch
  private final float[] pre, act;           // (B, F_max)

  TransformerDecoder(TokenModelConfig cfg, KernelBackend be, float[][] w, int batch) {
    this.cfg = cfg;
    this.be = be;
    this.w = w;
    this.batch = batch;
    c = cfg.context();
    d = cfg.embedDim();
    nh = cfg.heads();
    layers = cfg.layers();
    v = cfg.vocab();
    kCache = new float[layers][batch * c * d];
    vCache = new float[layers][batch * c * d];
    tok = new int[batch];
    pos = new int[batch];
    len = new int[batch];
    x = new float[batch * d];
    ln = new float[batch * d];
    qkv = new float[batch * 3 * d];
    q = new float[batch * d];
    y = new float[batch * d];
    h2 = new float[batch * d];
    tmp = new float[batch * d];
    scores = new float[batch * nh * c];
    logits = new float[batch * v];
    int fMax = cfg.hidden().stream().mapToInt(Integer::intValue).max().orElse(1);
    pre = new float[batch * fMax];
    act = new float[batch * fMax];
  }

  /**
   * Samples for sequences {@code first .. first + B − 1} of the caller's buffers (see {@link TokenModel#sample}) while
   * their positions fit the cache: {@code buf[i]} holds {@code len[i]} tokens, {@code produced[i]} of them sampled so
   * far (at most {@code max}), {@code done[i]} once the stop token was drawn.
   */
  void run(int first, int[][] buf, int[] bufLen, int[] produced, boolean[] done, int max, SamplingConfig sc,
           java.util.List<java.util.SplittableRandom> rngs) {
    double[] scratch = new double[v];
    for (int k = 0; k < c; k++) {
      boolean any = false;
      for (int b = 0; b < batch; b++) {
        int i = first + b;
        boolean wants = !done[i] && produced[i] < max;
        any |= wants && k <= bufLen[i];
        // u[k] = pad at k = 0, else x_(k−1); a sequence with nothing left to do feeds padding
        tok[b] = wants && k > 0 && k <= bufLen[i] ? buf[i][k - 1] : cfg.padToken();
        pos[b] = k;
        len[b] = k + 1;
      }
      if (!any) return;
      step(k);
      for (int b = 0; b < batch; b++) {
        int i = first + b;
        if (done[i] || produced[i] >= max || k != bufLen[i]) continue;
        int t = Sampler.sample(logits, b * v, v, sc, rngs.get(i), scratch);
        buf[i][bufLen[i]++] = t;
        produced[i]++;
        if (t == sc.stopToken()) done[i] = true;
      }
    }
  }

  /** One position (k) of every sequence through the model: fills the caches at k and {@link #logits}. */
  private void step(int k) {
    int n = batch;
    be.embeddingForward(tok, w[0], x, n, d);
    be.embeddingForward(pos, w[1], tmp, n, d);
    be.add(tmp, x, n * d);
    for (int l = 0; l < layers; l++) {
      int b0 = ParamLayout.block(l), f = cfg.hidden().get(l);
      be.layerNormForward(x, w[b0 + ParamLayout.LN1_G], w[b0 + ParamLayout.LN1_B], ln, tmp, scores, n, d);
      be.denseForward(ln, w[b0 + ParamLayout.QKV_W], w[b0 + ParamLayout.QKV_B], qkv, n, d, 3 * d);
      for (int b = 0; b < n; b++) {
        int src = b * 3 * d, dst = (b * c + k) * d;
        System.arraycopy(qkv, src, q, b * d, d);
        System.arraycopy(qkv, src + d, kCache[l], dst, d);
        System.arraycopy(qkv, src + 2 * d, vCache[l], dst, d);
      }
      be.attentionDecode(q, kCache[l], vCache[l], len, scores, y, n, c, d, nh);
      be.denseForward(y, w[b0 + ParamLayout.PROJ_W], w[b0 + ParamLayout.PROJ_B], h2, n, d, d);
      be.add(x, h2, n * d);
      be.layerNormForward(h2, w[b0 + ParamLayout.LN2_G], w[b0 + ParamLayout.LN2_B], ln, tmp, scores, n, d);
      be.denseForward(ln, w[b0 + ParamLayout.FC_W], w[b0 + ParamLayout.FC_B], pre, n, d, f);
      be.geluForward(pre, act, n * f);
      be.denseForward(act, w[b0 + ParamLayout.FCPROJ_W], w[b0 + ParamLayout.FCPROJ_B], x, n, f, d);
      be.add(h2, x, n * d);
    }
    int lf = ParamLayout.block(layers);
    be.layerNormForward(x, w[lf], w[lf + 1], ln, tmp, scores, n, d);
    int o = w.length - 2;
    be.denseForward(ln, w[o], w[o + 1], logits, n, d, v);
  }
}
