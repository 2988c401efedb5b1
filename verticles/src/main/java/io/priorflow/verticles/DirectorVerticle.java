package io.priorflow.verticles;

import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.run.ScenarioRun;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

/**
 * The director: runs a scenario ({@link ScenarioRun}), or a batch of replicates and sweep points
 * ({@link io.priorflow.engine.run.Batch}), and completes {@link #result()} with its metrics table. The work is
 * sequential, blocking code — it waits for the actors' replies through an {@link EventBusExecutor} — so it runs on a
 * thread of its own, never on an event loop. Undeploying the director interrupts the work: the generations (and the
 * runs of a batch) already finished stay complete in the run directory, and {@link #result()} fails with the
 * InterruptedException.
 */
public final class DirectorVerticle extends VerticleBase {
  /** What a director does on its thread: a run, or a batch of runs. */
  @FunctionalInterface
  public interface Work {
    MetricsTable run() throws InterruptedException;
  }

  private final Work run;
  private final Promise<MetricsTable> result = Promise.promise();
  private Thread thread;

  public DirectorVerticle(ScenarioRun run) { this(run::run); }

  public DirectorVerticle(Work work) { this.run = work; }

  @Override
  public Future<?> start() {
    thread = new Thread(() -> {
      try {
        MetricsTable t = run.run();
        context.runOnContext(v -> result.tryComplete(t));
      } catch (Throwable e) {
        context.runOnContext(v -> result.tryFail(e));
      }
    }, "pf-director");
    thread.start();
    return Future.succeededFuture();
  }

  /** Interrupts a run still going and waits (off the event loop) until its thread has finished writing. */
  @Override
  public Future<?> stop() {
    if (thread == null || !thread.isAlive()) return Future.succeededFuture();
    thread.interrupt();
    return vertx.executeBlocking(() -> {
      thread.join();
      return null;
    }, false);
  }

  /** Completes with the run's metrics table, or fails with what stopped it. */
  public Future<MetricsTable> result() { return result.future(); }
}
