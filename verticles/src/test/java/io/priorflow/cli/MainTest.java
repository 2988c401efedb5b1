package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line's exit codes and messages. */
class MainTest {
  @RegisterExtension final CapturedOutput io = new CapturedOutput();


  @Test
  void helpListsTheCommandsAndExitsZero() {
    assertEquals(0, Main.execute("--help"));
    assertTrue(io.out().contains("bench"), io.out());
  }

  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    for (String[] cmd : new String[][] {{"run"}, {"validate"}, {"report"}, {"node"}, {"bench"}, {"bench", "kernels"},
        {"bench", "train"}}) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = "--help";
      assertEquals(0, Main.execute(args), String.join(" ", args));
    }
    assertTrue(!io.err().contains("picocli WARN"), io.err());
    assertTrue(io.out().contains("95% CI"), "run --help shows its description as written");
  }

  @Test
  void unknownFlagIsExitTwoWithoutStackTrace() {
    assertEquals(2, Main.execute("bench", "train", "--no-such-flag"));
    String e = io.err();
    assertTrue(e.contains("Unknown option: '--no-such-flag'"), e);
    assertTrue(!e.contains("\tat "), e);
  }

  @Test
  void badValueIsExitTwo() {
    assertEquals(2, Main.execute("bench", "train", "--batch", "0"));
    assertTrue(io.err().startsWith("priorflow: --vocab must be"));
    assertEquals(2, Main.execute("bench", "train", "--backend", "cuda", "--seconds", "0.1"));
    assertTrue(io.err().contains("cuda"), io.err());
  }

  @Test
  void benchTrainPrintsOneJsonLinePerCase() {
    assertEquals(0, Main.execute("bench", "train", "--backend", "reference", "--seconds", "0.1", "--batch", "4",
        "--json"));
    String[] lines = io.out().strip().split("\n");
    assertEquals(1, lines.length, String.join("\n", lines));
    assertTrue(lines[0].matches("\\{\"model\":\"mlp\",\"backend\":\"reference\",\"threads\":1,.*\"tokens_per_second\":[0-9.]+}"),
        lines[0]);
  }
}
