package io.priorflow.engine.model;

import io.priorflow.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary model file: compact, self-describing, and checked. All numbers little-endian.
 * <pre>
 *   bytes  0..7   magic "PFMODEL\0"
 *   int32         format version (2)
 *   int32         family (0 MLP, 1 transformer)                        (version 2 only)
 *   int32         head (0 token, 1 scalar)
 *   int32 × 5     vocab V, context C, embedDim D, activation (0 GELU, 1 RELU, 2 TANH), pad token
 *   int32         attention heads (0 for the MLP)                       (version 2 only)
 *   int32         number of hidden layers L, then L × int32 widths
 *   int64         parameter count P
 *   float32 × P   the tensors in {@link ParamLayout} order
 *   32 bytes      SHA-256 of every byte above
 * </pre>
 * Version 1 (every file written before the transformer) has no family and heads fields and is read as an MLP; its
 * stored hash is verified, and the model's id is that of its version-2 encoding (what it would be written as now).
 * The SHA-256, in hex, is the model's id. Reading verifies the length, the header and the hash, and rejects a
 * truncated, corrupted, or foreign file with a {@link ModelFileException} that names the file.
 */
public final class ModelFile {
  static final byte[] MAGIC = {'P', 'F', 'M', 'O', 'D', 'E', 'L', 0};
  static final int VERSION = 2;
  static final int VERSION_MLP_ONLY = 1;
  private static final int HASH_BYTES = 32;

  private ModelFile() {}

  /**
   * The file bytes of a model: its body, then the body's SHA-256, which is the model's id — so a model whose id is
   * already known (read from a file or the cluster, or written before) is not hashed again, and one whose id is not
   * yet known keeps the hash computed here as its id.
   */
  public static byte[] toBytes(TokenModel model) {
    ByteBuffer buf = header(model.config(), model.parameterCount(), 4 * model.parameterCount() + HASH_BYTES);
    putWeights(buf, model);
    int bodyLength = buf.position();
    byte[] out = buf.array();
    String id = model.idIfKnown();
    byte[] hash = id != null ? HexFormat.of().parseHex(id) : sha256(out, bodyLength);
    System.arraycopy(hash, 0, out, bodyLength, HASH_BYTES);
    if (id == null) model.knowId(HexFormat.of().formatHex(hash));
    return out;
  }

  /** Writes the model atomically (a temporary file renamed into place), so a crash never leaves half a file. */
  public static void write(TokenModel model, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(model));
  }

  /** Reads and verifies a model file. */
  public static TokenModel read(Path file) throws IOException {
    return fromBytes(Files.readAllBytes(file), file.toString());
  }

  /** Reads a model file and checks that it is the model with the expected id. */
  public static TokenModel read(Path file, String expectedId) throws IOException {
    TokenModel m = read(file);
    if (!m.id().equals(expectedId)) {
      throw new ModelFileException(file + ": expected model " + expectedId + " but the file holds model " + m.id());
    }
    return m;
  }

  /** Parses and verifies model bytes; {@code source} names them in error messages. */
  public static TokenModel fromBytes(byte[] bytes, String source) {
    int minimum = MAGIC.length + 4 * 9 + 8 + HASH_BYTES;
    if (bytes.length >= MAGIC.length && !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ModelFileException(source + ": not a priorflow model file (bad magic bytes)");
    }
    if (bytes.length < minimum) {
      throw new ModelFileException(source + ": not a priorflow model file (only " + bytes.length
          + " bytes; a model file has at least " + minimum + ")");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    if (version != VERSION && version != VERSION_MLP_ONLY) {
      throw new ModelFileException(source + ": model format version " + version + " is not supported (this build reads "
          + VERSION_MLP_ONLY + " and " + VERSION + ")");
    }
    TokenModelConfig cfg;
    long count;
    try {
      int family = version == VERSION_MLP_ONLY ? 0 : buf.getInt();
      if (family < 0 || family > 1) {
        throw new IllegalArgumentException("model family code must be 0 (MLP) or 1 (transformer), was " + family
            + "; the file may come from a newer priorflow");
      }
      int head = buf.getInt(), vocab = buf.getInt(), context = buf.getInt(), embed = buf.getInt();
      int act = buf.getInt(), pad = buf.getInt();
      int heads = version == VERSION_MLP_ONLY ? 0 : buf.getInt();
      int layers = buf.getInt();
      if (head < 0 || head > 1) throw new IllegalArgumentException("head code must be 0 or 1, was " + head);
      if (act < 0 || act > 2) throw new IllegalArgumentException("activation code must be 0..2, was " + act);
      if (layers < 1 || layers > TokenModelConfig.MAX_LAYERS) {
        throw new IllegalArgumentException("layer count must be 1.." + TokenModelConfig.MAX_LAYERS + ", was " + layers);
      }
      if (buf.remaining() < 4 * layers + 8 + HASH_BYTES) throw new IllegalArgumentException("header is cut short");
      List<Integer> hidden = new ArrayList<>();
      for (int i = 0; i < layers; i++) hidden.add(buf.getInt());
      cfg = new TokenModelConfig(TokenModelConfig.Family.values()[family], TokenModelConfig.Head.values()[head], vocab,
          context, embed, hidden, TokenModelConfig.Activation.values()[act], pad, heads);
      count = buf.getLong();
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(source + ": corrupted model header: " + e.getMessage());
    }
    ParamLayout layout = ParamLayout.of(cfg);
    if (count != layout.parameterCount()) {
      throw new ModelFileException(source + ": corrupted model header: " + count + " parameters declared, the "
          + "architecture has " + layout.parameterCount());
    }
    long expected = buf.position() + 4L * count + HASH_BYTES;
    if (bytes.length != expected) {
      throw new ModelFileException(source + ": " + (bytes.length < expected ? "truncated" : "has trailing bytes")
          + ": expected " + expected + " bytes, found " + bytes.length);
    }
    int bodyLength = bytes.length - HASH_BYTES;
    byte[] stored = java.util.Arrays.copyOfRange(bytes, bodyLength, bytes.length);
    byte[] actual = sha256(bytes, bodyLength);
    if (!MessageDigest.isEqual(stored, actual)) {
      throw new ModelFileException(source + ": corrupted: the content hash " + HexFormat.of().formatHex(actual)
          + " does not match the stored " + HexFormat.of().formatHex(stored));
    }
    float[][] w = layout.zeros();
    // asFloatBuffer() does not advance buf, so read tensor by tensor at explicit offsets
    int pos = bodyLength - 4 * (int) count;
    for (float[] t : w) {
      buf.position(pos);
      buf.asFloatBuffer().get(t);
      pos += 4 * t.length;
    }
    if (version != VERSION) {
      return new TokenModel(cfg, w); // a version-1 file's model is re-encoded in version 2 for its id
    }
    // The weights were copied verbatim, so the body is this model's own encoding exactly when the header is: then
    // the hash just checked is the model's id, and the body need not be encoded and hashed a second time.
    byte[] header = header(cfg, count, 0).array();
    if (!java.util.Arrays.equals(bytes, 0, header.length, header, 0, header.length)) {
      throw new IllegalStateException(source + ": the header does not re-encode to itself; this is a bug");
    }
    return new TokenModel(cfg, w, HexFormat.of().formatHex(actual));
  }

  /** The model's id: SHA-256 hex of its file body. */
  static String contentHash(TokenModel model) { return HexFormat.of().formatHex(sha256(body(model))); }

  private static byte[] body(TokenModel model) {
    ByteBuffer buf = header(model.config(), model.parameterCount(), 4 * model.parameterCount());
    putWeights(buf, model);
    return buf.array();
  }

  /** The model's tensors in ParamLayout order, little-endian floats, at the buffer's position (advanced past them). */
  private static void putWeights(ByteBuffer buf, TokenModel model) {
    for (float[] t : model.weightsUnsafe()) {
      buf.asFloatBuffer().put(t);
      buf.position(buf.position() + 4 * t.length);
    }
  }

  /**
   * A version-2 body's header for {@code c} and {@code count} parameters, in a buffer with {@code room} bytes after
   * it (for the weights, and the hash), its position at their start.
   */
  private static ByteBuffer header(TokenModelConfig c, long count, long room) {
    int header = MAGIC.length + 4 * (10 + c.layers()) + 8;
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(header + room)).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).putInt(VERSION).putInt(c.family().ordinal()).putInt(c.head().ordinal()).putInt(c.vocab())
        .putInt(c.context()).putInt(c.embedDim()).putInt(c.activation().ordinal()).putInt(c.padToken())
        .putInt(c.heads()).putInt(c.layers());
    for (int h : c.hidden()) buf.putInt(h);
    buf.putLong(count);
    return buf;
  }

  private static byte[] sha256(byte[] data) { return sha256(data, data.length); }

  /** SHA-256 of data[0 .. length). */
  private static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(data, 0, length);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
