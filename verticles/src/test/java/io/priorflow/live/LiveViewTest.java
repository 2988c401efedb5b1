package io.priorflow.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.priorflow.engine.run.StageEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live view on 127.0.0.1: /metrics in Prometheus' format, the event stream, and the page in Chromium. */
class LiveViewTest {

  @TempDir
  Path tmp;

  private final AtomicLong clock = new AtomicLong();
  private LiveMetrics metrics;
  private Vertx vertx;
  private LiveView view;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() throws Exception {
    metrics = new LiveMetrics(clock::get, () -> 3);
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
    view = LiveView.start(vertx, "127.0.0.1", 0, metrics, "tiny <test>");
  }

  @AfterEach
  void stop() throws Exception {
    view.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static StageEvent stage(String stage, String kind, int items, long retries) {
    return new StageEvent(stage, "main", 1, kind, items, 10, retries, 1500, 0, 0.5, 12.5, 0, 0, "t");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(view.url() + path.substring(1)))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path);
    return r.body();
  }

  @Test
  void metricsArePrometheusTextWithPriorflowsAndVertxsMeters() throws Exception {
    assertTrue(view.url().startsWith("http://127.0.0.1:"), view.url());
    view.stageStarted("", "main/g1/s0-generate", "generate", 7);
    view.stageStarted("", "main/g1/s1-filter", "filter", 2);
    clock.set(1_000_000_000L);
    view.stageFinished("", stage("main/g1/s0-generate", "generate", 7, 2));
    view.generationFinished("", "main", 1, 3);
    String text = get("/metrics");
    assertTrue(text.contains("priorflow_items_completed_total{role=\"generator\"} 7.0"), text);
    assertTrue(text.contains("priorflow_items_in_flight{role=\"generator\"} 0.0"), text);
    assertTrue(text.contains("priorflow_items_in_flight{role=\"critic\"} 2.0"), text);
    assertTrue(text.contains("priorflow_items_per_second{role=\"generator\"} 0.7"), "7 items in a 10 s window");
    assertTrue(text.contains("priorflow_retries_total 2.0"), text);
    assertTrue(text.contains("priorflow_generations_completed_total 1.0"), text);
    assertTrue(text.contains("priorflow_cluster_nodes 3.0"), text);
    assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\""), "the heap");
    assertTrue(text.contains("# TYPE priorflow_items_completed_total counter"), "Prometheus' text format");
    // Vert.x's own metrics, from the same registry: the first scrape was an HTTP request to this server
    assertTrue(get("/metrics").contains("vertx_http_server_requests_total"), "Vert.x's HTTP server metrics");
    clock.set(12_000_000_000L); // out of the window
    assertTrue(get("/metrics").contains("priorflow_items_per_second{role=\"generator\"} 0.0"));
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theEventStreamReplaysThePastThenFollows() throws Exception {
    view.stageFinished("r0", stage("main/g1/s0-generate", "generate", 7, 0));
    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(view.url() + "events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse(""));
    view.generationFinished("r0", "main", 1, 3);
    view.ended("done");
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      for (String line; (line = in.readLine()) != null && !line.contains("\"done\""); ) {
        seen.append(line).append('\n');
      }
      String s = seen.toString();
      assertTrue(s.indexOf("\"type\":\"stage\"") < s.indexOf("\"type\":\"generation\""), s);
      assertTrue(s.contains("\"role\":\"generator\"") && s.contains("\"run\":\"r0\""), s);
    }
  }

  /**
   * The page in headless Chromium: its script reads the event stream and fills the tables, so the stage names and
   * totals in the DOM prove that the page and the stream work together. Skipped without chromium, except in CI.
   */
  @Test
  @org.junit.jupiter.api.Timeout(200)
  void chromiumShowsTheRunFromTheEventStream() throws Exception {
    boolean browser = Files.isExecutable(Path.of("/usr/bin/chromium"));
    if (System.getenv("PF_CI") != null) {
      assertTrue(browser, "CI (PF_CI set) must check the live view in a browser");
    }
    assumeTrue(browser, "no /usr/bin/chromium");
    view.stageStarted("", "main/g2/s0-generate", "generate", 5);
    view.stageFinished("", stage("main/g1/s0-generate", "generate", 7, 1));
    view.stageFinished("", stage("main/g1/s1-train", "train", 1, 0));
    view.generationFinished("", "main", 1, 3);
    // The run ends before the page opens: the page reads "done" last and closes its stream, which it must, since
    // Chromium's virtual time (--virtual-time-budget) stands still while a request is open.
    view.ended("done");
    Path dom = tmp.resolve("dom.html");
    Process p = new ProcessBuilder("timeout", "120", "/usr/bin/chromium", "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=5000",
        "--dump-dom", view.url()).redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    boolean done = p.waitFor(150, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertTrue(done, "chromium finished");
    String html = Files.readString(dom);
    assertTrue(html.contains("<title>tiny &lt;test&gt; — priorflow live</title>"), html);
    assertTrue(html.contains("<td>main/g1/s0-generate</td><td>generator</td>"), html);
    assertTrue(html.contains("<td>main/g1/s1-train</td><td>trainer</td>"), html);
    assertTrue(html.contains("<b id=\"t-items\">8</b>") && html.contains("<b id=\"t-retries\">1</b>"), html);
    assertTrue(html.contains("1 of 3"), "the lineage's generations");
    assertTrue(html.contains("main/g2/s0-generate (5 items)"), "in flight");
    assertTrue(html.contains("<span id=\"status\">finished: done</span>"), html);
  }
}
