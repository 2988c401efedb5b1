package io.priorflow.cli;

import io.priorflow.report.ReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code priorflow report RUN_DIR...}: rebuilds RUN_DIR/report.html from the run's files, or with several run
 * directories writes one page that shows them side by side. A missing or invalid directory, metrics.csv or
 * lineage.json is bad input (exit 2, one line naming the file); a failure to write the report is exit 1.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {"Rebuild RUN_DIR/report.html from the files of a run directory (scenario.yaml, metrics.csv, "
        + "lineage.json, events.jsonl): one self-contained page with a summary table, a chart of every metric over "
        + "generations, ancestry and the lineage graph, and the stages. The page opens offline in any browser. "
        + "An existing report is replaced in one step, never left half-written.",
        "With several run directories, write one page (--out) that puts them side by side: every directory's "
        + "lineages, named <directory>/<lineage>, in the same tables and charts, and each one's lineage graphs."},
    footer = {"", "Examples:", "  ./priorflow report runs/tiny", "  ./priorflow run scenarios/tiny.yaml --out runs/tiny "
        + "&& ./priorflow report runs/tiny", "  ./priorflow report runs/rlhf runs/dpo --out rlhf-vs-dpo.html", "",
        "Exit status: 0 written; 2 a RUN_DIR, its metrics.csv or lineage.json is missing or invalid, or the page to "
        + "write is a directory; 1 the report could not be written."})
final class ReportCommand implements Runnable {

  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories (what priorflow run --out "
      + "wrote); one rebuilds its report.html, several are compared on one page.")
  List<Path> runDirs;

  @Option(names = "--out", paramLabel = "FILE", description = "With several RUN_DIRs: the page to write (default: "
      + "comparison.html in the current directory). With one, not allowed: its report is RUN_DIR/report.html.")
  Path out;

  @Override
  public void run() {
    if (runDirs.size() == 1 && out != null) {
      throw new IllegalArgumentException("--out is for several run directories; one run's report is always "
          + runDirs.get(0).resolve(ReportWriter.FILE_NAME) + ".");
    }
    Path target = runDirs.size() == 1 ? runDirs.get(0).resolve(ReportWriter.FILE_NAME)
        : out != null ? out : Path.of("comparison.html");
    if (java.nio.file.Files.isDirectory(target)) {
      throw new IllegalArgumentException(target + ": is a directory, so the report cannot be written there; move it "
          + "away or remove it");
    }
    ReportWriter.Result r;
    try {
      r = runDirs.size() == 1 ? ReportWriter.write(runDirs.get(0)) : ReportWriter.writeComparison(runDirs, target);
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot write: " + e.getMessage(), e);
    }
    System.out.printf(Locale.ROOT, "wrote %s (%d KiB, %d charts%s)%n", r.file(), (r.bytes() + 1023) / 1024,
        r.charts(), r.notes() == 0 ? "" : ", " + r.notes() + " note(s) on the input files");
  }
}
