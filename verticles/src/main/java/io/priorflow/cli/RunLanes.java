package io.priorflow.cli;

import io.priorflow.verticles.bus.JacksonCodec;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded event buses of a run's lanes: the runs of a batch that go on at once each deploy their actors on a
 * bus of their own, so that every actor works with the context (world, seed, models) of the run that sends to it
 * (role addresses are per bus). Lane 0 is the director's own Vertx; the others are made on first use and closed
 * by {@link #close}. A lane hosts one run at a time, so its actors and their models are gone when the run ends.
 */
final class RunLanes implements AutoCloseable {
  private final List<Vertx> lanes = new ArrayList<>();
  private final Handler<Throwable> uncaught;

  /**
   * @param director the director's Vertx, lane 0
   * @param uncaught told of what a handler on any lane's contexts throws and nobody catches (also set on lane 0)
   */
  RunLanes(Vertx director, Handler<Throwable> uncaught) {
    this.uncaught = uncaught;
    director.exceptionHandler(uncaught);
    lanes.add(director);
  }

  /**
   * A Vertx for actors, with training items allowed to block a worker thread for up to an hour (they run for
   * minutes, on a worker thread, which is their place), and priorflow's message codec.
   */
  static Vertx newVertx() {
    return newVertx(null);
  }

  /**
   * As {@link #newVertx()}, with Vert.x's Micrometer metrics (event bus, HTTP server, pools) in this registry when
   * it is not null (the live view's /metrics).
   */
  static Vertx newVertx(io.micrometer.core.instrument.MeterRegistry metrics) {
    VertxOptions options = new VertxOptions().setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS);
    if (metrics == null) {
      return JacksonCodec.register(Vertx.vertx(options));
    }
    options.setMetricsOptions(new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true));
    return JacksonCodec.register(Vertx.builder().with(options)
        .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics)).build());
  }

  /** The Vertx of lane {@code lane}. */
  synchronized Vertx vertx(int lane) {
    while (lanes.size() <= lane) {
      lanes.add(newVertx().exceptionHandler(uncaught));
    }
    return lanes.get(lane);
  }

  /** Closes every lane's Vertx but the director's. */
  @Override
  public synchronized void close() throws Exception {
    for (Vertx v : lanes.subList(1, lanes.size())) {
      v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    lanes.subList(1, lanes.size()).clear();
  }
}
