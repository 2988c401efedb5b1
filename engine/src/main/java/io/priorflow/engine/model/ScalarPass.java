package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;
import java.util.List;

/**
 * Forward and backward of the scalar head over a list of sequences, a chunk of whole sequences at a time.
 * A sequence's score is the output layer applied to the mean of the last hidden layer over its positions:
 * <pre>
 *   windows ending at t = from_s .. len_s − 1 ─body─▶ act_L−1 rows ─mean per sequence─▶ pooled (S, H_L)
 *   pooled ─denseForward─▶ score (S, 1)
 * </pre>
 * Backward spreads d(pooled)/count evenly over the sequence's rows. Chunking never splits a sequence, and each
 * score depends only on its own rows, so scores do not depend on how sequences are grouped.
 */
final class ScalarPass {
  private final TokenModelConfig cfg;
  private List<int[]> seqs;
  private int[] from;
  final Body net;
  private final int maxRows;
  private final float[] pooled, dPooled, head, dHead; // (maxRows, H_L), (maxRows, H_L), (maxRows, 1), (maxRows, 1)
  private final int[] rowStart;                       // per sequence of the chunk, its first row; one extra end
  private int chunkStart, chunkSeqs;

  ScalarPass(TokenModelConfig cfg, KernelBackend be, List<int[]> seqs, int[] from) {
    this.cfg = cfg;
    this.seqs = seqs;
    this.from = from;
    maxRows = Math.max(TokenModel.CHUNK_ROWS, longest(seqs, from));
    net = Body.forSequences(cfg, be, maxRows, seqs, from);
    int h = cfg.featureWidth();
    pooled = new float[maxRows * h];
    dPooled = new float[maxRows * h];
    head = new float[maxRows];
    dHead = new float[maxRows];
    rowStart = new int[maxRows + 1];
  }

  /**
   * A pass over {@code seqs}: {@code old} (made by an earlier call with the same config and backend, as a training
   * session's are) when it can take them — a window MLP's buffers depend only on the row count, so one pass serves
   * every batch whose longest sequence fits; a transformer's are laid out for its sequences — else a new one. Saves
   * allocating the activations at every optimizer step.
   */
  static ScalarPass reuse(ScalarPass old, TokenModelConfig cfg, KernelBackend be, List<int[]> seqs, int[] from) {
    if (old != null && !cfg.isTransformer() && longest(seqs, from) <= old.maxRows) {
      old.seqs = seqs;
      old.from = from;
      return old;
    }
    return new ScalarPass(cfg, be, seqs, from);
  }

  /** The most rows one sequence needs (at least 1), after checking each start position. */
  private static int longest(List<int[]> seqs, int[] from) {
    if (from.length != seqs.size()) {
      throw new IllegalArgumentException(seqs.size() + " sequences but " + from.length + " start positions");
    }
    int longest = 1;
    for (int i = 0; i < seqs.size(); i++) {
      int len = seqs.get(i).length;
      if (from[i] < 0 || from[i] >= len) {
        throw new IllegalArgumentException("from[" + i + "] must be in [0, " + (len - 1) + "], was " + from[i]);
      }
      longest = Math.max(longest, len - from[i]);
    }
    return longest;
  }

  /** Runs the forward pass for as many whole sequences from {@code start} as fit; returns the end index. */
  int forward(float[][] w, int start) {
    int rows = 0, s = start;
    while (s < seqs.size()) {
      int[] seq = seqs.get(s);
      if (!net.fits(rows, seq, from[s], seq.length, true)) break;
      rowStart[s - start] = rows;
      for (int t = from[s]; t < seq.length; t++) net.setRow(rows++, seq, t, true);
      s++;
    }
    chunkStart = start;
    chunkSeqs = s - start;
    rowStart[chunkSeqs] = rows;
    net.forwardBody(w, rows);
    int h = cfg.featureWidth();
    float[] last = net.feats();
    for (int k = 0; k < chunkSeqs; k++) {
      int r0 = rowStart[k], r1 = rowStart[k + 1];
      float inv = 1f / (r1 - r0);
      for (int j = 0; j < h; j++) {
        float sum = 0f;
        for (int r = r0; r < r1; r++) sum += last[r * h + j];
        pooled[k * h + j] = sum * inv;
      }
    }
    int o = w.length - 2;
    net.be.denseForward(pooled, w[o], w[o + 1], head, chunkSeqs, h, 1);
    return s;
  }

  /** Score of sequence k of the current chunk. */
  float score(int k) { return head[k]; }

  /** Backward for the current chunk given dLoss/dScore for every sequence (indexed globally); accumulates into g. */
  void backward(float[][] w, float[][] g, float[] dScores) {
    int h = cfg.featureWidth();
    System.arraycopy(dScores, chunkStart, dHead, 0, chunkSeqs);
    net.backwardHead(w, g, pooled, dHead, dPooled, chunkSeqs);
    float[] dLast = net.dfeats();
    for (int k = 0; k < chunkSeqs; k++) {
      int r0 = rowStart[k], r1 = rowStart[k + 1];
      float inv = 1f / (r1 - r0);
      for (int r = r0; r < r1; r++) {
        for (int j = 0; j < h; j++) dLast[r * h + j] = dPooled[k * h + j] * inv;
      }
    }
    Arrays.fill(dLast, rowStart[chunkSeqs] * h, dLast.length, 0f);
    net.backwardBody(w, g, rowStart[chunkSeqs]);
  }
}
