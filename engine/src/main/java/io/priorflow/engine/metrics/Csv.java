package io.priorflow.engine.metrics;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The CSV dialect of every CSV a run writes and reads (metrics.csv, summary.csv, attribution.csv, shapley.csv,
 * runs.csv, rlhf-trace.csv, bandit.csv), by Apache Commons CSV: RFC 4180 fields and records, ',' between fields,
 * '\n' after every record. A field is quoted only when it must be ({@link QuoteMode#MINIMAL}): when it holds a comma,
 * a double quote, CR or LF (a quote is then doubled); Commons CSV also quotes, harmlessly, a field that starts with
 * a character up to '#' (a space, '!', '"', '#') or ends with a space, and an empty first field, none of which a
 * run writes. The reader takes '\n', "\r\n" or '\r' line ends and quoted fields that span lines, and rejects text
 * after a closing quote and a quote never closed.
 */
public final class Csv {

  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
      .setRecordSeparator('\n')
      .setQuoteMode(QuoteMode.MINIMAL)
      .get();

  private Csv() {}

  /** Appends one record and its '\n'. */
  public static void appendRecord(StringBuilder out, List<String> fields) {
    try {
      FORMAT.printRecord(out, fields.toArray());
    } catch (IOException e) {
      throw new UncheckedIOException("A StringBuilder cannot fail: " + e.getMessage(), e); // Appendable's signature
    }
  }

  /** One record and its '\n'. */
  public static String record(List<String> fields) {
    StringBuilder out = new StringBuilder();
    appendRecord(out, fields);
    return out.toString();
  }

  /**
   * Splits text into records of fields. A final line end is optional; an empty text has no records.
   *
   * @param source names the text in error messages
   * @throws IllegalArgumentException on a quote that is never closed or text right after a closing quote, naming
   *                                  the source and Commons CSV's account of where
   */
  public static List<List<String>> parse(String text, String source) {
    List<List<String>> records = new ArrayList<>();
    try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
      for (CSVRecord r : parser) {
        records.add(r.toList());
      }
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      throw new IllegalArgumentException(source + ": not CSV: " + cause.getMessage(), e);
    }
    return records;
  }
}
