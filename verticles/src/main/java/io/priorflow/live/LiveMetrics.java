package io.priorflow.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.priorflow.engine.run.StageEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * priorflow's meters in one Prometheus registry, which Vert.x's Micrometer metrics share (pass {@link #registry()}
 * to {@code MicrometerMetricsFactory}). Per role (the actor role a stage's items go to: generator, critic, human,
 * trainer, evaluator, red_teamer):
 * <pre>
 *   priorflow_items_completed_total{role}  items of finished stages (a counter: rate() gives items per second)
 *   priorflow_items_per_second{role}       items finished in the last {@value #WINDOW_SECONDS} s, per second
 *   priorflow_items_in_flight{role}        items of stages started and not yet finished
 *   priorflow_retries_total                items the executor re-sent
 *   priorflow_stages_completed_total       finished stages
 *   priorflow_generations_completed_total  finished generations (of every lineage and run)
 *   priorflow_runs_completed_total         finished runs of a batch
 *   priorflow_cluster_nodes                nodes in the run's cluster (1 without one)
 * </pre>
 * and Micrometer's JVM binders (jvm_memory_used_bytes{area="heap"}…, threads, CPU). Items are counted a stage at a
 * time, when the director dispatches and gathers them, not one by one.
 */
public final class LiveMetrics {

  /** The window of {@code priorflow_items_per_second}. */
  public static final int WINDOW_SECONDS = 10;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Deque<long[]>> recent = new ConcurrentHashMap<>(); // role → (nanos, items)
  private final LongSupplier clock;

  /** Meters read with the system clock and no cluster. */
  public LiveMetrics() {
    this(System::nanoTime, () -> 1);
  }

  /**
   * @param clock nanoseconds, for the items-per-second window
   * @param nodes the nodes of the run's cluster
   */
  public LiveMetrics(LongSupplier clock, IntSupplier nodes) {
    this.clock = clock;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Gauge.builder("priorflow_cluster_nodes", nodes::getAsInt).description("Nodes in the run's cluster (1 without one)")
        .register(registry);
  }

  /** The registry: Prometheus text by {@link #scrape()}, and Vert.x's metrics when it is given to Vert.x. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The actor role that performs a stage kind's items. */
  public static String role(String kind) {
    return switch (kind) {
      case "generate" -> "generator";
      case "filter" -> "critic";
      case "label" -> "human";
      case "train", "pretrain", "critic" -> "trainer";
      case "evaluate" -> "evaluator";
      case "redteam" -> "red_teamer";
      default -> kind;
    };
  }

  void stageStarted(String kind, int items) {
    inFlight(role(kind)).addAndGet(items);
  }

  void stageFinished(StageEvent e) {
    String role = role(e.kind());
    inFlight(role).addAndGet(-e.items());
    Counter.builder("priorflow_items_completed").description("Items of finished stages").tag("role", role)
        .register(registry).increment(e.items());
    Counter.builder("priorflow_retries").description("Items the executor re-sent").register(registry)
        .increment(e.retries());
    Counter.builder("priorflow_stages_completed").description("Finished stages").register(registry).increment();
    Deque<long[]> window = window(role);
    synchronized (window) {
      window.addLast(new long[] {clock.getAsLong(), e.items()});
    }
  }

  void generationFinished() {
    Counter.builder("priorflow_generations_completed").description("Finished generations").register(registry)
        .increment();
  }

  void runFinished() {
    Counter.builder("priorflow_runs_completed").description("Finished runs of a batch").register(registry)
        .increment();
  }

  private AtomicLong inFlight(String role) {
    return inFlight.computeIfAbsent(role, r -> {
      AtomicLong n = new AtomicLong();
      Gauge.builder("priorflow_items_in_flight", n, AtomicLong::get).description("Items of stages started and not "
          + "yet finished").tag("role", r).register(registry);
      return n;
    });
  }

  private Deque<long[]> window(String role) {
    return recent.computeIfAbsent(role, r -> {
      Deque<long[]> d = new ArrayDeque<>();
      Gauge.builder("priorflow_items_per_second", d, this::perSecond).description("Items finished in the last "
          + WINDOW_SECONDS + " s, per second").tag("role", r).register(registry);
      return d;
    });
  }

  private double perSecond(Deque<long[]> window) {
    long now = clock.getAsLong();
    long items = 0;
    synchronized (window) {
      while (!window.isEmpty() && now - window.peekFirst()[0] > WINDOW_SECONDS * 1_000_000_000L) {
        window.removeFirst();
      }
      for (long[] x : window) {
        items += x[1];
      }
    }
    return items / (double) WINDOW_SECONDS;
  }
}
