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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 *   <li>{@link SweepReader}: the {@code sweep:} section and {@code --sweep} arguments (set aside before pass 2),
 *       then every sweep point's scenario through passes 3–5, each swept value placed at its line and column</li>
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
    return load(file, overrides, List.of());
  }

  /**
   * Loads a scenario file with {@code --set path=value} overrides applied in order, and {@code --sweep
   * path=v1,v2,...} arguments added to its sweep ({@link Sweep}); every point of the sweep is validated.
   *
   * @throws ScenarioException listing every problem of the file, the overrides and the sweep
   */
  public static LoadedScenario load(Path file, List<String> overrides, List<String> sweeps) {
    return load(file, overrides, sweeps, List.of());
  }

  /**
   * As {@link #load(Path, List, List)}, with {@code --counterfactual} arguments added to the file's
   * {@code counterfactuals:} ({@link Counterfactual}); every counterfactual of every point is validated.
   *
   * @throws ScenarioException listing every problem of the file, the overrides, the sweep and the counterfactuals
   */
  public static LoadedScenario load(Path file, List<String> overrides, List<String> sweeps,
                                    List<String> counterfactuals) {
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
    return read(bytes, source, overrides, sweeps, counterfactuals);
  }

  /**
   * Loads a scenario from a file's bytes (UTF-8, an optional byte-order mark); {@code sourceName} names it in
   * problems.
   *
   * @throws ScenarioException listing every problem of the bytes and the overrides
   */
  public static LoadedScenario read(byte[] bytes, String sourceName, List<String> overrides) {
    return read(bytes, sourceName, overrides, List.of());
  }

  /**
   * As {@link #read(byte[], String, List)}, with {@code --sweep} arguments.
   *
   * @throws ScenarioException listing every problem of the bytes, the overrides and the sweep
   */
  public static LoadedScenario read(byte[] bytes, String sourceName, List<String> overrides, List<String> sweeps) {
    return read(bytes, sourceName, overrides, sweeps, List.of());
  }

  /**
   * As {@link #read(byte[], String, List, List)}, with {@code --counterfactual} arguments.
   *
   * @throws ScenarioException listing every problem of the bytes, the arguments and the counterfactuals
   */
  public static LoadedScenario read(byte[] bytes, String sourceName, List<String> overrides, List<String> sweeps,
                                    List<String> counterfactuals) {
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
    return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, sourceName, overrides, sweeps,
        counterfactuals);
  }

  /**
   * Loads a scenario from its text; {@code sourceName} names it in problems.
   *
   * @throws ScenarioException listing every problem of the text and the overrides
   */
  public static LoadedScenario parse(String text, String sourceName, List<String> overrides) {
    return parse(text, sourceName, overrides, List.of());
  }

  /**
   * Loads a scenario from its text, with {@code --sweep} arguments; {@code sourceName} names it in problems.
   *
   * @throws ScenarioException listing every problem of the text, the overrides and the sweep
   */
  public static LoadedScenario parse(String text, String sourceName, List<String> overrides, List<String> sweeps) {
    return parse(text, sourceName, overrides, sweeps, List.of());
  }

  /**
   * Loads a scenario from its text, with {@code --sweep} and {@code --counterfactual} arguments; {@code sourceName}
   * names it in problems.
   *
   * @throws ScenarioException listing every problem of the text, the arguments, the sweep and the counterfactuals
   */
  public static LoadedScenario parse(String text, String sourceName, List<String> overrides, List<String> sweeps,
                                     List<String> counterfactualArgs) {
    if (text.length() > MAX_BYTES) {
      throw fileProblem(sourceName, "cannot read: more than 1 MiB, the most a scenario may have");
    }
    Origins origins = new Origins(sourceName);
    ProblemList problems = new ProblemList(origins, overrides, sweeps, counterfactualArgs);
    // 1. text → tree with places
    JsonNode tree = YamlReader.read(text, origins, problems.raw(), sourceName);
    if (tree == null || !tree.isObject()) {
      if (problems.isEmpty()) {
        problems.raw().add(new Problem(sourceName, 1, 1, "", "expected a mapping of scenario fields ("
            + String.join(", ", ScenarioTypes.keys(Scenario.class)) + ", sweep, counterfactuals, shapley), found " + (tree != null
            ? Wording.found(tree, origins.rawAt("")) : text.isBlank() ? "an empty file" : "only comments")));
      }
      throw new ScenarioException(problems.sorted());
    }
    // no rule on the value of a duplicate key: which one counts is not what the user meant
    problems.raw().stream().filter(p -> !p.path().isEmpty()).forEach(p -> problems.markBad(p.path()));
    // the sweep is not a field of the scenario: it is read after the scenario, against the resolved scenario
    JsonNode section = ((ObjectNode) tree).remove(SWEEP);
    JsonNode cfSection = ((ObjectNode) tree).remove(CounterfactualReader.SECTION);
    JsonNode shapleySection = ((ObjectNode) tree).remove(CounterfactualReader.SHAPLEY);
    // 2. overrides
    Overrides.apply((ObjectNode) tree, overrides, origins, problems);
    // 3.–5. structure, defaults, rules across fields
    Scenario scenario = check(tree, origins, problems, sourceName);
    String yaml = scenario == null ? null : toYaml(scenario);
    // with problems there is no resolved scenario: sweep paths are checked against the file as written (so its
    // lineages and stages, by index or name, are there), missing parts taken from the defaults as paths are walked
    ObjectNode template = (ObjectNode) (yaml != null && problems.isEmpty() ? resolvedTree(yaml)
        : tree.isObject() ? tree.deepCopy() : ScenarioTypes.defaultsTree(Scenario.class).orElseThrow().deepCopy());
    // 6. the sweep: its form, then every point's scenario
    List<SweepReader.Dim> dims = SweepReader.read(section, sweeps, template, origins, problems.raw());
    CounterfactualReader.Read read = CounterfactualReader.readAll(cfSection, shapleySection, counterfactualArgs,
        template, origins, problems.raw());
    List<CounterfactualReader.Variant> variants = read.variants();
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems.sorted());
    }
    Sweep sweep = SweepReader.sweep(dims);
    if (sweep.points() > Sweep.MAX_RUNS) {
      Origins.Origin at = section != null ? origins.at(SWEEP, true) : dims.get(0).at();
      problems.raw().add(at.problem(SWEEP, "expected at most " + Sweep.MAX_RUNS + " runs (sweep points × "
          + "replicates), found " + SweepReader.count(dims) + "; sweep fewer values"));
      throw new ScenarioException(problems.sorted());
    }
    if ((long) sweep.points() * (variants.size() + 1) > Sweep.MAX_RUNS) {
      problems.raw().add(variants.get(0).at().problem(CounterfactualReader.SECTION, "expected at most "
          + Sweep.MAX_RUNS + " runs (sweep points × (1 + counterfactuals) × replicates), found " + sweep.points()
          + " × " + (variants.size() + 1) + "; sweep fewer values or name fewer counterfactuals"));
      throw new ScenarioException(problems.sorted());
    }
    for (int i = 0; i < sweep.points() && !sweep.isEmpty(); i++) {
      point(template, origins, problems, dims, sweep.coordinates(i), null, sourceName);
      if (problems.raw().size() >= MAX_SWEEP_PROBLEMS) {
        break;
      }
    }
    // every counterfactual of every point is a scenario of its own, checked like the file
    for (int i = 0; i < sweep.points() && problems.raw().size() < MAX_SWEEP_PROBLEMS; i++) {
      for (CounterfactualReader.Variant v : variants) {
        point(template, origins, problems, dims, sweep.coordinates(i), v, sourceName);
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems.sorted());
    }
    List<Counterfactual> counterfactuals = variants.stream().map(CounterfactualReader.Variant::counterfactual).toList();
    String resolved = yaml + sweep.yaml() + Counterfactual.yaml(counterfactuals)
        + Counterfactual.shapleyYaml(read.players());
    return new LoadedScenario(scenario, resolved, sha256(resolved), sweep, counterfactuals, read.players());
  }

  /** The key of the sweep section. */
  static final String SWEEP = "sweep";

  /** Point validation stops after this many problems: the first are enough to fix a sweep. */
  static final int MAX_SWEEP_PROBLEMS = 50;

  /**
   * The scenario of one point of a loaded scenario's sweep: its resolved scenario with the point's values set (as
   * {@code --set} would set them) and no sweep. Without a sweep, point 0 is the scenario itself.
   *
   * @throws IllegalArgumentException for a point that does not exist
   */
  public static LoadedScenario point(LoadedScenario base, int point) {
    return point(base, point, null);
  }

  /**
   * The scenario of one point of a loaded scenario's sweep under one of its counterfactuals
   * ({@link LoadedScenario#counterfactuals}): the point's scenario with the counterfactual's fields set too. A null
   * or {@link Counterfactual#FACTUAL} counterfactual is the point itself.
   *
   * @throws IllegalArgumentException for a point or counterfactual that does not exist
   */
  public static LoadedScenario point(LoadedScenario base, int point, String counterfactual) {
    Sweep sweep = base.sweep();
    sweep.coordinates(point); // checks the index
    boolean factual = counterfactual == null || counterfactual.equals(Counterfactual.FACTUAL);
    if (!factual && base.counterfactuals().stream().noneMatch(c -> c.name().equals(counterfactual))) {
      throw new IllegalArgumentException("The scenario has no counterfactual named " + counterfactual + ".");
    }
    if (sweep.isEmpty() && factual) {
      return base.counterfactuals().isEmpty() ? base : new LoadedScenario(base.scenario(), strip(base),
          sha256(strip(base)), Sweep.NONE);
    }
    String source = "the resolved scenario (sweep point " + point + (factual ? "" : ", counterfactual "
        + counterfactual) + ")";
    Template t = template(base);
    ProblemList problems = new ProblemList(t.origins(), List.of());
    CounterfactualReader.Variant variant = factual || t.variants() == null ? null : t.variants().stream()
        .filter(v -> v.name().equals(counterfactual)).findFirst().orElse(null);
    Scenario s = t.dims() == null || (!factual && variant == null) ? null
        : point(t.tree(), t.origins(), problems, t.dims(), sweep.coordinates(point), variant, source);
    if (s == null || !problems.isEmpty()) {
      throw new IllegalStateException("Sweep point " + point + " of a validated scenario does not load (a loader "
          + "bug, please report it): " + problems.sorted());
    }
    String yaml = toYaml(s);
    return new LoadedScenario(s, yaml, sha256(yaml), Sweep.NONE);
  }

  /** The resolved scenario's text without its counterfactuals section (the factual run's scenario). */
  private static String strip(LoadedScenario base) {
    String y = base.resolvedYaml();
    int at = y.indexOf("\n" + CounterfactualReader.SECTION + ":\n");
    return at < 0 ? y : y.substring(0, at + 1);
  }

  /**
   * A resolved scenario's tree without its sweep and counterfactuals, the places in it, the sweep and the
   * counterfactuals: what every point starts from.
   */
  private record Template(ObjectNode tree, Origins origins, List<SweepReader.Dim> dims,
                          List<CounterfactualReader.Variant> variants) {}

  /** Templates of the last few scenarios whose points were asked for, by their resolved text's hash. */
  private static final Map<String, Template> TEMPLATES = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
      return size() > 4;
    }
  };

  /** The template of a loaded scenario; read once, shared read-only by every point (each works on copies). */
  private static Template template(LoadedScenario base) {
    synchronized (TEMPLATES) {
      Template t = TEMPLATES.get(base.sha256());
      if (t != null) {
        return t;
      }
    }
    String source = "the resolved scenario";
    Origins origins = new Origins(source);
    List<Problem> problems = new java.util.ArrayList<>();
    ObjectNode tree = (ObjectNode) YamlReader.read(base.resolvedYaml(), origins, problems, source);
    List<SweepReader.Dim> dims = null;
    List<CounterfactualReader.Variant> variants = null;
    if (tree != null) {
      JsonNode section = tree.remove(SWEEP);
      JsonNode cfSection = tree.remove(CounterfactualReader.SECTION);
      JsonNode shapleySection = tree.remove(CounterfactualReader.SHAPLEY);
      dims = SweepReader.read(section, List.of(), tree, origins, problems);
      variants = CounterfactualReader.readAll(cfSection, shapleySection, List.of(), tree, origins, problems).variants();
    }
    Template t = new Template(tree, origins, problems.isEmpty() ? dims : null, problems.isEmpty() ? variants : null);
    synchronized (TEMPLATES) {
      TEMPLATES.put(base.sha256(), t);
    }
    return t;
  }

  /**
   * The same scenario with another seed (the scenario of a replicate); the scenario itself for its own seed.
   *
   * @throws IllegalArgumentException for a scenario with a sweep: take a point first ({@link #point})
   */
  public static LoadedScenario withSeed(LoadedScenario loaded, long seed) {
    if (!loaded.sweep().isEmpty()) {
      throw new IllegalArgumentException("withSeed takes one point's scenario, not a sweep of "
          + loaded.sweep().points() + " points");
    }
    if (loaded.scenario().seed() == seed) {
      return loaded;
    }
    ObjectNode tree = MAPPER.valueToTree(loaded.scenario());
    tree.put("seed", seed);
    try {
      Scenario s = MAPPER.treeToValue(tree, Scenario.class);
      String yaml = toYaml(s);
      return new LoadedScenario(s, yaml, sha256(yaml), Sweep.NONE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot copy the scenario with seed " + seed + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Passes 3–5 on a tree: its scenario, or null when it cannot be bound (problems are in the list). */
  private static Scenario check(JsonNode tree, Origins origins, ProblemList problems, String sourceName) {
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
      return null;
    }
    // 5. rules across fields
    new SemanticCheck(problems, origins, merged).check(scenario);
    return scenario;
  }

  /**
   * Sets a point's values on a copy of the resolved tree, each at its own place (so a bad value is reported at its
   * line and column in the sweep), checks the copy as a whole and returns its scenario (null if it cannot be
   * bound). The point's problems are added to {@code problems}.
   */
  private static Scenario point(ObjectNode template, Origins origins, ProblemList problems, List<SweepReader.Dim> dims,
                                int[] coordinates, CounterfactualReader.Variant variant, String sourceName) {
    ObjectNode tree = template.deepCopy();
    Origins o = origins.copy();
    ProblemList p = problems.fresh(o);
    for (int d = 0; d < dims.size(); d++) {
      SweepReader.Value v = dims.get(d).values().get(coordinates[d]);
      Overrides.Slot slot = Overrides.resolve(tree, dims.get(d).path(), v.at(), p.raw());
      if (slot != null) {
        Overrides.place(slot, v.node().deepCopy(), v.at(), v.fragment(), o);
      }
    }
    java.util.Set<Origins.Origin> changed = new java.util.HashSet<>();
    if (variant != null) {
      for (CounterfactualReader.Change c : variant.changes()) {
        Overrides.Slot slot = Overrides.resolve(tree, c.path(), c.value().at(), p.raw());
        if (slot != null) {
          Overrides.place(slot, c.value().node().deepCopy(), c.value().at(), c.value().fragment(), o);
        }
        changed.add(c.value().at());
      }
    }
    Scenario s = p.isEmpty() ? check(tree, o, p, sourceName) : null;
    // A problem at a swept value names it by its place; any other (a rule across fields) says which point broke it.
    java.util.Set<Origins.Origin> places = new java.util.HashSet<>();
    for (int d = 0; d < dims.size(); d++) {
      places.add(dims.get(d).values().get(coordinates[d]).at());
    }
    StringBuilder point = new StringBuilder();
    for (int d = 0; d < dims.size(); d++) {
      point.append(d == 0 ? "" : ", ").append(dims.get(d).path()).append('=')
          .append(dims.get(d).values().get(coordinates[d]).text());
    }
    String under = variant == null ? "" : " (in counterfactual " + variant.name() + ": " + variant.description()
        + (dims.isEmpty() ? "" : ", at the sweep's " + point) + ")";
    for (Problem q : p.raw()) {
      Origins.Origin where = new Origins.Origin(q.source(), q.line(), q.column());
      boolean atValue = places.contains(where) && variant == null;
      problems.raw().add(atValue ? q : new Problem(q.source(), q.line(), q.column(), q.path(), q.message()
          + (variant != null ? under : " (with the sweep's " + point + ")")));
    }
    return s;
  }

  /** The tree of a resolved scenario's YAML (every field written out). */
  private static JsonNode resolvedTree(String yaml) {
    List<Problem> ignored = new java.util.ArrayList<>();
    return YamlReader.read(yaml, new Origins("resolved"), ignored, "resolved");
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
