package io.priorflow.kernels;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.assertClose;
import static io.priorflow.kernels.KernelAsserts.randomArray;
import static io.priorflow.kernels.KernelAsserts.randomTokens;

import org.junit.jupiter.api.Test;

class EmbeddingKernelsTest {
  private static final int VOCAB = 7, DIM = 13, N = 33;   // 33 tokens over 7 ids: many repeats

  @Test
  void forwardCopiesTheTokensRows() {
    float[] table = randomArray(41, VOCAB * DIM, 1f);
    int[] tokens = randomTokens(42, N, VOCAB);
    float[] out = new float[N * DIM];
    EmbeddingKernels.embeddingForward(tokens, table, out, N, DIM);
    for (int i = 0; i < N; i++) {
      float[] row = new float[DIM];
      System.arraycopy(table, tokens[i] * DIM, row, 0, DIM);
      float[] got = new float[DIM];
      System.arraycopy(out, i * DIM, got, 0, DIM);
      assertBitIdentical("row " + i, row, got, DIM);
    }
  }

  @Test
  void backwardMatchesFiniteDifferencesAndAccumulates() {
    float[] table = randomArray(43, VOCAB * DIM, 1f);
    int[] tokens = randomTokens(44, N, VOCAB);
    float[] g = randomArray(45, N * DIM, 1f);
    float[] out = new float[N * DIM];
    float[] numeric = GradCheck.numeric(table, table.length, 1e-2f, () -> {
      EmbeddingKernels.embeddingForward(tokens, table, out, N, DIM);
      return GradCheck.dot(out, g);
    });
    float[] before = randomArray(46, VOCAB * DIM, 1f);
    float[] dTable = before.clone();
    EmbeddingKernels.embeddingBackward(tokens, g, dTable, N, DIM);
    assertClose("dTable", numeric, GradCheck.added(dTable, before), table.length, 2e-3f, 1e-2f);
  }

  @Test
  void backwardSumsGradientsOfRepeatedTokensInOrder() {
    int[] tokens = {2, 0, 2, 2};
    float[] dOut = {1f, 10f, 0.5f, 20f, 0.25f, 30f, 0.125f, 40f};   // (4, 2)
    float[] dTable = new float[3 * 2];
    EmbeddingKernels.embeddingBackward(tokens, dOut, dTable, 4, 2);
    // row 0 gets token 1's gradient; row 1 is never used; row 2 sums tokens 0, 2, 3
    float[] want = {0.5f, 20f, 0f, 0f, 1f + 0.25f + 0.125f, 10f + 30f + 40f};
    assertBitIdentical("dTable", want, dTable, want.length);
  }

  @Test
  void backwardLeavesUnusedRowsUntouched() {
    int[] tokens = {1, 1};
    float[] before = randomArray(47, 3 * DIM, 1f);
    float[] dTable = before.clone();
    EmbeddingKernels.embeddingBackward(tokens, randomArray(48, 2 * DIM, 1f), dTable, 2, DIM);
    assertBitIdentical("row 0", before, dTable, DIM);
    float[] row2Before = new float[DIM];
    float[] row2After = new float[DIM];
    System.arraycopy(before, 2 * DIM, row2Before, 0, DIM);
    System.arraycopy(dTable, 2 * DIM, row2After, 0, DIM);
    assertBitIdentical("row 2", row2Before, row2After, DIM);
  }
}
