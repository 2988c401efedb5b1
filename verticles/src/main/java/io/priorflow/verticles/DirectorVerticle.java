package io.priorflow.verticles;

import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.run.ScenarioRun;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The director: runs a scenario ({@link ScenarioRun}), or a batch of replicates and sweep points
 * ({@link io.priorflow.engine.run.Batch}), and completes {@link #result()} with its metrics table. The work is
 * sequential, blocking code — it waits for the actors' replies through an {@link EventBusExecutor} — so it runs on a
 * thread of its own, never on an event loop. Undeploying the director interrupts the work: the generations (and the
 * runs of a batch) already finished stay complete in the run directory, and {@link #result()} fails with the
 * InterruptedException. {@link #abort} ends the work the same way for a failure found elsewhere (an Error on an
 * actor's thread), and {@link #result()} then fails with that failure.
 */
public final class DirectorVerticle extends VerticleBase {
  /** What a director does on its thread: a run, or a batch of runs. */
  @FunctionalInterface
  public interface Work {
    MetricsTable run() throws InterruptedException;
  }

  private final Work run;
  private final Promise<MetricsTable> result = Promise.promise();
  private final AtomicReference<Throwable> aborted = new AtomicReference<>();
  private volatile Thread thread;

  public DirectorVerticle(ScenarioRun run) { this(run::run); }

  public DirectorVerticle(Work work) { this.run = work; }

  @Override
  public Future<?> start() {
    thread = new Thread(() -> {
      try {
        MetricsTable t = run.run();
        context.runOnContext(v -> result.tryComplete(t));
      } catch (Throwable e) {
        Throwable why = aborted.get() != null ? aborted.get() : e;
        context.runOnContext(v -> result.tryFail(why));
      }
    }, "pf-director");
    thread.start();
    if (aborted.get() != null) thread.interrupt(); // aborted before the thread existed
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

  /**
   * Ends the run because of {@code cause}, a failure outside the director's thread that no reply reports (an Error
   * thrown by a handler on one of the run's Vertx contexts): interrupts the work, which stops as after Ctrl-C, and
   * {@link #result()} fails with {@code cause}. The first cause wins; later calls do nothing.
   */
  public void abort(Throwable cause) {
    if (!aborted.compareAndSet(null, cause)) return;
    Thread t = thread;
    if (t != null) t.interrupt();
  }

  /** Completes with the run's metrics table, or fails with what stopped it. */
  public Future<MetricsTable> result() { return result.future(); }
}
