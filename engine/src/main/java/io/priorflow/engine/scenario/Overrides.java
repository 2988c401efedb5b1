package io.priorflow.engine.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.scenario.FieldPath.Segment;
import io.priorflow.engine.scenario.Origins.Origin;
import io.priorflow.engine.scenario.ScenarioTypes.Kind;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pass 2 of loading: {@code --set path=value} arguments, applied in order to the file's tree before it is checked,
 * so an overridden value is validated like a written one. The value is YAML ({@code 3}, {@code high},
 * {@code [64, 64]}, {@code {kind: filter, keepFraction: 0.3}}, empty for null), except that a string field takes
 * the text as it is unless it is quoted. The path must name a field of the format: its keys are checked against the
 * records (with "did you mean"), and where the file does not have a part of the path, that part is taken from the
 * defaults, so {@code lineages[0].generations=3} works on a file without {@code lineages}. An index may be one past
 * the end of a list, to append. A problem here is reported at the argument, not in the file.
 */
final class Overrides {
  private Overrides() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static void apply(ObjectNode root, List<String> args, Origins origins, ProblemList problems) {
    for (String arg : args) {
      apply(root, arg, Origin.argument(arg), origins, problems.raw());
    }
  }

  /** Where a value goes: a key of a mapping or an index of a list (append at size). */
  record Slot(JsonNode container, String key, int index, Type type, String path) {
    void set(JsonNode value) {
      if (container instanceof ObjectNode o) {
        o.set(key, value);
      } else if (index == container.size()) {
        ((ArrayNode) container).add(value);
      } else {
        ((ArrayNode) container).set(index, value);
      }
    }
  }

  private static void apply(ObjectNode root, String arg, Origin at, Origins origins, List<Problem> out) {
    int eq = arg.indexOf('=');
    Optional<List<Segment>> parsed = eq > 0 ? FieldPath.parse(arg.substring(0, eq).strip()) : Optional.empty();
    if (parsed.isEmpty()) {
      out.add(at.problem("", "expected PATH=VALUE with a path like lineages[0].stages[1].samples, found "
          + Wording.quote(eq > 0 ? arg.substring(0, eq) : arg)));
      return;
    }
    Slot slot = resolve(root, parsed.get(), at, out);
    if (slot == null) {
      return;
    }
    Origins fragment = new Origins(at.source());
    JsonNode value = valueOf(slot, arg.substring(eq + 1), at, fragment, out);
    if (value != null) {
      place(slot, value, at, fragment, origins);
    }
  }

  /**
   * The value a text gives the slot, as {@code --set} reads it: YAML, except that a string field takes the text as
   * it is unless it is quoted, and an empty text is null. The raw texts of its YAML scalars go to {@code fragment},
   * with paths relative to the value. Null after reporting a problem.
   */
  static JsonNode valueOf(Slot slot, String text, Origin at, Origins fragment, List<Problem> out) {
    if (ScenarioTypes.kind(slot.type()) == Kind.STRING && !text.startsWith("\"") && !text.startsWith("'")) {
      return NODES.textNode(text);
    }
    if (text.isBlank()) {
      return NODES.nullNode();
    }
    List<Problem> yaml = new ArrayList<>();
    JsonNode value = YamlReader.read(text, fragment, yaml, at.source());
    if (!yaml.isEmpty() || value == null) {
      out.add(at.problem(slot.path(), "expected a YAML value after '=', found "
          + (yaml.isEmpty() ? "nothing" : yaml.get(0).message())));
      return null;
    }
    return value;
  }

  /** Puts the value into its slot; every place at or below the slot becomes {@code at}, raw texts the fragment's. */
  static void place(Slot slot, JsonNode value, Origin at, Origins fragment, Origins origins) {
    slot.set(value);
    origins.replace(slot.path(), at, fragment);
  }

  /**
   * The slot a user's path names in the tree, as {@link #resolve(ObjectNode, List, Origin, List)}; null after
   * reporting a problem (also for a text that is not a path).
   */
  static Slot resolve(ObjectNode root, String pathText, Origin at, List<Problem> out) {
    Optional<List<Segment>> parsed = FieldPath.parse(pathText);
    if (parsed.isEmpty()) {
      out.add(at.problem("", "expected a path like lineages[0].stages[1].samples, found " + Wording.quote(pathText)));
      return null;
    }
    return resolve(root, parsed.get(), at, out);
  }

  /**
   * The index of the element of the list at {@code path} whose {@code name} is {@code name} (an element without a
   * name has its record's default name, e.g. a lineage's "main"); null after reporting a problem.
   */
  private static Segment byName(JsonNode node, Type type, String path, String name, Origin at, List<Problem> out) {
    if (ScenarioTypes.kind(type) != Kind.LIST || !node.isArray()) {
      out.add(at.problem(path, "expected a list of named elements before [" + name + "], found " + path + " ("
          + Wording.expected(type, FieldRules.NONE) + ")"));
      return null;
    }
    Class<?> element = ScenarioTypes.raw(ScenarioTypes.element(type));
    String dflt = ScenarioTypes.defaultsTree(element).map(d -> d.path("name").asText(null)).orElse(null);
    List<String> names = new ArrayList<>();
    int found = -1;
    for (int k = 0; k < node.size(); k++) {
      JsonNode n = node.get(k).get("name");
      String has = n != null && n.isTextual() ? n.asText() : dflt;
      if (has == null) continue;
      names.add(has);
      if (has.equals(name)) {
        if (found >= 0) {
          out.add(at.problem(path, "expected one element named " + Wording.quote(name) + " in " + path + ", found "
              + "two: [" + found + "] and [" + k + "]; give them distinct names or use an index"));
          return null;
        }
        found = k;
      }
    }
    if (found < 0) {
      out.add(at.problem(path, "expected the name of an element of " + path + (names.isEmpty() ? " (none has a "
          + "name; add name: to one, or use an index)" : " (" + String.join(", ", names) + ")") + " or an index, "
          + "found " + Wording.quote(name) + Suggest.hint(name, names)));
      return null;
    }
    return new Segment(null, found);
  }

  /** Walks the path through the tree (taking missing parts from the defaults); null after reporting a problem. */
  static Slot resolve(ObjectNode root, List<Segment> segments, Origin at, List<Problem> out) {
    JsonNode node = root;
    Type type = Scenario.class;
    JsonNode dflt = ScenarioTypes.defaultsTree(Scenario.class).orElseThrow();
    String path = "";
    for (int i = 0; ; i++) {
      Segment s = segments.get(i);
      boolean last = i == segments.size() - 1;
      Kind kind = ScenarioTypes.kind(type);
      if (s.name() != null) {
        s = byName(node, type, path, s.name(), at, out);
        if (s == null) return null;
      }
      Type childType;
      JsonNode childDefault;
      String child = s.isIndex() ? FieldPath.index(path, s.index()) : FieldPath.child(path, s.key());
      if (s.isIndex()) {
        if (kind != Kind.LIST) {
          out.add(at.problem(path, "expected a key after " + path + ", found the index [" + s.index() + "] ("
              + path + " is " + Wording.expected(type, FieldRules.NONE) + ")"));
          return null;
        }
        if (!node.isArray()) {
          out.add(at.problem(path, "expected a list in the file to set [" + s.index() + "] in, found "
              + Wording.found(node, null)));
          return null;
        }
        if (s.index() > node.size()) {
          out.add(at.problem(child, "expected an index in [0, " + node.size() + "] (" + node.size()
              + " to append), found " + s.index()));
          return null;
        }
        childType = ScenarioTypes.element(type);
        childDefault = dflt != null && dflt.isArray() ? dflt.get(s.index()) : null;
      } else {
        String key = s.key();
        if (kind == Kind.RECORD || kind == Kind.POLYMORPHIC) {
          Class<?> record = ScenarioTypes.raw(type);
          if (kind == Kind.POLYMORPHIC) {
            String typeKey = ScenarioTypes.typeKey(record);
            if (key.equals(typeKey) && last && node.isObject()) {
              return new Slot(node, key, -1, String.class, child);
            }
            Optional<Class<?>> sub = ScenarioTypes.subtypeOf(record, node);
            if (sub.isEmpty()) {
              out.add(at.problem(path, "expected " + Wording.expected(type, FieldRules.NONE) + " before its keys, "
                  + "found " + Wording.found(node.get(typeKey), null)));
              return null;
            }
            record = sub.get();
          }
          Optional<RecordComponent> c = ScenarioTypes.component(record, key);
          if (c.isEmpty()) {
            List<String> keys = ScenarioTypes.keys(record);
            out.add(at.problem(child, "unknown key" + Suggest.hint(key, keys) + "; expected one of "
                + String.join(", ", keys)));
            return null;
          }
          childType = c.get().getGenericType();
          JsonNode recordDefault = ScenarioTypes.defaultsTree(record).map(JsonNode.class::cast).orElse(dflt);
          childDefault = recordDefault == null ? null : recordDefault.get(key);
        } else if (kind == Kind.MAP) {
          childType = ScenarioTypes.element(type);
          childDefault = dflt == null ? null : dflt.get(key);
        } else {
          out.add(at.problem(path, "expected no key after " + path + " (it is " + Wording.expected(type,
              FieldRules.NONE) + "), found ." + key));
          return null;
        }
        if (!node.isObject()) {
          out.add(at.problem(path, "expected a mapping in the file to set " + key + " in, found "
              + Wording.found(node, null)));
          return null;
        }
      }
      Slot slot = new Slot(node, s.key(), s.index(), childType, child);
      if (last) {
        return slot;
      }
      JsonNode next = s.isIndex() ? node.get(s.index()) : node.get(s.key());
      if (next == null) {
        next = childDefault != null && childDefault.isContainerNode() ? childDefault.deepCopy()
            : ScenarioTypes.kind(childType) == Kind.LIST ? NODES.arrayNode() : NODES.objectNode();
        slot.set(next);
      }
      node = next;
      type = childType;
      dflt = childDefault;
      path = child;
    }
  }
}
