package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;
import java.util.List;

/**
 * The transformer family's {@link Body}: a GPT-2-style causal decoder (Radford et al. 2019; the layout of llm.c's
 * train_gpt2.c) run over <em>segments</em>, and the scratch buffers of its forward and backward pass.
 *
 * <p>Dimensions: S segments in the chunk, T positions per segment (the longest segment; shorter ones are padded at
 * the end, which causal attention makes invisible to the positions before), N = S·T, D width, NH heads, F MLP width,
 * C the context, V vocabulary, L blocks.
 *
 * <p>A sequence x_0 .. x_n−1 is read as u = [pad, x_0, …, x_n−1]; the output at position p of u has read u[0..p], so a
 * row "position t of x" (features from x_&lt;t) is position p = t of u, and an inclusive row (from x_≤t) is p = t + 1.
 * Rows of one sequence that fit the context (p &lt; C) share one segment u[0 .. max p]; a row beyond the context gets
 * a segment of its own, the last C positions of u up to p (a sliding window, position embeddings from 0).
 * <pre>
 *   tokens (N) ─wte─▶ h (N, D) ◀─+ wpe[pos]
 *   block l:  h ─LN1─▶ ln1 ─qkv─▶ qkv (N, 3D) ─attention─▶ att (S, NH, T, T), y (N, D) ─proj─▶ + h ═▶ h2
 *             h2 ─LN2─▶ ln2 ─fc─▶ pre (N, F) ─GELU─▶ act (N, F) ─fcproj─▶ + h2 ═▶ h (next block)
 *   h ─LNf─▶ lnf (N, D) ─gather rows─▶ feats (rows, D) ─head (Body)─▶ logits or score
 * </pre>
 * With {@link LoraAdapters}, qkv, proj, fc and fcproj of every block add their low-rank path (adapters 4l .. 4l+3),
 * and backward with {@code g = null} computes only adapter gradients.
 */
final class TransformerNet extends Body {
  /** Positions (segments × their length) per chunk, when the caller does not need more. */
  static final int CHUNK_TOKENS = 4096;

  private final int c, d, nh, layers, maxSeg;
  private final int[] f;                           // MLP width per block
  // the chunk's segments and rows
  private final int[][] segSeq;                    // per segment: its sequence (reference)
  private final int[] segStart, segLen;             // per segment: its first position in u, its length
  private int segs;
  private final int[] rowSeg, rowPos;              // per row: its segment and position in the segment
  private int tLen;                                // T of the last forward
  // activations, sized for maxSeg·C positions
  private final int[] tokens, pos;                 // (N)
  private final float[][] h;                       // per block l = 0..L: the residual stream into block l (N, D)
  private final float[][] h2, ln1, ln2, y, qkv, pre, act, att; // per block
  private final float[][] ln1Mean, ln1Rstd, ln2Mean, ln2Rstd;  // per block (N)
  private final float[] lnf, lnfMean, lnfRstd, tmp;            // (N, D), (N), (N), (N, D)
  private final float[] feats, dfeats;                          // (maxRows, D)
  // gradients
  private final float[] dh, dln, dy, dqkv, datt, dpre, dact, dlnf; // one of each, reused by every block
  private final float[] scratchD, scratchD2;                        // (D) LayerNorm γ/β gradients of a frozen base
  private final float[][] loraH, loraDh;                            // per body adapter: (N, r)

  /**
   * @param minSegments the chunk holds at least this many segments (a caller that must keep a sequence in one
   *                    chunk asks for as many as its longest sequence needs, {@link #segmentsFor}); 0 for the default
   */
  TransformerNet(TokenModelConfig cfg, KernelBackend be, int maxRows, LoraAdapters lora, int minSegments) {
    super(cfg, be, maxRows, lora);
    c = cfg.context();
    d = cfg.embedDim();
    nh = cfg.heads();
    layers = cfg.layers();
    f = cfg.hidden().stream().mapToInt(Integer::intValue).toArray();
    // a segment holds at least one row, so a chunk of few rows needs few segments (small calls stay small)
    maxSeg = Math.max(Math.min(Math.max(1, CHUNK_TOKENS / c), maxRows), minSegments);
    int n = maxSeg * c;
    segSeq = new int[maxSeg][];
    segStart = new int[maxSeg];
    segLen = new int[maxSeg];
    rowSeg = new int[maxRows];
    rowPos = new int[maxRows];
    tokens = new int[n];
    pos = new int[n];
    h = new float[layers + 1][n * d];
    h2 = new float[layers][n * d];
    ln1 = new float[layers][n * d];
    ln2 = new float[layers][n * d];
    y = new float[layers][n * d];
    qkv = new float[layers][n * 3 * d];
    pre = new float[layers][];
    act = new float[layers][];
    for (int l = 0; l < layers; l++) {
      pre[l] = new float[n * f[l]];
      act[l] = new float[n * f[l]];
    }
    att = new float[layers][maxSeg * nh * c * c];
    ln1Mean = new float[layers][n];
    ln1Rstd = new float[layers][n];
    ln2Mean = new float[layers][n];
    ln2Rstd = new float[layers][n];
    lnf = new float[n * d];
    lnfMean = new float[n];
    lnfRstd = new float[n];
    tmp = new float[n * d];
    feats = new float[maxRows * d];
    dfeats = new float[maxRows * d];
    int fMax = Arrays.stream(f).max().orElse(1);
    dh = new float[n * d];
    dln = new float[n * d];
    dy = new float[n * d];
    dqkv = new float[n * 3 * d];
    datt = new float[maxSeg * nh * c * c];
    dpre = new float[n * fMax];
    dact = new float[n * fMax];
    dlnf = new float[n * d];
    scratchD = new float[d];
    scratchD2 = new float[d];
    if (lora == null) {
      loraH = null;
      loraDh = null;
    } else {
      loraH = new float[lora.layers() - 1][n * lora.rank];
      loraDh = new float[lora.layers() - 1][n * lora.rank];
    }
  }

  /** Segments the rows of positions from_i .. len_i − 1 (inclusive windows) of the longest sequence need. */
  static int segmentsFor(List<int[]> seqs, int[] from, TokenModelConfig cfg) {
    int most = 1;
    for (int i = 0; i < seqs.size(); i++) most = Math.max(most, segments(from[i], seqs.get(i).length, true, cfg.context()));
    return most;
  }

  /** Segments needed by the rows of positions from .. to−1 of one sequence. */
  private static int segments(int from, int to, boolean inclusive, int context) {
    int inc = inclusive ? 1 : 0;
    int firstSliding = Math.max(from, context - inc); // first t whose p = t + inc reaches the context
    int sliding = Math.max(0, to - firstSliding);
    return sliding + (firstSliding > from ? 1 : 0);
  }

  @Override
  void setRow(int r, int[] seq, int t, boolean inclusive) {
    if (r == 0) segs = 0;
    int p = t + (inclusive ? 1 : 0);
    if (p < c) {
      int s = segs - 1;
      if (s >= 0 && segSeq[s] == seq && segStart[s] == 0) {
        segLen[s] = Math.max(segLen[s], p + 1);
      } else {
        s = newSegment(seq, 0, p + 1);
      }
      rowSeg[r] = s;
      rowPos[r] = p;
    } else {
      rowSeg[r] = newSegment(seq, p + 1 - c, c);
      rowPos[r] = c - 1;
    }
  }

  private int newSegment(int[] seq, int start, int len) {
    if (segs == maxSeg) throw new IllegalStateException("chunk full: " + maxSeg + " segments; check full() first");
    segSeq[segs] = seq;
    segStart[segs] = start;
    segLen[segs] = len;
    return segs++;
  }

  @Override
  boolean full(int rows) { return rows >= maxRows || segs >= maxSeg; }

  @Override
  boolean fits(int rows, int[] seq, int from, int to, boolean inclusive) {
    return rows + (to - from) <= maxRows && (rows == 0 ? 0 : segs) + segments(from, to, inclusive, c) <= maxSeg;
  }

  @Override
  float[] feats() { return feats; }

  @Override
  float[] dfeats() { return dfeats; }

  /**
   * Lays out the chunk's rows as segments: T (the longest segment), the N = segments·T tokens, padded at the end, and
   * their positions. Returns N. The first step of {@link #forwardBody}; a device that runs the whole training step
   * ({@link io.priorflow.kernels.backend.DeviceTransformerTrainer}) takes this layout instead.
   */
  int layoutChunk() {
    int t = 0;
    for (int s = 0; s < segs; s++) t = Math.max(t, segLen[s]);
    tLen = t;
    for (int s = 0; s < segs; s++) {
      int[] x = segSeq[s];
      for (int q = 0; q < t; q++) {
        int p = segStart[s] + q; // position in u = [pad, x_0, …]
        tokens[s * t + q] = q < segLen[s] && p > 0 ? x[p - 1] : cfg.padToken();
        pos[s * t + q] = q;
      }
    }
    return segs * t;
  }

  /** Segments of the chunk laid out last. */
  int segments() { return segs; }

  /** T, positions per segment, of the chunk laid out last. */
  int segmentLength() { return tLen; }

  /** The most segments a chunk holds. */
  int maxSegments() { return maxSeg; }

  /** The chunk's tokens (N of them valid after {@link #layoutChunk}). */
  int[] tokens() { return tokens; }

  /** out[r] = the chunk position whose final features row r reads, for the first {@code rows} rows. */
  void rowPositions(int rows, int[] out) {
    for (int r = 0; r < rows; r++) out[r] = rowSeg[r] * tLen + rowPos[r];
  }

  @Override
  void forwardBody(float[][] w, int rows) {
    int n = layoutChunk();
    int t = tLen;
    // embeddings
    be.embeddingForward(tokens, w[0], h[0], n, d);
    be.embeddingForward(pos, w[1], tmp, n, d);
    be.add(tmp, h[0], n * d);
    for (int l = 0; l < layers; l++) {
      int b = ParamLayout.block(l), fl = f[l];
      // attention branch: h2 = h + proj(attention(qkv(LN1(h))))
      be.layerNormForward(h[l], w[b + ParamLayout.LN1_G], w[b + ParamLayout.LN1_B], ln1[l], ln1Mean[l], ln1Rstd[l],
          n, d);
      dense(ln1[l], w, b + ParamLayout.QKV_W, qkv[l], n, d, 3 * d, 4 * l);
      be.attentionForward(qkv[l], att[l], y[l], segs, t, d, nh);
      dense(y[l], w, b + ParamLayout.PROJ_W, h2[l], n, d, d, 4 * l + 1);
      be.add(h[l], h2[l], n * d);
      // MLP branch: h_next = h2 + fcproj(GELU(fc(LN2(h2))))
      be.layerNormForward(h2[l], w[b + ParamLayout.LN2_G], w[b + ParamLayout.LN2_B], ln2[l], ln2Mean[l], ln2Rstd[l],
          n, d);
      dense(ln2[l], w, b + ParamLayout.FC_W, pre[l], n, d, fl, 4 * l + 2);
      be.geluForward(pre[l], act[l], n * fl);
      dense(act[l], w, b + ParamLayout.FCPROJ_W, h[l + 1], n, fl, d, 4 * l + 3);
      be.add(h2[l], h[l + 1], n * d);
    }
    int lf = ParamLayout.block(layers);
    be.layerNormForward(h[layers], w[lf], w[lf + 1], lnf, lnfMean, lnfRstd, n, d);
    for (int r = 0; r < rows; r++) System.arraycopy(lnf, (rowSeg[r] * t + rowPos[r]) * d, feats, r * d, d);
  }

  /** out(n, nOut) = in(n, nIn) · W[wi]ᵀ + b[wi + 1], plus the adapter's low-rank path. */
  private void dense(float[] in, float[][] w, int wi, float[] out, int n, int nIn, int nOut, int adapter) {
    be.denseForward(in, w[wi], w[wi + 1], out, n, nIn, nOut);
    if (lora != null) {
      be.loraForward(in, lora.a[adapter], lora.b[adapter], loraH[adapter], out, n, nIn, lora.rank, nOut, lora.scale);
    }
  }

  /** Backward of {@link #dense}: dIn (written, zeroed first), and dW/db into g unless g is null. */
  private void denseBack(float[] in, float[] dOut, float[][] w, float[][] g, int wi, float[] dIn, int n, int nIn,
                         int nOut, int adapter) {
    if (g != null) {
      be.denseBackwardWeights(dOut, in, g[wi], n, nIn, nOut);
      be.denseBackwardBias(dOut, g[wi + 1], n, nOut);
    }
    Arrays.fill(dIn, 0, n * nIn, 0f);
    be.denseBackwardInput(dOut, w[wi], dIn, n, nIn, nOut);
    if (lora != null) {
      be.loraBackward(in, loraH[adapter], dOut, lora.a[adapter], lora.b[adapter], loraDh[adapter], dIn,
          lora.da[adapter], lora.db[adapter], n, nIn, lora.rank, nOut, lora.scale);
    }
  }

  private void layerNormBack(float[] x, float[] dOut, float[][] w, float[][] g, int gi, float[] mean, float[] rstd,
                             float[] dx, int n) {
    float[] dg = g == null ? zero(scratchD) : g[gi], db = g == null ? zero(scratchD2) : g[gi + 1];
    be.layerNormBackward(x, dOut, w[gi], mean, rstd, dx, dg, db, n, d);
  }

  private static float[] zero(float[] a) {
    Arrays.fill(a, 0f);
    return a;
  }

  @Override
  void backwardBody(float[][] w, float[][] g, int rows) {
    int t = tLen, n = segs * t;
    // scatter the rows' feature gradients; every other position gets none
    Arrays.fill(dlnf, 0, n * d, 0f);
    for (int r = 0; r < rows; r++) {
      int o = (rowSeg[r] * t + rowPos[r]) * d;
      for (int j = 0; j < d; j++) dlnf[o + j] += dfeats[r * d + j];
    }
    int lf = ParamLayout.block(layers);
    Arrays.fill(dh, 0, n * d, 0f);
    layerNormBack(h[layers], dlnf, w, g, lf, lnfMean, lnfRstd, dh, n); // dh = d h_L
    for (int l = layers - 1; l >= 0; l--) {
      int b = ParamLayout.block(l), fl = f[l];
      // MLP branch: dh is d(h_next) = d(h2) through the residual, plus the branch below
      denseBack(act[l], dh, w, g, b + ParamLayout.FCPROJ_W, dact, n, fl, d, 4 * l + 3);
      Arrays.fill(dpre, 0, n * fl, 0f);
      be.geluBackward(pre[l], dact, dpre, n * fl);
      denseBack(ln2[l], dpre, w, g, b + ParamLayout.FC_W, dln, n, d, fl, 4 * l + 2);
      layerNormBack(h2[l], dln, w, g, b + ParamLayout.LN2_G, ln2Mean[l], ln2Rstd[l], dh, n); // dh = d h2
      // attention branch
      denseBack(y[l], dh, w, g, b + ParamLayout.PROJ_W, dy, n, d, d, 4 * l + 1);
      Arrays.fill(dqkv, 0, n * 3 * d, 0f);
      be.attentionBackward(qkv[l], att[l], dy, datt, dqkv, segs, t, d, nh);
      denseBack(ln1[l], dqkv, w, g, b + ParamLayout.QKV_W, dln, n, d, 3 * d, 4 * l);
      layerNormBack(h[l], dln, w, g, b + ParamLayout.LN1_G, ln1Mean[l], ln1Rstd[l], dh, n); // dh = d h_l
    }
    if (g != null) {
      be.embeddingBackward(tokens, dh, g[0], n, d);
      be.embeddingBackward(pos, dh, g[1], n, d);
    }
  }
}
