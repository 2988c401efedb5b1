package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.report.SyntheticRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code priorflow report}: exit codes and messages. */
class ReportCommandTest {
  @RegisterExtension final CapturedOutput io = new CapturedOutput();

  @TempDir
  Path tmp;


  /**
   * Runs {@code priorflow report …} through Main once Main registers the command; until then through a command
   * line with Main's error handling (IllegalArgumentException → 2, anything else → 1).
   */
  private static int report(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "report";
    System.arraycopy(args, 0, all, 1, args.length);
    if (new CommandLine(new Main()).getSubcommands().containsKey("report")) {
      return Main.execute(all);
    }
    CommandLine cl = new CommandLine(new Main()).addSubcommand(new ReportCommand());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("priorflow: " + (ex instanceof IllegalArgumentException ? ex.getMessage() : "failed: " + ex));
      return ex instanceof IllegalArgumentException ? 2 : 1;
    });
    return cl.execute(all);
  }

  private String err() {
    return io.err();
  }

  @Test
  void writesTheReportAndSaysWhere() throws IOException {
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    assertEquals(0, report(run.toString()), err());
    String o = io.out();
    assertTrue(o.startsWith("wrote " + run.resolve("report.html") + " ("), o);
    assertTrue(o.contains(" charts"), o);
    assertTrue(Files.size(run.resolve("report.html")) > 10_000);
  }

  @Test
  void aMissingDirectoryIsExitTwoWithOneLine() {
    Path run = tmp.resolve("nope");
    assertEquals(2, report(run.toString()));
    assertEquals("priorflow: " + run + ": no such directory; give the directory that priorflow run --out wrote."
        + System.lineSeparator(), err());
  }

  @Test
  void anInvalidLineageIsExitTwoWithoutStackTrace() throws IOException {
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    Files.writeString(run.resolve("lineage.json"), "{");
    assertEquals(2, report(run.toString()));
    String e = err();
    assertTrue(e.startsWith("priorflow: " + run.resolve("lineage.json") + ":1:"), e);
    assertEquals(1, e.strip().lines().count(), e);
    assertFalse(e.contains("\tat "), e);
  }

  @Test
  void aReportThatIsADirectoryIsExitTwo() throws IOException {
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    Files.createDirectories(run.resolve("report.html"));
    assertEquals(2, report(run.toString()));
    assertEquals("priorflow: " + run.resolve("report.html") + ": is a directory, so the report cannot be written "
        + "there; move it away or remove it" + System.lineSeparator(), err());
    assertTrue(Files.isDirectory(run.resolve("report.html")));
  }

  @Test
  void noArgumentIsExitTwo() {
    assertEquals(2, report());
    assertTrue(err().contains("Missing required parameter: 'RUN_DIR'"), err());
  }

  @Test
  void helpHasExamples() {
    assertEquals(0, report("--help"));
    String o = io.out();
    assertTrue(o.contains("Usage: priorflow report"), o);
    assertTrue(o.contains("./priorflow report runs/tiny"), o);
  }

  @Test
  void severalRunDirectoriesSideBySide() throws IOException {
    Path a = tmp.resolve("a/tiny");
    Path b = tmp.resolve("b/tiny"); // the same name: the second is tiny#2
    SyntheticRun.write(a);
    SyntheticRun.write(b);
    Path page = tmp.resolve("out/both.html");
    assertEquals(0, report(a.toString(), b.toString(), "--out", page.toString()), err());
    assertTrue(io.out().startsWith("wrote " + page + " ("), io.out());
    String html = Files.readString(page);
    assertTrue(html.contains("<h1>comparison of 2 runs</h1>"), "the title");
    for (String lineage : SyntheticRun.LINEAGES) {
      String esc = lineage.replace("&", "&amp;").replace("<", "&lt;");
      assertTrue(html.contains("tiny/" + esc) && html.contains("tiny#2/" + esc), lineage);
    }
    assertTrue(html.contains("<option>tiny</option><option>tiny#2</option>"), "each directory's lineage graph");
    assertFalse(Files.exists(a.resolve("report.html")), "the runs' own reports are left alone");
    // the same inputs give the same page
    byte[] first = Files.readAllBytes(page);
    assertEquals(0, report(a.toString(), b.toString(), "--out", page.toString()), err());
    org.junit.jupiter.api.Assertions.assertArrayEquals(first, Files.readAllBytes(page));
  }

  @Test
  void outWithOneDirectoryIsExitTwo() throws IOException {
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    assertEquals(2, report(run.toString(), "--out", tmp.resolve("x.html").toString()));
    assertTrue(err().contains("--out is for several run directories"), err());
  }
}
