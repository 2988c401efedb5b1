package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.report.SyntheticRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code priorflow report}: exit codes and messages. */
class ReportCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
  private PrintStream oldOut, oldErr;

  @TempDir
  Path tmp;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

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
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesTheReportAndSaysWhere() throws IOException {
    Path run = tmp.resolve("run");
    SyntheticRun.write(run);
    assertEquals(0, report(run.toString()), err());
    String o = out.toString(StandardCharsets.UTF_8);
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
  void noArgumentIsExitTwo() {
    assertEquals(2, report());
    assertTrue(err().contains("Missing required parameter: 'RUN_DIR'"), err());
  }

  @Test
  void helpHasExamples() {
    assertEquals(0, report("--help"));
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.contains("Usage: priorflow report"), o);
    assertTrue(o.contains("./priorflow report runs/tiny"), o);
  }
}
