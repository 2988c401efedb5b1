package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/metrics.md is the one {@link MetricReference} generates from the metric definitions. */
class MetricReferenceTest {
  private static final Path COMMITTED = Path.of("../docs/metrics.md");

  @Test
  void theCommittedReferenceIsUpToDate() throws Exception {
    String generated = MetricReference.markdown();
    if (Boolean.getBoolean("pf.updateDocs")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
    assertEquals(generated, committed, "docs/metrics.md differs from the metric definitions (MetricCatalog). "
        + "Regenerate it:\n  mvn -B -o -pl gpu-kernels,engine test -Dtest=MetricReferenceTest "
        + "-Dsurefire.failIfNoSpecifiedTests=false -Dpf.updateDocs=true\nand commit it with the change.");
  }

  @Test
  void everyFixedMetricHasARow() {
    String md = MetricReference.markdown();
    for (MetricDefinition d : MetricCatalog.fixed()) {
      assertTrue(md.contains("| `" + d.name() + "` | " + d.description()), d.name());
    }
    assertTrue(md.contains("`ancestry.<source>`"));
    assertTrue(md.contains("| `diversity.distinct2` |") && md.contains("percentile bootstrap"));
  }

  @Test
  void mainWritesToItsArgumentOrDocsMetricsMdAndSaysWhere(@TempDir Path dir) throws Exception {
    assertEquals(Path.of("docs/metrics.md"), MetricReference.target(), "no argument: the repository's file");
    assertEquals(Path.of("x", "y.md"), MetricReference.target("x/y.md", "ignored"));
    Path out = dir.resolve("metrics.md");
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(said, true, StandardCharsets.UTF_8));
    try {
      MetricReference.main(new String[] {out.toString()});
    } finally {
      System.setOut(stdout);
    }
    assertEquals("wrote " + out + System.lineSeparator(), said.toString(StandardCharsets.UTF_8));
    assertEquals(MetricReference.markdown(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
