package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of the library ({@code scenarios/*.yaml} and {@code scenarios/papers/*.yaml}) loads, and its
 * resolved YAML reproduces it.
 */
class ScenarioLibraryTest {
  private static final Path LIBRARY = Path.of("../scenarios");

  @TestFactory
  Stream<DynamicTest> everyLibraryScenarioLoads() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Stream.concat(Files.list(LIBRARY), Files.list(LIBRARY.resolve("papers")))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.stream().anyMatch(p -> p.endsWith("tiny.yaml")), "scenarios/tiny.yaml is in " + LIBRARY);
    return files.stream().map(f -> DynamicTest.dynamicTest(LIBRARY.relativize(f).toString(), () -> {
      LoadedScenario l = ScenarioLoader.load(f);
      LoadedScenario again = ScenarioLoader.parse(l.resolvedYaml(), "resolved", List.of());
      assertEquals(l.scenario(), again.scenario());
      assertEquals(l.sha256(), again.sha256());
      String header = Files.readString(f).lines().findFirst().orElse("");
      assertTrue(header.startsWith("#"), f + " starts with a comment saying what it shows");
    }));
  }
}
