package io.priorflow.engine.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's ObjectMappers, built once here and nowhere else (STYLE §3).
 *
 * <ul>
 *   <li>{@link #messages()}: compact JSON for the event bus and {@code metrics.jsonl}.</li>
 *   <li>{@link #lineage()}: JSON whose bytes depend only on the value: record and bean properties sorted
 *       alphabetically, map entries sorted by key, one object property per line, two-space indentation and
 *       {@code \n} line ends on every OS (Jackson's default pretty printer uses the platform line separator, which
 *       would make Windows files differ), arrays on one line, and no trailing newline. Lineage ids and
 *       {@code lineage.json} diffs depend on this.</li>
 * </ul>
 *
 * <p>Both fail on unknown keys (Jackson's default, kept on purpose: a typo must not silently change an
 * experiment) and on trailing content after the value. The lineage mapper also fails when a record property is
 * missing, since lineage files are written by priorflow with every property present: a missing one means a
 * truncated or foreign file. Doubles are written by Jackson's default, {@link Double#toString(double)}, which on
 * JDK 19+ is the shortest representation that reads back to the same double (JDK-4511638); so numbers round-trip
 * exactly and print the same on every run. Keep it: do not switch number-writing features on here.
 *
 * <p>The mappers are shared instances: never reconfigure them; add configuration here instead.
 */
public final class Json {

  private static final ObjectMapper MESSAGES = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Objects: one property per line, two spaces per level, {@code \n} on every OS. Arrays stay on one line. */
  private static final DefaultIndenter LF_INDENTER = new DefaultIndenter("  ", "\n");

  private static final ObjectMapper LINEAGE = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .defaultPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(LF_INDENTER))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private Json() {
  }

  /** The compact mapper for bus messages and JSON lines. Shared: do not reconfigure. */
  public static ObjectMapper messages() {
    return MESSAGES;
  }

  /** The canonical mapper for lineage: sorted keys, indented, {@code \n} line ends. Shared: do not reconfigure. */
  public static ObjectMapper lineage() {
    return LINEAGE;
  }

  /** The value's canonical lineage JSON as UTF-8 bytes (no trailing newline). */
  public static byte[] lineageBytes(Object value) {
    try {
      return LINEAGE.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot write a " + value.getClass().getSimpleName() + " as lineage JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The value's canonical lineage JSON as a string (no trailing newline). */
  public static String lineageString(Object value) {
    return new String(lineageBytes(value), StandardCharsets.UTF_8);
  }

  /**
   * Reads canonical lineage JSON.
   *
   * @throws IllegalArgumentException naming the type and Jackson's message (with line and column) if the bytes
   *                                  are not a valid {@code type}
   */
  public static <T> T readLineage(byte[] json, Class<T> type) {
    try {
      return LINEAGE.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a valid " + type.getSimpleName() + " lineage JSON: " + e.getMessage(), e);
    }
  }

  /** Reads canonical lineage JSON from a string; see {@link #readLineage(byte[], Class)}. */
  public static <T> T readLineage(String json, Class<T> type) {
    return readLineage(json.getBytes(StandardCharsets.UTF_8), type);
  }

  /**
   * A lineage id: the SHA-256 of the value's canonical lineage JSON ({@link #lineageBytes}), as 64 lowercase
   * hex digits [Tribuo docs/Architecture.md]. Equal values have equal ids on every run and machine.
   */
  public static String lineageId(Object value) {
    return sha256Hex(lineageBytes(value));
  }

  /** SHA-256 of the bytes as 64 lowercase hex digits. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc), so this cannot happen.
      throw new IllegalStateException("This JVM provides no SHA-256, which every Java platform must have.", e);
    }
  }
}
