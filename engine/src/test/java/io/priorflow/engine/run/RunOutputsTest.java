package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.metrics.MetricsCsv;
import io.priorflow.engine.metrics.MetricsJsonl;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryTable;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a run directory one by one (RunOutputs): where each goes and its exact bytes, models written once and
 * replaced only when damaged, events one line each (naming the run at a batch's top). No run.
 */
class RunOutputsTest {
  @TempDir Path tmp;

  static String text(Path f) throws Exception { return Files.readString(f, StandardCharsets.UTF_8); }

  @Test
  void aRunDirectoryHasModelsABatchTopHasNone() throws Exception {
    RunOutputs run = new RunOutputs(tmp.resolve("run"));
    assertEquals(tmp.resolve("run"), run.dir());
    assertTrue(Files.isDirectory(tmp.resolve("run/models")));
    RunOutputs top = RunOutputs.forBatch(tmp.resolve("batch"));
    assertTrue(Files.isDirectory(tmp.resolve("batch")));
    assertFalse(Files.exists(tmp.resolve("batch/models")));
    assertEquals(tmp.resolve("batch"), top.dir());
    Files.writeString(tmp.resolve("file"), "x");
    var e = assertThrows(UncheckedIOException.class, () -> new RunOutputs(tmp.resolve("file")));
    assertTrue(e.getMessage().startsWith(tmp.resolve("file") + ": cannot create the run directory: "), e.getMessage());
  }

  @Test
  void provenanceIsAskedForExplicitly() {
    RunOutputs o = new RunOutputs(tmp.resolve("run"));
    assertFalse(o.provenance());
    assertSame(o, o.withProvenance(true));
    assertTrue(o.provenance());
    assertFalse(o.withProvenance(false).provenance());
  }

  @Test
  void textFilesHoldExactlyTheirText() throws Exception {
    RunOutputs o = new RunOutputs(tmp.resolve("run"));
    o.writeScenario("name: é\n");
    o.writeText(RunOutputs.RLHF_TRACE, "step,kl\n1,0.5\n");
    o.writeRuns("run,seed\np0-r0,1\n");
    assertEquals("name: é\n", text(tmp.resolve("run/scenario.yaml")));
    assertEquals("step,kl\n1,0.5\n", text(tmp.resolve("run/rlhf-trace.csv")));
    assertEquals("run,seed\np0-r0,1\n", text(tmp.resolve("run/runs.csv")));
    o.writeScenario("name: b\n");
    assertEquals("name: b\n", text(tmp.resolve("run/scenario.yaml")), "replaced whole");
    Files.createDirectories(tmp.resolve("run/best-of-n.csv/x"));
    var e = assertThrows(UncheckedIOException.class, () -> o.writeText(RunOutputs.BEST_OF_N_CURVE, "m\n"));
    assertTrue(e.getMessage().startsWith(tmp.resolve("run/best-of-n.csv") + ": cannot write: "), e.getMessage());
  }

  @Test
  void metricsAreTheCsvTheJsonLinesAndTheSummary() throws Exception {
    MetricsTable t = MetricsTable.of(List.of(MetricsRow.of("a", 0, "m0", 0, Map.of("loss.world", 1.0)),
        MetricsRow.of("a", 1, "m1", 0, Map.of("loss.world", 2.5))));
    new RunOutputs(tmp.resolve("run")).writeMetrics(t);
    assertEquals(MetricsCsv.format(t), text(tmp.resolve("run/metrics.csv")));
    assertEquals(MetricsJsonl.format(t), text(tmp.resolve("run/metrics.jsonl")));
    assertEquals(SummaryTable.of(t).format(), text(tmp.resolve("run/summary.csv")));
  }

  @Test
  void lineageIsTheGraphsJsonOrAnotherRunsBytes() throws Exception {
    LineageGraph g = LineageGraph.builder(RunLineage.current("a".repeat(64), 3, List.of("run"), "java", "cpu"))
        .build();
    RunOutputs o = new RunOutputs(tmp.resolve("run"));
    o.writeLineage(g);
    assertArrayEquals(g.toJson(), Files.readAllBytes(tmp.resolve("run/lineage.json")));
    Files.writeString(tmp.resolve("other.json"), "{\"other\":1}");
    RunOutputs top = RunOutputs.forBatch(tmp.resolve("top"));
    top.copyLineage(tmp.resolve("other.json"));
    assertEquals("{\"other\":1}", text(tmp.resolve("top/lineage.json")));
    var e = assertThrows(UncheckedIOException.class, () -> top.copyLineage(tmp.resolve("missing.json")));
    assertTrue(e.getMessage().startsWith(tmp.resolve("missing.json") + ": cannot read: "), e.getMessage());
  }

  /**
   * A model is written once per process; a file already there is verified and kept when intact (not even touched),
   * replaced when damaged.
   */
  @Test
  void aModelIsWrittenOnceAndReplacedOnlyWhenDamaged() throws Exception {
    var config = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 20, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel m = TokenModel.initialize(config, new SplittableRandom(3));
    Path f = tmp.resolve("run/models/" + m.id() + ".pfm");
    RunOutputs o = new RunOutputs(tmp.resolve("run"));
    o.writeModel(m);
    assertEquals(m.id(), ModelFile.read(f, m.id()).id());
    byte[] intact = Files.readAllBytes(f);
    Files.write(f, new byte[] {9});
    o.writeModel(m);
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(f), "this process wrote it: not looked at again");

    // another process: a damaged file is replaced
    RunOutputs again = new RunOutputs(tmp.resolve("run"));
    again.writeModel(m);
    assertArrayEquals(intact, Files.readAllBytes(f));
    // an intact file is verified once and left alone, even its time
    RunOutputs third = new RunOutputs(tmp.resolve("run"));
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(f, old);
    third.writeModel(m);
    assertEquals(old, Files.getLastModifiedTime(f));
    Files.write(f, new byte[] {7});
    third.writeModel(m);
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(f), "verified once by this process: not looked at again");

    Files.delete(f);
    Files.createDirectories(f); // a directory where the file goes: it cannot be written
    var e = assertThrows(UncheckedIOException.class, () -> new RunOutputs(tmp.resolve("run")).writeModel(m));
    assertTrue(e.getMessage().startsWith(f + ": cannot write the model: "), e.getMessage());
  }

  @Test
  void eventsAreAppendedOneLineEachNamingTheRunAtABatchsTop() throws Exception {
    StageEvent a = new StageEvent("l/g1/s0-generate", "l", 1, "generate", 3, 2, 0, 5, 0.5, 1.5, 2.0, 4, 0,
        "2026-01-01T00:00:00Z");
    StageEvent b = new StageEvent("l/g1/s1-train", "l", 1, "train", 1, 1, 1, 6, 0, 0, 0, 0, 99,
        "2026-01-01T00:00:01Z");
    RunOutputs o = new RunOutputs(tmp.resolve("run"));
    o.appendEvent(a);
    o.appendEvent(b);
    String ja = new String(Json.messages().writeValueAsBytes(a), StandardCharsets.UTF_8);
    String jb = new String(Json.messages().writeValueAsBytes(b), StandardCharsets.UTF_8);
    assertEquals(ja + "\n" + jb + "\n", text(tmp.resolve("run/events.jsonl")));
    RunOutputs top = RunOutputs.forBatch(tmp.resolve("top"));
    top.appendEvent(a, "p0-r1");
    assertEquals("{\"run\":\"p0-r1\"," + ja.substring(1) + "\n", text(tmp.resolve("top/events.jsonl")));
    Files.delete(tmp.resolve("top/events.jsonl"));
    Files.createDirectories(tmp.resolve("top/events.jsonl"));
    var e = assertThrows(UncheckedIOException.class, () -> top.appendEvent(a));
    assertTrue(e.getMessage().startsWith(tmp.resolve("top/events.jsonl") + ": cannot append: "), e.getMessage());
  }
}
