package io.priorflow.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metrics.csv}: a header of {@link MetricsTable#columns()}, then one record per row, in row order. UTF-8,
 * RFC 4180 quoting, '\n' line ends, numbers as {@link NumberText} (so NaN is "NaN"); an empty cell means the
 * row has no such parameter or metric. The same table always gives the same bytes, and {@link #parse} reads
 * them back into an equal table, so a report can be rebuilt from a run directory.
 */
public final class MetricsCsv {

  /** The file name in a run directory. */
  public static final String FILE_NAME = "metrics.csv";

  private MetricsCsv() {}

  /** The file's text. */
  public static String format(MetricsTable table) {
    StringBuilder out = new StringBuilder();
    Csv.appendRecord(out, table.columns());
    for (MetricsRow r : table.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(r.lineage());
      cells.add(Integer.toString(r.generation()));
      cells.add(r.model());
      cells.add(Integer.toString(r.replicate()));
      for (String p : table.paramPaths()) {
        cells.add(r.params().getOrDefault(p, ""));
      }
      for (String m : table.metricNames()) {
        Double v = r.metrics().get(m);
        cells.add(v == null ? "" : NumberText.format(v));
      }
      Csv.appendRecord(out, cells);
    }
    return out.toString();
  }

  /** Writes the file (UTF-8). */
  public static void write(MetricsTable table, Path file) throws IOException {
    Files.writeString(file, format(table), StandardCharsets.UTF_8);
  }

  /** Reads a metrics.csv. */
  public static MetricsTable read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses the text of a metrics.csv.
   *
   * @param source names the text in error messages ("run/metrics.csv:3: …")
   * @throws IllegalArgumentException if the header or a cell is not what {@link #format} writes
   */
  public static MetricsTable parse(String text, String source) {
    List<List<String>> records = Csv.parse(text, source);
    if (records.isEmpty()) {
      throw new IllegalArgumentException(source + ": empty; a metrics.csv starts with the header "
          + String.join(",", MetricsTable.KEY_COLUMNS) + ",….");
    }
    List<String> header = records.get(0);
    if (header.size() < MetricsTable.KEY_COLUMNS.size()
        || !header.subList(0, MetricsTable.KEY_COLUMNS.size()).equals(MetricsTable.KEY_COLUMNS)) {
      throw new IllegalArgumentException(source + ":1: the header must start with "
          + String.join(",", MetricsTable.KEY_COLUMNS) + ", found " + header + ".");
    }
    if (new HashSet<>(header).size() != header.size()) {
      throw new IllegalArgumentException(source + ":1: the header names a column twice: " + header + ".");
    }
    int first = MetricsTable.KEY_COLUMNS.size();
    int metricsFrom = first;
    while (metricsFrom < header.size() && header.get(metricsFrom).startsWith(MetricsTable.PARAM_PREFIX)) {
      metricsFrom++;
    }
    List<String> metricNames = header.subList(metricsFrom, header.size());
    try {
      MetricNames.order(metricNames);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ":1: " + e.getMessage(), e);
    }
    List<MetricsRow> rows = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> cells = records.get(r);
      String where = source + ": record " + (r + 1);
      if (cells.size() != header.size()) {
        throw new IllegalArgumentException(where + " has " + cells.size() + " cells, the header " + header.size()
            + ".");
      }
      TreeMap<String, String> params = new TreeMap<>();
      for (int c = first; c < metricsFrom; c++) {
        if (!cells.get(c).isEmpty()) {
          params.put(header.get(c).substring(MetricsTable.PARAM_PREFIX.length()), cells.get(c));
        }
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int c = metricsFrom; c < header.size(); c++) {
        if (!cells.get(c).isEmpty()) {
          metrics.put(header.get(c), number(cells.get(c), where, header.get(c)));
        }
      }
      rows.add(new MetricsRow(cells.get(0), integer(cells.get(1), where, "generation"), cells.get(2),
          integer(cells.get(3), where, "replicate"), params, metrics));
    }
    return MetricsTable.of(rows, metricNames); // a column empty so far stays, as written
  }

  private static int integer(String s, String where, String column) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": " + column + " must be an integer, was \"" + s + "\".", e);
    }
  }

  private static double number(String s, String where, String column) {
    try {
      return NumberText.parse(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": " + column + " must be a number, was \"" + s + "\".", e);
    }
  }
}
