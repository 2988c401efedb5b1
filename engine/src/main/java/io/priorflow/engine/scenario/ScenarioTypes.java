package io.priorflow.engine.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.model.TokenModelConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The shape of the scenario format, read from the record classes by reflection: what kind of value each Java type
 * is in a file, the components of records, the subtypes of a polymorphic interface ({@code kind:}), the file names
 * of enum constants, and each record's defaults as a tree. The validator, the merger, the {@code --set} resolver and
 * the schema generator all read the format from here, so a new field or stage kind needs no change to them.
 */
final class ScenarioTypes {
  private ScenarioTypes() {}

  /** What a Java type is in a file. */
  enum Kind { INT, LONG, NUMBER, BOOLEAN, STRING, ENUM, LIST, MAP, RECORD, POLYMORPHIC }

  private static final Map<Class<?>, Optional<ObjectNode>> DEFAULTS = new ConcurrentHashMap<>();

  static Kind kind(Type type) {
    Class<?> c = raw(type);
    if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
      return Kind.INT;
    }
    if (c == long.class || c == Long.class) {
      return Kind.LONG;
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return Kind.NUMBER;
    }
    if (c == boolean.class || c == Boolean.class) {
      return Kind.BOOLEAN;
    }
    if (c == String.class) {
      return Kind.STRING;
    }
    if (c.isEnum()) {
      return Kind.ENUM;
    }
    if (List.class.isAssignableFrom(c)) {
      return Kind.LIST;
    }
    if (Map.class.isAssignableFrom(c)) {
      return Kind.MAP;
    }
    if (c.isRecord()) {
      return Kind.RECORD;
    }
    if (c.isInterface() && c.isAnnotationPresent(JsonTypeInfo.class)) {
      return Kind.POLYMORPHIC;
    }
    throw new IllegalStateException("the scenario format has no rule for " + type);
  }

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("the scenario format has no rule for " + type);
  }

  /** The element type of a List, or the value type of a Map (keys are strings). */
  static Type element(Type type) {
    Type[] args = ((ParameterizedType) type).getActualTypeArguments();
    return args[args.length - 1];
  }

  // Reflection answers per class, computed once: loading a sweep checks thousands of scenario trees.
  private static final ClassValue<List<RecordComponent>> COMPONENTS = new ClassValue<>() {
    @Override
    protected List<RecordComponent> computeValue(Class<?> c) {
      RecordComponent[] rc = c.getRecordComponents();
      return rc == null ? List.of() : List.of(rc);
    }
  };
  private static final ClassValue<Map<String, Class<?>>> SUBTYPES = new ClassValue<>() {
    @Override
    protected Map<String, Class<?>> computeValue(Class<?> polymorphic) {
      Map<String, Class<?>> out = new LinkedHashMap<>();
      for (JsonSubTypes.Type t : polymorphic.getAnnotation(JsonSubTypes.class).value()) {
        out.put(t.name(), t.value());
      }
      return java.util.Collections.unmodifiableMap(out);
    }
  };
  private static final ClassValue<Optional<Class<?>>> PARENT = new ClassValue<>() {
    @Override
    protected Optional<Class<?>> computeValue(Class<?> record) {
      return Arrays.stream(record.getInterfaces()).filter(i -> i.isAnnotationPresent(JsonTypeInfo.class))
          .findFirst().map(i -> (Class<?>) i);
    }
  };

  static List<RecordComponent> components(Class<?> record) {
    return COMPONENTS.get(record);
  }

  static Optional<RecordComponent> component(Class<?> record, String name) {
    for (RecordComponent c : components(record)) {
      if (c.getName().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The key names of a record as written in files; for a subtype of a polymorphic interface, "kind" first. */
  static List<String> keys(Class<?> record) {
    List<String> names = components(record).stream().map(RecordComponent::getName).toList();
    return polymorphicParent(record).map(p -> Stream.concat(Stream.of(typeKey(p)), names.stream()).toList())
        .orElse(names);
  }

  /** The key that selects the subtype, e.g. "kind". */
  static String typeKey(Class<?> polymorphic) {
    return polymorphic.getAnnotation(JsonTypeInfo.class).property();
  }

  /** Subtypes by name, in the order of {@link JsonSubTypes}. */
  static Map<String, Class<?>> subtypes(Class<?> polymorphic) {
    return SUBTYPES.get(polymorphic);
  }

  /** The polymorphic interface a record implements, if any. */
  static Optional<Class<?>> polymorphicParent(Class<?> record) {
    return PARENT.get(record);
  }

  /** The name of a subtype under its interface, e.g. "filter". */
  static String subtypeName(Class<?> record) {
    Class<?> parent = polymorphicParent(record).orElseThrow();
    return subtypes(parent).entrySet().stream().filter(e -> e.getValue() == record).findFirst().orElseThrow()
        .getKey();
  }

  /** How enum constants are written: their {@link JsonProperty} name, else the lowercase constant name. */
  static List<String> enumNames(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(e -> enumName((Enum<?>) e)).toList();
  }

  static String enumName(Enum<?> e) {
    try {
      JsonProperty p = e.getDeclaringClass().getField(e.name()).getAnnotation(JsonProperty.class);
      return p != null && !p.value().isEmpty() ? p.value() : e.name().toLowerCase(Locale.ROOT);
    } catch (NoSuchFieldException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * The record's defaults ({@code static defaults()}) as a tree, written with the scenario mapper; empty for a record
   * without defaults (its fields then come from the parent's defaults, or are required). A subtype's tree has its kind.
   */
  static Optional<ObjectNode> defaultsTree(Class<?> record) {
    return DEFAULTS.computeIfAbsent(record, c -> {
      try {
        Method m = c.getMethod("defaults");
        if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
          return Optional.empty();
        }
        ObjectNode tree = ScenarioLoader.mapper().valueToTree(m.invoke(null));
        polymorphicParent(c).ifPresent(p -> {
          ObjectNode withKind = tree.objectNode().put(typeKey(p), subtypeName(c));
          withKind.setAll(tree);
          tree.removeAll().setAll(withKind);
        });
        return Optional.of(tree);
      } catch (NoSuchMethodException e) {
        return Optional.empty();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot call " + c.getSimpleName() + ".defaults()", e);
      }
    }).map(ObjectNode::deepCopy);
  }

  /**
   * The defaults a file's mapping of that record starts from: {@link #defaultsTree(Class)}, except that a model spec
   * starts from the defaults of the family it names ({@link ModelSpec#defaults(TokenModelConfig.Family)}).
   */
  static Optional<ObjectNode> defaultsTree(Class<?> record, JsonNode file) {
    JsonNode family = record == ModelSpec.class && file != null ? file.get("family") : null;
    if (family != null && family.isTextual()) {
      for (TokenModelConfig.Family f : TokenModelConfig.Family.values()) {
        if (enumName(f).equals(family.asText())) {
          return Optional.of(ScenarioLoader.mapper().valueToTree(ModelSpec.defaults(f)));
        }
      }
    }
    return defaultsTree(record);
  }

  /** The subtype a mapping selects by its kind key, if the key is there and names one. */
  static Optional<Class<?>> subtypeOf(Class<?> polymorphic, JsonNode node) {
    JsonNode k = node == null ? null : node.get(typeKey(polymorphic));
    return k != null && k.isTextual() ? Optional.ofNullable(subtypes(polymorphic).get(k.asText())) : Optional.empty();
  }
}
