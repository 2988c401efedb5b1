package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code priorflow validate}: ok lines, every problem of every file, exit status. */
class ValidateCommandTest {
  private final StringWriter out = new StringWriter(), err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new ValidateCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void theLibraryScenarioIsValid() {
    Path tiny = Path.of("../scenarios/tiny.yaml");
    assertEquals(0, run(tiny.toString()), err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(3, lines.length, out.toString());
    assertEquals("ok: " + tiny + " (tiny, 2 lineages)", lines[0]);
    // the budget a run prints, as YAML comments: memory with its parts and the heap, then work and time
    assertTrue(lines[1].matches("# budget: about [0-9.]+ MiB of heap \\(.*models \\(8 kept\\) .*\\) of this JVM's "
        + "[0-9.]+ [MG]iB"), lines[1]);
    assertTrue(lines[2].matches("# work: [0-9]+ k tokens trained, [0-9]+ k sampled, .* floating-point operations: "
        + "roughly [0-9]+ s"), lines[2]);
    assertEquals("", err.toString());
  }

  @Test
  void everyProblemOfEveryFileGoesToStderrWithExitTwo(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml"), bad = dir.resolve("bad.yaml"), missing = dir.resolve("missing.yaml");
    Files.writeString(good, "name: good\n");
    Files.writeString(bad, "name: bad\nsed: 1\nmodel: { context: 0 }\n");
    assertEquals(2, run(good.toString(), bad.toString(), missing.toString()));
    assertTrue(out.toString().startsWith("ok: " + good + " (good, 1 lineage)\n# budget: about "), out.toString());
    assertEquals(3, out.toString().lines().count(), out.toString());
    assertEquals(String.join("\n",
        bad + ":2:1: sed: unknown key (did you mean \"seed\"?); expected one of name, description, seed, world, "
            + "analytic, model, models, training, actors, lineages, evaluation, sweep, counterfactuals, shapley",
        bad + ":3:19: model.context: expected an integer in [1, 1024], found 0",
        missing + ": cannot read: no such file", ""), err.toString());
  }

  @Test
  void overridesAreAppliedAndValidated(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, "name: s\n");
    assertEquals(0, run(f.toString(), "--set", "lineages[0].generations=7", "--resolved"), err.toString());
    assertTrue(out.toString().startsWith("ok: " + f + " (s, 1 lineage)\n# budget: "), out.toString());
    assertTrue(out.toString().contains("\n# work: "), out.toString());
    assertTrue(out.toString().contains(" s\nname: s\n"), out.toString());
    assertTrue(out.toString().contains("generations: 7\n"), out.toString());
    assertEquals(2, run(f.toString(), "--set", "lineages[0].generations=0"));
    assertEquals("--set lineages[0].generations=0: lineages[0].generations: expected an integer in [1, 1000], "
        + "found 0\n", err.toString());
  }

  @Test
  void helpHasExamplesAndNoFileIsAUsageError() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Examples:"), out.toString());
    assertTrue(out.toString().contains("--set"), out.toString());
    assertEquals(2, run());
    assertTrue(err.toString().contains("Missing required parameter"), err.toString());
  }
}
