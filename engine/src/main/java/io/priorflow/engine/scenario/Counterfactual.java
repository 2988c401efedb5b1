package io.priorflow.engine.scenario;

import java.util.List;

/**
 * One intervention on a scenario, for counterfactual attribution: the scenario with a source removed or one of its
 * parameters neutralised, run with the same seed — so with the same random stream for every work item — as the
 * factual run, so that the difference between the two is the intervention's effect and not luck (common random
 * numbers). Written in a scenario's {@code counterfactuals:} section or given as {@code --counterfactual}:
 * <pre>
 * counterfactuals:
 *   - remove: human-2                # that labeller does no work: its items stay unlabelled
 *   - remove: fresh_data             # every lineage's data.freshFraction set to 0
 *   - neutralise: human-2.biases     # that labeller unbiased; also human-i.accuracy (→ 1), human-i.anchoring (→ 0),
 *                                    # human-i.fatigue (→ 0), humans.biases / accuracy / anchoring / fatigue (everyone),
 *                                    # critic.temperature (→ 0)
 *   - name: perfect-raters           # any fields, as --set would set them
 *     set: { actors.humans.accuracy: 1 }
 * </pre>
 * Every form becomes a list of field assignments ({@link #assignments}), and the counterfactual's scenario is the
 * factual one with them set, validated like the file. The resolved scenario writes each in the {@code set} form.
 *
 * @param name         the counterfactual's name, as metrics.csv's {@code param.counterfactual} column and
 *                     attribution.csv show it: {@code [a-z0-9_.-]}, 1 to 256 characters, not {@link #FACTUAL}
 * @param description  the intervention as written, e.g. {@code remove human-2}
 * @param assignments  the fields it sets, in order
 */
public record Counterfactual(String name, String description, List<Assignment> assignments) {

  /** The name of the factual run among counterfactuals (metrics.csv's {@code param.counterfactual}). */
  public static final String FACTUAL = "factual";
  /** The metrics.csv parameter that names the counterfactual of a row ({@code param.counterfactual}). */
  public static final String PARAM = "counterfactual";
  /** The most counterfactuals one scenario may have, those a {@code shapley:} section adds included. */
  public static final int MAX = 128;
  /** Joins the names of the Shapley players a combined counterfactual removes ({@code a__b}). */
  public static final String JOIN = "__";

  /**
   * One field set by a counterfactual.
   *
   * @param path the canonical field path
   * @param yaml the value as YAML flow text
   */
  public record Assignment(String path, String yaml) {}

  /** Copies the list. */
  public Counterfactual {
    assignments = List.copyOf(assignments);
  }

  /** The {@code counterfactuals:} section of the resolved scenario ("" for none), every entry in its set form. */
  public static String yaml(List<Counterfactual> counterfactuals) {
    if (counterfactuals.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("counterfactuals:\n");
    for (Counterfactual c : counterfactuals) {
      out.append("  - name: ").append(quoted(c.name())).append('\n');
      out.append("    description: ").append(quoted(c.description())).append('\n');
      out.append("    set: {");
      for (int i = 0; i < c.assignments().size(); i++) {
        Assignment a = c.assignments().get(i);
        out.append(i == 0 ? "" : ", ").append(quoted(a.path())).append(": ").append(a.yaml());
      }
      out.append("}\n");
    }
    return out.toString();
  }

  /** The {@code shapley:} section of the resolved scenario ("" for none): the players' names. */
  public static String shapleyYaml(List<String> players) {
    if (players.isEmpty()) {
      return "";
    }
    return "shapley: [" + String.join(", ", players.stream().map(Counterfactual::quoted).toList()) + "]\n";
  }

  private static String quoted(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}
