package io.priorflow.engine.scenario;

import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.model.TokenModelConfig.Activation;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import java.util.List;

/**
 * The architecture of every token model of a scenario (see {@link TokenModelConfig}); the vocabulary comes from the
 * world. {@code context × embedDim} must be at most {@value TokenModelConfig#MAX_WIDTH}.
 *
 * @param context    window C, the previous tokens a model sees, in [1, 1024]; default 8
 * @param embedDim   embedding width D, in [1, 16384]; default 24
 * @param hidden     widths of the hidden layers, 1 to 16 layers, each in [1, 16384]; default [256]
 * @param activation the hidden layers' non-linearity: gelu, relu or tanh; default gelu
 */
public record ModelSpec(
    @Range(min = 1, max = TokenModelConfig.MAX_CONTEXT) int context,
    @Range(min = 1, max = TokenModelConfig.MAX_WIDTH) int embedDim,
    @Size(min = 1, max = TokenModelConfig.MAX_LAYERS) @Range(min = 1, max = TokenModelConfig.MAX_WIDTH)
        List<Integer> hidden,
    Activation activation) {

  /** Copies the list (null stays null, for the validator to report). */
  public ModelSpec {
    hidden = hidden == null ? null : List.copyOf(hidden);
  }

  /** Window 8, embeddings 24 wide, one hidden layer of 256, GELU: the size of {@link TokenModelConfig#defaults}. */
  public static ModelSpec defaults() {
    return new ModelSpec(8, 24, List.of(256), Activation.GELU);
  }

  /** The token-head model config for a vocabulary of that size. */
  public TokenModelConfig toConfig(int vocab, int padToken) {
    return new TokenModelConfig(TokenModelConfig.Head.TOKEN, vocab, context, embedDim, hidden, activation, padToken);
  }
}
