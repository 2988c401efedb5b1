package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;
import io.priorflow.engine.world.Tag;
import java.util.Optional;

/**
 * {@code kind: generate}: the teacher answers prompts drawn from the world, producing synthetic (prompt, response)
 * data. Prompting with a quality tag conditions the teacher on it, like prompting with a high chess ELO.
 *
 * @param samples      responses to generate, in [1, 10000000]; default 5000
 * @param temperature  sampling temperature, in [0, 100]; 0 is greedy; default 1
 * @param topK         keep the k most likely tokens, in [0, 65536]; 0 keeps all; default 0
 * @param maxNewTokens most tokens per response, in [1, 1024]; default 16
 * @param tag          the quality tag put in every prompt: none (as the world draws it), low, mid or high;
 *                     default none
 * @param examples     in-context examples prepended to every prompt (prompting without a weight update), in
 *                     [0, 64]; default 0. World examples, kept only as far as the model's window reaches
 *                     ({@link io.priorflow.engine.train.InContext}): with the default window of 8 tokens and 6–8-token
 *                     prompts at most 2 example tokens are visible, so raise {@code model.context} to study them.
 *                     The data keep the prompt and the response only
 * @param examplesTag  the quality tag of the world examples drawn as in-context examples: none (wild), low, mid or
 *                     high; default high
 * @param every    run in every every-th generation from {@code from} on, in [1, 1000]; null (the default) is 1
 * @param from     the first generation the stage runs in, in [1, 1000]; null (the default) is 1
 * @param until    the last generation the stage runs in, in [0, 1000] (0: never — the stage is switched off, as a
 *                 counterfactual's {@code drop} does); null (the default) is the last generation
 * @param teacher  the model that answers: teacher (the generation's teacher), base (this lineage's base),
 *                 {@code <lineage>@<generation>}, {@code <lineage>@latest} (or just {@code <lineage>}) or
 *                 {@code <lineage>@same} (that lineage's generation of the same number), of a lineage listed before
 *                 this one ({@link ModelRef}); null (the default) is teacher
 * @param name     names the stage in paths of {@code --set}, {@code --sweep} and {@code sweep:}
 *                 ({@code lineages[main].stages[distil].temperature}), so inserting a stage does not change what a
 *                 path means: 1 to 64 characters of {@code [a-z0-9_-]} starting with a letter, distinct within
 *                 the lineage; null (the default) leaves the stage addressed by position only
 * @param retrieval retrieval-augmented prompting ({@link RetrievalSpec}): the retrievers' passages go before each
 *                  fact question the teacher answers; the data keep the question and the answer, not the passages;
 *                  null (the default) is none
 */
public record GenerateStage(
    @Range(min = 1, max = 10_000_000) int samples,
    @Range(min = 0, max = 100) double temperature,
    @Range(min = 0, max = 65_536) int topK,
    @Range(min = 1, max = 1024) int maxNewTokens,
    PromptTag tag,
    @Range(min = 0, max = 64) int examples,
    PromptTag examplesTag,
    @Nullable @Range(min = 1, max = 1000) Integer every,
    @Nullable @Range(min = 1, max = 1000) Integer from,
    @Nullable @Range(min = 0, max = 1000) Integer until,
    @Nullable String teacher,
    @Nullable @Pattern("[a-z][a-z0-9_-]*") @Size(min = 1, max = 64) String name,
    @Nullable RetrievalSpec retrieval) implements StageSpec {

  /** A stage without retrieval. */
  public GenerateStage(int samples, double temperature, int topK, int maxNewTokens, PromptTag tag, int examples,
                       PromptTag examplesTag, Integer every, Integer from, Integer until, String teacher, String name) {
    this(samples, temperature, topK, maxNewTokens, tag, examples, examplesTag, every, from, until, teacher, name, null);
  }

  /** A stage that runs in every generation and asks the generation's teacher. */
  public GenerateStage(int samples, double temperature, int topK, int maxNewTokens, PromptTag tag, int examples,
                       PromptTag examplesTag) {
    this(samples, temperature, topK, maxNewTokens, tag, examples, examplesTag, null, null, null, null, null);
  }

  /** The tag a generate stage prompts with. */
  public enum PromptTag {
    /** Keep the tag the world drew for the prompt. */
    @JsonProperty("none") NONE,
    /** {@code tag_low}. */
    @JsonProperty("low") LOW,
    /** {@code tag_mid}. */
    @JsonProperty("mid") MID,
    /** {@code tag_high}. */
    @JsonProperty("high") HIGH;

    /** The world's tag, or empty for none. */
    public Optional<Tag> toTag() {
      return this == NONE ? Optional.empty() : Optional.of(Tag.valueOf(name()));
    }
  }

  /** 5000 samples at temperature 1, no top-k, up to 16 new tokens, no forced tag, no in-context examples. */
  public static GenerateStage defaults() {
    return new GenerateStage(5000, 1.0, 0, 16, PromptTag.NONE, 0, PromptTag.HIGH);
  }

  /** The sampling settings, stopping at {@code stopToken}. */
  public SamplingConfig sampling(int stopToken) {
    return new SamplingConfig((float) temperature, topK, maxNewTokens, stopToken);
  }
}
