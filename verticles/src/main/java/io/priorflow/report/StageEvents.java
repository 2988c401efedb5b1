package io.priorflow.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lines of {@code events.jsonl}, one completed stage each, as a table. The line format is still growing, so
 * nothing is bound to a record: every key of every line becomes a column (nested objects as dotted keys), the
 * keys the report knows come first under a readable heading, the others follow in the order first met. A line
 * that is not a JSON object is skipped with a note.
 *
 * @param columns the keys, in display order
 * @param rows    per line, key → value (text, number, boolean or compact JSON for arrays), in file order
 */
record StageEvents(List<String> columns, List<Map<String, JsonNode>> rows) {

  /**
   * The keys the report knows, by normalised name (lower case, letters and digits only) → heading. Order here is
   * column order. Wall milliseconds are shown as seconds.
   */
  private static final Map<String, String> KNOWN = new LinkedHashMap<>();
  /** Normalised keys whose column gets a total. */
  private static final Set<String> ADDITIVE = Set.of("items", "data", "retries", "wallmillis", "wallseconds",
      "makespanhours", "humanhours", "costusd", "ailabels", "humanlabels", "traintokens");

  static {
    String[][] known = {{"stage", "stage"}, {"kind", "kind"}, {"lineage", "lineage"}, {"generation", "gen."},
        {"replicate", "rep."}, {"items", "work items"}, {"data", "data out"}, {"retries", "retries"},
        {"wallmillis", "wall s"}, {"wallseconds", "wall s"}, {"makespanhours", "sim. makespan h"},
        {"humanhours", "sim. human h"}, {"costusd", "sim. human cost $"}, {"humanlabels", "human labels"},
        {"ailabels", "AI labels"}, {"traintokens", "train tokens"}, {"finishedat", "finished at (UTC)"}};
    for (String[] k : known) {
      KNOWN.put(k[0], k[1]);
    }
  }

  /** No events. */
  static StageEvents empty() {
    return new StageEvents(List.of(), List.of());
  }

  /** Reads the file; absent or unreadable gives {@link #empty()} with a note. */
  static StageEvents read(Path file, List<String> notes) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      notes.add(file.getFileName() + " is absent, so there is no table of stages.");
      return empty();
    } catch (IOException e) {
      notes.add(file.getFileName() + " cannot be read (" + RunDirectory.oneLine(e.getMessage()) + ").");
      return empty();
    }
    return parse(lines, file.getFileName().toString(), notes);
  }

  /** Parses the lines; {@code source} names the file in notes. */
  static StageEvents parse(List<String> lines, String source, List<String> notes) {
    List<Map<String, JsonNode>> rows = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        JsonNode n = Json.messages().readTree(line);
        if (n == null || !n.isObject()) {
          bad.add(i + 1);
          continue;
        }
        Map<String, JsonNode> row = new LinkedHashMap<>();
        flatten("", n, row);
        keys.addAll(row.keySet());
        rows.add(row);
      } catch (JsonProcessingException e) {
        bad.add(i + 1);
      }
    }
    if (!bad.isEmpty()) {
      notes.add(source + ": " + bad.size() + " line(s) are not JSON objects and were skipped (line"
          + (bad.size() > 1 ? "s " : " ") + bad.subList(0, Math.min(5, bad.size())).toString()
          .replaceAll("[\\[\\]]", "") + (bad.size() > 5 ? ", …" : "") + ").");
    }
    List<String> columns = new ArrayList<>();
    for (String k : KNOWN.keySet()) {
      keys.stream().filter(key -> normal(key).equals(k)).forEach(columns::add);
    }
    keys.stream().filter(k -> !columns.contains(k)).forEach(columns::add);
    return new StageEvents(List.copyOf(columns), List.copyOf(rows));
  }

  private static void flatten(String prefix, JsonNode n, Map<String, JsonNode> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getValue().isObject() && !f.getValue().isEmpty()) {
        flatten(prefix + f.getKey() + ".", f.getValue(), out);
      } else {
        out.put(prefix + f.getKey(), f.getValue());
      }
    }
  }

  static String normal(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** The column's heading. */
  static String heading(String column) {
    return KNOWN.getOrDefault(normal(column), column);
  }

  /** True when the column's values are numbers that add up across stages. */
  boolean additive(String column) {
    return ADDITIVE.contains(normal(column))
        && rows.stream().allMatch(r -> !r.containsKey(column) || r.get(column).isNumber());
  }

  /** True when the column holds numbers (right-aligned). */
  boolean numeric(String column) {
    return rows.stream().anyMatch(r -> r.containsKey(column) && r.get(column).isNumber())
        && rows.stream().allMatch(r -> !r.containsKey(column) || r.get(column).isNumber()
        || r.get(column).isNull());
  }

  /** A cell's value as a number for display (wall milliseconds become seconds), or NaN. */
  static double number(String column, JsonNode v) {
    if (v == null || !v.isNumber()) {
      return Double.NaN;
    }
    return normal(column).equals("wallmillis") ? v.asDouble() / 1000 : v.asDouble();
  }

  /** A cell's text. */
  static String text(String column, JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isNumber()) {
      return Html.num(number(column, v));
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** The column's total, NaN for columns that do not add up. */
  double total(String column) {
    if (!additive(column)) {
      return Double.NaN;
    }
    double sum = 0;
    for (Map<String, JsonNode> r : rows) {
      JsonNode v = r.get(column);
      if (v != null) {
        sum += number(column, v);
      }
    }
    return sum;
  }
}
