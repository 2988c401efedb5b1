package io.priorflow.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code metrics.jsonl}: one JSON object per row of the table, in row order, with the keys of
 * {@link MetricsTable#columns()} in the same order, every key in every object, '\n' after each object and no
 * other whitespace. Written by hand so the bytes are fixed:
 * <pre>
 *   lineage, model           JSON strings
 *   generation, replicate    JSON integers
 *   param.&lt;path&gt;            a JSON number if the value is a JSON number literal, true / false, else a string;
 *                            null if the row has no such parameter
 *   metrics                  numbers as {@link NumberText}; null when the row has no value, and for NaN and ±∞,
 *                            which JSON cannot hold (metrics.csv keeps them apart: "NaN", empty)
 * </pre>
 */
public final class MetricsJsonl {

  /** The file name in a run directory. */
  public static final String FILE_NAME = "metrics.jsonl";

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private MetricsJsonl() {}

  /** The file's text. */
  public static String format(MetricsTable table) {
    StringBuilder out = new StringBuilder();
    for (MetricsRow r : table.rows()) {
      out.append('{');
      key(out, "lineage", true);
      string(out, r.lineage());
      key(out, "generation", false);
      out.append(r.generation());
      key(out, "model", false);
      string(out, r.model());
      key(out, "replicate", false);
      out.append(r.replicate());
      for (String p : table.paramPaths()) {
        key(out, MetricsTable.PARAM_PREFIX + p, false);
        String v = r.params().get(p);
        if (v == null) {
          out.append("null");
        } else if (v.equals("true") || v.equals("false") || JSON_NUMBER.matcher(v).matches()) {
          out.append(v);
        } else {
          string(out, v);
        }
      }
      for (String m : table.metricNames()) {
        key(out, m, false);
        Double v = r.metrics().get(m);
        out.append(v == null || !Double.isFinite(v) ? "null" : NumberText.format(v));
      }
      out.append("}\n");
    }
    return out.toString();
  }

  /** Writes the file (UTF-8). */
  public static void write(MetricsTable table, Path file) throws IOException {
    Files.writeString(file, format(table), StandardCharsets.UTF_8);
  }

  private static void key(StringBuilder out, String k, boolean first) {
    if (!first) {
      out.append(',');
    }
    string(out, k);
    out.append(':');
  }

  /** A JSON string: quote, backslash and control characters escaped (RFC 8259 §7), everything else as is. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
