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
    @JsonSubTypes.Type(value = TrainParams.Rlhf.class, name = "rlhf"),
    @JsonSubTypes.Type(value = TrainParams.Distill.class, name = "distill_token"),
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
   * Policy optimisation against a reward model with a KL penalty to a reference ({@link RlhfTrainer}). The item's
   * sequences are the prompts.
   *
   * @param rewardModelId    the reward model (scalar head) whose score is the proxy reward
   * @param referenceModelId the reference policy of the KL penalty, or null for the start model
   * @param klCoef           β ≥ 0 on the KL estimate subtracted from the reward
   * @param samplesPerPrompt k ≥ 2 responses per prompt and step (the leave-one-out baseline needs two)
   * @param sampling         how responses are sampled (temperature 1 keeps the gradient unbiased)
   * @param algorithm        "reinforce" (REINFORCE with the leave-one-out baseline, RLOO) or "ppo" (PPO-clip)
   * @param ppoEpochs        PPO only: optimizer steps on each batch of samples, ≥ 1
   * @param clip             PPO only: ε of the clipped ratio, &gt; 0
   */
  record Rlhf(String rewardModelId, String referenceModelId, double klCoef, int samplesPerPrompt,
              SamplingConfig sampling, String algorithm, int ppoEpochs, double clip) implements TrainParams {
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
      if (!"reinforce".equals(algorithm) && !"ppo".equals(algorithm)) {
        throw new IllegalArgumentException("rlhf algorithm must be reinforce or ppo, was " + algorithm);
      }
      if (ppoEpochs < 1) throw new IllegalArgumentException("ppoEpochs must be ≥ 1, was " + ppoEpochs);
      if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip must be > 0, was " + clip);
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
