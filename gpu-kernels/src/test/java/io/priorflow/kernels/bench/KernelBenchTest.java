package io.priorflow.kernels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.bench.KernelBench.Op;
import io.priorflow.kernels.bench.KernelBench.Result;
import io.priorflow.kernels.bench.KernelBench.Shape;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's plumbing (shapes, cases, output formats) on tiny products; the numbers themselves are not tested. */
class KernelBenchTest {

  @Test
  void parsesShapesWithAnOptionalProduct() {
    assertEquals(new Shape(512, 256, 128, Op.NN), Shape.parse("512x256x128"));
    assertEquals(new Shape(256, 256, 192, Op.TN), Shape.parse("256x256x192:tn"));
    assertEquals(new Shape(2, 3, 4, Op.NT), Shape.parse(" 2x3x4:NT "));
    for (String bad : List.of("512x512", "0x1x1", "axbxc", "1x2x3:xx", "1x2x3:nn:nt")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void defaultShapesIncludeTheCubesAndTheModelLayers() {
    List<String> labels = KernelBench.defaultShapes().stream().map(s -> s.label() + ":" + s.op().label()).toList();
    assertTrue(labels.containsAll(List.of("128x128x128:nn", "256x256x256:nn", "512x512x512:nn",
        "1024x1024x1024:nn", "256x192x256:nt", "256x256x128:nt", "256x128x256:nn", "256x256x192:nn",
        "256x256x192:tn")), labels.toString());
  }

  @Test
  void runsEveryCaseOnceAndTheReferenceOnlyOnOneThread() {
    List<Shape> shapes = List.of(new Shape(8, 8, 8, Op.NN), new Shape(9, 5, 7, Op.TN));
    List<Result> results = KernelBench.run(shapes, List.of("reference", "java"), List.of(1, 2), Duration.ofMillis(5));
    assertEquals(2 + 2 * 2, results.size());
    assertEquals(2, results.stream().filter(r -> r.backend().equals("reference")).count());
    assertTrue(results.stream().filter(r -> r.backend().equals("reference")).allMatch(r -> r.threads() == 1));
    for (Result r : results) {
      assertTrue(r.gflops() > 0 && r.ms() > 0 && r.bestGflops() >= r.gflops() && r.runs() >= 3, r.toString());
    }
  }

  @Test
  void skipsLargeProductsOnTheReference() {
    Shape big = new Shape(1024, 1024, 1024, Op.NN);
    assertTrue(big.work() > KernelBench.REFERENCE_MAX_WORK);
    assertEquals(List.of(), KernelBench.run(List.of(big), List.of("reference"), List.of(1), Duration.ofMillis(1)));
  }

  @Test
  void unknownBackendFailsBeforeMeasuring() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KernelBench.run(List.of(new Shape(4, 4, 4, Op.NN)), List.of("java", "cuda"), List.of(1),
            Duration.ofMillis(1)));
    assertTrue(e.getMessage().contains("available: reference, java"), e.getMessage());
  }

  @Test
  void writesOneJsonObjectPerLineWithTheAgreedFields() {
    Result r = new Result(new Shape(512, 512, 512, Op.NN), "java", 2, 123.456, 2.17489, 130.0, 40);
    assertEquals("{\"shape\":\"512x512x512\",\"op\":\"nn\",\"backend\":\"java\",\"threads\":2,\"gflops\":123.46,"
        + "\"ms\":2.1749}", KernelBench.jsonLine(r));
    String lines = KernelBench.jsonLines(List.of(r, r));
    assertEquals(2, lines.lines().count());
    assertTrue(lines.endsWith("}\n"));
  }

  @Test
  void tableHasAHeaderAndOneRowPerResult() {
    Result r = new Result(new Shape(256, 192, 256, Op.NT), "reference", 1, 3.3, 7.6, 3.4, 100);
    String table = KernelBench.table(List.of(r));
    List<String> lines = table.lines().toList();
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).startsWith("shape"), lines.get(0));
    assertTrue(lines.get(1).startsWith("256x192x256    nt  reference"), lines.get(1));
  }
}
