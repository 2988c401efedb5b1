package io.priorflow.engine.metrics;

/**
 * What one metric is: its name, a one-line meaning, its unit, which way is good, its domain and the section it
 * belongs to. Every output that interprets a metric — summary.csv's intervals, the report's sections and bands, the
 * terminal summary's arrows, docs/metrics.md — reads it from here ({@link MetricCatalog}), so they cannot disagree.
 *
 * @param name        the column name in metrics.csv ({@code trait.<name>} and the other families spelled out)
 * @param description one plain sentence for a reader who has not read {@link MetricNames}
 * @param unit        the unit ("share", "nats per token", "count", "USD"…)
 * @param direction   which way is an improvement
 * @param low         the smallest value the metric can take ({@code -Infinity} when unbounded)
 * @param high        the largest ({@code +Infinity} when unbounded)
 * @param kind        outcome, cost, bookkeeping or ancestry: the report gives each its own section
 */
public record MetricDefinition(String name, String description, String unit, Direction direction, double low,
                               double high, Kind kind) {

  /** Which way a change is good. */
  public enum Direction {
    /** More is better (accuracy, a desirable trait, gold reward). */
    HIGHER_IS_BETTER,
    /** Less is better (loss, an undesirable trait, distance to the truth). */
    LOWER_IS_BETTER,
    /** Neither: a drift, a proxy, a share of sources, a count; a change is reported without a verdict. */
    NEITHER;

    /** "good", "bad" or "" for a change of this sign. */
    public String verdict(double change) {
      if (this == NEITHER || change == 0 || Double.isNaN(change)) {
        return "";
      }
      return (change > 0) == (this == HIGHER_IS_BETTER) ? "good" : "bad";
    }
  }

  /** The report's sections. */
  public enum Kind {
    /** What the run is about: traits, knowledge, diversity, rewards, the methods' own measures. */
    OUTCOME,
    /** Cumulative spending: training tokens, human and AI dollars, human hours (the x axes of matched-cost charts). */
    COST,
    /** Counts and sizes that follow from the configuration: labels spent, parameters, optimizer bytes, bounds. */
    BOOKKEEPING,
    /** ancestry.&lt;source&gt;: shares of training signal by source. */
    ANCESTRY
  }

  /** How the 95% interval of a replicate mean is computed for a metric (see {@link SummaryStats#of(MetricDefinition, double...)}). */
  public enum Interval {
    /** mean ± t₀.₉₇₅,ₙ₋₁·se: an unbounded metric. */
    STUDENT_T("Student t"),
    /** The Student t interval intersected with the domain: a metric bounded on one side (a KL, a loss, a count). */
    STUDENT_T_CLIPPED("Student t, clipped to the domain"),
    /** Percentile bootstrap of the mean (2,000 resamples, fixed seed): a proportion in [0, 1]. */
    BOOTSTRAP("percentile bootstrap");

    private final String label;

    Interval(String label) {
      this.label = label;
    }

    /** The method's name for people. */
    public String label() {
      return label;
    }
  }

  /** True for a metric in [0, 1]. */
  public boolean isProportion() {
    return low == 0 && high == 1;
  }

  /** The interval method for this metric's domain. */
  public Interval interval() {
    if (isProportion()) {
      return Interval.BOOTSTRAP;
    }
    return Double.isInfinite(low) && Double.isInfinite(high) ? Interval.STUDENT_T : Interval.STUDENT_T_CLIPPED;
  }

  /** The domain as text: "[0, 1]", "[0, ∞)", "(−∞, ∞)". */
  public String domainText() {
    return (Double.isInfinite(low) ? "(−∞" : "[" + NumberText.format(low)) + ", "
        + (Double.isInfinite(high) ? "∞)" : NumberText.format(high) + "]");
  }

  /** The same definition with another direction (an extra trait whose desirability the world states). */
  public MetricDefinition withDirection(Direction d) {
    return new MetricDefinition(name, description, unit, d, low, high, kind);
  }
}
