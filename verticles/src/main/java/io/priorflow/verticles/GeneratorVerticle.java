package io.priorflow.verticles;

import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;

/**
 * The synthetic-data generator: continues prompts with a teacher model ({@link io.priorflow.engine.work.SampleWork}).
 * A thin adapter: the behaviour is {@link io.priorflow.engine.work.Actors}, the messaging {@link ActorVerticle}.
 */
public final class GeneratorVerticle extends ActorVerticle {

  public GeneratorVerticle(WorkContext work) {
    super(Role.GENERATOR, work);
  }

  /** Runs one GeneratorVerticle on a local Vertx ({@link ActorVerticle#runLocally}). */
  public static void main(String[] args) {
    runLocally(GeneratorVerticle::new);
  }
}
