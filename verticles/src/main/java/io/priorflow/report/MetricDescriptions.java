package io.priorflow.report;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.metrics.MetricCatalog;

/**
 * The report's view of {@link MetricCatalog}: one line per metric saying what it measures, and the ancestry family.
 */
final class MetricDescriptions {

  private MetricDescriptions() {}

  /** The metric's one-line meaning ({@link MetricCatalog}), or a fallback sentence for a name this version does not know. */
  static String of(String metric) {
    return MetricNames.isKnown(metric) ? MetricCatalog.of(metric).description()
        : "A metric this version of the report does not describe.";
  }

  /** True for ancestry.&lt;source&gt;. */
  static boolean isAncestry(String metric) {
    return metric.startsWith(MetricNames.ANCESTRY_PREFIX);
  }

  /** The source of ancestry.&lt;source&gt;. */
  static String source(String ancestryMetric) {
    return ancestryMetric.substring(MetricNames.ANCESTRY_PREFIX.length());
  }
}
