package io.priorflow.engine.label;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated labour of a labelling stage. Each labeller works through its own work items one after another;
 * different labellers work at the same time. So
 * <pre>
 *   hours    = Σ_items seconds / 3600                    paid human time (time.human_hours)
 *   usd      = Σ_items usd                               (cost.human_usd)
 *   makespan = max_labeller Σ_{its items} seconds / 3600  the stage's duration in simulated hours
 * </pre>
 * Also the hours each labeller has worked, to pass as {@code hoursBefore} (fatigue) to its next item in the session.
 *
 * @param labels        labelling actions (labels.human)
 * @param hours         total simulated human hours
 * @param usd           total simulated dollars
 * @param makespanHours the busiest labeller's hours
 * @param hoursByLabeller hours per labeller id, sorted by id
 */
public record LabourCost(long labels, double hours, double usd, double makespanHours,
                         Map<String, Double> hoursByLabeller) {

  /** Copies and sorts the map. */
  public LabourCost {
    hoursByLabeller = Collections.unmodifiableMap(new TreeMap<>(hoursByLabeller));
  }

  /** Nothing done yet. */
  public static final LabourCost NONE = new LabourCost(0, 0, 0, 0, Map.of());

  /**
   * The labour of work items done by the given labellers: item i was done by {@code labellers.get(i)}, gave
   * {@code labels[i]} labels and took {@code seconds[i]} and {@code usd[i]}.
   */
  public static LabourCost of(List<String> labellers, long[] labels, double[] seconds, double[] usd) {
    int n = labellers.size();
    if (labels.length != n || seconds.length != n || usd.length != n) {
      throw new IllegalArgumentException(n + " labellers but " + labels.length + " label counts, " + seconds.length
          + " durations and " + usd.length + " costs.");
    }
    TreeMap<String, Double> byLabeller = new TreeMap<>();
    long count = 0;
    double hours = 0, dollars = 0;
    for (int i = 0; i < n; i++) {
      count += labels[i];
      hours += seconds[i] / 3600.0;
      dollars += usd[i];
      byLabeller.merge(labellers.get(i), seconds[i] / 3600.0, Double::sum);
    }
    double makespan = byLabeller.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return new LabourCost(count, hours, dollars, makespan, byLabeller);
  }

  /**
   * Two stages one after the other: totals add, makespans add (the second starts when the first ends), and each
   * labeller's hours add.
   */
  public LabourCost then(LabourCost next) {
    TreeMap<String, Double> merged = new TreeMap<>(hoursByLabeller);
    next.hoursByLabeller.forEach((k, v) -> merged.merge(k, v, Double::sum));
    return new LabourCost(labels + next.labels, hours + next.hours, usd + next.usd,
        makespanHours + next.makespanHours, merged);
  }

  /** The hours a labeller has worked so far (0 if none): its next item's {@code hoursBefore}. */
  public double hoursOf(String labellerId) {
    return hoursByLabeller.getOrDefault(labellerId, 0.0);
  }
}
