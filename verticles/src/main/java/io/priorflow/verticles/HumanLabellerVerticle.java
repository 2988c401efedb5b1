package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The simulated human labeller: accepts, rejects or corrects sequences with its accuracy, biases and fatigue
 * ({@link io.priorflow.engine.work.LabelWork}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class HumanLabellerVerticle extends ActorVerticle {

  public HumanLabellerVerticle(WorkContext work) {
    super(Role.HUMAN, work);
  }

  /** Runs one HumanLabellerVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(HumanLabellerVerticle::new);
  }
}
