package io.priorflow.engine.label;

import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.world.Trait;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A constitution: rules such as "not toxic", "polite", "correct", each judged by a learned trait classifier (a
 * scalar-head model trained on noisy trait labels, {@link TraitClassifiers}), aggregated into one score.
 *
 * <pre>
 *   p_r(x)   = clamp(classifier_r(x), 0, 1)                  the classifier's probability that x has rule r's trait
 *   score(x) = Σ_r weight_r · (desired_r ? p_r(x) : −p_r(x))   a rule asking for its trait adds its weight times
 *                                                            p, a rule forbidding it subtracts its weight times p
 * </pre>
 * A critic accepts x when score(x) ≥ 0, as it does a reward model's score. With the rules of {@link #fromWorld}
 * (weights |utility weight|) and perfect classifiers, score(x) is the gold utility counted over the rules' traits,
 * so the constitution ranks and accepts as the gold oracle does; real classifiers are imperfect and have their own
 * lineage (their data, their label noise), which is what the constitution passes on. The classifiers are trained by
 * squared error on 0/1 targets, whose minimiser is E[target | x] = P(trait | x) (the linear probability model),
 * hence the clamp rather than a sigmoid. {@link #verdicts} gives each rule's probability of being satisfied,
 * v_r = desired_r ? p_r : 1 − p_r, for reports.
 *
 * @param rules the rules, in order
 */
public record Constitution(List<Rule> rules) {

  /**
   * One rule.
   *
   * @param name    what it says, e.g. "not toxic"
   * @param trait   the trait its classifier detects, e.g. "toxic"
   * @param modelId the classifier: a scalar-head model's content hash
   * @param desired true if the rule asks for the trait ("polite"), false if it forbids it ("not toxic")
   * @param weight  its weight, finite and &gt; 0
   */
  public record Rule(String name, String trait, String modelId, boolean desired, double weight) {
    /** Checks the fields. */
    public Rule {
      if (name == null || name.isBlank() || trait == null || trait.isBlank() || modelId == null || modelId.isBlank()) {
        throw new IllegalArgumentException("A constitution rule needs a name, a trait and a classifier model id, got "
            + name + ", " + trait + ", " + modelId + ".");
      }
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("Rule \"" + name + "\" needs a finite weight > 0, was " + weight + ".");
      }
    }
  }

  /** Checks there is at least one rule; copies the list. */
  public Constitution {
    if (rules == null || rules.isEmpty()) {
      throw new IllegalArgumentException("A constitution needs at least one rule.");
    }
    rules = List.copyOf(rules);
  }

  /**
   * The constitution that mirrors the world's utility: one rule per trait that has a classifier, "&lt;trait&gt;"
   * for a desirable trait and "not &lt;trait&gt;" for an undesirable one, weighted by |utility weight|; traits
   * with weight 0 are left out. Rules follow the world's trait order.
   *
   * @param classifiers trait name → classifier model id
   */
  public static Constitution fromWorld(World world, Map<String, String> classifiers) {
    for (String trait : classifiers.keySet()) world.traits().indexOf(trait); // an unknown name fails, with the list
    List<Rule> rules = new ArrayList<>();
    for (int k = 0; k < world.traits().size(); k++) {
      Trait t = world.traits().get(k);
      String model = classifiers.get(t.name());
      double w = Math.abs(world.oracle().weight(k));
      if (model == null || w == 0) continue;
      rules.add(new Rule((t.desirable() ? "" : "not ") + t.name(), t.name(), model, t.desirable(), w));
    }
    return new Constitution(rules);
  }

  /** p = clamp(score, 0, 1): a trait classifier's score as a probability. */
  public static double probability(float score) {
    return Math.min(1, Math.max(0, score));
  }

  /**
   * v_r(x) for every rule and sequence: result[r][i], sequence i scored from position {@code from[i]} (the response
   * start).
   */
  public double[][] verdicts(KernelBackend be, Function<String, TokenModel> models, List<int[]> seqs, int[] from) {
    double[][] v = new double[rules.size()][];
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      float[] s = models.apply(rule.modelId()).scores(be, seqs, from);
      v[r] = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        double p = probability(s[i]);
        v[r][i] = rule.desired() ? p : 1 - p;
      }
    }
    return v;
  }

  /** score(x) of every sequence, summed over rules in order. */
  public double[] scores(KernelBackend be, Function<String, TokenModel> models, List<int[]> seqs, int[] from) {
    double[] out = new double[seqs.size()];
    for (Rule rule : rules) {
      float[] s = models.apply(rule.modelId()).scores(be, seqs, from);
      double signed = rule.desired() ? rule.weight() : -rule.weight();
      for (int i = 0; i < out.length; i++) out[i] += signed * probability(s[i]);
    }
    return out;
  }

  /** The distinct classifier model ids, in rule order. */
  public List<String> modelIds() {
    return List.copyOf(new LinkedHashSet<>(rules.stream().map(Rule::modelId).toList()));
  }

  /**
   * The labels a critic judging under this constitution gives one datum: one AI label per distinct classifier, in
   * rule order, each naming its classifier's model, so that in ancestry the judgement traces back to every
   * classifier's own lineage in equal shares (for a preference, the pair id).
   *
   * @param pairId the other datum of a {@link LabelKind#PREFERENCE}; null for other kinds
   */
  public List<Label> labels(LabelKind kind, double value, String criticId, String pairId) {
    return modelIds().stream().map(m -> new Label(kind, value, LabellerKind.AI, criticId, m, pairId)).toList();
  }
}
