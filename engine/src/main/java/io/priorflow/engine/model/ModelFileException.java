package io.priorflow.engine.model;

/** A model file that cannot be used: truncated, corrupted, foreign, or not the model that was asked for. */
public final class ModelFileException extends IllegalArgumentException {
  public ModelFileException(String message) { super(message); }
}
