package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The AI critic: scores sequences with its model, noisy at its temperature
 * ({@link io.priorflow.engine.work.ScoreWork}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class CriticVerticle extends ActorVerticle {

  public CriticVerticle(WorkContext work) {
    super(Role.CRITIC, work);
  }

  /** Runs one CriticVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(CriticVerticle::new);
  }
}
