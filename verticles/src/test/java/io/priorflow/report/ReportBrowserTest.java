package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opens in a real browser, offline, and draws every SVG it declares: bin/check-report in headless
 * Chromium (about 3 s). Skipped where Debian's chromium is not installed, except in CI ({@code PF_CI} set, as
 * .ci/run does, which also installs chromium): there a missing browser fails the test, so CI never passes without
 * having looked at the report.
 */
class ReportBrowserTest {

  @TempDir
  Path tmp;

  @Test
  void chromiumDrawsEverySvg() throws IOException, InterruptedException {
    boolean browser = Files.isExecutable(Path.of("/usr/bin/chromium"));
    if (System.getenv("PF_CI") != null) {
      assertTrue(browser, "CI (PF_CI set) must check the report in a browser: install chromium (apt-get install "
          + "chromium; .ci/run does it as root)");
    }
    assumeTrue(browser, "no /usr/bin/chromium");
    Path script = findScript();
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    Path report = ReportWriter.write(run).file();
    Path shot = tmp.resolve("report.png");
    Process p = new ProcessBuilder("bash", script.toString(), report.toString(), shot.toString())
        .redirectErrorStream(true).start();
    String output;
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(done, "bin/check-report did not finish in 180 s: " + output);
    assertEquals(0, p.exitValue(), output);
    int svgs = ReportWriter.svgCount(Files.readString(report));
    assertTrue(output.contains("OK: " + svgs + " of " + svgs + " SVG drawings drawn"), output);
    // the cytoscape.js lineage graph: the 48 models and datasets of SyntheticRun, each laid out at its own place
    assertTrue(output.contains("; lineage graph: 48 nodes at 48 positions, a generation box folds "), output);
    assertTrue(Files.size(shot) > 20_000, "a screenshot with something on it");
  }

  private static Path findScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve("bin/check-report");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    throw new IllegalStateException("bin/check-report not found above " + Path.of("").toAbsolutePath());
  }
}
