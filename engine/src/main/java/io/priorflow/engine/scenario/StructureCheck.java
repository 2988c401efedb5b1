package io.priorflow.engine.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.scenario.ScenarioTypes.Kind;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pass 3 of loading: walks the tree against the record classes and reports every problem of form — unknown keys
 * (with "did you mean"), wrong types, enum values, integers that are not whole or overflow, numbers out of their
 * {@link Rules.Range}, sizes, patterns, a missing or unknown stage kind. It returns a clean tree for Jackson to bind:
 * numbers normalised to their field's type, strings taken from any scalar as written (so {@code name: 2024} is
 * "2024"), and every unusable value left out, so that the default takes its place and later passes can go on.
 * Out-of-range values stay (they bind), their problem is already reported.
 */
final class StructureCheck {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private final Origins origins;
  private final ProblemList problems;

  StructureCheck(Origins origins, ProblemList problems) {
    this.origins = origins;
    this.problems = problems;
  }

  /** The checked node, or null when it cannot be used (its problem is reported). */
  JsonNode check(JsonNode node, Type type, FieldRules rules, String path) {
    if (node.isNull()) {
      if (rules.nullable()) {
        return node;
      }
      return fail(path, false, type, rules, node);
    }
    return switch (ScenarioTypes.kind(type)) {
      case RECORD -> record(node, ScenarioTypes.raw(type), path, null);
      case POLYMORPHIC -> polymorphic(node, type, rules, path);
      case LIST -> list(node, type, rules, path);
      case MAP -> map(node, type, rules, path);
      case ENUM -> enumValue(node, type, rules, path);
      case STRING -> string(node, type, rules, path);
      case BOOLEAN -> node.isBoolean() ? node : fail(path, false, type, rules, node);
      case INT -> integer(node, type, rules, path, BigInteger.valueOf(Integer.MIN_VALUE),
          BigInteger.valueOf(Integer.MAX_VALUE));
      case LONG -> integer(node, type, rules, path, BigInteger.valueOf(Long.MIN_VALUE),
          BigInteger.valueOf(Long.MAX_VALUE));
      case NUMBER -> number(node, type, rules, path);
    };
  }

  private JsonNode fail(String path, boolean atKey, Type type, FieldRules rules, JsonNode node) {
    problems.add(path, atKey, "expected " + Wording.expected(type, rules) + ", found " + found(node, path));
    return null;
  }

  private String found(JsonNode node, String path) {
    return Wording.found(node, origins.rawAt(path));
  }

  private JsonNode record(JsonNode node, Class<?> record, String path, String kind) {
    if (!node.isObject()) {
      return fail(path, false, record, FieldRules.NONE, node);
    }
    ObjectNode out = NODES.objectNode();
    List<String> keys = ScenarioTypes.keys(record);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey(), child = FieldPath.child(path, key);
      if (kind != null && key.equals(keys.get(0))) {
        out.put(key, kind);
        continue;
      }
      RecordComponent c = ScenarioTypes.component(record, key).orElse(null);
      if (c == null) {
        // the sweep, counterfactuals and shapley sections are read apart from the records (ScenarioLoader), but
        // belong to the top level's keys
        List<String> known = record == Scenario.class ? java.util.stream.Stream.concat(keys.stream(),
            java.util.stream.Stream.of(ScenarioLoader.SWEEP, CounterfactualReader.SECTION,
                CounterfactualReader.SHAPLEY)).toList() : keys;
        problems.add(child, true, "unknown key" + Suggest.hint(key, known) + "; expected one of "
            + String.join(", ", known) + otherKinds(record, key));
        continue;
      }
      JsonNode v = check(e.getValue(), c.getGenericType(), FieldRules.of(record, c), child);
      if (v != null) {
        out.set(key, v);
      }
    }
    for (RecordComponent c : ScenarioTypes.components(record)) {
      FieldRules rules = FieldRules.of(record, c);
      if (rules.required() && !node.has(c.getName())) {
        String child = FieldPath.child(path, c.getName());
        problems.add(child, true, "expected " + Wording.expected(c.getGenericType(), rules) + ", found nothing");
      }
    }
    return out;
  }

  /** " (keepFraction is a key of kind filter)" when another subtype has the key, else "". */
  private static String otherKinds(Class<?> record, String key) {
    return ScenarioTypes.polymorphicParent(record).map(p -> {
      List<String> kinds = ScenarioTypes.subtypes(p).entrySet().stream()
          .filter(e -> e.getValue() != record && ScenarioTypes.component(e.getValue(), key).isPresent())
          .map(Map.Entry::getKey).toList();
      return kinds.isEmpty() ? "" : " (" + key + " is a key of " + ScenarioTypes.typeKey(p) + " "
          + String.join(", ", kinds) + ")";
    }).orElse("");
  }

  private JsonNode polymorphic(JsonNode node, Type type, FieldRules rules, String path) {
    Class<?> iface = ScenarioTypes.raw(type);
    if (!node.isObject()) {
      return fail(path, false, type, rules, node);
    }
    String key = ScenarioTypes.typeKey(iface), child = FieldPath.child(path, key);
    Map<String, Class<?>> subtypes = ScenarioTypes.subtypes(iface);
    JsonNode k = node.get(key);
    String kinds = String.join(", ", subtypes.keySet());
    if (k == null) {
      problems.add(child, true, "expected one of " + kinds + ", found nothing (every " + noun(iface)
          + " needs a " + key + ")");
      return null;
    }
    Class<?> sub = k.isTextual() ? subtypes.get(k.asText()) : null;
    if (sub == null) {
      String hint = k.isTextual() ? Suggest.hint(k.asText(), subtypes.keySet()) : "";
      problems.add(child, false, "expected one of " + kinds + ", found " + found(k, child) + hint);
      return null;
    }
    return record(node, sub, path, k.asText());
  }

  /** "stage" for StageSpec, "analytic" for AnalyticSpec. */
  private static String noun(Class<?> iface) {
    String n = iface.getSimpleName().replace("Spec", "");
    return n.substring(0, 1).toLowerCase(Locale.ROOT) + n.substring(1);
  }

  private JsonNode list(JsonNode node, Type type, FieldRules rules, String path) {
    if (!node.isArray()) {
      return fail(path, false, type, rules, node);
    }
    if (rules.size() != null && !rules.size().contains(node.size())) {
      problems.add(path, true, "expected a list of " + Wording.lengths(rules.size(), "item", "items") + ", found "
          + (node.isEmpty() ? "an empty list" : node.size() + " items"));
    }
    ArrayNode out = NODES.arrayNode();
    boolean usable = true;
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = check(node.get(i), ScenarioTypes.element(type), rules.elements(), FieldPath.index(path, i));
      usable &= v != null;
      out.add(v);
    }
    if (!usable) {
      problems.markBad(path); // the whole list falls back to its default: indices must not shift
      return null;
    }
    return out;
  }

  private JsonNode map(JsonNode node, Type type, FieldRules rules, String path) {
    if (!node.isObject()) {
      return fail(path, false, type, rules, node);
    }
    if (rules.size() != null && !rules.size().contains(node.size())) {
      problems.add(path, true, "expected a mapping of " + Wording.lengths(rules.size(), "entry", "entries")
          + ", found " + node.size());
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = check(e.getValue(), ScenarioTypes.element(type), rules.elements(),
          FieldPath.child(path, e.getKey()));
      if (v != null) {
        out.set(e.getKey(), v);
      }
    }
    return out;
  }

  private JsonNode enumValue(JsonNode node, Type type, FieldRules rules, String path) {
    List<String> names = ScenarioTypes.enumNames(ScenarioTypes.raw(type));
    if (node.isTextual() && names.contains(node.asText())) {
      return node;
    }
    String hint = node.isTextual() ? Suggest.hint(node.asText(), names) : "";
    if (ScenarioTypes.raw(type) == TrainStage.Method.class && node.isTextual()
        && ScenarioTypes.enumNames(TrainStage.Algorithm.class).contains(node.asText())) {
      hint = " (" + node.asText() + " is an algorithm of method rlhf: method: rlhf, algorithm: " + node.asText() + ")";
    }
    problems.add(path, false, "expected " + Wording.expected(type, rules) + ", found " + found(node, path) + hint);
    return null;
  }

  private JsonNode string(JsonNode node, Type type, FieldRules rules, String path) {
    if (node.isContainerNode()) {
      return fail(path, false, type, rules, node);
    }
    String raw = origins.rawAt(path);
    String s = node.isTextual() || raw == null ? node.asText() : raw;
    boolean sizeOk = rules.size() == null || rules.size().contains(s.length());
    boolean patternOk = rules.pattern() == null || s.matches(rules.pattern());
    if (!sizeOk || !patternOk) {
      problems.add(path, false, "expected " + Wording.expected(type, rules) + ", found " + Wording.quote(s));
    }
    return NODES.textNode(s);
  }

  private JsonNode integer(JsonNode node, Type type, FieldRules rules, String path, BigInteger min, BigInteger max) {
    BigInteger v = wholeNumber(node);
    if (v == null) {
      return fail(path, false, type, rules, node);
    }
    boolean fits = v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
    if (!fits && rules.range() == null) {
      problems.add(path, false, "expected an integer in [" + min + ", " + max + "], found " + found(node, path));
      return null;
    }
    if (!fits || rules.range() != null && !rules.range().contains(v.doubleValue())) {
      problems.add(path, false, "expected " + Wording.expected(type, rules) + ", found " + found(node, path));
      if (!fits) {
        return null;
      }
    }
    return ScenarioTypes.kind(type) == Kind.INT ? NODES.numberNode(v.intValue()) : NODES.numberNode(v.longValue());
  }

  /** The value of an integral number (3, 3.0, 1e6), or null for 3.5, .nan, a string. */
  private static BigInteger wholeNumber(JsonNode node) {
    if (!node.isNumber()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue();
    }
    if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      return null;
    }
    BigDecimal d = node.decimalValue();
    if (d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.TEN)) > 0) {
      return null; // 1e400 is not worth a 400-digit integer; reported as "expected an integer"
    }
    try {
      return d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private JsonNode number(JsonNode node, Type type, FieldRules rules, String path) {
    if (!node.isNumber()) {
      return fail(path, false, type, rules, node);
    }
    double v = node.doubleValue();
    if (rules.range() != null ? !rules.range().contains(v) : !Double.isFinite(v)) {
      problems.add(path, false, "expected " + (rules.range() != null ? Wording.expected(type, rules)
          : "a finite number") + ", found " + found(node, path));
    }
    return NODES.numberNode(v);
  }
}
