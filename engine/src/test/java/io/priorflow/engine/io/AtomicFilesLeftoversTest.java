package io.priorflow.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed mid-write leaves the write's temporary file; resuming removes exactly those, at any depth. */
class AtomicFilesLeftoversTest {

  @Test
  void removesTheTemporaryFilesOfKilledWritesAndNothingElse(@TempDir Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("runs/r0/models"));
    Path kept = Files.writeString(models.resolve("ab12.pfm"), "model");
    Path hidden = Files.writeString(dir.resolve(".hidden"), "x");
    Path tmpName = Files.writeString(dir.resolve("notes.tmp"), "x");
    // exactly what write() names its temporary file, here and two levels down
    Path top = Files.createTempFile(dir, ".metrics.csv.", ".tmp");
    Path deep = Files.createTempFile(models, ".ab12.pfm.", ".tmp");
    AtomicFiles.write(dir.resolve("summary.csv"), new byte[] {1, 2});

    assertEquals(2, AtomicFiles.removeLeftovers(dir));
    assertFalse(Files.exists(top));
    assertFalse(Files.exists(deep));
    for (Path p : new Path[] {kept, hidden, tmpName, dir.resolve("summary.csv")}) assertTrue(Files.exists(p), p.toString());
    assertEquals(0, AtomicFiles.removeLeftovers(dir));
    assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("missing")));
  }
}
