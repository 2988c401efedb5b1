package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Range;
import io.priorflow.engine.scenario.Rules.Size;

/**
 * {@code kind: train}: trains a model on this generation's data; the last train stage's model is the generation's
 * student, and the next generation's teacher.
 *
 * @param method   sft, lora (SFT of a low-rank adapter on the frozen teacher), distill_sequence (on teacher
 *                 samples), distill_token (on teacher distributions), reward_model (Bradley–Terry on preference
 *                 labels), rlhf (policy optimisation against the reward model, with a KL penalty), dpo (on
 *                 preference labels), kto (on unpaired desirable / undesirable ratings), online_dpo (DPO on pairs
 *                 the policy samples and the critic judges, {@code rounds} times), gkd (on-policy distillation) or
 *                 best_of_n (keep the best of n samples by the reward); reward_model and dpo need an earlier label
 *                 stage with task prefer, kto one with task rate or correct, and a generation's last train stage
 *                 must not be reward_model (its model is the next teacher); default sft
 * @param init     where the student starts: scratch (fresh weights) or teacher (a copy of the teacher); lora needs
 *                 teacher; dpo, rlhf and best_of_n always start from the teacher (also their reference); for
 *                 reward_model, teacher lends the teacher's body to a fresh scalar head; default scratch
 * @param model    reward_model only: names the entry of {@code models} the reward model has; null (the default)
 *                 takes the scenario's {@code model} (with init teacher: the teacher's body, whose model it must
 *                 then be)
 * @param epochs   passes over the data, in [1, 1000]; null (the default) takes training.epochs
 * @param lr       peak learning rate, in (0, 10]; null (the default) takes training.lr
 * @param loraRank adapter rank r, used by lora, in [1, 1024]; default 8
 * @param klCoef   weight of the KL penalty to the reference model (rlhf), or the β of dpo, online_dpo and kto, in
 *                 [0, 100]; default 0.1 (those need β &gt; 0: 0 there means the default 0.1)
 * @param n        best_of_n: samples per prompt, the best of which is kept, in [1, 256]; default 4
 * @param samplesPerPrompt rlhf: responses per prompt and step (the leave-one-out baseline needs 2), in [2, 64];
 *                 default 4
 * @param prompts  rlhf and best_of_n: world prompts the policy answers per generation (rlhf takes steps of
 *                 training.batchSize prompts over them); online_dpo: prompts per round; in [1, 1000000]; default 256
 * @param temperature rlhf, best_of_n and gkd (the student's on-policy samples): sampling temperature; distill_token:
 *                 the distillation temperature T; in (0, 100]; default 1
 * @param algorithm rlhf only: rloo (REINFORCE, leave-one-out baseline), ppo (PPO-clip on the same advantages) or grpo
 *                 (group-normalised advantages over the samplesPerPrompt responses, KL to the reference as a loss
 *                 term); null (the default) is rloo
 * @param clip     rlhf with algorithm ppo or grpo: ε of the clipped probability ratio, in (0, 1]; null (the default)
 *                 is 0.2
 * @param ppoEpochs rlhf with algorithm ppo or grpo: optimizer steps on each batch of samples (GRPO's μ), in [1, 64];
 *                 null (the default) is 4 for ppo, 1 for grpo
 * @param desirableWeight kto only: λ_D, the weight of desirable examples' loss, in (0, 100]; null (the default) is 1
 * @param undesirableWeight kto only: λ_U, the weight of undesirable examples' loss, in (0, 100]; null (the
 *                 default) is 1
 * @param divergence gkd only: the divergence between teacher and student token distributions that is minimised:
 *                 forward_kl KL(teacher ‖ student) (mode-covering), reverse_kl KL(student ‖ teacher) (mode-seeking)
 *                 or jsd (generalised Jensen–Shannon with weight jsdBeta); null (the default) is jsd
 * @param jsdBeta  gkd with divergence jsd: β of JSD(β), the mixture M = β·teacher + (1 − β)·student, in (0, 1);
 *                 null (the default) is 0.5
 * @param onPolicyFraction gkd only: λ, the share of training sequences the student samples itself (the rest is this
 *                 generation's data), in [0, 1]; null (the default) is 0.5
 * @param rounds   online_dpo only: rounds of sample, judge, DPO step per generation, in [1, 100]; null (the
 *                 default) is 4
 * @param by       online_dpo only: who judges each round's pairs, critic (RLAIF) or humans (with their accuracy,
 *                 biases and cost); null (the default) is critic
 * @param baseline rlhf with algorithm ppo: leave_one_out (the prompt's other samples, as rloo) or value (a learned
 *                 value head on the policy's body and per-token GAE, the KL to the reference a per-token reward);
 *                 null (the default) is leave_one_out
 * @param gaeLambda rlhf with algorithm ppo and baseline value: GAE's λ (γ = 1), in [0, 1]; null (the default) is 0.95
 * @param every    run in every every-th generation from {@code from} on, in [1, 1000]; null (the default) is 1
 * @param from     the first generation the stage runs in, in [1, 1000]; null (the default) is 1
 * @param until    the last generation the stage runs in, in [0, 1000] (0: never — the stage is switched off, as a
 *                 counterfactual's {@code drop} does); null (the default) is the last generation
 * @param teacher  the model the stage uses as its teacher — what init teacher copies, lora adapts, distillation
 *                 imitates, and dpo, kto, online_dpo, rlhf and best_of_n start from and (unless {@code reference}
 *                 says otherwise) stay close to: teacher (the generation's teacher), base (this lineage's base),
 *                 {@code <lineage>@<generation>}, {@code <lineage>@latest} (or just {@code <lineage>}) or
 *                 {@code <lineage>@same}, of a lineage listed before this one ({@link ModelRef}); null (the
 *                 default) is teacher. A student copied from a model keeps that model's architecture
 * @param reference dpo, kto, online_dpo and rlhf: the fixed reference model of the KL term or the log-ratio, in the
 *                 forms of {@code teacher}; null (the default) is the stage's teacher
 * @param name     names the stage in paths of {@code --set}, {@code --sweep} and {@code sweep:}
 *                 ({@code lineages[main].stages[distil].temperature}), so inserting a stage does not change what a
 *                 path means: 1 to 64 characters of {@code [a-z0-9_-]} starting with a letter, distinct within
 *                 the lineage; null (the default) leaves the stage addressed by position only
 */
public record TrainStage(
    Method method,
    Init init,
    @Nullable String model,
    @Nullable @Range(min = 1, max = 1000) Integer epochs,
    @Nullable @Range(min = 0, max = 10, minOpen = true) Double lr,
    @Range(min = 1, max = 1024) int loraRank,
    @Range(min = 0, max = 100) double klCoef,
    @Range(min = 1, max = 256) int n,
    @Range(min = 2, max = 64) int samplesPerPrompt,
    @Range(min = 1, max = 1_000_000) int prompts,
    @Range(min = 0, max = 100, minOpen = true) double temperature,
    @Nullable Algorithm algorithm,
    @Nullable @Range(min = 0, max = 1, minOpen = true) Double clip,
    @Nullable @Range(min = 1, max = 64) Integer ppoEpochs,
    @Nullable @Range(min = 0, max = 100, minOpen = true) Double desirableWeight,
    @Nullable @Range(min = 0, max = 100, minOpen = true) Double undesirableWeight,
    @Nullable Divergence divergence,
    @Nullable @Range(min = 0, max = 1, minOpen = true, maxOpen = true) Double jsdBeta,
    @Nullable @Range(min = 0, max = 1) Double onPolicyFraction,
    @Nullable @Range(min = 1, max = 100) Integer rounds,
    @Nullable LabelStage.By by,
    @Nullable Baseline baseline,
    @Nullable @Range(min = 0, max = 1) Double gaeLambda,
    @Nullable @Range(min = 1, max = 1000) Integer every,
    @Nullable @Range(min = 1, max = 1000) Integer from,
    @Nullable @Range(min = 0, max = 1000) Integer until,
    @Nullable String teacher,
    @Nullable String reference,
    @Nullable @Pattern("[a-z][a-z0-9_-]*") @Size(min = 1, max = 64) String name) implements StageSpec {

  /** A stage that runs in every generation, with the generation's teacher as its teacher and reference. */
  public TrainStage(Method method, Init init, String model, Integer epochs, Double lr, int loraRank, double klCoef,
                    int n, int samplesPerPrompt, int prompts, double temperature, Algorithm algorithm, Double clip,
                    Integer ppoEpochs, Double desirableWeight, Double undesirableWeight, Divergence divergence,
                    Double jsdBeta, Double onPolicyFraction, Integer rounds, LabelStage.By by, Baseline baseline,
                    Double gaeLambda) {
    this(method, init, model, epochs, lr, loraRank, klCoef, n, samplesPerPrompt, prompts, temperature, algorithm,
        clip, ppoEpochs, desirableWeight, undesirableWeight, divergence, jsdBeta, onPolicyFraction, rounds, by,
        baseline, gaeLambda, null, null, null, null, null, null);
  }

  /** A stage that names no model of its own and none of the newer methods' fields. */
  public TrainStage(Method method, Init init, Integer epochs, Double lr, int loraRank, double klCoef, int n,
                    int samplesPerPrompt, int prompts, double temperature) {
    this(method, init, null, epochs, lr, loraRank, klCoef, n, samplesPerPrompt, prompts, temperature);
  }

  /** A stage with none of the newer methods' fields. */
  public TrainStage(Method method, Init init, String model, Integer epochs, Double lr, int loraRank, double klCoef,
                    int n, int samplesPerPrompt, int prompts, double temperature) {
    this(method, init, model, epochs, lr, loraRank, klCoef, n, samplesPerPrompt, prompts, temperature, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }

  /** The RLHF algorithm (rloo when the stage names none). */
  public Algorithm algorithmOrDefault() { return algorithm != null ? algorithm : Algorithm.RLOO; }

  /** PPO's and GRPO's ε (0.2 when the stage names none). */
  public double clipOrDefault() { return clip != null ? clip : 0.2; }

  /** Optimizer steps per batch of samples: the stage's, else 4 for ppo and 1 for rloo and grpo. */
  public int ppoEpochsOrDefault() {
    return ppoEpochs != null ? ppoEpochs : algorithmOrDefault() == Algorithm.PPO ? 4 : 1;
  }

  /** β of dpo, online_dpo and kto: klCoef, which validation keeps above 0 for them (the default is 0.1). */
  public double beta() {
    if (!(klCoef > 0)) {
      throw new IllegalArgumentException("β (klCoef) of " + method + " must be > 0, was " + klCoef);
    }
    return klCoef;
  }

  /** KTO's λ_D (1 when the stage names none). */
  public double desirableWeightOrDefault() { return desirableWeight != null ? desirableWeight : 1.0; }

  /** KTO's λ_U (1 when the stage names none). */
  public double undesirableWeightOrDefault() { return undesirableWeight != null ? undesirableWeight : 1.0; }

  /** GKD's divergence (jsd when the stage names none). */
  public Divergence divergenceOrDefault() { return divergence != null ? divergence : Divergence.JSD; }

  /** GKD's JSD β (0.5 when the stage names none). */
  public double jsdBetaOrDefault() { return jsdBeta != null ? jsdBeta : 0.5; }

  /** GKD's λ (0.5 when the stage names none). */
  public double onPolicyFractionOrDefault() { return onPolicyFraction != null ? onPolicyFraction : 0.5; }

  /** Who judges online DPO's pairs (the critic when the stage names no one). */
  public LabelStage.By byOrDefault() { return by != null ? by : LabelStage.By.CRITIC; }

  /** Online DPO's rounds per generation (4 when the stage names none). */
  public int roundsOrDefault() { return rounds != null ? rounds : 4; }

  /** PPO's baseline (leave-one-out when the stage names none). */
  public Baseline baselineOrDefault() { return baseline != null ? baseline : Baseline.LEAVE_ONE_OUT; }

  /** GAE's λ (0.95 when the stage names none). */
  public double gaeLambdaOrDefault() { return gaeLambda != null ? gaeLambda : 0.95; }

  /** What PPO subtracts from the reward to form its advantages. */
  public enum Baseline {
    /** The mean reward of the prompt's other samples, per sequence. */
    @JsonProperty("leave_one_out") LEAVE_ONE_OUT,
    /** A learned value head and per-token GAE. */
    @JsonProperty("value") VALUE
  }

  /** RLHF's policy-optimisation algorithm. */
  public enum Algorithm {
    /** REINFORCE with the leave-one-out baseline (Ahmadian et al. 2024), the KL in the reward. */
    @JsonProperty("rloo") RLOO,
    /** PPO-clip (Schulman et al. 2017) on the leave-one-out advantages, several steps per batch. */
    @JsonProperty("ppo") PPO,
    /** GRPO (Shao et al. 2024): group-normalised advantages, the KL to the reference a loss term. */
    @JsonProperty("grpo") GRPO
  }

  /** GKD's divergence between the teacher's and the student's next-token distributions. */
  public enum Divergence {
    /** KL(teacher ‖ student): mode-covering. */
    @JsonProperty("forward_kl") FORWARD_KL,
    /** KL(student ‖ teacher): mode-seeking. */
    @JsonProperty("reverse_kl") REVERSE_KL,
    /** The generalised Jensen–Shannon divergence JSD(β). */
    @JsonProperty("jsd") JSD
  }

  /** The training method. */
  public enum Method {
    /** Supervised fine-tuning of every weight. */
    @JsonProperty("sft") SFT,
    /** SFT of a LoRA adapter; the base stays frozen. */
    @JsonProperty("lora") LORA,
    /** Sequence-level distillation: SFT on teacher samples. */
    @JsonProperty("distill_sequence") DISTILL_SEQUENCE,
    /** Token-level distillation: cross-entropy to the teacher's next-token distributions. */
    @JsonProperty("distill_token") DISTILL_TOKEN,
    /** A scalar-head reward model, Bradley–Terry on preference pairs. */
    @JsonProperty("reward_model") REWARD_MODEL,
    /** Policy optimisation against a reward model, with a KL penalty to the reference. */
    @JsonProperty("rlhf") RLHF,
    /** Direct preference optimisation. */
    @JsonProperty("dpo") DPO,
    /** Kahneman–Tversky optimisation on unpaired desirable / undesirable ratings. */
    @JsonProperty("kto") KTO,
    /** Online (iterative) DPO: the policy samples pairs, the critic judges them, a DPO step, each round. */
    @JsonProperty("online_dpo") ONLINE_DPO,
    /** Generalised knowledge distillation: on-policy (student-sampled) and off-policy sequences, teacher targets. */
    @JsonProperty("gkd") GKD,
    /** Best-of-n: SFT on the best of n samples per prompt by the reward. */
    @JsonProperty("best_of_n") BEST_OF_N
  }

  /** Where the student's weights start. */
  public enum Init {
    /** Fresh random weights. */
    @JsonProperty("scratch") SCRATCH,
    /** A copy of the teacher. */
    @JsonProperty("teacher") TEACHER
  }

  /**
   * SFT from scratch with the scenario's training settings, LoRA rank 8, KL 0.1, best of 4, 4 samples per prompt,
   * 256 prompts, temperature 1.
   */
  public static TrainStage defaults() {
    return new TrainStage(Method.SFT, Init.SCRATCH, null, null, 8, 0.1, 4, 4, 256, 1.0);
  }

  /** A stage of a method with the other fields at their defaults. */
  public static TrainStage of(Method method, Init init) {
    TrainStage d = defaults();
    return new TrainStage(method, init, null, null, d.loraRank, d.klCoef, d.n, d.samplesPerPrompt, d.prompts,
        d.temperature);
  }

  /** The epochs to run: this stage's, or the scenario's default. */
  public int epochs(TrainingSpec training) {
    return epochs != null ? epochs : training.epochs();
  }

  /** The peak learning rate: this stage's, or the scenario's default. */
  public double lr(TrainingSpec training) {
    return lr != null ? lr : training.lr();
  }
}
