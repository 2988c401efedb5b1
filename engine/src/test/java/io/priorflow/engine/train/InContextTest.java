package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** In-context examples: only the last C tokens matter, so the truncated context predicts exactly like the full one. */
class InContextTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 12, 5, 3, List.of(8),
      TokenModelConfig.Activation.GELU, 0);
  private final List<int[]> examples = List.of(new int[] {1, 4, 7, 2, 9, 3}, new int[] {1, 5, 8, 2, 10, 11, 3});

  private static int[] concat(List<int[]> examples, int[] prompt) {
    int[] all = new int[0];
    for (int[] e : examples) all = join(all, e);
    return join(all, prompt);
  }

  private static int[] join(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void keepsTheLastWindowTokens() {
    int[] prompt = {1, 6, 2};
    int[] c = InContext.condition(examples, prompt, 5);
    assertArrayEquals(new int[] {11, 3, 1, 6, 2}, c);
    assertArrayEquals(concat(examples, prompt), InContext.condition(examples, prompt, 100));
    assertArrayEquals(new int[] {1, 6, 2}, InContext.condition(examples, prompt, 2), "never cuts into the prompt");
    assertEquals(2, InContext.visibleExampleTokens(3, 5));
    assertEquals(0, InContext.visibleExampleTokens(8, 8));
  }

  @Test
  void truncatedAndFullContextsPredictTheSameAndLongPromptsIgnoreExamples() {
    TokenModel m = TokenModel.initialize(cfg, new SplittableRandom(81));
    int[] prompt = {1, 6, 2};
    int[] response = {9, 10, 3};
    int[] full = join(concat(examples, prompt), response);
    int[] cut = join(InContext.condition(examples, prompt, cfg.context()), response);
    float[][] a = m.tokenLogProbs(be, List.of(full, cut), new int[] {full.length - 3, cut.length - 3});
    assertArrayEquals(a[0], a[1], 0f);
    // with the examples the prediction differs from the bare prompt (2 example tokens are visible) …
    int[] bare = join(prompt, response);
    float[] b = m.tokenLogProbs(be, List.of(bare), new int[] {3})[0];
    assertFalse(Arrays.equals(a[0], b));
    // … but a prompt of C tokens or more hides every example
    int[] longPrompt = {1, 6, 7, 8, 2};
    int[] withEx = join(concat(examples, longPrompt), response), without = join(longPrompt, response);
    float[][] c = m.tokenLogProbs(be, List.of(withEx, without), new int[] {withEx.length - 3, 5});
    assertArrayEquals(c[0], c[1], 0f);
  }
}
