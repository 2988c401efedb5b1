package io.priorflow.engine.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Field paths as printed in problems and written in {@code --set}: keys joined by dots, list indices in brackets,
 * e.g. {@code lineages[0].stages[2].keepFraction}. A user's path may also name a list element by its {@code name}
 * field, {@code lineages[main].stages[distil].temperature} ({@link Overrides#resolve} turns the name into the index);
 * problems print the index form. The root is the empty path.
 */
final class FieldPath {
  private FieldPath() {}

  /** One step of a path: a key, a list index (then key is null), or a list element's name (key null, index −1). */
  record Segment(String key, int index, String name) {
    Segment(String key, int index) {
      this(key, index, null);
    }

    boolean isIndex() {
      return key == null;
    }
  }

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  /** The parent path, or empty for a top-level key; the root has no parent. */
  static Optional<String> parent(String path) {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return Optional.of(cut < 0 ? "" : path.substring(0, cut));
  }

  /** True if {@code path} is {@code ancestor} or lies below it. */
  static boolean within(String path, String ancestor) {
    if (ancestor.isEmpty() || path.equals(ancestor)) {
      return true;
    }
    return path.startsWith(ancestor) && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
  }

  /**
   * Parses a path written by a user ({@code a.b[0].c}); keys are letters, digits, '_' and '-'. Empty when the text
   * is not such a path.
   */
  static Optional<List<Segment>> parse(String text) {
    List<Segment> out = new ArrayList<>();
    int i = 0, n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0 || out.isEmpty()) {
          return Optional.empty();
        }
        String digits = text.substring(i + 1, close);
        if (digits.matches("[a-z][a-z0-9_-]{0,63}")) {
          out.add(new Segment(null, -1, digits)); // an element's name
          i = close + 1;
          continue;
        }
        if (!digits.matches("[0-9]{1,6}")) {
          return Optional.empty();
        }
        out.add(new Segment(null, Integer.parseInt(digits)));
        i = close + 1;
      } else {
        if (c == '.') {
          if (out.isEmpty()) {
            return Optional.empty();
          }
          i++;
        } else if (!out.isEmpty()) {
          return Optional.empty(); // a key must follow a dot
        }
        int start = i;
        while (i < n && isKeyChar(text.charAt(i))) {
          i++;
        }
        if (i == start) {
          return Optional.empty();
        }
        out.add(new Segment(text.substring(start, i), -1));
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }
}
