package io.priorflow.engine.scenario;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Type;

/** The words of problems: what a field expects ("an integer in [1, 1000]") and what a file holds ("\"abc\""). */
final class Wording {
  private Wording() {}

  /** What a value of this type and these rules is, e.g. "a number in (0, 1]" or "one of replace, accumulate". */
  static String expected(Type type, FieldRules rules) {
    return expectedValue(type, rules) + (rules.nullable() ? " or null" : "");
  }

  private static String expectedValue(Type type, FieldRules rules) {
    return switch (ScenarioTypes.kind(type)) {
      case INT, LONG -> "an integer" + (rules.range() != null ? " in " + rules.range() : "");
      case NUMBER -> "a number" + (rules.range() != null ? " in " + rules.range() : "");
      case BOOLEAN -> "true or false";
      case STRING -> "a string" + (rules.pattern() != null ? " matching " + rules.pattern() : "")
          + (rules.size() != null ? " of " + lengths(rules.size(), "character", "characters") : "");
      case ENUM -> "one of " + String.join(", ", ScenarioTypes.enumNames(ScenarioTypes.raw(type)));
      case LIST -> "a list" + (rules.size() != null ? " of " + lengths(rules.size(), "item", "items") : "");
      case MAP, RECORD -> "a mapping";
      case POLYMORPHIC -> "a mapping with a " + ScenarioTypes.typeKey(ScenarioTypes.raw(type)) + " (one of "
          + String.join(", ", ScenarioTypes.subtypes(ScenarioTypes.raw(type)).keySet()) + ")";
    };
  }

  /** "1 to 64 items", "at most 10000 characters", "at least 1 item". */
  static String lengths(FieldRules.Bounds size, String unit, String units) {
    long min = (long) size.min(), max = (long) size.max();
    if (min <= 0) {
      return "at most " + max + " " + (max == 1 ? unit : units);
    }
    if (max >= Integer.MAX_VALUE) {
      return "at least " + min + " " + (min == 1 ? unit : units);
    }
    return min + " to " + max + " " + units;
  }

  /**
   * A value as found in a file: strings quoted, numbers as written (raw, when known), ".nan", "null", "a mapping",
   * "a list", "an empty list"; long strings are cut at 60 characters.
   */
  static String found(JsonNode node, String raw) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isObject()) {
      return node.isEmpty() ? "an empty mapping" : "a mapping";
    }
    if (node.isArray()) {
      return node.isEmpty() ? "an empty list" : "a list";
    }
    if (node.isNull()) {
      return raw == null || raw.isEmpty() ? "null (an empty value)" : "null";
    }
    if (node.isTextual()) {
      return quote(node.asText());
    }
    if (raw != null && node.isNumber() || raw != null && node.isBoolean()) {
      return raw;
    }
    if (node.isDouble() || node.isFloat()) {
      return FieldRules.number(node.doubleValue());
    }
    return node.asText();
  }

  /** A JSON-quoted string, cut at 60 characters. */
  static String quote(String s) {
    String cut = s.length() > 60 ? s.substring(0, 57) + "..." : s;
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(cut)) + "\"";
  }
}
