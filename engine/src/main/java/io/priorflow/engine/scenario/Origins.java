package io.priorflow.engine.scenario;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a scenario tree came from: a line and column of the file, or a {@code --set} argument. Kept
 * beside the tree (path → origin) because Jackson's nodes carry no location. A path with no origin of its own (a
 * default) is reported at its nearest ancestor that has one.
 */
final class Origins {

  /**
   * A place: {@code source:line:column} in a file, or a {@code --set} argument (line 0).
   *
   * @param source the file name, or the argument as given
   * @param line   1-based, or 0 for an argument
   * @param column 1-based, or 0 for an argument
   */
  record Origin(String source, int line, int column) {
    static Origin argument(String arg) {
      return new Origin("--set " + arg, 0, 0);
    }

    /** A {@code --sweep path=v1,v2,...} argument. */
    static Origin sweepArgument(String arg) {
      return new Origin("--sweep " + arg, 0, 0);
    }

    Problem problem(String path, String message) {
      return new Problem(source, line, column, path, message);
    }
  }

  private final Origin root;
  private final Map<String, Origin> values = new HashMap<>(), keys = new HashMap<>();
  private final Map<String, String> raw = new HashMap<>();

  /** Origins of a file, whose root is at 1:1. */
  Origins(String source) {
    this.root = new Origin(source, 1, 1);
  }

  /** An independent copy, for trying changes to a copy of the tree. */
  Origins copy() {
    Origins c = new Origins(root.source());
    c.values.putAll(values);
    c.keys.putAll(keys);
    c.raw.putAll(raw);
    return c;
  }

  /** The raw texts at and below path, with paths relative to it (as {@link #replace} takes a fragment's). */
  Origins subtree(String path) {
    Origins c = new Origins(root.source());
    raw.forEach((p, text) -> {
      if (FieldPath.within(p, path)) {
        c.raw.put(p.substring(path.length()).replaceFirst("^\\.", ""), text);
      }
    });
    return c;
  }

  /** Records where the value at path starts. */
  void value(String path, Origin at) {
    values.put(path, at);
  }

  /** Records where the key naming the value at path is. */
  void key(String path, Origin at) {
    keys.put(path, at);
  }

  /** Records a scalar's text as written, e.g. "1e400" or "0012", for messages and for string fields. */
  void raw(String path, String text) {
    raw.put(path, text);
  }

  /** The scalar text written at exactly this path, or null. */
  String rawAt(String path) {
    return raw.get(path);
  }

  /**
   * The origin to report a problem at path: its key's place if {@code preferKey} (problems about a whole mapping or
   * list, or about a key), else its value's; for a path with no origin, its nearest ancestor's key (or value).
   */
  Origin at(String path, boolean preferKey) {
    String p = path;
    boolean own = true;
    while (true) {
      Origin k = keys.get(p), v = values.get(p);
      Origin pick = (preferKey || !own) ? (k != null ? k : v) : (v != null ? v : k);
      if (pick != null) {
        return pick;
      }
      var parent = FieldPath.parent(p);
      if (parent.isEmpty()) {
        return root;
      }
      p = parent.get();
      own = false;
    }
  }

  /** Replaces every origin at or below path by one argument, and the raw texts below it by the given ones. */
  void replace(String path, Origin argument, Origins fragment) {
    values.keySet().removeIf(p -> FieldPath.within(p, path));
    keys.keySet().removeIf(p -> FieldPath.within(p, path) && !p.equals(path));
    raw.keySet().removeIf(p -> FieldPath.within(p, path));
    values.put(path, argument);
    keys.put(path, argument);
    fragment.raw.forEach((rel, text) -> raw.put(rel.isEmpty() ? path
        : rel.startsWith("[") ? path + rel : FieldPath.child(path, rel), text));
  }
}
