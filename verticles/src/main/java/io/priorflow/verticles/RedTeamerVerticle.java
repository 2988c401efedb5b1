package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The red teamer: searches, within a budget, for prompts that make a target model show an undesirable trait, as a
 * human (the gold detector seen through its accuracy) or an AI (a trait classifier)
 * ({@link io.priorflow.engine.work.RedTeamWork}, {@link io.priorflow.engine.label.RedTeamSearch}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class RedTeamerVerticle extends ActorVerticle {

  public RedTeamerVerticle(WorkContext work) {
    super(Role.RED_TEAMER, work);
  }

  /** Runs one RedTeamerVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(RedTeamerVerticle::new);
  }
}
