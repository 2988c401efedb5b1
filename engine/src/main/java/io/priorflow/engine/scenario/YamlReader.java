package io.priorflow.engine.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.priorflow.engine.scenario.Origins.Origin;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Pass 1 of loading: YAML text to a Jackson tree, with the line and column of every key and value kept in
 * {@link Origins}. Reads with the Jackson YAML streaming parser (SnakeYAML below it) and builds the tree itself, so
 * that it can find what a tree reader hides or rejects with one exception: duplicate keys (every one is reported),
 * aliases, runaway nesting, a second document. Scalars follow YAML 1.2: only {@code true}/{@code false} are
 * booleans ({@code yes}, {@code on} stay strings), numbers are decimal ({@code 012} is 12), {@code 1_000} is 1000,
 * and {@code .inf}, {@code -.inf}, {@code .nan} are read (for the range checks to reject them by name).
 */
final class YamlReader {
  private YamlReader() {}

  /** Deeper than any scenario (about 6 levels); stops a pathological file before it costs stack or memory. */
  static final int MAX_DEPTH = 32;

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .loaderOptions(loaderOptions())
      .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // a plain empty value is null; "" stays a string
      .build();

  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setNestingDepthLimit(MAX_DEPTH + 8);
    return o;
  }

  /**
   * The tree of a whole text, or null when the text cannot be read at all (the problem is then in
   * {@code problems}). Problems that leave a usable tree (duplicate keys, aliases) are added and the tree returned.
   */
  static JsonNode read(String text, Origins origins, List<Problem> problems, String source) {
    Problem bad = badCharacter(text, source);
    if (bad != null) {
      problems.add(bad);
      return null;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null; // the caller reports an empty document
      }
      JsonNode root = value(p, first, "", 0, origins, problems, source);
      JsonToken more = p.nextToken();
      if (more != null) {
        JsonLocation at = p.currentTokenLocation();
        problems.add(new Problem(source, at.getLineNr(), at.getColumnNr(), "",
            "expected one YAML document, found a second one (remove the '---' or split the file)"));
      }
      return root;
    } catch (StreamReadException e) {
      problems.add(syntax(e, source));
      return null;
    } catch (IOException e) {
      problems.add(new Problem(source, 1, 1, "", "cannot read YAML: " + e.getMessage()));
      return null;
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t, String path, int depth, Origins origins,
      List<Problem> problems, String source) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    Origin here = new Origin(source, at.getLineNr(), at.getColumnNr());
    origins.value(path, here);
    if (depth > MAX_DEPTH && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
      problems.add(here.problem(path, "expected at most " + MAX_DEPTH + " levels of nesting, found more"));
      p.skipChildren();
      return NODES.nullNode();
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode obj = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          JsonLocation kl = p.currentTokenLocation();
          Origin keyAt = new Origin(source, kl.getLineNr(), kl.getColumnNr());
          String child = FieldPath.child(path, key);
          if (obj.has(key)) {
            Origin first = origins.at(child, true);
            problems.add(keyAt.problem(child, "duplicate key (first given at line " + first.line() + ", column "
                + first.column() + "); a key may appear once in a mapping"));
          }
          origins.key(child, keyAt);
          JsonNode v = value(p, p.nextToken(), child, depth + 1, origins, problems, source);
          if (v != null) {
            obj.set(key, v);
          }
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          JsonNode v = value(p, e, FieldPath.index(path, arr.size()), depth + 1, origins, problems, source);
          arr.add(v != null ? v : NODES.nullNode());
        }
        return arr;
      }
      default -> {
        String text = p.getText();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
          problems.add(here.problem(path, "expected a value, found the alias *" + text
              + " (anchors and aliases are not supported; write the value out)"));
          return null;
        }
        origins.raw(path, text);
        return switch (t) {
          case VALUE_NULL -> NODES.nullNode();
          case VALUE_TRUE -> NODES.booleanNode(true);
          case VALUE_FALSE -> NODES.booleanNode(false);
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p, text);
          default -> NODES.textNode(text);
        };
      }
    }
  }

  /** A number node of the text: exact integers of any size, doubles (±.inf, .nan too); else the text itself. */
  private static JsonNode number(JsonParser p, String text) {
    String s = text.replace("_", "");
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals(".nan")) {
      return NODES.numberNode(Double.NaN);
    }
    if (lower.equals(".inf") || lower.equals("+.inf") || lower.equals("-.inf")) {
      return NODES.numberNode(lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (DECIMAL_INT.matcher(s).matches()) {
      BigInteger v = new BigInteger(s);
      return v.bitLength() < 32 ? NODES.numberNode(v.intValue())
          : v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
    }
    if (DECIMAL.matcher(s).matches()) {
      try {
        return NODES.numberNode(new BigDecimal(s));
      } catch (NumberFormatException e) {
        return NODES.numberNode(Double.parseDouble(s)); // an exponent beyond BigDecimal's: ±Infinity or 0
      }
    }
    try {
      return NODES.numberNode(new BigInteger(p.getNumberValue().toString())); // 0x1F, 0o17 and the like
    } catch (IOException | NumberFormatException e) {
      return NODES.textNode(text);
    }
  }

  /** A problem at the parser's place, in SnakeYAML's words without its source excerpt. */
  private static Problem syntax(StreamReadException e, String source) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        String context = m.getContext() == null ? ""
            : " (" + m.getContext() + (m.getContextMark() != null
                ? " started at line " + (m.getContextMark().getLine() + 1) + ", column "
                    + (m.getContextMark().getColumn() + 1) : "") + ")";
        return new Problem(source, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1, "",
            "invalid YAML: " + m.getProblem().replaceAll("\\s+", " ").strip() + context);
      }
    }
    JsonLocation at = e.getLocation();
    return new Problem(source, at == null ? 1 : Math.max(1, at.getLineNr()),
        at == null ? 1 : Math.max(1, at.getColumnNr()), "", "invalid YAML: " + e.getOriginalMessage());
  }

  /**
   * The first character YAML does not allow in a file (C0 and C1 controls other than tab, newline, carriage return
   * and NEL; U+FFFE, U+FFFF), as a problem at its place; null if there is none.
   */
  static Problem badCharacter(String text, String source) {
    int line = 1, col = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F && c != 0x85
          || c == 0xFFFE || c == 0xFFFF;
      if (bad) {
        return new Problem(source, line, col, "", String.format(Locale.ROOT,
            "expected YAML text, found the control character U+%04X (is this a binary file?)", (int) c));
      }
      if (c == '\n') {
        line++;
        col = 1;
      } else if (!Character.isLowSurrogate(c)) {
        col++;
      }
    }
    return null;
  }
}
