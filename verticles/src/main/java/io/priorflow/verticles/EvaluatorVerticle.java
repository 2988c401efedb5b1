package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The evaluator: measures a model against the gold oracle on the run's evaluation set
 * ({@link io.priorflow.engine.work.EvaluateWork}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class EvaluatorVerticle extends ActorVerticle {

  public EvaluatorVerticle(WorkContext work) {
    super(Role.EVALUATOR, work);
  }

  /** Runs one EvaluatorVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(EvaluatorVerticle::new);
  }
}
