package io.priorflow.kernels.backend;

import java.util.concurrent.ConcurrentLinkedQueue;
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
 * stalls behind another call's helpers and nested or concurrent calls cannot deadlock.
 *
 * <p>Waiting. Training calls kernels of 10–200 µs back to back, and waking a parked thread costs tens of microseconds
 * (more under a hypervisor), so a pool thread spins for {@link #SPIN_NANOS} after its last task before it parks, and a
 * caller that has run out of tasks spins for {@link #AWAIT_SPIN_NANOS} before it parks. Both spins are short on
 * purpose: on a 2-core machine the director, the event bus and the actors share the cores with the kernels, and a
 * thread spinning for a millisecond between calls took a core from them (17% of the quickstart's samples were spin
 * loops). A late helper costs little: the caller starts on the tasks at once, and tasks are taken from a shared
 * counter, so a helper that wakes late just takes fewer. Why not an ExecutorService: it parks at once and hands
 * tasks out one by one. Not here: any choice of partition, which belongs to the kernels.
 */
final class Workers implements AutoCloseable {

  /** Below this much work (about one multiply-add per unit) a call runs on the calling thread alone. */
  static final long PARALLEL_WORK = 1L << 15;

  /** How long an idle pool thread keeps polling for work before it parks: about one kernel call's gap. */
  static final long SPIN_NANOS = 50_000;

  /** How long a caller that has run out of tasks spins for the helpers to finish before it parks. */
  static final long AWAIT_SPIN_NANOS = 50_000;

  private static final AtomicInteger SEQ = new AtomicInteger();

  private final int threads;
  private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
  private final Helper[] helpers;
  private volatile boolean closed;

  Workers(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("The Java backend needs at least 1 thread, was " + threads);
    }
    this.threads = threads;
    this.helpers = new Helper[threads - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = new Helper("pf-kernel-" + SEQ.incrementAndGet());
      helpers[i].start();
    }
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
    if (tasks == 1 || helpers.length == 0 || work < PARALLEL_WORK) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    Job job = new Job(tasks, body, Thread.currentThread());
    int n = Math.min(helpers.length, tasks - 1);
    for (int h = 0; h < n; h++) {
      queue.offer(job);
    }
    // The offers above happen before these reads of `parked`; a helper sets `parked` before re-checking the
    // queue, so either it sees the job or we see it parked and wake it.
    for (Helper h : helpers) {
      if (h.parked) {
        LockSupport.unpark(h);
      }
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

  /** Stops the pool threads once they are idle; later calls fail with IllegalStateException. */
  @Override
  public void close() {
    closed = true;
    for (Helper h : helpers) {
      LockSupport.unpark(h);
    }
  }

  /** A pool thread: takes jobs from the queue, spins a while when there are none, then parks. */
  private final class Helper extends Thread {
    volatile boolean parked;

    Helper(String name) {
      super(name);
      setDaemon(true);
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      while (!closed) {
        Job job = queue.poll();
        if (job != null) {
          job.run();
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (queue.isEmpty() && !closed) {
            LockSupport.park(Workers.this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }

  /** One call's tasks: helpers and the caller take indices from {@code next} until none are left. */
  private static final class Job {
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

    void run() {
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
      long start = System.nanoTime();
      while (done.get() < tasks && System.nanoTime() - start < AWAIT_SPIN_NANOS) {
        Thread.onSpinWait();
      }
      while (done.get() < tasks) {
        LockSupport.park(this);
      }
    }
  }
}
