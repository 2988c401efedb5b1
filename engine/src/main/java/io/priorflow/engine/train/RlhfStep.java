package io.priorflow.engine.train;

/**
 * One RLHF step — one batch of samples, trained on by one optimizer step (rloo) or {@code ppoEpochs} of them
 * (ppo, grpo) — measured on those samples (drawn from the policy before the step): the
 * numbers whose divergence shows over-optimisation — proxy reward rising while gold reward stalls or falls, with the
 * KL to the reference growing.
 *
 * @param step        0-based index of the batch of samples
 * @param proxyReward mean reward-model score of the samples
 * @param goldReward  mean gold-oracle utility of the samples
 * @param kl          mean over samples of Σ over response positions of the exact KL(π(·|x_&lt;t) ‖ π_ref(·|x_&lt;t)),
 *                    nats
 * @param objective   rloo and ppo: mean of the penalised reward R = proxy − klCoef · log(π(y|x) / π_ref(y|x)); grpo:
 *                    mean proxy − klCoef · kl (its reward carries no KL; the KL is a loss term)
 * @param algorithm   which algorithm ran: rloo, ppo or grpo
 */
public record RlhfStep(int step, double proxyReward, double goldReward, double kl, double objective,
                       String algorithm) {}
