package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads scenario files: validates a file as a whole and reports every problem at once, each at its file, line and
 * column ({@link Problem}), or returns the scenario with its resolved YAML. Never a stack trace: malformed YAML,
 * an empty file, binary garbage and a missing file are problems like any other.
 *
 * <p>Loading runs in passes:
 * <ol>
 *   <li>{@link YamlReader}: text → tree, with the place of every key and value; syntax errors, duplicate keys</li>
 *   <li>{@link Overrides}: the {@code --set path=value} arguments, on the tree</li>
 *   <li>{@link StructureCheck}: the tree against the records — unknown keys, types, enums, ranges, sizes</li>
 *   <li>{@link DefaultsMerge}: the tree over the defaults; Jackson binds the result (unknown keys still fail)</li>
 *   <li>{@link SemanticCheck}: rules across fields, and the world's own {@code problems()}</li>
 * </ol>
 * This class is deliberately not a general YAML binder: it knows the scenario records and nothing else.
 */
public final class ScenarioLoader {
  private ScenarioLoader() {}

  /** The largest scenario file read, 1 MiB; a larger one is rejected before it is read. */
  public static final int MAX_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
          .build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  /** The mapper of scenario files: YAML, lowercase enums, nulls left out, unknown keys fail. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@link #load(Path, List)} without overrides. */
  public static LoadedScenario load(Path file) {
    return load(file, List.of());
  }

  /**
   * Loads a scenario file with {@code --set path=value} overrides applied in order.
   *
   * @throws ScenarioException listing every problem of the file and the overrides
   */
  public static LoadedScenario load(Path file, List<String> overrides) {
    String source = file.toString();
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw fileProblem(source, "cannot read: it is a directory");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw fileProblem(source, "cannot read: " + size + " bytes is more than a scenario may have (1 MiB)");
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1); // a special file may report size 0 and never end
      }
    } catch (NoSuchFileException e) {
      throw fileProblem(source, "cannot read: no such file");
    } catch (AccessDeniedException e) {
      throw fileProblem(source, "cannot read: permission denied");
    } catch (IOException e) {
      throw fileProblem(source, "cannot read: " + e.getMessage());
    }
    return read(bytes, source, overrides);
  }

  /**
   * Loads a scenario from a file's bytes (UTF-8, an optional byte-order mark); {@code sourceName} names it in
   * problems.
   *
   * @throws ScenarioException listing every problem of the bytes and the overrides
   */
  public static LoadedScenario read(byte[] bytes, String sourceName, List<String> overrides) {
    if (bytes.length > MAX_BYTES) {
      throw fileProblem(sourceName, "cannot read: more than 1 MiB, the most a scenario may have");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      out.flip();
      String before = out.toString();
      int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
      int column = before.length() - before.lastIndexOf('\n');
      throw new ScenarioException(List.of(new Problem(sourceName, line, column, "", String.format(Locale.ROOT,
          "expected UTF-8 text, found the byte 0x%02X (is it binary, or in another encoding?)", bytes[in.position()] & 0xFF))));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, sourceName, overrides);
  }

  /**
   * Loads a scenario from its text; {@code sourceName} names it in problems.
   *
   * @throws ScenarioException listing every problem of the text and the overrides
   */
  public static LoadedScenario parse(String text, String sourceName, List<String> overrides) {
    if (text.length() > MAX_BYTES) {
      throw fileProblem(sourceName, "cannot read: more than 1 MiB, the most a scenario may have");
    }
    Origins origins = new Origins(sourceName);
    ProblemList problems = new ProblemList(origins, overrides);
    // 1. text → tree with places
    JsonNode tree = YamlReader.read(text, origins, problems.raw(), sourceName);
    if (tree == null || !tree.isObject()) {
      if (problems.isEmpty()) {
        problems.raw().add(new Problem(sourceName, 1, 1, "", "expected a mapping of scenario fields ("
            + String.join(", ", ScenarioTypes.keys(Scenario.class)) + "), found " + (tree != null
            ? Wording.found(tree, origins.rawAt("")) : text.isBlank() ? "an empty file" : "only comments")));
      }
      throw new ScenarioException(problems.sorted());
    }
    // no rule on the value of a duplicate key: which one counts is not what the user meant
    problems.raw().stream().filter(p -> !p.path().isEmpty()).forEach(p -> problems.markBad(p.path()));
    // 2. overrides
    Overrides.apply((ObjectNode) tree, overrides, origins, problems);
    // 3. structure
    JsonNode checked = new StructureCheck(origins, problems).check(tree, Scenario.class, FieldRules.NONE, "");
    // 4. defaults, then bind
    JsonNode merged = DefaultsMerge.merge(Scenario.class, checked, null);
    Scenario scenario;
    try {
      scenario = MAPPER.treeToValue(merged, Scenario.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // every binding error should have been reported by pass 3; if one slips through, say so without a trace
      problems.raw().add(new Problem(sourceName, 1, 1, "", "cannot bind the scenario (a validator gap, please "
          + "report it): " + e.getMessage().lines().findFirst().orElse("")));
      throw new ScenarioException(problems.sorted());
    }
    // 5. rules across fields
    new SemanticCheck(problems, origins, merged).check(scenario);
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems.sorted());
    }
    String yaml = toYaml(scenario);
    return new LoadedScenario(scenario, yaml, sha256(yaml));
  }

  /** The scenario as YAML: every field, enums lowercase, nulls left out. */
  public static String toYaml(Scenario scenario) {
    try {
      return MAPPER.writeValueAsString(scenario);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the scenario as YAML", e);
    }
  }

  static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScenarioException fileProblem(String source, String message) {
    return new ScenarioException(List.of(new Problem(source, 0, 0, "", message)));
  }
}
