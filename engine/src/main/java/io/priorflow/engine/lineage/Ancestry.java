package io.priorflow.engine.lineage;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.Origins;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's <em>ancestry</em>: the share of its training signal that traces back to each original source, through
 * any number of teacher generations — the "obfuscated source of priors" made visible (DESIGN §6).
 *
 * <h2>Definition</h2>
 * <p>Signal is counted in <b>response tokens</b> ({@link Datum#signalTokens()}): the positions a model learns to
 * produce; prompt tokens are context. An <b>origin</b> ({@link Origins}) names where signal comes from: {@code
 * world}, {@code human:<labeller>}, {@code critic:<actor>}, {@code red_team:<actor>}, or {@code model:<id>}. Every
 * origin except {@code model:…} is an original <b>source</b>; so is a model declared with a source name ({@link
 * ModelNode#source()}, e.g. {@code generator:big-teacher}). An ancestry is a probability vector over sources.
 * λ ∈ [0, 1] is the graph's {@linkplain LineageGraph#labelShare() label share} (default 1/2).
 * <pre>
 *   1. Origin.   vec(o) = {o: 1}                      if o is a source
 *                vec(model:M) = anc(M)
 *   2. Datum.    d has w_d response tokens, content origin c_d (who produced the tokens: the model sampled, or
 *                world / human:… / critic:… / red_team:…) and labels with origins o_1 … o_k, k ≥ 0:
 *                  v(d) = vec(c_d)                                         if k = 0
 *                  v(d) = (1 − λ)·vec(c_d) + (λ / k)·Σ_i vec(o_i)          if k ≥ 1
 *   3. Dataset.  signal(D)[o] = the tokens D's data attribute to origin o by step 2, before resolving models;
 *                Σ_o signal(D)[o] = W(D) = Σ_{d∈D} w_d
 *   4. Model.    a source model S:  anc(S) = {source(S): 1};  m(S) = its training mass if trained in the run,
 *                                   else as declared (0 for a random initialisation)
 *                a trained model M with initial weights from I (or none: m = 0) and datasets D_1 … D_n:
 *                  m(M)   = m(I) + Σ_j W(D_j)
 *                  anc(M) = ( m(I)·anc(I) + Σ_j Σ_o signal(D_j)[o]·vec(o) ) / m(M)
 *   5. Judgement. A label a model gave as a judge — a reward, keep or rating, not a teacher's token targets —
 *                has the origin judge:M, and
 *                  vec(judge:M) = jud(M)
 *                where jud(M), the sources of M's judgement, is
 *                  jud(S) = anc(S)                                    for a source model S
 *                  jud(M) = Σ_j Σ_o judgement(D_j)[o]·vec(o) / Σ_j Σ_o judgement(D_j)[o]
 *                                                                     if M's datasets carry labels
 *                  jud(M) = anc(M)                                    otherwise
 *                with judgement(D)[o] = Σ_{d∈D, k ≥ 1} w_d / k over the labels of d with origin o (λ not applied:
 *                what a model learns to judge from is the labels alone). A reward model trained on preference
 *                pairs judges as its labellers did, so its rewards carry their sources — not its init's pretraining.
 *   6. RL data.  The prompts an RL trainer (rlhf, best_of_n) learns from stand for the rollouts it sampled: their
 *                dataset's W is the tokens the trainer trained on, signal and judgement scaled to it.
 * </pre>
 * So a model is the token-weighted mean of what shaped it: its starting weights with all the signal that made
 * them, and each dataset with its tokens. Generated data carry the full ancestry of the model that generated
 * them, and that model's of its teacher, back to the sources. Every step is a convex combination of probability
 * vectors, so shares are ≥ 0 and sum to 1 (up to rounding). Model ids are hashes of weights trained from earlier
 * models, so the graph has no cycles; a cycle is rejected.
 *
 * <h2>Consequences, for the trainers that record data</h2>
 * <ul>
 *   <li>A label is any judgement that selected, ranked, rewarded or gave targets for a datum: a critic's {@code
 *       keep}, a human's rating or preference, a reward model's {@code reward}, a teacher's token distributions
 *       ({@code targets}). Data a filter dropped are not in the training set and carry nothing.</li>
 *   <li>A critic backed by a model trained in the run passes on that model's own ancestry (a reward model trained
 *       on human preferences carries their share); a critic of fixed rules is the source {@code critic:<actor>}.
 *       To see a trained critic as one block, declare its model a source.</li>
 *   <li>RLHF and best-of-n: rollouts are produced by the policy's start model and labelled {@code reward} by the
 *       reward model (step 5: its labellers, the critic or the red teamers behind its pairs), with the mass of the
 *       tokens sampled (step 6).
 *       Token-level distillation: the data are labelled {@code targets} by the teacher. DPO: preference labels.
 *       The reference model of a KL penalty is the init, so it needs no extra term.</li>
 *   <li>Parent ids carry no share: a human's correction of a generated response is the human's.</li>
 *   <li>Epochs do not multiply signal; a dataset listed twice in one training counts twice.</li>
 * </ul>
 *
 * <h2>Worked example (λ = 1/2; tested in AncestryTest)</h2>
 * <pre>
 *   M0: trained from scratch on 1000 world tokens               anc = {world 1},  m = 1000
 *   D1: M0 generates 100 responses of 10 tokens; a rule-based critic C keeps 50 (label keep); a human h
 *       rewrites 5 of the 50 (new data, produced by human:h, no labels). D1 = 45 kept + 5 rewrites:
 *         signal(D1) = {model:M0 225, critic:C 225, human:h 50},  W = 500
 *   M1 from scratch on D1:      anc = {world .45, critic:C .45, human:h .10}
 *   M1' fine-tuned from M0:     m = 1500, anc = {world 1225/1500 = .81667, critic:C .15, human:h .03333}
 *   repeating the from-scratch step:  anc(M_{g+1}) = .45·anc(M_g) + .45·critic:C + .10·human:h
 *     M2 = {world .2025, critic:C .6525, human:h .145},  M3 = {world .091125, critic:C .743625, human:h .16525}
 * </pre>
 *
 * <p>Not causal attribution: ancestry counts where signal came from, not how much each source changed a trait. A
 * source with a small share can cause a large change (a biased labeller whose few preference pairs steer DPO), and a
 * large share can change nothing (world text that agrees with what the model already does). Counterfactual runs
 * ({@code counterfactuals:}, attribution.csv) measure effects; ancestry says whose signal a model was made of.
 */
public final class Ancestry {

  /** The default label share λ. */
  public static final double DEFAULT_LABEL_SHARE = 0.5;
  /** The prefix of ancestry metric names in {@code metrics.csv} (DESIGN §7). */
  public static final String METRIC_PREFIX = "ancestry.";

  private Ancestry() {
  }

  /** A model's signal mass and ancestry. */
  public record Result(double tokens, Map<String, Double> shares) {
  }

  /**
   * signal(D) of step 3: origin → tokens, summed over the data in id order.
   *
   * @throws IllegalArgumentException if λ is not in [0, 1]
   */
  public static SortedMap<String, Double> signal(Dataset dataset, double labelShare) {
    checkLabelShare(labelShare);
    TreeMap<String, Double> signal = new TreeMap<>();
    for (Datum d : dataset.data()) {
      double w = d.signalTokens();
      int k = d.labels().size();
      if (k == 0) {
        add(signal, d.provenance().origin(), w);
        continue;
      }
      add(signal, d.provenance().origin(), (1 - labelShare) * w);
      double perLabel = labelShare * w / k;
      for (Label l : d.labels()) {
        add(signal, labelOrigin(l), perLabel);
      }
    }
    return signal;
  }

  /** judgement(D) of step 5: label origin → the tokens of the labelled data, split among each datum's labels. */
  public static SortedMap<String, Double> judgement(Dataset dataset) {
    TreeMap<String, Double> out = new TreeMap<>();
    for (Datum d : dataset.data()) {
      int k = d.labels().size();
      if (k == 0) continue;
      double perLabel = (double) d.signalTokens() / k;
      for (Label l : d.labels()) {
        add(out, labelOrigin(l), perLabel);
      }
    }
    return out;
  }

  /** A label's origin for step 2: judge:M for a model's judgement (step 5), else the label's own origin. */
  public static String labelOrigin(Label l) {
    return l.modelId() != null && l.kind() != io.priorflow.engine.data.LabelKind.TARGETS
        ? Origins.judge(l.modelId()) : l.origin();
  }

  /** The metric names and values of an ancestry: {@code ancestry.<source>} → share, sorted by name. */
  public static SortedMap<String, Double> metrics(Map<String, Double> shares) {
    TreeMap<String, Double> m = new TreeMap<>();
    shares.forEach((source, share) -> m.put(METRIC_PREFIX + source, share));
    return m;
  }

  /**
   * Step 4 for every model: model id → (mass, ancestry).
   *
   * @param models   the models, by model id (their tokens are read only for untrained source models)
   * @param datasets the dataset nodes, by name
   * @throws IllegalStateException if a model or dataset referred to is missing, a trained model has no signal,
   *                               or the models form a cycle
   */
  public static Map<String, Result> compute(Map<String, ModelNode> models, Map<String, DatasetNode> datasets) {
    Solver solver = new Solver(models, datasets);
    Map<String, Result> out = new TreeMap<>();
    for (String id : new TreeMap<>(models).keySet()) {
      out.put(id, solver.result(id, "the graph"));
    }
    return Collections.unmodifiableMap(out);
  }

  static void checkLabelShare(double labelShare) {
    if (!(labelShare >= 0 && labelShare <= 1)) {
      throw new IllegalArgumentException("The label share λ must be in [0, 1], was " + labelShare + ".");
    }
  }

  private static void add(Map<String, Double> m, String key, double w) {
    if (w != 0) {
      m.merge(key, w, Double::sum);
    }
  }

  /** Memoised depth-first evaluation of step 4. */
  private static final class Solver {
    private final Map<String, ModelNode> models;
    private final Map<String, DatasetNode> datasets;
    private final Map<String, Result> done = new HashMap<>();
    private final Map<String, Map<String, Double>> judged = new HashMap<>();
    private final Set<String> active = new HashSet<>(), judging = new HashSet<>();

    Solver(Map<String, ModelNode> models, Map<String, DatasetNode> datasets) {
      this.models = models;
      this.datasets = datasets;
    }

    Result result(String modelId, String neededBy) {
      Result r = done.get(modelId);
      if (r != null) {
        return r;
      }
      ModelNode node = models.get(modelId);
      if (node == null) {
        throw new IllegalStateException(neededBy + " refers to model " + modelId
            + ", which is not in the lineage graph; add it as a trained or a source model.");
      }
      if (!active.add(modelId)) {
        throw new IllegalStateException("Model " + modelId + " is its own ancestor (reached again from "
            + neededBy + "); the lineage graph must be acyclic.");
      }
      r = node.source() != null ? sourceResult(node) : trainedResult(node);
      active.remove(modelId);
      done.put(modelId, r);
      return r;
    }

    private Result sourceResult(ModelNode node) {
      double mass = node.training() == null ? node.tokens() : mass(node);
      return new Result(mass, Map.of(node.source(), 1.0));
    }

    private double mass(ModelNode node) {
      Training t = node.training();
      double mass = t.init() == null ? 0 : result(t.init(), "model " + node.modelId() + " (init)").tokens();
      for (String name : t.datasets()) {
        mass += dataset(name, node).tokens();
      }
      return mass;
    }

    private Result trainedResult(ModelNode node) {
      Training t = node.training();
      TreeMap<String, Double> weighted = new TreeMap<>();
      double mass = 0;
      if (t.init() != null) {
        Result init = result(t.init(), "model " + node.modelId() + " (init)");
        if (init.tokens() > 0) {
          mass += init.tokens();
          addScaled(weighted, init.shares(), init.tokens());
        }
      }
      for (String name : t.datasets()) {
        DatasetNode ds = dataset(name, node);
        mass += ds.tokens();
        for (Map.Entry<String, Double> e : ds.signal().entrySet()) {
          addScaled(weighted, vec(e.getKey(), ds), e.getValue());
        }
      }
      if (!(mass > 0)) {
        throw new IllegalStateException("Model " + node.modelId() + " (" + node.training().trainer().method()
            + ") has no training signal: its datasets have no response tokens and its init has none.");
      }
      LinkedHashMap<String, Double> shares = new LinkedHashMap<>();
      for (Map.Entry<String, Double> e : weighted.entrySet()) {
        shares.put(e.getKey(), e.getValue() / mass);
      }
      return new Result(mass, Collections.unmodifiableMap(shares));
    }

    private Map<String, Double> vec(String origin, DatasetNode ds) {
      if (Origins.isModel(origin)) {
        return result(Origins.modelId(origin), "dataset " + ds.name()).shares();
      }
      if (Origins.isJudge(origin)) {
        return judgement(origin.substring(Origins.JUDGE_PREFIX.length()), "dataset " + ds.name());
      }
      return Map.of(origin, 1.0);
    }

    /** jud(M) of step 5, memoised. */
    private Map<String, Double> judgement(String modelId, String neededBy) {
      Map<String, Double> j = judged.get(modelId);
      if (j != null) {
        return j;
      }
      Result anc = result(modelId, neededBy);
      ModelNode node = models.get(modelId);
      if (!judging.add(modelId)) {
        throw new IllegalStateException("Model " + modelId + " judges from its own judgements (reached again from "
            + neededBy + "); the lineage graph must be acyclic.");
      }
      TreeMap<String, Double> weighted = new TreeMap<>();
      double mass = 0;
      if (node.source() == null) {
        for (String name : node.training().datasets()) {
          DatasetNode ds = dataset(name, node);
          for (Map.Entry<String, Double> e : ds.judgement().entrySet()) {
            mass += e.getValue();
            addScaled(weighted, vec(e.getKey(), ds), e.getValue());
          }
        }
      }
      judging.remove(modelId);
      Map<String, Double> out;
      if (mass > 0) {
        LinkedHashMap<String, Double> shares = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : weighted.entrySet()) {
          shares.put(e.getKey(), e.getValue() / mass);
        }
        out = Collections.unmodifiableMap(shares);
      } else {
        out = anc.shares();
      }
      judged.put(modelId, out);
      return out;
    }

    private DatasetNode dataset(String name, ModelNode node) {
      DatasetNode ds = datasets.get(name);
      if (ds == null) {
        throw new IllegalStateException("Model " + node.modelId() + " was trained on dataset " + name
            + ", which is not in the lineage graph; add it with addDataset.");
      }
      return ds;
    }

    /** Adds scale·vector; vectors iterate in source order (every shares map here is built sorted). */
    private static void addScaled(Map<String, Double> into, Map<String, Double> vector, double scale) {
      for (Map.Entry<String, Double> e : vector.entrySet()) {
        add(into, e.getKey(), scale * e.getValue());
      }
    }
  }
}
