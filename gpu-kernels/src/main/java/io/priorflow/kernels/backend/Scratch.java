package io.priorflow.kernels.backend;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reusable float buffers for the Java backend's per-call working memory (packed GEMM panels, LoRA intermediates).
 *
 * <p>A call takes a buffer, uses it and gives it back, so steady-state training allocates nothing and the memory
 * held is bounded by the number of concurrent calls times the largest request. Buffers come back dirty: callers
 * overwrite every value they read. Not here: anything that outlives one call.
 */
final class Scratch {
  private final ConcurrentLinkedDeque<float[]> free = new ConcurrentLinkedDeque<>();

  /** A buffer of at least size floats, contents undefined. */
  float[] take(int size) {
    float[] buf = free.pollFirst();
    if (buf == null || buf.length < size) {
      // Dropping a too-small buffer lets the pool converge on the sizes actually used.
      return new float[Math.max(size, 1024)];
    }
    return buf;
  }

  /** Returns a buffer taken from {@link #take}. */
  void give(float[] buf) {
    free.offerFirst(buf);
  }
}
