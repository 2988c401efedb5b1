package io.priorflow.engine.train;

import java.util.List;

/**
 * Prompting with in-context examples: k demonstrations (full prompt + response sequences) placed before the prompt,
 * with no weight update.
 *
 * <p>What that can do here is limited by the model: a {@code TokenModel} sees only the last C tokens (its context
 * window) before each position it predicts. The first response token sees the last C tokens of examples + prompt,
 * and every later one sees fewer of them. So only the last C − |prompt| tokens of the examples can ever matter,
 * and none at all when the prompt is C tokens or longer: with the default model (C = 8) and the default world's
 * prompts (6 to 8 tokens, BOS … SEP), at most the final two tokens of the last example — typically its last response
 * token and EOS — are visible, and arithmetic prompts see none. In-context learning of the kind large transformers
 * show is therefore out of reach of this model family; conditioning on a tag inside the prompt (the quality tag)
 * is the prompting that works. {@link #condition} keeps exactly the tokens that can matter, so its output gives the
 * same predictions as the untruncated concatenation, at a fraction of the length.
 */
public final class InContext {
  private InContext() {}

  /**
   * The examples (in order), then the prompt, concatenated and cut to the last {@code window} tokens (the model's
   * context C; never into the prompt itself), which is everything the model can see when it continues the result.
   * The response starts at the returned length.
   */
  public static int[] condition(List<int[]> examples, int[] prompt, int window) {
    if (window < 1) throw new IllegalArgumentException("the context window must be ≥ 1, was " + window);
    int total = prompt.length;
    for (int[] e : examples) total += e.length;
    int keep = Math.min(total, Math.max(window, prompt.length));
    int[] out = new int[keep];
    // fill from the end: the prompt, then the examples from the last one back
    int pos = keep - prompt.length;
    System.arraycopy(prompt, 0, out, pos, prompt.length);
    for (int i = examples.size() - 1; i >= 0 && pos > 0; i--) {
      int[] e = examples.get(i);
      int n = Math.min(pos, e.length);
      System.arraycopy(e, e.length - n, out, pos - n, n);
      pos -= n;
    }
    return out;
  }

  /** How many example tokens a model with window C can see before a prompt of this length: max(0, C − length). */
  public static int visibleExampleTokens(int promptLength, int window) { return Math.max(0, window - promptLength); }
}
