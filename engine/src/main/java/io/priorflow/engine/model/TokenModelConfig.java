package io.priorflow.engine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The architecture of a {@link TokenModel}: a fixed-window neural language model in the style of Bengio et al.
 * (2003), or the same body with a scalar head.
 *
 * <pre>
 *   tokens t−C .. t−1 ──embed (vocab, embedDim)──▶ x0 (C·embedDim) ──dense+act──▶ h1 … h_L ──dense──▶ head
 *   head = TOKEN : logits over the vocabulary for token t
 *   head = SCALAR: one score per sequence, from the mean of h_L over the sequence's positions
 * </pre>
 *
 * @param head       what the model outputs
 * @param vocab      vocabulary size V (token ids 0..V−1)
 * @param context    window C: how many previous tokens the model sees
 * @param embedDim   embedding width D
 * @param hidden     widths H_1..H_L of the hidden layers (at least one)
 * @param activation the hidden layers' non-linearity
 * @param padToken   the id that fills the window before a sequence's first token
 */
public record TokenModelConfig(
    @JsonProperty("head") Head head,
    @JsonProperty("vocab") int vocab,
    @JsonProperty("context") int context,
    @JsonProperty("embedDim") int embedDim,
    @JsonProperty("hidden") List<Integer> hidden,
    @JsonProperty("activation") Activation activation,
    @JsonProperty("padToken") int padToken) {

  /** What a model outputs. */
  public enum Head { TOKEN, SCALAR }

  /** Hidden-layer non-linearity. */
  public enum Activation { GELU, RELU, TANH }

  /** Upper bounds that keep a typo from allocating gigabytes; far above any model this simulator trains. */
  public static final int MAX_VOCAB = 65_536, MAX_CONTEXT = 1_024, MAX_WIDTH = 16_384, MAX_LAYERS = 16;

  @JsonCreator
  public TokenModelConfig {
    if (head == null) throw new IllegalArgumentException("head must be TOKEN or SCALAR, was null");
    if (activation == null) throw new IllegalArgumentException("activation must be GELU, RELU or TANH, was null");
    check("vocab", vocab, 2, MAX_VOCAB);
    check("context", context, 1, MAX_CONTEXT);
    check("embedDim", embedDim, 1, MAX_WIDTH);
    if (hidden == null || hidden.isEmpty() || hidden.size() > MAX_LAYERS) {
      throw new IllegalArgumentException("hidden must list 1.." + MAX_LAYERS + " layer widths, was " + hidden);
    }
    for (int i = 0; i < hidden.size(); i++) check("hidden[" + i + "]", hidden.get(i), 1, MAX_WIDTH);
    check("padToken", padToken, 0, vocab - 1);
    if ((long) context * embedDim > MAX_WIDTH) {
      throw new IllegalArgumentException(
          "context × embedDim must be at most " + MAX_WIDTH + ", was " + context + " × " + embedDim);
    }
    hidden = List.copyOf(hidden);
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /** The default student/teacher size: window 8, embeddings 24 wide, one hidden layer of 256, GELU. */
  public static TokenModelConfig defaults(int vocab, int padToken) {
    return new TokenModelConfig(Head.TOKEN, vocab, 8, 24, List.of(256), Activation.GELU, padToken);
  }

  /** The same body with a scalar head (reward models, critics, trait classifiers). */
  public TokenModelConfig withScalarHead() {
    return new TokenModelConfig(Head.SCALAR, vocab, context, embedDim, hidden, activation, padToken);
  }

  /** Width of the first layer's input: C · D. */
  public int inputWidth() { return context * embedDim; }

  /** Width of the output layer: V for the token head, 1 for the scalar head. */
  public int outputWidth() { return head == Head.TOKEN ? vocab : 1; }

  /** Number of hidden layers L. */
  public int layers() { return hidden.size(); }

  /** Width of the last hidden layer. */
  public int lastHidden() { return hidden.get(hidden.size() - 1); }
}
