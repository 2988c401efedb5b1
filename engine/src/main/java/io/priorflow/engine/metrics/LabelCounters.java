package io.priorflow.engine.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labelling counters of one row, cumulative over the lineage up to and including the row's generation.
 * Counted by whoever dispatches labelling work (the director); this record only names them as metrics, so they
 * can be {@linkplain MetricNames#merge merged} with the evaluator's.
 *
 * @param humanLabels human labelling actions ({@link MetricNames#LABELS_HUMAN})
 * @param aiLabels    AI labelling actions ({@link MetricNames#LABELS_AI})
 * @param humanUsd    simulated dollars paid to humans ({@link MetricNames#COST_HUMAN_USD})
 * @param humanHours  simulated human hours ({@link MetricNames#TIME_HUMAN_HOURS})
 */
public record LabelCounters(long humanLabels, long aiLabels, double humanUsd, double humanHours) {

  /** Checks every counter is finite and ≥ 0. */
  public LabelCounters {
    if (humanLabels < 0 || aiLabels < 0 || !(humanUsd >= 0) || !(humanHours >= 0) || Double.isInfinite(humanUsd)
        || Double.isInfinite(humanHours)) {
      throw new IllegalArgumentException("Label counters must be finite and ≥ 0, got humanLabels " + humanLabels
          + ", aiLabels " + aiLabels + ", humanUsd " + humanUsd + ", humanHours " + humanHours + ".");
    }
  }

  /** Nothing spent yet. */
  public static final LabelCounters ZERO = new LabelCounters(0, 0, 0, 0);

  /** The sum of two counters, e.g. the previous generation's total and this generation's spend. */
  public LabelCounters plus(LabelCounters o) {
    return new LabelCounters(humanLabels + o.humanLabels, aiLabels + o.aiLabels, humanUsd + o.humanUsd,
        humanHours + o.humanHours);
  }

  /** labels.human, labels.ai, cost.human_usd, time.human_hours, in that order. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(MetricNames.LABELS_HUMAN, (double) humanLabels);
    m.put(MetricNames.LABELS_AI, (double) aiLabels);
    m.put(MetricNames.COST_HUMAN_USD, humanUsd);
    m.put(MetricNames.TIME_HUMAN_HOURS, humanHours);
    return m;
  }
}
