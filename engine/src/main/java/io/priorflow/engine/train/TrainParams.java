package io.priorflow.engine.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.priorflow.engine.model.SamplingConfig;

/**
 * What a training method needs beyond the dataset and the common settings ({@link TrainSettings}): one record per
 * method, carried by a train work item as JSON with a {@code "type"} naming the record. Preference pairs are index
 * pairs into the item's sequences; models are named by id (content hash).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrainParams.RewardBt.class, name = "reward_bt"),
    @JsonSubTypes.Type(value = TrainParams.Dpo.class, name = "dpo"),
    @JsonSubTypes.Type(value = TrainParams.Kto.class, name = "kto"),
    @JsonSubTypes.Type(value = TrainParams.Rlhf.class, name = "rlhf"),
    @JsonSubTypes.Type(value = TrainParams.Distill.class, name = "distill_token"),
    @JsonSubTypes.Type(value = TrainParams.Gkd.class, name = "gkd"),
    @JsonSubTypes.Type(value = TrainParams.BestOfN.class, name = "best_of_n")})
public sealed interface TrainParams {

  /**
   * A Bradley–Terry reward model (scalar head) on preference pairs ({@link RewardModelTrainer}).
   *
   * @param pairs           chosen ≻ rejected, as indices into the sequences
   * @param heldOutFraction the share of pairs kept out of training to measure agreement, in [0, 1)
   */
  record RewardBt(PreferencePairs pairs, double heldOutFraction) implements TrainParams {
    public RewardBt {
      if (pairs == null) throw new IllegalArgumentException("reward_bt needs preference pairs, was null");
      if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
        throw new IllegalArgumentException("heldOutFraction must be in [0, 1), was " + heldOutFraction);
      }
    }
  }

  /**
   * Direct preference optimisation against a frozen reference policy ({@link DpoTrainer}).
   *
   * @param pairs            chosen ≻ rejected, as indices into the sequences (responses from {@code lossFrom})
   * @param referenceModelId the frozen reference π_ref, or null for the start model
   * @param beta             β &gt; 0: the strength of the implicit KL penalty (smaller β moves further)
   */
  record Dpo(PreferencePairs pairs, String referenceModelId, double beta) implements TrainParams {
    public Dpo {
      if (pairs == null) throw new IllegalArgumentException("dpo needs preference pairs, was null");
      if (!(beta > 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("dpo beta must be a finite number > 0, was " + beta);
      }
    }
  }

  /**
   * Kahneman–Tversky optimisation on unpaired desirable / undesirable examples against a frozen reference
   * ({@link KtoTrainer}).
   *
   * @param desirable         per sequence, whether it is desirable (else undesirable)
   * @param referenceModelId  the frozen reference π_ref, or null for the start model
   * @param beta              β &gt; 0: the sigmoid's scale on the implicit reward (smaller β moves further)
   * @param desirableWeight   λ_D &gt; 0
   * @param undesirableWeight λ_U &gt; 0
   */
  record Kto(boolean[] desirable, String referenceModelId, double beta, double desirableWeight,
             double undesirableWeight) implements TrainParams {
    public Kto {
      if (desirable == null) throw new IllegalArgumentException("kto needs desirable flags, was null");
      desirable = desirable.clone();
      if (!(beta > 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("kto beta must be a finite number > 0, was " + beta);
      }
      if (!(desirableWeight > 0) || Double.isInfinite(desirableWeight)) {
        throw new IllegalArgumentException("kto desirableWeight must be a finite number > 0, was " + desirableWeight);
      }
      if (!(undesirableWeight > 0) || Double.isInfinite(undesirableWeight)) {
        throw new IllegalArgumentException("kto undesirableWeight must be a finite number > 0, was "
            + undesirableWeight);
      }
    }

    @Override
    public boolean[] desirable() { return desirable.clone(); }

    @Override
    public boolean equals(Object o) {
      return o instanceof Kto k && java.util.Arrays.equals(k.desirable, desirable)
          && java.util.Objects.equals(k.referenceModelId, referenceModelId) && k.beta == beta
          && k.desirableWeight == desirableWeight && k.undesirableWeight == undesirableWeight;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(java.util.Arrays.hashCode(desirable), referenceModelId, beta, desirableWeight,
          undesirableWeight);
    }

    @Override
    public String toString() {
      return "Kto[" + desirable.length + " examples, beta=" + beta + ", λD=" + desirableWeight + ", λU="
          + undesirableWeight + "]";
    }
  }

  /**
   * Policy optimisation against a reward model with a KL penalty to a reference ({@link RlhfTrainer}). The item's
   * sequences are the prompts.
   *
   * @param rewardModelId    the reward model (scalar head) whose score is the proxy reward
   * @param referenceModelId the reference policy of the KL penalty, or null for the start model
   * @param klCoef           β ≥ 0 on the KL estimate subtracted from the reward
   * @param samplesPerPrompt k ≥ 2 responses per prompt and step (the leave-one-out baseline and GRPO's group
   *                         statistics need two): GRPO's group size G
   * @param sampling         how responses are sampled (temperature 1 keeps the gradient unbiased)
   * @param algorithm        "rloo" (REINFORCE with the leave-one-out baseline), "ppo" (PPO-clip on the
   *                         leave-one-out advantages) or "grpo" (group-normalised advantages, KL to the reference as a
   *                         loss term); see {@link RlhfTrainer}
   * @param ppoEpochs        ppo and grpo: optimizer steps on each batch of samples (GRPO's μ), ≥ 1; rloo takes 1
   * @param clip             ppo and grpo: ε of the clipped ratio, &gt; 0
   * @param baseline         ppo: "leave_one_out" (the other samples of the prompt) or "value" (a learned value head
   *                         and GAE over per-token rewards); rloo and grpo: "leave_one_out" / their own
   * @param gaeLambda        ppo with baseline value: GAE's λ in [0, 1] (γ = 1)
   */
  record Rlhf(String rewardModelId, String referenceModelId, double klCoef, int samplesPerPrompt,
              SamplingConfig sampling, String algorithm, int ppoEpochs, double clip, String baseline,
              double gaeLambda) implements TrainParams {
    /** A policy-gradient item with the leave-one-out baseline (no value head). */
    public Rlhf(String rewardModelId, String referenceModelId, double klCoef, int samplesPerPrompt,
                SamplingConfig sampling, String algorithm, int ppoEpochs, double clip) {
      this(rewardModelId, referenceModelId, klCoef, samplesPerPrompt, sampling, algorithm, ppoEpochs, clip,
          "leave_one_out", 0.95);
    }

    /** The algorithms, as a scenario names them. */
    public static final java.util.List<String> ALGORITHMS = java.util.List.of("rloo", "ppo", "grpo");

    public Rlhf {
      if (rewardModelId == null) throw new IllegalArgumentException("rlhf needs a rewardModelId, was null");
      if (!(klCoef >= 0) || Double.isInfinite(klCoef)) {
        throw new IllegalArgumentException("klCoef must be a finite number ≥ 0, was " + klCoef);
      }
      if (samplesPerPrompt < 2) {
        throw new IllegalArgumentException("samplesPerPrompt must be ≥ 2 (the leave-one-out baseline needs another "
            + "sample), was " + samplesPerPrompt);
      }
      if (sampling == null) throw new IllegalArgumentException("rlhf needs a sampling config, was null");
      if (!ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException("rlhf algorithm must be one of " + ALGORITHMS + ", was " + algorithm);
      }
      if ("rloo".equals(algorithm) && ppoEpochs != 1) {
        throw new IllegalArgumentException("rloo takes one step per batch of samples, so ppoEpochs must be 1, was "
            + ppoEpochs);
      }
      if (ppoEpochs < 1) throw new IllegalArgumentException("ppoEpochs must be ≥ 1, was " + ppoEpochs);
      if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip must be > 0, was " + clip);
      if (!"leave_one_out".equals(baseline) && !"value".equals(baseline)) {
        throw new IllegalArgumentException("rlhf baseline must be leave_one_out or value, was " + baseline);
      }
      if ("value".equals(baseline) && !"ppo".equals(algorithm)) {
        throw new IllegalArgumentException("a value baseline is PPO's; " + algorithm + " has its own baseline");
      }
      if (!(gaeLambda >= 0 && gaeLambda <= 1)) {
        throw new IllegalArgumentException("gaeLambda must be in [0, 1], was " + gaeLambda);
      }
    }
  }

  /**
   * Token-level distillation: the student matches the teacher's next-token distributions ({@link DistillTrainer}).
   *
   * @param teacherModelId the teacher (token head, same vocabulary)
   * @param temperature    T &gt; 0 applied to teacher and student alike
   */
  record Distill(String teacherModelId, double temperature) implements TrainParams {
    public Distill {
      if (teacherModelId == null) throw new IllegalArgumentException("distill_token needs a teacherModelId, was null");
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("distillation temperature must be > 0, was " + temperature);
      }
    }
  }

  /**
   * On-policy distillation: the student's own samples and the dataset, supervised by the teacher's distributions
   * through a chosen divergence ({@link GkdTrainer}).
   *
   * @param teacherModelId   the teacher (token head, same vocabulary)
   * @param divergence       "forward_kl", "reverse_kl" or "jsd"
   * @param jsdBeta          β of JSD(β), in (0, 1) (read by jsd only)
   * @param onPolicyFraction λ, the probability that an item's response is the student's own sample, in [0, 1]
   * @param sampling         how the student samples its responses
   */
  record Gkd(String teacherModelId, String divergence, double jsdBeta, double onPolicyFraction,
             SamplingConfig sampling) implements TrainParams {
    /** The divergences, as a scenario names them. */
    public static final java.util.List<String> DIVERGENCES = java.util.List.of("forward_kl", "reverse_kl", "jsd");

    public Gkd {
      if (teacherModelId == null) throw new IllegalArgumentException("gkd needs a teacherModelId, was null");
      if (!DIVERGENCES.contains(divergence)) {
        throw new IllegalArgumentException("gkd divergence must be one of " + DIVERGENCES + ", was " + divergence);
      }
      if (!(jsdBeta > 0 && jsdBeta < 1)) throw new IllegalArgumentException("jsdBeta must be in (0, 1), was " + jsdBeta);
      if (!(onPolicyFraction >= 0 && onPolicyFraction <= 1)) {
        throw new IllegalArgumentException("onPolicyFraction must be in [0, 1], was " + onPolicyFraction);
      }
      if (sampling == null) throw new IllegalArgumentException("gkd needs a sampling config, was null");
    }

    /** The divergence as the model package names it. */
    public io.priorflow.engine.model.Divergence divergenceKind() {
      return io.priorflow.engine.model.Divergence.valueOf(divergence.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Best-of-n rejection sampling, then fine-tuning on the winners ({@link BestOfN}): for each prompt (the item's
   * sequences), n responses from the start model, the best by the reward model kept.
   *
   * @param rewardModelId the reward model or critic (scalar head) that ranks the samples
   * @param n             samples per prompt, ≥ 1
   * @param sampling      how responses are sampled
   */
  record BestOfN(String rewardModelId, int n, SamplingConfig sampling) implements TrainParams {
    public BestOfN {
      if (rewardModelId == null) throw new IllegalArgumentException("best_of_n needs a rewardModelId, was null");
      if (n < 1) throw new IllegalArgumentException("best_of_n needs n ≥ 1, was " + n);
      if (sampling == null) throw new IllegalArgumentException("best_of_n needs a sampling config, was null");
    }
  }
}
