package io.priorflow.cli;

import io.priorflow.report.ReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code priorflow report RUN_DIR}: rebuilds RUN_DIR/report.html from the run's files. A missing or invalid
 * directory, metrics.csv or lineage.json is bad input (exit 2, one line naming the file); a failure to write the
 * report is exit 1.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {"Rebuild RUN_DIR/report.html from the files of a run directory (scenario.yaml, metrics.csv, "
        + "lineage.json, events.jsonl): one self-contained page with a summary table, a chart of every metric over "
        + "generations, ancestry and the lineage graph, and the stages. The page opens offline in any browser. "
        + "An existing report is replaced in one step, never left half-written."},
    footer = {"", "Examples:", "  ./priorflow report runs/tiny", "  ./priorflow run scenarios/tiny.yaml --out runs/tiny "
        + "&& ./priorflow report runs/tiny", "", "Exit status: 0 written; 2 RUN_DIR, metrics.csv or lineage.json is "
        + "missing or invalid, or RUN_DIR/report.html is a directory; 1 the report could not be written."})
final class ReportCommand implements Runnable {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (what priorflow run --out wrote).")
  Path runDir;

  @Override
  public void run() {
    Path target = runDir.resolve(ReportWriter.FILE_NAME);
    if (java.nio.file.Files.isDirectory(target)) {
      throw new IllegalArgumentException(target + ": is a directory, so the report cannot be written there; move it "
          + "away or remove it");
    }
    ReportWriter.Result r;
    try {
      r = ReportWriter.write(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(runDir.resolve(ReportWriter.FILE_NAME) + ": cannot write: " + e.getMessage(), e);
    }
    System.out.printf(Locale.ROOT, "wrote %s (%d KiB, %d charts%s)%n", r.file(), (r.bytes() + 1023) / 1024,
        r.charts(), r.notes() == 0 ? "" : ", " + r.notes() + " note(s) on the input files");
  }
}
