package io.priorflow.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * report.html's page as a Mustache template ({@code io/priorflow/report/report.mustache}, by Mustache.java) filled
 * from {@link ReportView.Page}: the head, what ran, the notes, the guide, the summary tables, the sweep section
 * (its charts' SVG inserted raw), what caused what, the stages and the full metrics table come from the template;
 * the charts and ancestry sections are still HTML built by {@link ReportPage}, inserted as {@code {{{charts}}}} and
 * {@code {{{body}}}}.
 * {@code {{x}}} escapes by {@link Html#esc} (not Mustache.java's own escaper, which also rewrites '=' and '`'), so
 * the page is byte for byte what the string-built page was.
 */
final class ReportTemplate {

  private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory("io/priorflow/report") {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(Html.esc(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final Mustache PAGE = FACTORY.compile("report.mustache");

  private ReportTemplate() {}

  /** The page's text. */
  static String render(ReportView.Page page) {
    StringWriter out = new StringWriter(1 << 16);
    PAGE.execute(out, page);
    return out.toString();
  }
}
