package io.priorflow.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.run.StageEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The live view's HTTP server (Vert.x Web), bound to one host (127.0.0.1 unless told otherwise):
 * <pre>
 *   GET /         a page that shows the run as it goes: per lineage (and run) the generations done, every stage
 *                 as it finishes, totals; it needs no file or network beyond this server
 *   GET /events   server-sent events, one JSON object per event ("type": stage-started, stage, generation, run,
 *                 done), every past event first, so a page opened late shows the whole run
 *   GET /metrics  Prometheus' text format: {@link LiveMetrics} and Vert.x's own Micrometer metrics
 * </pre>
 * Feed it from the run's listener threads; it sends on its own Vert.x context. Closing it ends the event streams
 * and the server.
 */
public final class LiveView implements AutoCloseable {

  /** Past events kept for pages that connect late; older ones are dropped. */
  static final int HISTORY = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveMetrics metrics;
  private final Context context;
  private final HttpServer server;
  private final String host;
  private final Deque<String> history = new ArrayDeque<>(); // on the context
  private final List<HttpServerResponse> clients = new ArrayList<>(); // on the context

  private LiveView(LiveMetrics metrics, Context context, HttpServer server, String host) {
    this.metrics = metrics;
    this.context = context;
    this.server = server;
    this.host = host;
  }

  /**
   * Starts the server and waits until it listens.
   *
   * @param port the port, 0 for any free one
   * @param title the page's title (the scenario's name)
   * @throws IllegalArgumentException when the port cannot be bound (in use, or not allowed)
   */
  public static LiveView start(Vertx vertx, String host, int port, LiveMetrics metrics, String title)
      throws InterruptedException {
    Context context = vertx.getOrCreateContext();
    String page = resource("live.html").replace("{{title}}", title.replace("&", "&amp;").replace("<", "&lt;"));
    Router router = Router.router(vertx);
    HttpServer server = vertx.createHttpServer();
    LiveView[] view = new LiveView[1];
    router.get("/").handler(rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router.get("/events").handler(rc -> view[0].subscribe(rc));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    view[0] = new LiveView(metrics, context, server, host);
    try {
      server.requestHandler(router).listen(port, host).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalArgumentException("--serve: cannot listen on " + host + ":" + port + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
    return view[0];
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The page's address. */
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
  }

  /** A stage's items were dispatched. */
  public void stageStarted(String run, String stage, String kind, int items) {
    metrics.stageStarted(kind, items);
    publish(Map.of("type", "stage-started", "run", run, "stage", stage, "kind", kind, "items", items));
  }

  /** A stage finished. */
  public void stageFinished(String run, StageEvent e) {
    metrics.stageFinished(e);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "stage");
    m.put("run", run);
    m.put("stage", e.stage());
    m.put("lineage", e.lineage());
    m.put("generation", e.generation());
    m.put("kind", e.kind());
    m.put("role", LiveMetrics.role(e.kind()));
    m.put("items", e.items());
    m.put("retries", e.retries());
    m.put("wallMillis", e.wallMillis());
    m.put("humanHours", e.humanHours());
    m.put("costUsd", e.costUsd());
    m.put("trainTokens", e.trainTokens());
    publish(m);
  }

  /** A lineage finished a generation. */
  public void generationFinished(String run, String lineage, int generation, int total) {
    metrics.generationFinished();
    publish(Map.of("type", "generation", "run", run, "lineage", lineage, "generation", generation, "total", total));
  }

  /** A run of a batch finished. */
  public void runFinished(String run, int finished, int total) {
    metrics.runFinished();
    publish(Map.of("type", "run", "run", run, "finished", finished, "total", total));
  }

  /** The whole run ended: "done", "failed" or "interrupted". */
  public void ended(String outcome) {
    publish(Map.of("type", "done", "outcome", outcome));
  }

  private void publish(Map<String, Object> event) {
    String text;
    try {
      text = "data: " + JSON.writeValueAsString(event) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    context.runOnContext(v -> {
      history.addLast(text);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      clients.forEach(c -> c.write(text));
    });
  }

  private void subscribe(RoutingContext rc) {
    HttpServerResponse r = rc.response().setChunked(true).putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache");
    context.runOnContext(v -> {
      StringBuilder past = new StringBuilder(": priorflow live view\n\n");
      history.forEach(past::append);
      r.write(past.toString());
      clients.add(r);
      r.closeHandler(x -> context.runOnContext(y -> clients.remove(r)));
    });
  }

  /** Ends the event streams and stops the server. */
  @Override
  public void close() throws Exception {
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      clients.forEach(c -> {
        if (!c.ended()) {
          c.end();
        }
      });
      clients.clear();
      ended.complete(null);
    });
    ended.get(10, TimeUnit.SECONDS);
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String resource(String name) {
    try (InputStream in = LiveView.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("live view resource " + name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
