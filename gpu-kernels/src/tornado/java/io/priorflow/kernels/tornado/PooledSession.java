package io.priorflow.kernels.tornado;

import java.util.function.Consumer;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;

/**
 * The session lifecycle both whole-step trainers share ({@link TornadoTrainer}, {@link TornadoTransformerTrainer}):
 * closing a session hands the trainer, with its compiled plan, back to the backend's pool for the next session of
 * the same spec, or, without a pool, frees the plan; a closed session refuses to run.
 *
 * @param <T> the trainer itself, which is what the pool takes back
 */
abstract class PooledSession<T extends PooledSession<T>> implements AutoCloseable {
  /** Where a closed trainer goes to be reused by the next session of the same spec; null frees it instead. */
  private final Consumer<T> pool;
  private boolean closed;

  PooledSession(Consumer<T> pool) {
    this.pool = pool;
  }

  /** The trainer's compiled plan, which {@link #release} frees. */
  abstract TornadoExecutionPlan plan();

  /** This trainer, as the pool's type. */
  abstract T self();

  /** Throws unless the session is open. */
  final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the device trainer is closed");
    }
  }

  /** Opens the session again, for a trainer taken from the pool. */
  final void reopen() {
    closed = false;
  }

  /** Ends the session: back to the pool for the next session of the same spec, or, without a pool, freed. */
  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      if (pool != null) {
        pool.accept(self());
      } else {
        release();
      }
    }
  }

  /** Frees the plan and its device memory for good. */
  final void release() {
    closed = true;
    try {
      plan().close();
    } catch (Exception e) {
      // device memory goes with the runtime; nothing more to do
    }
  }
}
