package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir Path dir;

  private final TokenModel model = TokenModel.initialize(
      new TokenModelConfig(TokenModelConfig.Head.SCALAR, 11, 3, 5, List.of(7, 4), TokenModelConfig.Activation.TANH, 2),
      new SplittableRandom(5));

  @Test
  void roundTripKeepsEveryWeightAndTheId() throws Exception {
    Path f = dir.resolve("m.pfm");
    ModelFile.write(model, f);
    TokenModel back = ModelFile.read(f, model.id());
    assertEquals(model.id(), back.id());
    assertEquals(model.config(), back.config());
    for (int i = 0; i < model.layout().count(); i++) assertArrayEquals(model.tensor(i), back.tensor(i));
    assertEquals(Files.size(f), ModelFile.toBytes(model).length);
  }

  /**
   * The id is the SHA-256 of the file body however it was found: computed by {@code id()}, computed while writing
   * (and then kept), or read with a file (and then not computed again) — for an MLP and a transformer.
   */
  @Test
  void theIdIsTheBodysHashWhetherComputedWrittenOrRead() throws Exception {
    for (TokenModelConfig c : List.of(model.config(),
        TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 13, 8, 8, 2, 2, 16, 0))) {
      TokenModel written = TokenModel.initialize(c, new SplittableRandom(9));
      assertEquals(null, written.idIfKnown());
      byte[] bytes = ModelFile.toBytes(written);
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(bytes, 0, bytes.length - 32);
      String hash = java.util.HexFormat.of().formatHex(sha.digest());
      assertEquals(hash, java.util.HexFormat.of().formatHex(bytes, bytes.length - 32, bytes.length));
      assertEquals(hash, written.idIfKnown(), "writing keeps the hash as the id");
      TokenModel computed = TokenModel.initialize(c, new SplittableRandom(9));
      assertEquals(hash, computed.id());
      assertArrayEquals(bytes, ModelFile.toBytes(computed), "a known id writes the same bytes");
      TokenModel read = ModelFile.fromBytes(bytes, "m.pfm");
      assertEquals(hash, read.idIfKnown(), "reading knows the id without hashing again");
      assertEquals(hash, ModelFile.contentHash(read), "and it is the hash of the read model's own encoding");
      assertArrayEquals(bytes, ModelFile.toBytes(read));
    }
  }

  @Test
  void rejectsTruncatedFiles() {
    byte[] b = ModelFile.toBytes(model);
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFile.fromBytes(Arrays.copyOf(b, b.length - 5), "cut.pfm"));
    assertTrue(e.getMessage().startsWith("cut.pfm: truncated: expected " + b.length + " bytes, found "),
        e.getMessage());
  }

  @Test
  void rejectsAFlippedWeightBit() {
    byte[] b = ModelFile.toBytes(model);
    b[b.length - 40] ^= 0x10;
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.fromBytes(b, "bad.pfm"));
    assertTrue(e.getMessage().startsWith("bad.pfm: corrupted: the content hash"), e.getMessage());
  }

  @Test
  void rejectsForeignAndNewerFiles() {
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFile.fromBytes("hello, this is not a model at all....................................".getBytes(),
            "x.txt"));
    assertEquals("x.txt: not a priorflow model file (bad magic bytes)", e.getMessage());
    byte[] b = ModelFile.toBytes(model);
    b[8] = 9; // format version
    e = assertThrows(ModelFileException.class, () -> ModelFile.fromBytes(b, "new.pfm"));
    assertEquals("new.pfm: model format version 9 is not supported (this build reads 1 and 2)", e.getMessage());
    assertEquals("e.pfm: not a priorflow model file (only 0 bytes; a model file has at least 84)",
        assertThrows(ModelFileException.class, () -> ModelFile.fromBytes(new byte[0], "e.pfm")).getMessage());
  }

  @Test
  void rejectsAHugeDeclaredSizeWithoutAllocating() {
    byte[] b = ModelFile.toBytes(model);
    b[20] = (byte) 0xff; // vocab low byte (after magic, version, family, head)
    b[21] = (byte) 0xff;
    b[22] = (byte) 0xff; // vocab = 0x7fffff?? (> MAX_VOCAB)
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.fromBytes(b, "big.pfm"));
    assertTrue(e.getMessage().startsWith("big.pfm: corrupted model header: vocab must be in [2, 65536]"),
        e.getMessage());
  }

  @Test
  void rejectsTheWrongModel() throws Exception {
    Path f = dir.resolve("m.pfm");
    ModelFile.write(model, f);
    String other = "0".repeat(64);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(f, other));
    assertEquals(f + ": expected model " + other + " but the file holds model " + model.id(), e.getMessage());
  }

  @Test
  void rejectsAnUnknownFamily() {
    byte[] b = ModelFile.toBytes(model);
    b[12] = 7; // family code
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.fromBytes(b, "f.pfm"));
    assertTrue(e.getMessage().startsWith("f.pfm: corrupted model header: model family code must be 0 (MLP) or 1 "
        + "(transformer), was 7"), e.getMessage());
  }

  /** Files of format version 1 (written before the transformer: no family, no heads) still load, as MLPs. */
  @Test
  void readsVersionOneFilesAsMlps() throws Exception {
    TokenModelConfig c = model.config();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(8 + 4 * (8 + c.layers()) + 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    h.put(ModelFile.MAGIC).putInt(1).putInt(c.head().ordinal()).putInt(c.vocab()).putInt(c.context())
        .putInt(c.embedDim()).putInt(c.activation().ordinal()).putInt(c.padToken()).putInt(c.layers());
    for (int w : c.hidden()) h.putInt(w);
    h.putLong(model.parameterCount());
    body.write(h.array());
    for (int i = 0; i < model.layout().count(); i++) {
      float[] t = model.tensor(i);
      java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(4 * t.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      f.asFloatBuffer().put(t);
      body.write(f.array());
    }
    byte[] bytes = body.toByteArray();
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    byte[] file = java.util.Arrays.copyOf(bytes, bytes.length + 32);
    System.arraycopy(hash, 0, file, bytes.length, 32);
    TokenModel old = ModelFile.fromBytes(file, "v1.pfm");
    assertEquals(TokenModelConfig.Family.MLP, old.config().family());
    assertEquals(c, old.config());
    for (int i = 0; i < model.layout().count(); i++) assertArrayEquals(model.tensor(i), old.tensor(i));
  }
}
