/**
 * The actor runtime: one {@code XxxVerticle} per actor role, each a thin adapter from a {@code Perform} request
 * to the engine's pure {@link io.priorflow.engine.work.Actors#perform}; {@link io.priorflow.verticles.ActorNode},
 * which deploys a scenario's actors on a Vertx; and {@link io.priorflow.verticles.EventBusExecutor}, the
 * director's side, which sends work items to them and gathers the results by item id. Not here: the messages and
 * codec ({@link io.priorflow.verticles.bus}), the scenario runner (engine) and cluster boot.
 */
package io.priorflow.verticles;
