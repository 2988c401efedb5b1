package io.priorflow.engine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The architecture of a {@link TokenModel}, of one of two {@linkplain Family families}, each with a token head or a
 * scalar head.
 *
 * <p><b>MLP</b>: a fixed-window neural language model in the style of Bengio et al. (2003).
 * <pre>
 *   tokens t−C .. t−1 ──embed (vocab, embedDim)──▶ x0 (C·embedDim) ──dense+act──▶ h1 … h_L ──dense──▶ head
 * </pre>
 * <b>TRANSFORMER</b>: a GPT-2-style causal decoder (Radford et al. 2019) of width D = {@code embedDim},
 * L = {@code hidden.size()} pre-LayerNorm blocks whose MLPs are {@code hidden.get(l)} wide, and {@code heads}
 * attention heads; it reads up to C = {@code context} positions.
 * <pre>
 *   [pad, x_0 .. x_t−1] ──token + position embeddings──▶ h (t+1, D)
 *     L × { h += attn(LN1(h)) ; h += fcproj(act(fc(LN2(h)))) } ──LN_f──▶ features at position t ──dense──▶ head
 * </pre>
 * head = TOKEN: logits over the vocabulary for token t; head = SCALAR: one score per sequence, from the mean of the
 * features over the sequence's positions.
 *
 * @param family     the model family
 * @param head       what the model outputs
 * @param vocab      vocabulary size V (token ids 0..V−1)
 * @param context    window C: how many previous tokens the model sees
 * @param embedDim   embedding width D
 * @param hidden     widths H_1..H_L of the hidden layers (at least one)
 * @param activation the hidden layers' non-linearity
 * @param padToken   the id that fills the window before a sequence's first token
 */
public record TokenModelConfig(
    @JsonProperty("family") Family family,
    @JsonProperty("head") Head head,
    @JsonProperty("vocab") int vocab,
    @JsonProperty("context") int context,
    @JsonProperty("embedDim") int embedDim,
    @JsonProperty("hidden") List<Integer> hidden,
    @JsonProperty("activation") Activation activation,
    @JsonProperty("padToken") int padToken,
    @JsonProperty("heads") int heads) {

  /** The model family: how the body turns the tokens before a position into features. */
  public enum Family { MLP, TRANSFORMER }

  /** What a model outputs. */
  public enum Head { TOKEN, SCALAR }

  /** Hidden-layer non-linearity. */
  public enum Activation { GELU, RELU, TANH }

  /** Upper bounds that keep a typo from allocating gigabytes; far above any model this simulator trains. */
  public static final int MAX_VOCAB = 65_536, MAX_CONTEXT = 1_024, MAX_WIDTH = 16_384, MAX_LAYERS = 16;

  @JsonCreator
  public TokenModelConfig {
    if (family == null) throw new IllegalArgumentException("family must be MLP or TRANSFORMER, was null");
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
    if (family == Family.MLP) {
      if (heads != 0) throw new IllegalArgumentException("heads is for the transformer; an MLP has 0, was " + heads);
      if ((long) context * embedDim > MAX_WIDTH) {
        throw new IllegalArgumentException(
            "context × embedDim must be at most " + MAX_WIDTH + ", was " + context + " × " + embedDim);
      }
    } else {
      check("heads", heads, 1, embedDim);
      if (embedDim % heads != 0) {
        throw new IllegalArgumentException("width (embedDim) must be a multiple of heads, was " + embedDim + " and "
            + heads);
      }
    }
    hidden = List.copyOf(hidden);
  }

  /** An MLP (the family every model had before the transformer; heads 0). */
  public TokenModelConfig(Head head, int vocab, int context, int embedDim, List<Integer> hidden, Activation activation,
                          int padToken) {
    this(Family.MLP, head, vocab, context, embedDim, hidden, activation, padToken, 0);
  }

  /**
   * A transformer: {@code layers} blocks of width {@code width} with {@code heads} heads and MLPs {@code mlpWidth}
   * wide (GELU), reading up to {@code context} positions.
   */
  public static TokenModelConfig transformer(Head head, int vocab, int context, int width, int layers, int heads,
                                             int mlpWidth, int padToken) {
    if (layers < 1 || layers > MAX_LAYERS) {
      throw new IllegalArgumentException("layers must be in [1, " + MAX_LAYERS + "], was " + layers);
    }
    return new TokenModelConfig(Family.TRANSFORMER, head, vocab, context, width, java.util.Collections.nCopies(layers,
        mlpWidth), Activation.GELU, padToken, heads);
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
  public TokenModelConfig withScalarHead() { return withHead(Head.SCALAR); }

  /** The same body with the given head. */
  public TokenModelConfig withHead(Head h) {
    return new TokenModelConfig(family, h, vocab, context, embedDim, hidden, activation, padToken, heads);
  }

  /** Width of the MLP's first layer's input: C · D. */
  public int inputWidth() { return context * embedDim; }

  /** Width of the features the head reads: H_L for the MLP, D for the transformer. */
  public int featureWidth() { return family == Family.MLP ? lastHidden() : embedDim; }

  /** Whether this is a transformer (not a JSON property: a config travels in work items as its components). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isTransformer() { return family == Family.TRANSFORMER; }

  /** Width of the output layer: V for the token head, 1 for the scalar head. */
  public int outputWidth() { return head == Head.TOKEN ? vocab : 1; }

  /** Number of hidden layers L. */
  public int layers() { return hidden.size(); }

  /** Width of the last hidden layer. */
  public int lastHidden() { return hidden.get(hidden.size() - 1); }
}
