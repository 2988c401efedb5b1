package io.priorflow.kernels.backend;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The Java backend's threads: runs task indices 0..tasks−1 of a fixed partition on the calling thread plus up to
 * threads − 1 pooled daemon threads named "pf-kernel-N", and returns when all are done.
 *
 * <p>Which thread runs which task is decided at run time (a shared counter), so the partition itself must never
 * depend on the thread count and each task must write only its own outputs: that is what keeps results independent
 * of the number of threads. The caller works too and waits on a task count, not on the helpers, so a call never
 * stalls behind another call's helpers and nested or concurrent calls cannot deadlock. Not here: any choice of
 * partition, which belongs to the kernels.
 */
final class Workers implements AutoCloseable {

  /** Below this much work (about one multiply-add per unit) a call runs on the calling thread alone. */
  static final long PARALLEL_WORK = 1L << 15;

  /** Spins before a waiting caller parks; short kernels finish within it and avoid a park/unpark round trip. */
  private static final int SPINS = 20_000;

  private final int threads;
  private final ExecutorService pool;
  private volatile boolean closed;

  Workers(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("The Java backend needs at least 1 thread, was " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, new DaemonFactory());
  }

  int threads() {
    return threads;
  }

  /**
   * Runs body(0) .. body(tasks − 1), each exactly once, in parallel when there is more than one task and at least
   * {@link #PARALLEL_WORK} of work; otherwise in index order on the calling thread. The first exception thrown by a
   * task is rethrown here after all tasks have finished.
   */
  void run(int tasks, long work, IntConsumer body) {
    if (closed) {
      throw new IllegalStateException("The Java backend has been closed");
    }
    if (tasks <= 0) {
      return;
    }
    if (tasks == 1 || pool == null || work < PARALLEL_WORK) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    Job job = new Job(tasks, body, Thread.currentThread());
    int helpers = Math.min(threads - 1, tasks - 1);
    for (int h = 0; h < helpers; h++) {
      pool.execute(job);
    }
    job.run();
    job.await();
    Throwable e = job.error.get();
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One call's tasks: helpers and the caller take indices from {@code next} until none are left. */
  private static final class Job implements Runnable {
    private final int tasks;
    private final IntConsumer body;
    private final Thread caller;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    Job(int tasks, IntConsumer body, Thread caller) {
      this.tasks = tasks;
      this.body = body;
      this.caller = caller;
    }

    @Override
    public void run() {
      int t;
      while ((t = next.getAndIncrement()) < tasks) {
        try {
          body.accept(t);
        } catch (Throwable e) {
          error.compareAndSet(null, e);
        } finally {
          // The increment publishes this task's writes to the caller, which reads done before returning.
          if (done.incrementAndGet() == tasks && Thread.currentThread() != caller) {
            LockSupport.unpark(caller);
          }
        }
      }
    }

    void await() {
      for (int i = 0; i < SPINS && done.get() < tasks; i++) {
        Thread.onSpinWait();
      }
      while (done.get() < tasks) {
        LockSupport.park(this);
      }
    }
  }

  /** Daemon threads "pf-kernel-1", "pf-kernel-2", …: the pool must never keep a JVM alive. */
  private static final class DaemonFactory implements ThreadFactory {
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "pf-kernel-" + SEQ.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
