package io.priorflow.engine.scenario;

/**
 * One problem of a scenario, printed as {@code file:line:column: field.path: message}, e.g.
 * <pre>  tiny.yaml:14:7: lineages[0].stages[2].keepFraction: expected a number in (0, 1], found 1.4</pre>
 * A problem that has no place in the file (an unreadable file, a bad {@code --set}) has line 0 and prints without
 * line and column: {@code tiny.yaml: cannot read: no such file}, {@code --set seed=x: seed: expected …}.
 *
 * @param source  the file name as given, or the {@code --set path=value} argument
 * @param line    1-based line, or 0 when the problem has no place in a file
 * @param column  1-based column, or 0
 * @param path    the field path ({@code lineages[0].generations}), or empty for the file as a whole
 * @param message what was expected and what was found
 */
public record Problem(String source, int line, int column, String path, String message) {

  /** Keeps each problem on one line: line breaks and other control characters in the texts are escaped. */
  public Problem {
    source = oneLine(source);
    path = oneLine(path);
    message = oneLine(message);
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return source + (line > 0 ? ":" + line + ":" + column : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
