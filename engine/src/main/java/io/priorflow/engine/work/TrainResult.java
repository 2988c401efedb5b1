package io.priorflow.engine.work;

/**
 * The trained model's id (it is in the model store), and what the training cost and reached.
 *
 * @param tokens    trained positions summed over steps (the training-token cost)
 * @param firstLoss mean loss of the first epoch
 * @param lastLoss  mean loss of the last epoch
 */
public record TrainResult(String id, String modelId, int steps, long tokens, double firstLoss, double lastLoss)
    implements WorkResult {}
