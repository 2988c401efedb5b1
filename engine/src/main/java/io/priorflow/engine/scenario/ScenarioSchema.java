package io.priorflow.engine.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Schema (draft 2020-12) of scenario files, generated from the records: types, enums, the stage kinds,
 * bounds from {@link Rules} and {@link FieldRules}, defaults. Editors that read it (a YAML language server, with
 * {@code # yaml-language-server: $schema=scenario.schema.json} at the top of a file) complete keys and flag bad
 * values as you type. The loader stays the authority: rules across fields are not in the schema.
 *
 * <p>The committed copy is {@code scenarios/scenario.schema.json}; {@code ScenarioSchemaTest} fails when it differs
 * from what this class generates. Regenerate it with
 * {@code mvn -pl engine -am test -Dtest=ScenarioSchemaTest -Dpf.updateSchema=true
 * -Dsurefire.failIfNoSpecifiedTests=false}, or by running {@link #main} with the file's path.
 */
public final class ScenarioSchema {
  private ScenarioSchema() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String DEFS = "#/$defs/";

  /** Writes the schema to the path given (default {@code scenarios/scenario.schema.json}). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "scenarios/scenario.schema.json");
    Files.writeString(out, text(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The schema as JSON text: two-space indents, "\n" line ends, a final newline; stable across runs. */
  public static String text() {
    DefaultIndenter indent = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(indent);
    try {
      return new ObjectMapper().writer(pretty).writeValueAsString(generate()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The schema as a tree. */
  public static ObjectNode generate() {
    Map<String, ObjectNode> defs = new TreeMap<>();
    ObjectNode root = NODES.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", "scenario.schema.json");
    root.put("title", "priorflow scenario");
    root.put("description", "A priorflow scenario file. Every field has a default; write only what you change. "
        + "Generated from the records of io.priorflow.engine.scenario by ScenarioSchema; do not edit.");
    root.setAll(record(Scenario.class, defs));
    ObjectNode sweep = ((ObjectNode) root.get("properties")).putObject(ScenarioLoader.SWEEP);
    sweep.put("description", "A grid of runs: field path (as in --set) -> the values it takes; every combination "
        + "is a sweep point, and each point runs every replicate. At most " + Sweep.MAX_RUNS + " runs.");
    sweep.put("type", "object");
    String key = "[A-Za-z0-9_-]+(\\[[0-9]+\\])*";
    sweep.putObject("propertyNames").put("pattern", "^" + key + "(\\." + key + ")*$");
    sweep.putObject("additionalProperties").put("type", "array").put("minItems", 1);
    ObjectNode cf = ((ObjectNode) root.get("properties")).putObject(CounterfactualReader.SECTION);
    cf.put("description", "Interventions to run beside the scenario with the same seeds (counterfactual "
        + "attribution; attribution.csv gives each one's paired effect): {remove: human-<i> | critic | red_teamers | "
        + "fresh_data}, {drop: lineages[<i>].stages[<j>]}, "
        + "{neutralise: human-<i>.biases | human-<i>.accuracy | humans.biases | critic.temperature | ...}, or "
        + "{name: x, set: {path: value}}. At most " + Counterfactual.MAX + ".");
    cf.put("type", "array");
    cf.put("maxItems", Counterfactual.MAX);
    ObjectNode item = cf.putObject("items");
    item.put("type", "object");
    item.put("additionalProperties", false);
    ObjectNode props = item.putObject("properties");
    props.putObject("name").put("type", "string").put("pattern", "^[a-z0-9_.-]{1,256}$")
        .put("description", "Names the counterfactual in metrics.csv and attribution.csv; required with set.");
    props.putObject("description").put("type", "string").put("description", "The intervention in words.");
    props.putObject("remove").put("type", "string")
        .put("pattern", "^(human-(0|[1-9][0-9]*)|critic|red_teamers|fresh_data)$")
        .put("description", "A source removed: a labeller (its items stay unlabelled), the critic (its stages "
            + "switched off), the red teamers (their stages switched off) or fresh world data.");
    props.putObject("drop").put("type", "string").put("pattern", "^lineages\\[[0-9]+\\]\\.stages\\[[0-9]+\\]$")
        .put("description", "A stage switched off (its until set to 0).");
    props.putObject("neutralise").put("type", "string")
        .put("pattern", "^((human-(0|[1-9][0-9]*)|humans)\\.(biases|accuracy|anchoring|fatigue)|critic\\.temperature)$")
        .put("description", "A parameter set to its neutral value: biases {}, accuracy 1, anchoring 0, fatigue 0, "
            + "the critic's temperature 0.");
    props.putObject("set").put("type", "object").put("minProperties", 1)
        .put("description", "Field path (as in --set) -> value.");
    var oneOf = item.putArray("oneOf");
    for (String form : List.of("remove", "neutralise", "drop", "set")) {
      oneOf.addObject().putArray("required").add(form);
    }
    ObjectNode shapley = ((ObjectNode) root.get("properties")).putObject(CounterfactualReader.SHAPLEY);
    shapley.put("description", "Players of a Shapley attribution (shapley.csv): 2 to "
        + CounterfactualReader.MAX_PLAYERS + " interventions in the forms of counterfactuals, or names of "
        + "counterfactuals; every combination of them is run.");
    shapley.put("type", "array");
    shapley.put("minItems", 2);
    shapley.put("maxItems", CounterfactualReader.MAX_PLAYERS);
    shapley.putObject("items").putArray("anyOf").add(NODES.objectNode().put("type", "string"))
        .add(item.deepCopy());
    ObjectNode d = root.putObject("$defs");
    defs.forEach(d::set);
    return root;
  }

  /** "Scenario", "TagProfile", "AnalyticSpec.Gaussian". */
  static String defName(Class<?> c) {
    String n = c.getName();
    return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
  }

  private static ObjectNode record(Class<?> record, Map<String, ObjectNode> defs) {
    ObjectNode s = NODES.objectNode();
    s.put("type", "object");
    ObjectNode props = s.putObject("properties");
    ArrayNode required = NODES.arrayNode();
    JsonNode defaults = ScenarioTypes.defaultsTree(record).orElse(null);
    ScenarioTypes.polymorphicParent(record).ifPresent(p -> {
      props.putObject(ScenarioTypes.typeKey(p)).put("const", ScenarioTypes.subtypeName(record))
          .put("description", "Which " + ScenarioTypes.typeKey(p) + " this is: " + ScenarioTypes.subtypeName(record)
              + ".");
      required.add(ScenarioTypes.typeKey(p));
    });
    Map<String, String> docs = ParamDocs.of(record);
    if (!s.has("description")) {
      String what = ParamDocs.classDoc(record);
      if (!what.isEmpty()) {
        s.put("description", what);
      }
    }
    for (RecordComponent c : ScenarioTypes.components(record)) {
      FieldRules rules = FieldRules.of(record, c);
      ObjectNode field = schema(c.getGenericType(), rules, defs);
      JsonNode dflt = defaults == null ? null : defaults.get(c.getName());
      if (dflt != null && (dflt.isValueNode() || dflt.isArray() && dflt.size() <= 8 && !dflt.isEmpty()
          && dflt.get(0).isValueNode())) {
        field.set("default", dflt);
      }
      String doc = docs.get(c.getName());
      if (doc != null && !doc.isEmpty()) {
        field.put("description", doc);
      }
      props.set(c.getName(), field);
      if (rules.required()) {
        required.add(c.getName());
      }
    }
    if (!required.isEmpty()) {
      s.set("required", required);
    }
    s.put("additionalProperties", false);
    return s;
  }

  private static ObjectNode schema(Type type, FieldRules rules, Map<String, ObjectNode> defs) {
    ObjectNode s = NODES.objectNode();
    switch (ScenarioTypes.kind(type)) {
      case INT, LONG -> {
        s.put("type", "integer");
        bounds(s, rules);
      }
      case NUMBER -> {
        s.put("type", "number");
        bounds(s, rules);
      }
      case BOOLEAN -> s.put("type", "boolean");
      case STRING -> {
        s.put("type", "string");
        if (rules.size() != null) {
          s.put("minLength", (long) rules.size().min()).put("maxLength", (long) rules.size().max());
        }
        if (rules.pattern() != null) {
          s.put("pattern", "^(" + rules.pattern() + ")$");
        }
      }
      case ENUM -> {
        ArrayNode values = s.putArray("enum");
        ScenarioTypes.enumNames(ScenarioTypes.raw(type)).forEach(values::add);
      }
      case LIST -> {
        s.put("type", "array");
        s.set("items", schema(ScenarioTypes.element(type), rules.elements(), defs));
        if (rules.size() != null) {
          s.put("minItems", (long) rules.size().min());
          if (rules.size().max() < Integer.MAX_VALUE) {
            s.put("maxItems", (long) rules.size().max());
          }
        }
      }
      case MAP -> {
        s.put("type", "object");
        s.set("additionalProperties", schema(ScenarioTypes.element(type), rules.elements(), defs));
        if (rules.size() != null) {
          s.put("maxProperties", (long) rules.size().max());
        }
      }
      case RECORD -> {
        Class<?> c = ScenarioTypes.raw(type);
        if (!defs.containsKey(defName(c))) {
          defs.put(defName(c), NODES.objectNode()); // placeholder: records may nest
          defs.put(defName(c), record(c, defs));
        }
        s.put("$ref", DEFS + defName(c));
      }
      case POLYMORPHIC -> {
        Class<?> iface = ScenarioTypes.raw(type);
        if (!defs.containsKey(defName(iface))) {
          ObjectNode poly = NODES.objectNode();
          defs.put(defName(iface), poly);
          poly.put("type", "object");
          String key = ScenarioTypes.typeKey(iface);
          ObjectNode keyField = poly.putObject("properties").putObject(key);
          keyField.put("description", "Which kind of " + defName(iface) + " this is; the other fields are that "
              + "kind's.");
          ArrayNode kinds = keyField.putArray("enum");
          poly.putArray("required").add(key);
          // One branch per kind, chosen by the key (if/then), not oneOf: an editor then checks the object against
          // its kind's schema alone and names the field that is wrong, instead of "not valid under any of the
          // given schemas".
          ArrayNode branches = poly.putArray("allOf");
          for (Map.Entry<String, Class<?>> e : ScenarioTypes.subtypes(iface).entrySet()) {
            kinds.add(e.getKey());
            ObjectNode branch = branches.addObject();
            ObjectNode when = branch.putObject("if");
            when.putObject("properties").putObject(key).put("const", e.getKey());
            when.putArray("required").add(key);
            branch.putObject("then").put("$ref", DEFS + defName(e.getValue()));
            defs.put(defName(e.getValue()), record(e.getValue(), defs));
          }
        }
        s.put("$ref", DEFS + defName(iface));
      }
    }
    if (rules.nullable()) {
      ObjectNode any = NODES.objectNode();
      ArrayNode options = any.putArray("anyOf");
      options.add(s);
      options.addObject().put("type", "null");
      return any;
    }
    return s;
  }

  private static void bounds(ObjectNode s, FieldRules rules) {
    FieldRules.Bounds b = rules.range();
    if (b == null) {
      return;
    }
    s.set(b.minOpen() ? "exclusiveMinimum" : "minimum", number(b.min()));
    s.set(b.maxOpen() ? "exclusiveMaximum" : "maximum", number(b.max()));
  }

  private static JsonNode number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? NODES.numberNode((long) v) : NODES.numberNode(v);
  }
}
