package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line's exit codes and messages. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
  private PrintStream oldOut, oldErr;

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

  @Test
  void helpListsTheCommandsAndExitsZero() {
    assertEquals(0, Main.execute("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("bench"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownFlagIsExitTwoWithoutStackTrace() {
    assertEquals(2, Main.execute("bench", "train", "--no-such-flag"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("Unknown option: '--no-such-flag'"), e);
    assertTrue(!e.contains("\tat "), e);
  }

  @Test
  void badValueIsExitTwo() {
    assertEquals(2, Main.execute("bench", "train", "--batch", "0"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("priorflow: --vocab must be"));
    assertEquals(2, Main.execute("bench", "train", "--backend", "cuda", "--seconds", "0.1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cuda"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void benchTrainPrintsOneJsonLinePerCase() {
    assertEquals(0, Main.execute("bench", "train", "--backend", "reference", "--seconds", "0.1", "--batch", "4",
        "--json"));
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, String.join("\n", lines));
    assertTrue(lines[0].matches("\\{\"backend\":\"reference\",\"threads\":1,.*\"tokens_per_second\":[0-9.]+}"),
        lines[0]);
  }
}
