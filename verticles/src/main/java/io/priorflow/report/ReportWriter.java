package io.priorflow.report;

import io.priorflow.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code report.html} for a run directory: one self-contained page (styles, SVG and the lineage graph's
 * scripts inline, no external URL) that opens offline in any browser. It shows what ran (scenario, seed, backend), a summary of the
 * first and last generation of every lineage, one chart per metric over generations (mean and 95% interval over
 * replicates), ancestry per generation, the lineage graph, the stages of events.jsonl, and every metrics row.
 *
 * <p>The page depends only on the files: no clock, no absolute paths, no random ids, so the same run directory
 * gives the same bytes on the same machine (chart text is laid out with the JVM's font metrics, which may differ
 * between machines). The file is written to a temporary file in the run directory and renamed over report.html,
 * so a reader never sees half a report.
 *
 * <p>Not a metrics tool: it computes nothing the run did not record, except the replicate statistics that
 * summary.csv also holds (recomputed from metrics.csv, since summary.csv is absent for single-replicate runs).
 */
public final class ReportWriter {

  static {
    // Before any AWT class loads: the charts are drawn with Java2D, and servers have no display.
    System.setProperty("java.awt.headless", "true");
  }

  /** The report's file name in a run directory. */
  public static final String FILE_NAME = "report.html";

  /**
   * What was written.
   *
   * @param file   the report
   * @param bytes  its size
   * @param charts the number of SVG drawings in it (metric charts, ancestry charts, the lineage graph)
   * @param notes  the problems with optional input files that the report lists
   */
  public record Result(Path file, long bytes, int charts, int notes) {}

  private ReportWriter() {}

  /**
   * Reads the run directory and writes RUN_DIR/report.html atomically.
   *
   * @throws IllegalArgumentException one line naming the file and what is wrong, when the directory,
   *                                  metrics.csv or lineage.json is missing or invalid
   * @throws IOException              when the report cannot be written
   */
  public static Result write(Path runDir) throws IOException {
    RunDirectory run = RunDirectory.read(runDir);
    String html = ReportPage.render(run);
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    Path target = runDir.resolve(FILE_NAME);
    writeAtomically(target, bytes);
    return new Result(target, bytes.length, svgCount(html), run.notes().size());
  }

  /**
   * Reads several run directories and writes one page that shows them side by side ({@link RunDirectory#combine}):
   * each directory's lineages as series of their own, in every table and chart, and each one's lineage graphs.
   *
   * @throws IllegalArgumentException as {@link #write(Path)}, for the first directory that is missing or invalid
   * @throws IOException              when the page cannot be written
   */
  public static Result writeComparison(java.util.List<Path> runDirs, Path target) throws IOException {
    java.util.List<RunDirectory> dirs = new java.util.ArrayList<>();
    for (Path d : runDirs) {
      dirs.add(RunDirectory.read(d));
    }
    RunDirectory all = RunDirectory.combine(dirs);
    String html = ReportPage.render(all);
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    writeAtomically(target, bytes);
    return new Result(target, bytes.length, svgCount(html), all.notes().size());
  }

  /** The number of SVG drawings the page says it has (its priorflow-svg-count meta tag). */
  static int svgCount(String html) {
    String tag = "<meta name=\"priorflow-svg-count\" content=\"";
    int i = html.indexOf(tag);
    return i < 0 ? 0 : Integer.parseInt(html.substring(i + tag.length(), html.indexOf('"', i + tag.length())));
  }

  /** Temporary file in the same directory, then a rename over the target. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }
}
