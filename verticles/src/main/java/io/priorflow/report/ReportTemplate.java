package io.priorflow.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * report.html's page as a Mustache template ({@code io/priorflow/report/report.mustache}, by Mustache.java) filled
 * from {@link ReportView.Page}: the head, what ran, the notes, the guide, the summary tables, the sweep section, what
 * caused what, the stages and the full metrics table; the partials beside it hold the metrics over generations
 * ({@code metrics}, {@code generations}), the costs ({@code costs}), ancestry and the lineage graph
 * ({@code ancestry}, {@code models}) and the legends ({@code legend}). Only markup made elsewhere goes in raw,
 * as {@code {{{x}}}}: the CSS, the charts' SVG (by {@link Charts}), the graph's JSON (by {@link LineageView}) and
 * the scripts.
 * {@code {{x}}} escapes by {@link Html#esc} (not Mustache.java's own escaper, which also rewrites '=' and '`'), so
 * the page is byte for byte what the string-built page was.
 * <p>Trap: Mustache.java's (legacy) whitespace rule drops the newline of a line on which, after a section tag
 * ({@code {{#x}}}, {@code {{^x}}}, or the {@code {{/x}}} of a section over several lines), only tags or spaces
 * follow. So every such line of the templates has literal text after its last section tag.
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
