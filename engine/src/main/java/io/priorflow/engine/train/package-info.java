/**
 * The prior-amplification methods as pure functions from (start model, data, settings, random stream) to a new
 * model: supervised fine-tuning (full or LoRA), Bradley–Terry reward models, DPO, KTO, RLHF (RLOO, PPO-clip or
 * GRPO) against a reward model with a KL penalty, token-level and on-policy (GKD) distillation, best-of-n, and
 * in-context prompting. Online DPO is a loop of stages, in {@code io.priorflow.engine.run.LineageRun}. The trainer actor ({@code io.priorflow.engine.work.Trainer}) picks one by
 * {@code TrainWork.method()}. Not here: the network math ({@code io.priorflow.engine.model}) or any messaging.
 */
package io.priorflow.engine.train;
