package io.priorflow.engine.model;

/**
 * A loss over the scores of a scalar-head model, e.g. Bradley–Terry over preference pairs or a logistic loss for
 * a trait classifier. Given the current scores, it writes dLoss/dScore and returns the loss.
 */
@FunctionalInterface
public interface ScoreLoss {
  double lossAndGradient(float[] scores, float[] dScores);
}
