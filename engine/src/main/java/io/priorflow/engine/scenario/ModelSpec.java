package io.priorflow.engine.scenario;

import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.model.TokenModelConfig.Activation;
import io.priorflow.engine.model.TokenModelConfig.Family;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.List;

/**
 * The architecture of a token model (see {@link TokenModelConfig}): the scenario's {@code model:} (which sizes every
 * role that names no model of its own) or one entry of {@code models:}. The vocabulary comes from the world. Each
 * family has its own fields and defaults ({@link #defaults(Family)}); a field of the other family is an error
 * ({@link ModelCheck}). {@link #toConfig} is the one place a spec becomes a model config.
 *
 * @param family     mlp (a fixed-window MLP) or transformer (a causal decoder); null (the default) means mlp
 * @param context    both: window C, the previous tokens a model sees, in [1, 1024]; default 8 (mlp), 64 (transformer)
 * @param embedDim   mlp: embedding width D, in [1, 16384], with context × embedDim ≤ 16384; default 24
 * @param hidden     mlp: widths of the hidden layers, 1 to 16 layers, each in [1, 16384]; default [256]
 * @param activation mlp: the hidden layers' non-linearity: gelu, relu or tanh; default gelu
 * @param width      transformer: the residual width D, in [1, 16384], a multiple of heads; default 64
 * @param layers     transformer: blocks, in [1, 16]; default 2
 * @param heads      transformer: attention heads per block, in [1, 16384]; default 4
 * @param mlpWidth   transformer: width of each block's GELU MLP, in [1, 16384]; default 256
 */
public record ModelSpec(
    @Nullable Family family,
    @Range(min = 1, max = TokenModelConfig.MAX_CONTEXT) int context,
    @Nullable @Range(min = 1, max = TokenModelConfig.MAX_WIDTH) Integer embedDim,
    @Nullable @Size(min = 1, max = TokenModelConfig.MAX_LAYERS) @Range(min = 1, max = TokenModelConfig.MAX_WIDTH)
        List<Integer> hidden,
    @Nullable Activation activation,
    @Nullable @Range(min = 1, max = TokenModelConfig.MAX_WIDTH) Integer width,
    @Nullable @Range(min = 1, max = TokenModelConfig.MAX_LAYERS) Integer layers,
    @Nullable @Range(min = 1, max = TokenModelConfig.MAX_WIDTH) Integer heads,
    @Nullable @Range(min = 1, max = TokenModelConfig.MAX_WIDTH) Integer mlpWidth) {

  /** The fields only an MLP has, and those only a transformer has, as written in files. */
  static final List<String> MLP_FIELDS = List.of("embedDim", "hidden", "activation"),
      TRANSFORMER_FIELDS = List.of("width", "layers", "heads", "mlpWidth");

  /** Copies the list (null stays null, for the validator to report). */
  public ModelSpec {
    hidden = hidden == null ? null : List.copyOf(hidden);
  }

  /** An MLP spec as written before families existed (family left out). */
  public ModelSpec(int context, int embedDim, List<Integer> hidden, Activation activation) {
    this(null, context, embedDim, hidden, activation, null, null, null, null);
  }

  /** A transformer spec. */
  public static ModelSpec transformer(int context, int width, int layers, int heads, int mlpWidth) {
    return new ModelSpec(Family.TRANSFORMER, context, null, null, null, width, layers, heads, mlpWidth);
  }

  /** Window 8, embeddings 24 wide, one hidden layer of 256, GELU: the size of {@link TokenModelConfig#defaults}. */
  public static ModelSpec defaults() {
    return new ModelSpec(8, 24, List.of(256), Activation.GELU);
  }

  /**
   * A family's defaults: {@link #defaults()} for mlp; context 64, width 64, 2 layers, 4 heads, MLPs 256 wide for the
   * transformer. A file's model starts from the defaults of the family it names ({@link DefaultsMerge}).
   */
  public static ModelSpec defaults(Family family) {
    return family == Family.TRANSFORMER ? transformer(64, 64, 2, 4, 256) : defaults();
  }

  /** The family, mlp when left out. */
  public Family familyOrDefault() {
    return family == null ? Family.MLP : family;
  }

  /** The token-head model config for a vocabulary of that size: the one mapping from a spec to a config. */
  public TokenModelConfig toConfig(int vocab, int padToken) {
    return familyOrDefault() == Family.TRANSFORMER
        ? TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, vocab, context, width, layers, heads, mlpWidth,
            padToken)
        : new TokenModelConfig(TokenModelConfig.Head.TOKEN, vocab, context, embedDim, hidden, activation, padToken);
  }

  /**
   * The architecture in one line, the family's fields only ("mlp context 8, embedDim 24, hidden [256], gelu"): two
   * specs with the same text make models of the same shape, whether or not {@code family: mlp} was written.
   */
  public String describe() {
    return familyOrDefault() == Family.TRANSFORMER
        ? "transformer context " + context + ", width " + width + ", layers " + layers + ", heads " + heads
            + ", mlpWidth " + mlpWidth
        : "mlp context " + context + ", embedDim " + embedDim + ", hidden " + hidden + ", "
            + ScenarioTypes.enumName(activation);
  }

  /** Whether models of the two specs have the same shape ({@link #describe()}). */
  public boolean sameArchitecture(ModelSpec other) {
    return describe().equals(other.describe());
  }
}
