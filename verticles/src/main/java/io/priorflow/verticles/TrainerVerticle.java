package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The trainer: trains a model on a dataset and puts it in the model store ({@link io.priorflow.engine.work.TrainWork}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class TrainerVerticle extends ActorVerticle {

  public TrainerVerticle(WorkContext work) {
    super(Role.TRAINER, work);
  }

  /** Runs one TrainerVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(TrainerVerticle::new);
  }
}
