package io.priorflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's bin/jvm.options and the POM's pf.jvm.flags (used by surefire) must list the same flags. */
class JvmOptionsTest {
  @Test
  void launcherAndBuildPassTheSameJvmFlags() throws Exception {
    Path file = Path.of(System.getProperty("user.dir")).resolve("../bin/jvm.options").normalize();
    List<String> launcher = Files.readAllLines(file).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> pom = Arrays.asList(System.getProperty("pf.jvm.flags", "").strip().split("\\s+"));
    assertEquals(launcher, pom, "bin/jvm.options and the parent pom's pf.jvm.flags differ");
  }
}
