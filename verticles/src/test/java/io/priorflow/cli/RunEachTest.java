package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code priorflow run A.yaml B.yaml ...}: several scenarios in one command, each as it would run alone. */
class RunEachTest {
  @TempDir Path tmp;
  @RegisterExtension final CapturedOutput io = new CapturedOutput();

  static Path scenario(String name) { return RunCommandTest.quickstart().resolveSibling(name); }

  /** Every file of a run directory but the two that hold wall times, by path relative to it. */
  static List<Path> resultFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize)
          .filter(p -> !p.getFileName().toString().equals("events.jsonl")
              && !p.getFileName().toString().equals("report.html"))
          .sorted().toList();
    }
  }

  @Test
  void eachScenarioGetsTheFilesOfItsOwnRun() throws Exception {
    Path tiny = scenario("tiny.yaml"), gaussian = scenario("gaussian-collapse.yaml");
    assertEquals(0, Main.execute("run", tiny.toString(), gaussian.toString(), "--out", tmp.resolve("both").toString(),
        "--seed", "5"), io.err());
    assertEquals(0, Main.execute("run", gaussian.toString(), "--out", tmp.resolve("gaussian").toString(), "--seed",
        "5"), io.err());
    assertEquals(0, Main.execute("run", tiny.toString(), "--out", tmp.resolve("tiny").toString(), "--seed", "5"),
        io.err());
    for (String name : List.of("tiny", "gaussian")) {
      Path alone = tmp.resolve(name), together = tmp.resolve("both").resolve(name.equals("tiny") ? "tiny"
          : "gaussian-collapse");
      List<Path> files = resultFiles(alone);
      assertTrue(files.contains(Path.of("metrics.csv")), files.toString());
      assertEquals(files, resultFiles(together), name);
      for (Path f : files) {
        assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(together.resolve(f)),
            name + ": " + f + " differs between a run alone and one of several");
      }
      assertTrue(Files.isRegularFile(together.resolve("report.html")));
    }
    String out = io.out();
    assertTrue(out.contains("2 scenarios: 2 done, 0 failed, 0 refused ("), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  done ") && l.contains(tiny.toString())
        && l.endsWith(tmp.resolve("both/tiny").toString())), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  done ") && l.contains(gaussian.toString())
        && l.endsWith(tmp.resolve("both/gaussian-collapse").toString())), out);
    assertTrue(io.err().contains("scenario 2 of 2: " + gaussian), io.err());
  }

  @Test
  void aBadLaterFileIsExitTwoBeforeAnyRun() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: bad\nseed: [1\n");
    assertEquals(2, Main.execute("run", scenario("tiny.yaml").toString(), bad.toString(), "--out",
        tmp.resolve("out").toString()));
    String e = io.err();
    assertTrue(e.startsWith(bad + ":3:1: invalid YAML"), e);
    assertFalse(e.contains("\tat "), e);
    assertFalse(Files.exists(tmp.resolve("out")), "nothing may be written before every file is checked");
  }

  @Test
  void twoScenariosOfOneNameAndAnUsedDirectoryAreRefusedBeforeAnyRun() throws Exception {
    Path copy = tmp.resolve("copy.yaml");
    Files.copy(scenario("tiny.yaml"), copy);
    Path out = tmp.resolve("out");
    assertEquals(2, Main.execute("run", scenario("tiny.yaml").toString(), copy.toString(), "--out", out.toString()));
    assertTrue(io.err().contains(scenario("tiny.yaml") + " and " + copy + " would both run into " + out.resolve("tiny")
        + " (both scenarios are named tiny)"), io.err());
    assertFalse(Files.exists(out));

    Files.createDirectories(out.resolve("gaussian-collapse"));
    Files.writeString(out.resolve("gaussian-collapse/metrics.csv"), "precious");
    assertEquals(2, Main.execute("run", scenario("tiny.yaml").toString(), scenario("gaussian-collapse.yaml")
        .toString(), "--out", out.toString()));
    assertTrue(io.err().contains(scenario("gaussian-collapse.yaml") + ": " + out.resolve("gaussian-collapse")
        + ": already holds files"), io.err());
    assertFalse(Files.exists(out.resolve("tiny")), "the first scenario must not have run");
    assertEquals("precious", Files.readString(out.resolve("gaussian-collapse/metrics.csv")));
  }

  @Test
  void anOptionWrongForOneFileNamesIt() {
    assertEquals(2, Main.execute("run", scenario("gaussian-collapse.yaml").toString(), scenario("tiny.yaml")
        .toString(), "--point", "2", "--out", tmp.resolve("out").toString()));
    assertTrue(io.err().contains("priorflow: " + scenario("gaussian-collapse.yaml") + ": --point must be in [0, 0]"),
        io.err());
    assertFalse(Files.exists(tmp.resolve("out")));
    // an option wrong for every file is said once, before any run
    assertEquals(2, Main.execute("run", scenario("gaussian-collapse.yaml").toString(), scenario("tiny.yaml")
        .toString(), "--threads", "0", "--out", tmp.resolve("out").toString()));
    assertTrue(io.err().endsWith("priorflow: --threads must be in [1, 1024], was 0" + System.lineSeparator()),
        io.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void anOutThatCannotBeWrittenIsExitTwoBeforeAnyRun() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
    assertEquals(2, Main.execute("run", scenario("tiny.yaml").toString(), scenario("gaussian-collapse.yaml")
        .toString(), "--out", "/proc/priorflow-runs"));
    String e = io.err();
    assertEquals(1, e.strip().lines().count(), e);
    assertTrue(e.startsWith("priorflow: /proc/priorflow-runs: cannot create or write the run directory"), e);
  }

  /** A run that fails (here: its model cannot fit the heap) is reported, and the next one still runs. */
  @Test
  void aFailedRunDoesNotStopTheOthers() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 7L << 30,
        "a heap this big fits it");
    Path huge = tmp.resolve("huge.yaml");
    Files.writeString(huge, Files.readString(scenario("tiny.yaml")).replaceFirst("(?m)^name: .*$", "name: huge")
        + "\n");
    Path out = tmp.resolve("out");
    assertEquals(1, Main.execute("run", huge.toString(), scenario("gaussian-collapse.yaml").toString(), "--out",
        out.toString(), "--ignore-budget", "--set", "model.hidden=[16384,16384,16384,16384,16384,16384,16384,16384]"),
        io.err());
    assertTrue(io.err().contains("priorflow: the run failed: critic/train: out of memory"), io.err());
    assertTrue(io.out().contains("2 scenarios: 1 done, 1 failed, 0 refused ("), io.out());
    assertTrue(io.out().lines().anyMatch(l -> l.startsWith("  failed ") && l.contains(huge.toString())), io.out());
    assertTrue(Files.isRegularFile(out.resolve("gaussian-collapse/metrics.csv")));
  }
}
