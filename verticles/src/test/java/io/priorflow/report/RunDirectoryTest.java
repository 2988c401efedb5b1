package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory the report cannot use gives one line naming the file and what is wrong. */
class RunDirectoryTest {

  @TempDir
  Path tmp;
  private Path run;

  @BeforeEach
  void writeRun() throws IOException {
    run = tmp.resolve("run");
    SyntheticRun.write(run);
  }

  private void assertProblem(String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(run));
    assertEquals(expected, e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertFalse(Files.exists(run.resolve("report.html")), "no report from bad input");
  }

  @Test
  void missingDirectory() {
    run = tmp.resolve("nope");
    assertProblem(run + ": no such directory; give the directory that priorflow run --out wrote.");
  }

  @Test
  void aFileInsteadOfADirectory() throws IOException {
    run = Files.writeString(tmp.resolve("file"), "x");
    assertProblem(run + ": not a directory; give the directory that priorflow run --out wrote.");
  }

  @Test
  void missingMetrics() throws IOException {
    Files.delete(run.resolve("metrics.csv"));
    assertProblem(run.resolve("metrics.csv") + ": missing; every run directory has one (priorflow run writes it).");
  }

  @Test
  void metricsWithAForeignHeader() throws IOException {
    Files.writeString(run.resolve("metrics.csv"), "a,b\n1,2\n");
    assertProblem(run.resolve("metrics.csv") + ":1: the header must start with lineage,generation,model,replicate,"
        + " found [a, b].");
  }

  @Test
  void metricsWithAnUnknownMetric() throws IOException {
    Files.writeString(run.resolve("metrics.csv"), "lineage,generation,model,replicate,trait.x,acc\nL,0,m,0,1,2\n");
    // the message names every kind of metric there is: the lists come from MetricNames
    assertProblem(run.resolve("metrics.csv") + ":1: Unknown metric name(s) [acc]; a metric is trait.<name>, one of "
        + io.priorflow.engine.metrics.MetricNames.FIXED + ", one of " + io.priorflow.engine.metrics.MetricNames.METHOD
        + ", labels.gold_agreement.<source>, ancestry.<source>, or one of "
        + io.priorflow.engine.metrics.MetricNames.ANALYTIC + ".");
  }

  @Test
  void metricsWithABadNumber() throws IOException {
    Files.writeString(run.resolve("metrics.csv"), "lineage,generation,model,replicate,trait.x\nL,0,m,0,high\n");
    assertProblem(run.resolve("metrics.csv") + ": record 2: trait.x must be a number, was \"high\".");
  }

  @Test
  void metricsWithoutRows() throws IOException {
    Files.writeString(run.resolve("metrics.csv"), "lineage,generation,model,replicate,trait.x\n");
    assertProblem(run.resolve("metrics.csv") + ": no rows after the header, so there is nothing to report.");
  }

  @Test
  void missingLineage() throws IOException {
    Files.delete(run.resolve("lineage.json"));
    assertProblem(run.resolve("lineage.json") + ": missing; every run directory has one (priorflow run writes it).");
  }

  @Test
  void lineageOfAnotherFormat() throws IOException {
    Path f = run.resolve("lineage.json");
    Files.writeString(f, Files.readString(f).replace("priorflow.lineage/1", "priorflow.lineage/9"));
    assertProblem(f + ": not a valid lineage graph: This lineage graph has format priorflow.lineage/9; this "
        + "priorflow reads priorflow.lineage/1.");
  }

  @Test
  void lineageWithAnUnknownKey() throws IOException {
    Path f = run.resolve("lineage.json");
    Files.writeString(f, Files.readString(f).replace("\"format\" :", "\"formats\" : 1,\n  \"format\" :"));
    String msg = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(run)).getMessage();
    assertEquals(f + ":", msg.substring(0, f.toString().length() + 1));
    assertFalse(msg.contains("\n"), msg);
    org.junit.jupiter.api.Assertions.assertTrue(msg.contains(": not a valid lineage graph: Unrecognized field "
        + "\"formats\""), msg);
  }

  @Test
  void lineageThatIsNotJson() throws IOException {
    Path f = run.resolve("lineage.json");
    Files.writeString(f, "<html>");
    String msg = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(run)).getMessage();
    assertEquals(f + ":1:1: not a valid lineage graph: Unexpected character ('<' (code 60)): expected a valid value"
        + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", msg);
  }
}
