package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
