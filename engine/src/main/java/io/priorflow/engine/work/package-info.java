/**
 * Work items and what actors do with them: the records the director dispatches ({@link
 * io.priorflow.engine.work.WorkItem}, {@link io.priorflow.engine.work.WorkResult}), the model store they name
 * models through, and {@link io.priorflow.engine.work.Actors}, the pure function of (item, stream, models) behind
 * every actor role. No messaging here: the actor runtime in the verticles module carries these records.
 */
package io.priorflow.engine.work;
