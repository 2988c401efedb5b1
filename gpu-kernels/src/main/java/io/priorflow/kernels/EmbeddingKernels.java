package io.priorflow.kernels;

/**
 * Reference kernels of an embedding table: a gather forward and a deterministic scatter-add backward.
 *
 * <p>Dimensions: {@code n} tokens, {@code dim} the embedding width, {@code vocab} the table's rows (implied by
 * table.length / dim). Shapes: tokens (n) with ids in [0, vocab), table and dTable (vocab, dim), out and dOut (n, dim),
 * all flat row-major.
 *
 * <p>The backward pass is where a naive parallel loop over tokens would race (two equal tokens add to the same row)
 * or need atomics, whose order, and so rounding, varies from run to run. Here it is parallel over the dim columns,
 * which never collide, and each column visits the tokens in order i = 0..n−1: the result is the same on any number
 * of threads. Not here: positional encodings or the tied output projection (a {@link GemmKernels} product).
 */
public final class EmbeddingKernels {
  private EmbeddingKernels() {}

  /**
   * out(n, dim)[i] = table(vocab, dim)[tokens[i]] for each token i. One work-item per token row i; math in
   * {@code gatherRow}.
   */
  public static void embeddingForward(int[] tokens, float[] table, float[] out, int n, int dim) {
    assert tokens.length >= n && out.length >= n * dim : "embeddingForward: array shorter than its shape";
    for (int i = 0; i < n; i++) {
      gatherRow(tokens, table, out, i, dim);
    }
  }

  /**
   * dTable(vocab, dim)[tokens[i]] += dOut(n, dim)[i] for i = 0..n−1 in order, so repeated tokens sum their
   * gradients. Accumulates. One work-item per column d of dTable (columns are independent; rows are not); math in
   * {@code scatterColumn}.
   */
  public static void embeddingBackward(int[] tokens, float[] dOut, float[] dTable, int n, int dim) {
    assert tokens.length >= n && dOut.length >= n * dim : "embeddingBackward: array shorter than its shape";
    for (int d = 0; d < dim; d++) {
      scatterColumn(tokens, dOut, dTable, d, n, dim);
    }
  }

  /** out[i, ·] = table[tokens[i], ·]. */
  private static void gatherRow(int[] tokens, float[] table, float[] out, int i, int dim) {
    int t = tokens[i];
    assert t >= 0 && (t + 1) * dim <= table.length : "token " + t + " at " + i + " is outside the table";
    int src = t * dim;
    int dst = i * dim;
    for (int d = 0; d < dim; d++) {
      out[dst + d] = table[src + d];
    }
  }

  /** dTable[tokens[i], d] += dOut[i, d] for i = 0..n−1 in order. */
  private static void scatterColumn(int[] tokens, float[] dOut, float[] dTable, int d, int n, int dim) {
    for (int i = 0; i < n; i++) {
      int t = tokens[i];
      assert t >= 0 && (t + 1) * dim <= dTable.length : "token " + t + " at " + i + " is outside the table";
      dTable[t * dim + d] += dOut[i * dim + d];
    }
  }
}
