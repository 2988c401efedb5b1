package io.priorflow.engine.scenario;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.scenario.Rules.Range;

/**
 * How each generation's model is measured: on a fixed set of evaluation prompts drawn once from the world, the
 * model samples responses, which the gold oracle scores. {@code prompts × samplesPerPrompt} must be at most
 * {@value #MAX_SAMPLES}.
 *
 * @param prompts          evaluation prompts, in [1, 1000000]; default 500
 * @param samplesPerPrompt responses sampled per prompt, in [1, 1000]; default 4
 * @param temperature      sampling temperature, in [0, 100]; 0 is greedy; default 1
 * @param maxNewTokens     most tokens per response, in [1, 1024]; default 16
 * @param winRateAgainst   base or teacher: also measure {@code winrate}, the share of evaluation samples on which the
 *                         generation's model beats that reference by gold utility (ties count ½), each sample paired
 *                         with the reference's sample from the same random stream; null (the default): no win rate
 * @param bestOfN          n in [2, 1024]: evaluate the policy as best-of-n at inference — each evaluation sample is
 *                         the best of n candidates by the proxy reward (the lineage's reward model, else the critic),
 *                         and {@code eval.bon_kl} measures KL(best-of-n ‖ policy) beside the analytic
 *                         {@code eval.bon_kl_bound} = log n − (n−1)/n; the best-of-m curve for m = 1, 2, 4, … n goes
 *                         to best-of-n.csv and Gao et al.'s fit of it to {@code eval.bon_fit_*}; needs
 *                         samplesPerPrompt ≥ 2; null (the default): plain samples
 * @param winRateAgainstModel another lineage's model to measure {@code winrate} against instead: {@code
 *                         <lineage>@<generation>}, {@code <lineage>@latest} (or just {@code <lineage>}) or {@code
 *                         <lineage>@same} (its generation of the same number) — e.g. a student against its strong
 *                         teacher lineage's model. Lineages run in the order listed, so only the lineages listed after
 *                         the named one measure it (the others leave winrate empty); not with winRateAgainst; null
 *                         (the default): none
 * @param retrieval        retrieval-augmented evaluation ({@link RetrievalSpec}): the retrievers' passages go before
 *                         every fact question of the evaluation and of knowledge.current_accuracy's probes (not the
 *                         held-out recall probes), and the gold oracle judges the answer to the bare question; null
 *                         (the default): none
 * @param examples         in-context examples before every evaluation prompt, in [0, 64]; null (the default): none. World
 *                         examples (prompt and response) drawn once with the evaluation prompts — prompt i always
 *                         gets the same ones, so every model of every generation is measured under the same
 *                         prompting — and cut to what each model's context can see
 *                         ({@link io.priorflow.engine.train.InContext}); the gold oracle judges the prompt and the
 *                         answer, the examples taken out, as do kl.base, reward.proxy and the honesty confidences,
 *                         which score that bare sequence. The held-out recall probes and knowledge.current_accuracy's
 *                         probes get none
 * @param examplesTag      the quality tag of those examples: none (wild), low, mid or high; null (the default) is
 *                         high, as on a generate stage
 */
public record EvaluationSpec(
    @Range(min = 1, max = 1_000_000) int prompts,
    @Range(min = 1, max = 1000) int samplesPerPrompt,
    @Range(min = 0, max = 100) double temperature,
    @Range(min = 1, max = 1024) int maxNewTokens,
    @Rules.Nullable Reference winRateAgainst,
    @Rules.Nullable @Range(min = 2, max = 1024) Integer bestOfN,
    @Rules.Nullable String winRateAgainstModel,
    @Rules.Nullable RetrievalSpec retrieval,
    @Rules.Nullable @Range(min = 0, max = 64) Integer examples,
    @Rules.Nullable GenerateStage.PromptTag examplesTag) {

  /** An evaluation without in-context examples. */
  public EvaluationSpec(int prompts, int samplesPerPrompt, double temperature, int maxNewTokens, Reference
      winRateAgainst, Integer bestOfN, String winRateAgainstModel, RetrievalSpec retrieval) {
    this(prompts, samplesPerPrompt, temperature, maxNewTokens, winRateAgainst, bestOfN, winRateAgainstModel,
        retrieval, null, null);
  }

  /** An evaluation without retrieval. */
  public EvaluationSpec(int prompts, int samplesPerPrompt, double temperature, int maxNewTokens, Reference
      winRateAgainst, Integer bestOfN, String winRateAgainstModel) {
    this(prompts, samplesPerPrompt, temperature, maxNewTokens, winRateAgainst, bestOfN, winRateAgainstModel, null);
  }

  /** The number of in-context examples per prompt: {@link #examples}, 0 when not given. */
  public int exampleCount() {
    return examples == null ? 0 : examples;
  }

  /** The tag of the in-context examples: {@link #examplesTag}, high when not given. */
  public GenerateStage.PromptTag examplesTagOrDefault() {
    return examplesTag == null ? GenerateStage.PromptTag.HIGH : examplesTag;
  }

  /** An evaluation without a win rate. */
  public EvaluationSpec(int prompts, int samplesPerPrompt, double temperature, int maxNewTokens) {
    this(prompts, samplesPerPrompt, temperature, maxNewTokens, null, null, null);
  }

  /** True when the evaluation measures winrate (against base, teacher or another lineage's model). */
  public boolean measuresWinRate() {
    return winRateAgainst != null || winRateAgainstModel != null;
  }

  /** The model a generation's model is compared with for its win rate. */
  public enum Reference {
    /** The lineage's generation-0 model. */
    @com.fasterxml.jackson.annotation.JsonProperty("base") BASE,
    /** The generation's teacher: the previous generation's model. */
    @com.fasterxml.jackson.annotation.JsonProperty("teacher") TEACHER
  }

  /** The most responses one evaluation may sample. */
  public static final long MAX_SAMPLES = 10_000_000;

  /** 500 prompts, 4 samples each at temperature 1, up to 16 new tokens. */
  public static EvaluationSpec defaults() {
    return new EvaluationSpec(500, 4, 1.0, 16);
  }

  /** The sampling settings (no top-k), stopping at {@code stopToken}. */
  public SamplingConfig sampling(int stopToken) {
    return new SamplingConfig((float) temperature, 0, maxNewTokens, stopToken);
  }
}
