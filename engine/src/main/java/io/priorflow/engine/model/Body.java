package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;
import java.util.Arrays;
import java.util.List;

/**
 * The forward and backward pass of one model family's body, and of the output layer (the head) every family shares,
 * over a chunk of <em>rows</em>: a row is "the features with which the model predicts position t of a sequence"
 * (from the tokens before t) or, for scores, "the features after reading position t" ({@code inclusive}). Callers
 * never ask which family they hold: they add rows in order with {@link #setRow} until {@link #full}, run
 * {@link #forwardBody} and a head, and go back through {@link #backwardHead} and {@link #backwardBody}.
 *
 * <p>Not thread-safe, one per thread of work; it holds activations and their gradients, never weights (weights and
 * weight gradients are passed in, as arrays in {@link ParamLayout} order, the head's weight and bias last). With
 * {@link LoraAdapters} attached, the last adapter belongs to the head; passing {@code g = null} to the backward methods
 * skips every base-weight gradient (a frozen base).
 *
 * <p>Each row's result is independent of the other rows of the chunk and of how rows are chunked (the kernels compute
 * each output row on its own), so batching never changes a value.
 */
abstract sealed class Body permits Network, TransformerNet {
  final TokenModelConfig cfg;
  final KernelBackend be;
  final int maxRows;
  final LoraAdapters lora;      // null without adapters
  final float[] out, dout;      // (maxRows, nOut) head output and its gradient
  private final float[] headH, headDh; // (maxRows, r) the head adapter's low-rank activations; null without adapters

  Body(TokenModelConfig cfg, KernelBackend be, int maxRows, LoraAdapters lora) {
    this.cfg = cfg;
    this.be = be;
    this.maxRows = maxRows;
    this.lora = lora;
    out = new float[maxRows * cfg.outputWidth()];
    dout = new float[out.length];
    headH = lora == null ? null : new float[maxRows * lora.rank];
    headDh = lora == null ? null : new float[maxRows * lora.rank];
  }

  /** The body of {@code cfg}'s family, for up to {@code maxRows} rows per chunk. */
  static Body of(TokenModelConfig cfg, KernelBackend be, int maxRows, LoraAdapters lora) {
    return cfg.isTransformer() ? new TransformerNet(cfg, be, maxRows, lora, 0) : new Network(cfg, be, maxRows, lora);
  }

  static Body of(TokenModelConfig cfg, KernelBackend be, int maxRows) { return of(cfg, be, maxRows, null); }

  /**
   * A body whose chunks can each hold all inclusive rows (positions from_i .. len_i − 1) of any one of {@code seqs}:
   * for callers that never split a sequence across chunks (scores). {@code maxRows} must cover the longest.
   */
  static Body forSequences(TokenModelConfig cfg, KernelBackend be, int maxRows, List<int[]> seqs, int[] from) {
    return cfg.isTransformer()
        ? new TransformerNet(cfg, be, maxRows, null, TransformerNet.segmentsFor(seqs, from, cfg))
        : new Network(cfg, be, maxRows, null);
  }

  /**
   * Row r of the chunk (rows are set in order 0, 1, …; r = 0 starts a new chunk): the features for position t of
   * {@code seq}, from the tokens before t, or from the tokens up to and including t when {@code inclusive}.
   */
  abstract void setRow(int r, int[] seq, int t, boolean inclusive);

  /** Whether the chunk holding {@code rows} rows can take no further row. */
  abstract boolean full(int rows);

  /**
   * Whether rows for positions {@code from .. to−1} of {@code seq} (inclusive windows) can all join a chunk that holds
   * {@code rows} rows; a body made by {@link #forSequences} takes any one of its sequences into an empty chunk.
   */
  abstract boolean fits(int rows, int[] seq, int from, int to, boolean inclusive);

  /** Forward of the body for the chunk's first {@code rows} rows: fills {@link #feats()}. */
  abstract void forwardBody(float[][] w, int rows);

  /** The features (rows, F) of the last forward, F = {@link TokenModelConfig#featureWidth()}. */
  abstract float[] feats();

  /** Their gradient (rows, F): written by the caller (or {@link #backwardHead}), read by {@link #backwardBody}. */
  abstract float[] dfeats();

  /** Backward of the body from {@link #dfeats()}, accumulating into g (or, g null, only into the adapters). */
  abstract void backwardBody(float[][] w, float[][] g, int rows);

  /** Token head forward: logits (rows, V) into {@link #out}. */
  final void forwardTokenHead(float[][] w, int rows) {
    int o = w.length - 2, f = cfg.featureWidth(), n = cfg.outputWidth();
    be.denseForward(feats(), w[o], w[o + 1], out, rows, f, n);
    if (lora != null) {
      int l = lora.layers() - 1;
      be.loraForward(feats(), lora.a[l], lora.b[l], headH, out, rows, f, lora.rank, n, lora.scale);
    }
  }

  /**
   * Backward of the output layer applied to {@code in} (rows, F) with output gradient {@code dOut} (rows, nOut):
   * accumulates dW/db of the output layer (unless g is null) and writes d(in) into {@code dIn}. With adapters, in must
   * be the features of the last {@link #forwardTokenHead}.
   */
  final void backwardHead(float[][] w, float[][] g, float[] in, float[] dOut, float[] dIn, int rows) {
    int o = w.length - 2, f = cfg.featureWidth(), n = cfg.outputWidth();
    if (g != null) {
      be.denseBackwardWeights(dOut, in, g[o], rows, f, n);
      be.denseBackwardBias(dOut, g[o + 1], rows, n);
    }
    Arrays.fill(dIn, 0, rows * f, 0f);
    be.denseBackwardInput(dOut, w[o], dIn, rows, f, n);
    if (lora != null) {
      int l = lora.layers() - 1;
      be.loraBackward(in, headH, dOut, lora.a[l], lora.b[l], headDh, dIn, lora.da[l], lora.db[l], rows, f, lora.rank,
          n, lora.scale);
    }
  }
}
