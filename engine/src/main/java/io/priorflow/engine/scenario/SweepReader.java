package io.priorflow.engine.scenario;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.scenario.Origins.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a sweep: the file's {@code sweep:} section, then the {@code --sweep path=v1,v2,...} arguments (an argument
 * replaces the file's dimension of the same path, or adds one). Checks the form — a mapping of field paths to
 * non-empty lists, paths that name fields (with "did you mean"), no value twice, no path inside another, at most
 * {@link Sweep#MAX_RUNS} points — and keeps, for every value, its node and its place, so that a point's values can be
 * set like {@code --set} overrides and a bad one reported at its own line and column. Whether each point's scenario
 * is valid is {@link ScenarioLoader}'s to check.
 */
final class SweepReader {
  private SweepReader() {}

  /** The most dimensions a sweep may have. */
  static final int MAX_DIMENSIONS = 16;

  /**
   * One value of a dimension.
   *
   * @param node     the value
   * @param fragment the raw texts of its scalars, paths relative to the value
   * @param at       where it was written: its place in the file, or the {@code --sweep} argument
   * @param text     as metrics.csv shows it
   * @param yaml     as the resolved scenario writes it
   */
  record Value(JsonNode node, Origins fragment, Origin at, String text, String yaml) {}

  /**
   * One dimension.
   *
   * @param path   the canonical field path
   * @param values its values, in order
   * @param at     where the path was written
   */
  record Dim(String path, List<Value> values, Origin at) {}

  /**
   * The dimensions of the section (null when the file has none) and the arguments; problems go to {@code out}.
   *
   * @param template a complete scenario tree (the resolved base), on copies of which paths are resolved
   */
  static List<Dim> read(JsonNode section, List<String> args, ObjectNode template, Origins origins,
                        List<Problem> out) {
    List<Dim> dims = new ArrayList<>();
    if (section != null && !section.isNull()) {
      if (!section.isObject()) {
        out.add(origins.at("sweep", false).problem("sweep", "expected a mapping of field paths to lists of values, "
            + "e.g. {actors.critics.temperature: [0.1, 0.5]}, found " + Wording.found(section, origins.rawAt("sweep"))));
      } else {
        for (Map.Entry<String, JsonNode> e : section.properties()) {
          Dim d = fileDimension(e.getKey(), e.getValue(), template, origins, out);
          if (d != null) {
            dims.add(d);
          }
        }
      }
    }
    for (String arg : args) {
      Dim d = argumentDimension(arg, template, out);
      if (d == null) {
        continue;
      }
      int same = -1;
      for (int i = 0; i < dims.size(); i++) {
        if (dims.get(i).path().equals(d.path())) {
          same = i;
        }
      }
      if (same >= 0) {
        dims.set(same, d);
      } else {
        dims.add(d);
      }
    }
    checkDimensions(dims, out);
    return dims;
  }

  /** The public form. */
  static Sweep sweep(List<Dim> dims) {
    return new Sweep(dims.stream().map(d -> new Sweep.Dimension(d.path(),
        d.values().stream().map(Value::text).toList(), d.values().stream().map(Value::yaml).toList())).toList());
  }

  private static Dim fileDimension(String key, JsonNode list, ObjectNode template, Origins origins,
                                   List<Problem> out) {
    String at = FieldPath.child("sweep", key);
    Origin keyAt = origins.at(at, true);
    Overrides.Slot slot = Overrides.resolve(template.deepCopy(), key.strip(), keyAt, out);
    if (slot == null) {
      return null;
    }
    if (!list.isArray() || list.isEmpty()) {
      out.add(origins.at(at, false).problem(slot.path(), "expected a non-empty list of the values to sweep, e.g. "
          + "[0.1, 0.5], found " + Wording.found(list, origins.rawAt(at))));
      return null;
    }
    List<Value> values = new ArrayList<>();
    for (int k = 0; k < list.size(); k++) {
      String p = FieldPath.index(at, k);
      Origins fragment = origins.subtree(p);
      values.add(value(list.get(k), fragment, origins.at(p, false)));
    }
    return checkValues(new Dim(slot.path(), values, keyAt), out);
  }

  private static Dim argumentDimension(String arg, ObjectNode template, List<Problem> out) {
    Origin at = Origin.sweepArgument(arg);
    int eq = arg.indexOf('=');
    if (eq <= 0) {
      out.add(at.problem("", "expected PATH=V1,V2,... with a path like lineages[0].data.freshFraction, found "
          + Wording.quote(arg)));
      return null;
    }
    Overrides.Slot slot = Overrides.resolve(template.deepCopy(), arg.substring(0, eq).strip(), at, out);
    if (slot == null) {
      return null;
    }
    List<String> parts = splitTopLevel(arg.substring(eq + 1));
    List<Value> values = new ArrayList<>();
    for (String part : parts) {
      if (part.isBlank()) {
        out.add(at.problem(slot.path(), "expected values separated by commas, found an empty one"));
        return null;
      }
      Origins fragment = new Origins(at.source());
      JsonNode node = Overrides.valueOf(slot, part.strip(), at, fragment, out);
      if (node == null) {
        return null;
      }
      values.add(value(node, fragment, at));
    }
    return checkValues(new Dim(slot.path(), values, at), out);
  }

  static Value value(JsonNode node, Origins fragment, Origin at) {
    String raw = fragment.rawAt("");
    String text;
    String yaml;
    if (node.isTextual()) {
      text = node.asText();
      yaml = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    } else if (node.isNumber() || node.isBoolean()) {
      text = raw != null ? raw : node.asText();
      yaml = text;
    } else if (node.isNull()) {
      text = "null";
      yaml = "null";
    } else {
      text = node.toString(); // compact JSON, which is YAML flow too
      yaml = text;
    }
    return new Value(node, fragment, at, text, yaml);
  }

  private static Dim checkValues(Dim d, List<Problem> out) {
    Map<String, String> seen = new java.util.HashMap<>();
    boolean ok = true;
    for (Value v : d.values()) {
      String twin = seen.putIfAbsent(sameness(v.node(), v.text()), v.text());
      if (v.text().isEmpty()) {
        out.add(v.at().problem(d.path(), "expected a non-empty value to sweep, found \"\""));
        ok = false;
      } else if (twin != null) {
        out.add(v.at().problem(d.path(), "expected each value once in a sweep, found " + v.text() + " again"
            + (twin.equals(v.text()) ? "" : " (as " + twin + ")")));
        ok = false;
      }
    }
    return ok ? d : null;
  }

  /** Values that set the field alike compare equal: numbers by value (0.1 and 0.10), the rest by text. */
  private static String sameness(JsonNode node, String text) {
    if (node.isNumber() && !(node.isDouble() && !Double.isFinite(node.doubleValue()))) {
      java.math.BigDecimal d = node.decimalValue();
      return "n:" + (d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    }
    return node.getNodeType() + ":" + text;
  }

  private static void checkDimensions(List<Dim> dims, List<Problem> out) {
    for (int j = 0; j < dims.size(); j++) {
      for (int i = 0; i < j; i++) {
        String a = dims.get(i).path();
        String b = dims.get(j).path();
        if (FieldPath.within(a, b) || FieldPath.within(b, a)) {
          out.add(dims.get(j).at().problem(b, a.equals(b) ? "expected each field swept once, found it twice"
              : "expected a field or its parts swept, not both; " + a + " is swept too"));
        }
      }
    }
    if (dims.size() > MAX_DIMENSIONS) {
      out.add(dims.get(MAX_DIMENSIONS).at().problem(dims.get(MAX_DIMENSIONS).path(), "expected at most "
          + MAX_DIMENSIONS + " swept fields, found " + dims.size()));
    }
  }

  /** "p × q × r = n points" for a message. */
  static String count(List<Dim> dims) {
    java.math.BigInteger n = java.math.BigInteger.ONE;
    for (Dim d : dims) {
      n = n.multiply(java.math.BigInteger.valueOf(d.values().size()));
    }
    return dims.stream().map(d -> Integer.toString(d.values().size())).collect(Collectors.joining(" × "))
        + (dims.size() > 1 ? " = " + n : "") + (n.equals(java.math.BigInteger.ONE) ? " point" : " points");
  }

  /** Splits at commas outside brackets, braces and quotes: "[1, 2],3" → "[1, 2]", "3". */
  static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}
