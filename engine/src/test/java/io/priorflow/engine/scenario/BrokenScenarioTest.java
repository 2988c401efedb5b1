package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of broken scenarios: each {@code src/test/resources/scenarios/broken/NAME.yaml} must fail with exactly
 * the problems in {@code NAME.expected}, one per line. Lines {@code # --set PATH=VALUE} at the top of a file are
 * passed as overrides. After a deliberate change of wording, rewrite every expected file with
 * {@code -Dpf.updateExpected=true} and review the diff.
 */
class BrokenScenarioTest {
  private static final Path DIR = Path.of("src/test/resources/scenarios/broken");

  @TestFactory
  Stream<DynamicTest> everyBrokenFileFailsWithItsExpectedProblems() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 20, "the corpus is in " + DIR.toAbsolutePath());
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<String> overrides = new String(bytes, StandardCharsets.ISO_8859_1).lines()
        .takeWhile(l -> l.startsWith("# --set ")).map(l -> l.substring("# --set ".length())).toList();
    String name = file.getFileName().toString();
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.read(bytes, name, overrides), name + " loaded without a problem");
    String actual = e.getMessage();
    assertFalse(actual.contains("Exception") || actual.contains("\tat "), actual);
    Path expectedFile = file.resolveSibling(name.replace(".yaml", ".expected"));
    if (Boolean.getBoolean("pf.updateExpected")) {
      Files.writeString(expectedFile, actual + "\n", StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(expectedFile), expectedFile + " is missing; it should hold:\n" + actual);
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8).stripTrailing(), actual, name);
  }

  @Test
  void problemsAreSortedByLineThenColumn() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(
        "seed: x\nname: B\nmodel: { context: 0, embedDim: 0 }\n", "t.yaml", List.of()));
    List<Problem> p = e.problems();
    assertEquals(4, p.size(), e.getMessage());
    for (int i = 1; i < p.size(); i++) {
      assertTrue(p.get(i - 1).line() < p.get(i).line()
          || p.get(i - 1).line() == p.get(i).line() && p.get(i - 1).column() < p.get(i).column(), e.getMessage());
    }
    assertEquals(new Problem("t.yaml", 3, 19, "model.context", "expected an integer in [1, 1024], found 0"), p.get(2));
  }
}
