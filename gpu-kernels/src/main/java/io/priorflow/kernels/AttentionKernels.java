package io.priorflow.kernels;

/**
 * Reference causal multi-head self-attention in llm.c's layout, forward, backward and incremental decoding with a
 * key/value cache, following llm.c's CPU reference:
 * <pre>
 *   A. Karpathy, llm.c, train_gpt2.c: attention_forward, attention_backward (github.com/karpathy/llm.c);
 *   A. Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (scaled dot-product attention).
 * </pre>
 *
 * <p>Dimensions: {@code batch} sequences of {@code t} positions, model width {@code dim} = {@code heads}·hs with
 * head size hs = dim / heads. Shapes, all flat row-major:
 * <ul>
 *   <li>qkv, dqkv (batch·t, 3·dim): position p's row is q | k | v, each part dim wide, head h at columns
 *       h·hs .. (h+1)·hs − 1 of its part;</li>
 *   <li>att, datt (batch, heads, t, t): row i of (b, h) holds the softmax weights of query i over keys j ≤ i, and 0
 *       for j &gt; i;</li>
 *   <li>out, dout (batch·t, dim): head h's output at columns h·hs .. (h+1)·hs − 1;</li>
 *   <li>decoding: q, out (batch, dim); kCache, vCache (batch, tMax, dim); len (batch); scores (batch, heads, tMax).</li>
 * </ul>
 *
 * <p>Fixed order, and why: one (query, head) output is computed by one helper, {@link #attendQuery}, for both
 * {@link #attentionForward} and {@link #attentionDecode}. Scores are float dot products over d = 0..hs−1 in order,
 * times 1/√hs; the softmax subtracts the row max and sums the exponentials in float over j in ascending order; the
 * output is Σ_j att_j·v_j, each element summed over j in ascending order. So decoding position len − 1 from a cache
 * that holds the same keys and values gives the forward's output row bit for bit, and sampling with a cache gives
 * the same tokens as without. The helpers are public so the Java backend runs these very operations on its own
 * partition (one task per (b, h)).
 *
 * <p>The backward pass is llm.c's, rearranged so that each loop writes independent outputs (llm.c's loop adds into
 * the keys and values of earlier positions from every query): first one work-item per (b, h, i) computes the
 * softmax gradient of query row i (written into datt) and adds into dq_i, then one work-item per (b, h, j) adds
 * into dk_j and dv_j, summing over queries i ≥ j in ascending order. The softmax backward uses the O(t) form
 * datt_ij·att_ij − att_ij·Σ_k att_ik·datt_ik, equal to llm.c's O(t²) double loop. It <b>accumulates</b>
 * ({@code +=}) into dqkv, each element's terms added to it in order. Not here: the projections around attention
 * (dense layers), dropout, or grouped-query attention.
 */
public final class AttentionKernels {
  private AttentionKernels() {}

  /**
   * att(batch, heads, t, t) = softmax over j ≤ i of (q_i·k_j)/√hs, entries j &gt; i written 0;
   * out(batch·t, dim) = Σ_j att_ij·v_j, from qkv(batch·t, 3·dim). Writes att and out. One work-item per
   * (b, h, i); math in {@link #attendQuery}.
   */
  public static void attentionForward(float[] qkv, float[] att, float[] out, int batch, int t, int dim, int heads) {
    assert heads >= 1 && dim % heads == 0 : "attentionForward: dim " + dim + " is not a multiple of heads " + heads;
    assert qkv.length >= batch * t * 3 * dim && out.length >= batch * t * dim && att.length >= batch * heads * t * t
        : "attentionForward: array shorter than its shape";
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < t; i++) {
          forwardRow(qkv, att, out, b, h, i, t, dim, heads);
        }
      }
    }
  }

  /**
   * Backward of {@link #attentionForward} from its qkv and att and the output gradient dout(batch·t, dim).
   * datt(batch, heads, t, t) is scratch, written: on return it holds the gradient of the scaled scores before the
   * softmax (0 above the diagonal). dqkv(batch·t, 3·dim) <b>accumulates</b> ({@code +=}). Two loops over
   * independent outputs: one work-item per (b, h, i) for datt row i and dq_i (math in {@link #queryGrad}), then one
   * per (b, h, j) for dk_j and dv_j (math in {@link #keyValueGrad}).
   */
  public static void attentionBackward(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int batch,
                                       int t, int dim, int heads) {
    assert heads >= 1 && dim % heads == 0 : "attentionBackward: dim " + dim + " is not a multiple of heads " + heads;
    assert qkv.length >= batch * t * 3 * dim && dqkv.length >= batch * t * 3 * dim && dout.length >= batch * t * dim
        && att.length >= batch * heads * t * t && datt.length >= batch * heads * t * t
        : "attentionBackward: array shorter than its shape";
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < t; i++) {
          queryGrad(qkv, att, dout, datt, dqkv, b, h, i, t, dim, heads);
        }
      }
    }
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int j = 0; j < t; j++) {
          keyValueGrad(qkv, att, dout, datt, dqkv, b, h, j, t, dim, heads);
        }
      }
    }
  }

  /**
   * Incremental decoding: for each b &lt; batch, query q(batch, dim)[b] attends to positions 0 .. len[b] − 1 of
   * kCache and vCache (batch, tMax, dim), whose entry len[b] − 1 already holds the new position's own key and
   * value. scores(batch, heads, tMax) is scratch: entries j &lt; len[b] are written with the softmax weights, the
   * rest are not touched. Writes out(batch, dim). One work-item per (b, h); math in {@link #attendQuery}, the same
   * helper as {@link #attentionForward}, so the result is the forward's row at position len[b] − 1 bit for bit.
   */
  public static void attentionDecode(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores,
                                     float[] out, int batch, int tMax, int dim, int heads) {
    assert heads >= 1 && dim % heads == 0 : "attentionDecode: dim " + dim + " is not a multiple of heads " + heads;
    assert q.length >= batch * dim && out.length >= batch * dim && kCache.length >= batch * tMax * dim
        && vCache.length >= batch * tMax * dim && len.length >= batch && scores.length >= batch * heads * tMax
        : "attentionDecode: array shorter than its shape";
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        decodeHead(q, kCache, vCache, len, scores, out, b, h, tMax, dim, heads);
      }
    }
  }

  /** 1/√hs rounded to float, as llm.c's {@code 1.0 / sqrtf(hs)}; one definition for every kernel. */
  public static float scoreScale(int hs) {
    return (float) (1.0 / Math.sqrt(hs));
  }

  /** Query i of (b, h) in the forward: keys and values of positions 0..i of sequence b, then zeros in att. */
  public static void forwardRow(float[] qkv, float[] att, float[] out, int b, int h, int i, int t, int dim,
                                int heads) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;                         // row 0 of sequence b in qkv
    int attOff = ((b * heads + h) * t + i) * t;   // att[b, h, i, 0]
    attendQuery(qkv, seq + i * c3 + h * hs, qkv, seq + dim + h * hs, qkv, seq + 2 * dim + h * hs, c3, i + 1, hs,
        att, attOff, out, (b * t + i) * dim + h * hs);
    for (int j = i + 1; j < t; j++) {
      att[attOff + j] = 0f; // causal mask, written so att is a full (t, t) matrix
    }
  }

  /** Head h of sequence b in decoding: the cache rows 0 .. len[b] − 1, stride dim. */
  public static void decodeHead(float[] q, float[] kCache, float[] vCache, int[] len, float[] scores, float[] out,
                                int b, int h, int tMax, int dim, int heads) {
    int hs = dim / heads;
    int n = len[b];
    assert n >= 1 && n <= tMax : "attentionDecode: len[" + b + "] = " + n + " is outside [1, " + tMax + "]";
    int cache = b * tMax * dim + h * hs;
    attendQuery(q, b * dim + h * hs, kCache, cache, vCache, cache, dim, n, hs, scores, (b * heads + h) * tMax, out,
        b * dim + h * hs);
  }

  /**
   * One (query, head): the query q[qOff .. qOff + hs) against keys k[kOff + j·stride ..] and values
   * v[vOff + j·stride ..] of positions j = 0 .. len − 1. Writes att[attOff + j] (softmax weights) for j &lt; len and
   * out[outOff .. outOff + hs). The one helper of the forward and of decoding; its order of operations is the
   * contract that makes them agree bit for bit.
   */
  public static void attendQuery(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int stride, int len,
                                 int hs, float[] att, int attOff, float[] out, int outOff) {
    float scale = scoreScale(hs);
    // pass 1: scaled scores q·k_j (d in order) and their max
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < len; j++) {
      int kj = kOff + j * stride;
      float s = 0f;
      for (int d = 0; d < hs; d++) {
        s += q[qOff + d] * k[kj + d];
      }
      s *= scale;
      att[attOff + j] = s;
      max = Math.max(max, s);
    }
    // pass 2: exponentials of the max-subtracted scores, summed in j order
    float sum = 0f;
    for (int j = 0; j < len; j++) {
      float e = (float) Math.exp(att[attOff + j] - max);
      att[attOff + j] = e;
      sum += e;
    }
    // pass 3: normalise (sum ≥ 1, the max's own term is exp(0))
    float inv = 1f / sum;
    for (int j = 0; j < len; j++) {
      att[attOff + j] *= inv;
    }
    // pass 4: out = Σ_j att_j·v_j, each element summed over j in order
    for (int d = 0; d < hs; d++) {
      out[outOff + d] = 0f;
    }
    for (int j = 0; j < len; j++) {
      float a = att[attOff + j];
      int vj = vOff + j * stride;
      for (int d = 0; d < hs; d++) {
        out[outOff + d] += a * v[vj + d];
      }
    }
  }

  /**
   * Query row i of (b, h) in the backward: datt_ij = dout_i·v_j (d in order) for j ≤ i; then the softmax gradient
   * dpre_ij = att_ij·(datt_ij − Σ_k att_ik·datt_ik) (k in order), written over datt row i (0 for j &gt; i); then
   * dq_i += Σ_j (dpre_ij/√hs)·k_j, terms added to each element in j order.
   */
  public static void queryGrad(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int b, int h,
                               int i, int t, int dim, int heads) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;
    int row = ((b * heads + h) * t + i) * t;
    int doutOff = (b * t + i) * dim + h * hs;
    float scale = scoreScale(hs);
    // backward through out = Σ_j att_j·v_j: datt_j = dout·v_j
    for (int j = 0; j <= i; j++) {
      int vj = seq + j * c3 + 2 * dim + h * hs;
      float s = 0f;
      for (int d = 0; d < hs; d++) {
        s += dout[doutOff + d] * qkv[vj + d];
      }
      datt[row + j] = s;
    }
    // backward through the softmax: dpre_j = att_j·(datt_j − Σ_k att_k·datt_k)
    float dot = 0f;
    for (int j = 0; j <= i; j++) {
      dot += att[row + j] * datt[row + j];
    }
    for (int j = 0; j <= i; j++) {
      datt[row + j] = att[row + j] * (datt[row + j] - dot);
    }
    for (int j = i + 1; j < t; j++) {
      datt[row + j] = 0f;
    }
    // backward through the scaled scores into the query: dq += (dpre_j·scale)·k_j
    int dq = seq + i * c3 + h * hs;
    for (int j = 0; j <= i; j++) {
      float g = datt[row + j] * scale;
      int kj = seq + j * c3 + dim + h * hs;
      for (int d = 0; d < hs; d++) {
        dqkv[dq + d] += g * qkv[kj + d];
      }
    }
  }

  /**
   * Key/value position j of (b, h) in the backward, after {@link #queryGrad} has filled datt: over queries
   * i = j .. t − 1 in order, dk_j += (dpre_ij/√hs)·q_i and dv_j += att_ij·dout_i, terms added to each element in
   * i order.
   */
  public static void keyValueGrad(float[] qkv, float[] att, float[] dout, float[] datt, float[] dqkv, int b, int h,
                                  int j, int t, int dim, int heads) {
    int hs = dim / heads;
    int c3 = 3 * dim;
    int seq = b * t * c3;
    int dk = seq + j * c3 + dim + h * hs;
    int dv = dk + dim;
    int plane = (b * heads + h) * t * t;
    float scale = scoreScale(hs);
    for (int i = j; i < t; i++) {
      float g = datt[plane + i * t + j] * scale;
      float a = att[plane + i * t + j];
      int qi = seq + i * c3 + h * hs;
      int doi = (b * t + i) * dim + h * hs;
      for (int d = 0; d < hs; d++) {
        dqkv[dk + d] += g * qkv[qi + d];
        dqkv[dv + d] += a * dout[doi + d];
      }
    }
  }
}
