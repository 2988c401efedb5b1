package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The retriever: answers queries with passages from an index of the world's facts
 * ({@link io.priorflow.engine.work.RetrieveWork}), for retrieval-augmented prompting.
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Retriever}, the messaging {@link ActorVerticle}.
 */
public final class RetrieverVerticle extends ActorVerticle {

  public RetrieverVerticle(WorkContext work) {
    super(Role.RETRIEVER, work);
  }

  /** Runs one RetrieverVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(RetrieverVerticle::new);
  }
}
