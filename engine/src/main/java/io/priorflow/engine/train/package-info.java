/**
 * The prior-amplification methods as pure functions from (start model, data, settings, random stream) to a new
 * model: supervised fine-tuning (full or LoRA), Bradley–Terry reward models, DPO, RLHF (REINFORCE with a
 * leave-one-out baseline, or PPO-clip) against a reward model with a KL penalty, token-level distillation,
 * best-of-n, and in-context prompting. The trainer actor ({@code io.priorflow.engine.work.Trainer}) picks one by
 * {@code TrainWork.method()}. Not here: the network math ({@code io.priorflow.engine.model}) or any messaging.
 */
package io.priorflow.engine.train;
