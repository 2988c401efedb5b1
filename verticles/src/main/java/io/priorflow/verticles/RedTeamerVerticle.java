package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The red teamer: searches for prompts that elicit undesirable traits. The engine has no red-team work item yet, so
 * for now it rejects every item with {@code BAD_ITEM}; it listens so that a scenario's red teamers are deployed
 * and counted like every other role.
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
