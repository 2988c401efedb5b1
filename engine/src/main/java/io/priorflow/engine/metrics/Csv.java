package io.priorflow.engine.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields and records, with '\n' line ends. A field is quoted only when it must be: when it holds a
 * comma, a double quote, CR or LF (a quote is then doubled). The reader takes '\n' or "\r\n" line ends and
 * quoted fields that span lines. Not a general CSV library: no other separators, no header handling.
 */
final class Csv {

  private Csv() {}

  /** Appends one record and its '\n'. */
  static void appendRecord(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendField(out, fields.get(i));
    }
    out.append('\n');
  }

  static void appendField(StringBuilder out, String field) {
    boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
        || field.indexOf('\r') >= 0;
    if (!quote) {
      out.append(field);
      return;
    }
    out.append('"').append(field.replace("\"", "\"\"")).append('"');
  }

  /**
   * Splits text into records of fields. A final line end is optional; an empty text has no records.
   *
   * @param source names the text in error messages
   * @throws IllegalArgumentException on a quote that is never closed or text right after a closing quote
   */
  static List<List<String>> parse(String text, String source) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int i = 0;
    int n = text.length();
    boolean atRecordStart = true;
    while (i < n) {
      char c = text.charAt(i);
      atRecordStart = false;
      if (c == '"' && field.isEmpty()) {
        int startLine = line;
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException(source + ":" + startLine + ": a quoted field is never closed.");
          }
          char q = text.charAt(i++);
          if (q == '"') {
            if (i < n && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            if (q == '\n') {
              line++;
            }
            field.append(q);
          }
        }
        if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
          throw new IllegalArgumentException(source + ":" + line + ": text after the closing quote of a field.");
        }
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        i++;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n')) {
          throw new IllegalArgumentException(source + ":" + line + ": a bare CR; lines must end with LF or CRLF.");
        }
        i += c == '\r' ? 2 : 1;
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        line++;
        atRecordStart = true;
      } else {
        field.append(c);
        i++;
      }
    }
    if (!atRecordStart) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
