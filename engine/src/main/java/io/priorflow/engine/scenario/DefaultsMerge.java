package io.priorflow.engine.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;

/**
 * Pass 4 of loading: lays a checked file tree over the defaults, so that Jackson binds a complete tree. Mappings
 * merge key by key, at any depth; a record with a static {@code defaults()} starts from those (so each lineage and
 * each stage of a file starts from the lineage's and its kind's defaults); lists replace the default list as a
 * whole; scalars replace.
 */
final class DefaultsMerge {
  private DefaultsMerge() {}

  /** The file node over the default node (either may be null: absent). */
  static JsonNode merge(Type type, JsonNode file, JsonNode dflt) {
    if (file != null && file.isNull()) {
      return file;
    }
    return switch (ScenarioTypes.kind(type)) {
      case RECORD -> mapping(ScenarioTypes.raw(type), file, dflt);
      case POLYMORPHIC -> {
        if (file == null) {
          yield copy(dflt);
        }
        Optional<Class<?>> sub = ScenarioTypes.subtypeOf(ScenarioTypes.raw(type), file);
        yield sub.isPresent() ? mapping(sub.get(), file, null) : file;
      }
      case MAP -> {
        ObjectNode out = dflt != null && dflt.isObject() ? dflt.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (file != null) {
          for (Map.Entry<String, JsonNode> e : file.properties()) {
            out.set(e.getKey(), merge(ScenarioTypes.element(type), e.getValue(), out.get(e.getKey())));
          }
        }
        yield out;
      }
      case LIST -> {
        if (file == null) {
          yield copy(dflt);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode e : file) {
          out.add(merge(ScenarioTypes.element(type), e, null));
        }
        yield out;
      }
      default -> file != null ? file : copy(dflt);
    };
  }

  private static JsonNode mapping(Class<?> record, JsonNode file, JsonNode dflt) {
    JsonNode base = ScenarioTypes.defaultsTree(record, file).map(JsonNode.class::cast).orElse(dflt);
    if (file == null) {
      return copy(base);
    }
    ObjectNode out = base != null && base.isObject() ? base.deepCopy() : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : file.properties()) {
      Optional<RecordComponent> c = ScenarioTypes.component(record, e.getKey());
      out.set(e.getKey(), c.isPresent() ? merge(c.get().getGenericType(), e.getValue(), out.get(e.getKey()))
          : e.getValue()); // the kind key
    }
    return out;
  }

  private static JsonNode copy(JsonNode n) {
    return n == null ? null : n.deepCopy();
  }
}
