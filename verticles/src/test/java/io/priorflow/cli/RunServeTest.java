package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code priorflow run --serve}: /metrics scraped while the run goes, on 127.0.0.1, and outputs unchanged by it. */
class RunServeTest {
  @TempDir Path tmp;
  @RegisterExtension final CapturedOutput io = new CapturedOutput();

  private static final Pattern URL = Pattern.compile("live view (http://127\\.0\\.0\\.1:[0-9]+/) ");
  private static final Pattern STAGES = Pattern.compile("(?m)^priorflow_stages_completed_total ([0-9.]+)$");

  private static List<String> args(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("run", BatchCommandTest.scenario("quickstart.yaml").toString()));
    a.addAll(BatchCommandTest.TINY);
    // Six generations: long enough that scrapes every 50 ms see stages finish before the run ends. With two, a run
    // late in a warm suite on faster kernels ended before the first scrape (CI once saw no scrape at all).
    a.addAll(List.of("--set", "lineages[0].generations=6", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  @Timeout(600)
  void metricsAreScrapedDuringTheRunAndTheOutputsAreTheSame() throws Exception {
    Path live = tmp.resolve("live");
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args(live, "--serve", "0")
        .toArray(String[]::new)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String url = null;
    List<Double> during = new ArrayList<>(); // priorflow_stages_completed_total of each scrape before the run ended
    String lastScrape = "";
    while (!run.isDone()) {
      if (url == null) {
        Matcher m = URL.matcher(io.err());
        url = m.find() ? m.group(1) : null;
      } else {
        try {
          String text = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).timeout(Duration.ofSeconds(5))
              .build(), HttpResponse.BodyHandlers.ofString()).body();
          Matcher m = STAGES.matcher(text);
          if (m.find() && !run.isDone()) {
            during.add(Double.parseDouble(m.group(1)));
            lastScrape = text;
          }
        } catch (java.io.IOException e) {
          // the server closes when the run ends
        }
      }
      Thread.sleep(50);
    }
    assertEquals(0, run.get(), io.err());
    assertTrue(url != null, "the live view's address on stderr: " + io.err());
    assertTrue(during.stream().anyMatch(x -> x > 0), "a scrape during the run saw finished stages: " + during);
    assertTrue(lastScrape.contains("priorflow_items_completed_total{role=\"trainer\"}"), lastScrape);
    assertTrue(lastScrape.contains("jvm_memory_used_bytes{area=\"heap\""), "the heap");
    assertTrue(lastScrape.contains("vertx_"), "Vert.x's own metrics");
    assertTrue(lastScrape.contains("priorflow_cluster_nodes 1.0"), lastScrape);

    // It only watches: the same run without --serve writes the same bytes.
    Path plain = tmp.resolve("plain");
    assertEquals(0, Main.execute(args(plain).toArray(String[]::new)), io.err());
    for (String f : List.of("metrics.csv", "lineage.json", "summary.csv")) {
      assertArrayEquals(Files.readAllBytes(plain.resolve(f)), Files.readAllBytes(live.resolve(f)), f);
    }
  }

  @Test
  void aBadPortIsExitTwo() {
    assertEquals(2, Main.execute(args(tmp.resolve("x"), "--serve", "70000").toArray(String[]::new)));
    assertTrue(io.err().contains("--serve PORT must be in [0, 65535], was 70000"), io.err());
  }
}
