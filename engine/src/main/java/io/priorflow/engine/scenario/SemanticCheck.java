package io.priorflow.engine.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.world.ExtraTraitConfig;
import io.priorflow.engine.world.Traits;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Pass 5 of loading: the rules that involve more than one field, on the bound scenario — distinct lineage names,
 * subsampleSize exactly with policy subsample, a train stage in every lineage whose last one trains a policy, LoRA on
 * the teacher, preference labels before reward_model and dpo, bias names that are traits, the models
 * ({@link ModelCheck}), the evaluation's size, what
 * analytic worlds support — and the world's and analytic world's own {@code problems()}, whose paths are made
 * absolute and placed in the file. A rule that involves a field the structural pass already rejected is skipped.
 */
final class SemanticCheck {
  /** TagProfile's "plus tags.low.hedge must be at most 1". */
  private static final Pattern PLUS = Pattern.compile("plus (\\S+) must be at most (.+)");
  /** WorldConfig's "is not a default trait or wrong; use one of [toxic, …] (extra traits carry their own weight)". */
  private static final Pattern NOT_TRAIT =
      Pattern.compile("is not a default trait or wrong; use one of \\[(.*)] \\((.*)\\)");
  private final ProblemList problems;
  private final Origins origins;
  private final JsonNode tree;

  SemanticCheck(ProblemList problems, Origins origins, JsonNode tree) {
    this.problems = problems;
    this.origins = origins;
    this.tree = tree;
  }

  void check(Scenario s) {
    new ModelCheck(problems).check(s);
    evaluation(s.evaluation());
    biases(s);
    constitution(s);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < s.lineages().size(); i++) {
      LineageSpec l = s.lineages().get(i);
      String path = "lineages[" + i + "]";
      int first = names.indexOf(l.name());
      require(first < 0, path + ".name", false, "expected a name no other lineage has, found " + Wording.quote(
          l.name()) + ", the name of lineages[" + first + "] too");
      names.add(l.name());
      data(l.data(), path + ".data", s.analytic() != null);
      if (s.analytic() instanceof AnalyticSpec.Bandit) banditStages(l, path);
      if (s.analytic() == null) {
        stages(l.stages(), path + ".stages", s.actors() == null || s.actors().humans() == null ? 1
            : s.actors().humans().count(), traits(s));
        schedules(l, path + ".stages");
        stageNames(l, path + ".stages");
        accumulated(l, path);
      }
    }
    if (s.analytic() == null) modelRefs(s);
    if (s.analytic() != null) {
      foreign("analytic.", s.analytic().problems());
    } else {
      foreign("world.", s.world().problems());
    }
  }

  private void evaluation(EvaluationSpec e) {
    long n = (long) e.prompts() * e.samplesPerPrompt();
    require(n <= EvaluationSpec.MAX_SAMPLES, "evaluation.samplesPerPrompt", false,
        "expected prompts × samplesPerPrompt ≤ " + EvaluationSpec.MAX_SAMPLES + ", found " + e.prompts() + " × "
            + e.samplesPerPrompt() + " = " + n, "evaluation.prompts");
    if (e.bestOfN() != null) {
      require(e.samplesPerPrompt() >= 2, "evaluation.bestOfN", false, "expected samplesPerPrompt ≥ 2 with bestOfN "
          + "(its KL is measured against a prompt's other samples), found " + e.samplesPerPrompt(),
          "evaluation.samplesPerPrompt");
      require(n * e.bestOfN() <= EvaluationSpec.MAX_SAMPLES, "evaluation.bestOfN", false, "expected prompts × "
          + "samplesPerPrompt × bestOfN ≤ " + EvaluationSpec.MAX_SAMPLES + ", found " + n + " × " + e.bestOfN(),
          "evaluation.prompts", "evaluation.samplesPerPrompt");
    }
  }

  /** The world's trait names: the defaults, then the extra traits. */
  private static List<String> traits(Scenario s) {
    List<String> traits = new ArrayList<>(Traits.DEFAULT_NAMES);
    if (s.world() != null && s.world().extraTraits() != null) {
      s.world().extraTraits().stream().map(ExtraTraitConfig::name).forEach(traits::add);
    }
    return traits;
  }

  private void constitution(Scenario s) {
    if (s.actors() == null || s.actors().critics() == null || s.actors().critics().constitution() == null
        || s.actors().critics().constitution().rules() == null) {
      return;
    }
    List<String> traits = traits(s), seen = new ArrayList<>();
    var rules = s.actors().critics().constitution().rules();
    for (int i = 0; i < rules.size(); i++) {
      String t = rules.get(i).trait(), path = "actors.critics.constitution.rules[" + i + "].trait";
      if (t == null) continue;
      require(traits.contains(t), path, false, "expected a trait of the world (" + String.join(", ", traits)
          + "), found " + Wording.quote(t) + Suggest.hint(t, traits), "world.extraTraits");
      require(!seen.contains(t), path, false, "expected each trait in at most one rule, found " + Wording.quote(t)
          + " again");
      seen.add(t);
    }
  }

  private void biases(Scenario s) {
    List<String> traits = traits(s);
    var humans = s.actors().humans();
    List<String> keys = io.priorflow.engine.world.WorldConfig.UTILITY_KEYS;
    java.util.Map<String, java.util.Map<String, Double>> scorings = new java.util.LinkedHashMap<>();
    if (humans.utility() != null) scorings.put("actors.humans.utility", humans.utility());
    if (s.actors().critics().utility() != null) scorings.put("actors.critics.utility", s.actors().critics().utility());
    for (var u : scorings.entrySet()) {
      for (String name : u.getValue().keySet()) {
        require(keys.contains(name), u.getKey() + "." + name, true, "expected a utility weight of the world ("
            + String.join(", ", keys) + "), found " + Wording.quote(name) + Suggest.hint(name, keys));
      }
    }
    for (String name : humans.biases().keySet()) {
      require(traits.contains(name), "actors.humans.biases." + name, true, "expected a trait of the world ("
          + String.join(", ", traits) + "), found " + Wording.quote(name) + Suggest.hint(name, traits),
          "world.extraTraits");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < humans.count() && i < 64; i++) ids.add(HumanSpec.id(i));
    for (var e : humans.individuals() == null ? java.util.Set.<java.util.Map.Entry<String, HumanOverride>>of()
        : humans.individuals().entrySet()) {
      String path = "actors.humans.individuals." + e.getKey();
      boolean known = e.getKey().startsWith(HumanSpec.ID_PREFIX) && ids.contains(e.getKey());
      require(known || (e.getKey().matches(HumanSpec.ID_PREFIX + "(0|[1-9][0-9]{0,5})")
              && Integer.parseInt(e.getKey().substring(HumanSpec.ID_PREFIX.length())) < humans.count()),
          path, true, "expected a labeller of the pool (human-0 … human-" + (humans.count() - 1) + ", from "
              + "actors.humans.count = " + humans.count() + "), found " + Wording.quote(e.getKey())
              + Suggest.hint(e.getKey(), ids), "actors.humans.count");
      if (e.getValue().biases() == null) continue;
      for (String name : e.getValue().biases().keySet()) {
        require(traits.contains(name), path + ".biases." + name, true, "expected a trait of the world ("
            + String.join(", ", traits) + "), found " + Wording.quote(name) + Suggest.hint(name, traits),
            "world.extraTraits");
      }
    }
  }

  private void data(DataPolicySpec d, String path, boolean analytic) {
    boolean subsample = d.policy() == DataPolicySpec.Policy.SUBSAMPLE;
    String policyName = ScenarioTypes.enumName(d.policy());
    if (analytic) {
      require(!subsample, path + ".policy", false, "expected replace or accumulate with an analytic world, found "
          + policyName);
      require(d.freshFraction() == 0, path + ".freshFraction", false, "expected 0 with an analytic world, found "
          + FieldRules.number(d.freshFraction()));
    }
    if (subsample) {
      require(d.subsampleSize() != null, path + ".subsampleSize", true,
          "expected an integer in [1, 10000000] with policy subsample, found nothing", path + ".policy");
    } else {
      require(d.subsampleSize() == null, path + ".subsampleSize", false, "expected no subsampleSize with policy "
          + policyName + " (only subsample uses it), found " + d.subsampleSize(), path + ".policy");
    }
  }

  private void accumulated(LineageSpec l, String path) {
    long perGeneration = l.stages().stream().mapToLong(st -> st instanceof GenerateStage g ? g.samples() : 0).sum();
    long total = l.generations() * perGeneration;
    require(l.data().policy() != DataPolicySpec.Policy.ACCUMULATE || total <= DataPolicySpec.MAX_ACCUMULATED,
        path + ".data.policy", false, "expected generations × generated samples ≤ " + DataPolicySpec.MAX_ACCUMULATED
            + " under accumulate (subsample caps the training set), found " + l.generations() + " × "
            + perGeneration + " = " + total, path + ".generations", path + ".stages");
  }

  /**
   * Stage schedules: a stage's from is at most its until (until 0 switches it off), and a train stage that learns
   * from preference pairs (dpo, reward_model) or ratings (kto) runs only in generations where an earlier stage
   * that makes them runs too.
   */
  private void schedules(LineageSpec l, String path) {
    List<StageSpec> stages = l.stages();
    for (int j = 0; j < stages.size(); j++) {
      StageSpec st = stages.get(j);
      String sp = path + "[" + j + "]";
      require(st.until() == null || st.until() == 0 || st.from() == null || st.from() <= st.until(), sp + ".until",
          false, "expected until ≥ from = " + st.from() + " (until: 0 switches the stage off), found " + st.until(),
          sp + ".from");
      if (!(st instanceof TrainStage t)) continue;
      boolean pairs = t.method() == TrainStage.Method.DPO || t.method() == TrainStage.Method.REWARD_MODEL;
      boolean ratings = t.method() == TrainStage.Method.KTO;
      if (!pairs && !ratings) continue;
      for (int g = 1; g <= l.generations(); g++) {
        if (!t.runsIn(g)) continue;
        boolean made = false;
        for (int i = 0; i < j && !made; i++) {
          StageSpec e = stages.get(i);
          made = e.runsIn(g) && (pairs ? e instanceof RedTeamStage
              || e instanceof LabelStage lb && lb.task() == LabelStage.Task.PREFER
              : e instanceof LabelStage lb && (lb.task() == LabelStage.Task.RATE || lb.task() == LabelStage.Task.CORRECT));
        }
        if (!made) {
          require(false, sp + ".method", false, "expected an earlier stage that makes "
              + (pairs ? "preference pairs (label with task prefer, or redteam)" : "ratings (label with task rate or "
              + "correct)") + " to run in generation " + g + ", where " + ScenarioTypes.enumName(t.method())
              + " runs; found none that does (see the stages' every, from and until)", path);
          break;
        }
      }
    }
  }

  /** Stage names are distinct within their lineage, so that {@code stages[<name>]} names one stage. */
  private void stageNames(LineageSpec l, String path) {
    if (l.stages() == null) return;
    List<String> seen = new ArrayList<>();
    for (int j = 0; j < l.stages().size(); j++) {
      String name = l.stages().get(j).name();
      if (name == null) {
        seen.add(null);
        continue;
      }
      int first = seen.indexOf(name);
      require(first < 0, path + "[" + j + "].name", false, "expected a name no other stage of this lineage has, "
          + "found " + Wording.quote(name) + ", the name of " + path + "[" + first + "] too");
      seen.add(name);
    }
  }

  /**
   * A bandit lineage's stages: label stages with task prefer and train stages with a method the bandit has; sft,
   * reward_model and dpo after a label stage (they learn from its pairs); β &gt; 0; the data replaced each generation.
   */
  private void banditStages(LineageSpec l, String path) {
    require(l.data().policy() == DataPolicySpec.Policy.REPLACE, path + ".data.policy", false, "expected replace "
        + "with a bandit world (each generation learns from its own pairs), found "
        + ScenarioTypes.enumName(l.data().policy()));
    if (l.stages() == null) return;
    boolean pairs = false, train = false;
    for (int j = 0; j < l.stages().size(); j++) {
      String sp = path + ".stages[" + j + "]";
      switch (l.stages().get(j)) {
        case LabelStage lb -> {
          require(lb.task() == LabelStage.Task.PREFER, sp + ".task", false, "expected prefer in a bandit world "
              + "(a label is a Bradley–Terry preference between two arms), found " + ScenarioTypes.enumName(lb.task()));
          pairs = true;
        }
        case TrainStage t -> {
          train = true;
          TrainStage.Method m = t.method();
          String method = ScenarioTypes.enumName(m);
          boolean known = m == TrainStage.Method.SFT || m == TrainStage.Method.REWARD_MODEL
              || m == TrainStage.Method.DPO || m == TrainStage.Method.RLHF || m == TrainStage.Method.BEST_OF_N;
          require(known, sp + ".method", false, "expected sft, reward_model, dpo, rlhf or best_of_n in a bandit world, "
              + "found " + method);
          boolean needsPairs = m == TrainStage.Method.SFT || m == TrainStage.Method.REWARD_MODEL
              || m == TrainStage.Method.DPO;
          require(!known || !needsPairs || pairs, sp + ".method", false, "expected an earlier label stage with task "
              + "prefer for " + method + " to learn from (its pairs), found none");
          require(!(m == TrainStage.Method.DPO || m == TrainStage.Method.RLHF) || t.klCoef() > 0, sp + ".klCoef", false,
              "expected β > 0 for " + method + " (klCoef is its β), found 0", sp + ".method");
        }
        default -> require(false, sp + ".kind", false, "expected label or train in a bandit world, found "
            + l.stages().get(j).kind());
      }
    }
    require(train, path + ".stages", true, "expected at least one train stage, found none");
  }

  /**
   * Stages' {@code teacher} and {@code reference} ({@link ModelRef}): each names a model that exists when the stage
   * runs — a lineage listed before the stage's own, a generation it has, or an earlier generation of the stage's own
   * lineage than the stage's first — and reference only where a method reads it.
   */
  private void modelRefs(Scenario s) {
    List<String> names = s.lineages().stream().map(LineageSpec::name).toList();
    String other = s.evaluation().winRateAgainstModel();
    if (other != null) {
      String path = "evaluation.winRateAgainstModel";
      require(s.evaluation().winRateAgainst() == null, path, false, "expected no winRateAgainstModel beside "
          + "winRateAgainst (one reference per win rate), found " + Wording.quote(other), "evaluation.winRateAgainst");
      ModelRef r = parsed(other, path);
      if (r != null && !r.namesLineage()) {
        require(false, path, false, "expected another lineage's model (<lineage>@<generation>, @latest or @same; "
            + "winRateAgainst takes base and teacher), found " + Wording.quote(other));
      } else if (r != null && known(r, other, names, path)) {
        generationExists(s, names.indexOf(r.lineage()), r, other, path);
      }
    }
    for (int i = 0; i < s.lineages().size(); i++) {
      LineageSpec l = s.lineages().get(i);
      if (l.stages() == null) continue;
      for (int j = 0; j < l.stages().size(); j++) {
        String sp = "lineages[" + i + "].stages[" + j + "]";
        switch (l.stages().get(j)) {
          case GenerateStage g -> modelRef(s, names, i, g, g.teacher(), sp + ".teacher");
          case TrainStage t -> {
            modelRef(s, names, i, t, t.teacher(), sp + ".teacher");
            modelRef(s, names, i, t, t.reference(), sp + ".reference");
            TrainStage.Method m = t.method();
            onlyWith(t.reference(), m == TrainStage.Method.DPO || m == TrainStage.Method.KTO
                    || m == TrainStage.Method.ONLINE_DPO || m == TrainStage.Method.RLHF, sp + ".reference",
                "a dpo, kto, online_dpo or rlhf stage", "method " + ScenarioTypes.enumName(m), sp + ".method");
          }
          default -> { }
        }
      }
    }
  }

  private void modelRef(Scenario s, List<String> names, int own, StageSpec st, String text, String path) {
    if (text == null) return;
    ModelRef ref = parsed(text, path);
    if (ref == null || !ref.namesLineage() || !known(ref, text, names, path)) return;
    int at = names.indexOf(ref.lineage());
    LineageSpec l = s.lineages().get(own);
    int first = st.from() == null ? 1 : st.from();
    int last = st.until() == null ? l.generations() : Math.min(st.until(), l.generations());
    if (at > own) {
      require(false, path, false, "expected a lineage listed before lineages[" + own + "] (lineages run in the "
          + "order listed, so " + Wording.quote(ref.lineage()) + ", lineages[" + at + "], has no models yet when this "
          + "stage runs), found " + Wording.quote(text) + "; move it up the list", "lineages[" + at + "].name");
    } else if (at == own && ref.kind() != ModelRef.Kind.GENERATION) {
      require(false, path, false, "expected teacher, base or " + ref.lineage() + "@<generation> for this "
          + "lineage's own models (its latest model is the teacher), found " + Wording.quote(text));
    } else if (at == own && ref.generation() >= first) {
      require(false, path, false, "expected a generation before " + first + ", the first this stage runs in (the "
          + "lineage's own generation " + ref.generation() + " does not exist yet then), found "
          + Wording.quote(text), path.substring(0, path.lastIndexOf('.')) + ".from");
    } else if (ref.kind() == ModelRef.Kind.SAME) {
      int has = s.lineages().get(at).generations();
      require(last <= has, path, false, "expected a lineage with at least " + last + " generations for @same (this "
          + "stage runs up to generation " + last + "), found " + Wording.quote(text) + ", whose lineage has " + has,
          "lineages[" + at + "].generations");
    } else {
      generationExists(s, at, ref, text, path);
    }
  }

  /** The reference {@code text} reads as, or null after reporting that it has none of the forms. */
  private ModelRef parsed(String text, String path) {
    try {
      return ModelRef.parse(text);
    } catch (IllegalArgumentException e) {
      require(false, path, false, e.getMessage());
      return null;
    }
  }

  /** True when the lineage a reference names is one of the scenario's; else reported, with a suggestion. */
  private boolean known(ModelRef ref, String text, List<String> names, String path) {
    boolean ok = names.contains(ref.lineage());
    require(ok, path, false, "expected a lineage of this scenario (" + String.join(", ", names) + "), found "
        + Wording.quote(ref.lineage()) + (text.equals(ref.lineage()) ? "" : " in " + Wording.quote(text))
        + Suggest.hint(ref.lineage(), names));
    return ok;
  }

  /** A {@code <lineage>@<k>} reference names a generation lineages[at] has. */
  private void generationExists(Scenario s, int at, ModelRef ref, String text, String path) {
    if (ref.kind() != ModelRef.Kind.GENERATION) return;
    int has = s.lineages().get(at).generations();
    require(ref.generation() <= has, path, false, "expected a generation in [0, " + has + "] of lineage "
        + ref.lineage() + " (its generations), found " + Wording.quote(text), "lineages[" + at + "].generations");
  }

  private void stages(List<StageSpec> stages, String path, int humans, List<String> traits) {
    boolean train = false, prefer = false, rated = false;
    for (int j = 0; j < stages.size(); j++) {
      String sp = path + "[" + j + "]";
      switch (stages.get(j)) {
        case TrainStage t -> {
          train = true;
          require(t.method() != TrainStage.Method.LORA || t.init() == TrainStage.Init.TEACHER, sp + ".init", false,
              "expected teacher with method lora (the adapter trains on the frozen teacher), found "
                  + ScenarioTypes.enumName(t.init()), sp + ".method");
          boolean needsPairs = t.method() == TrainStage.Method.DPO || t.method() == TrainStage.Method.REWARD_MODEL;
          require(!needsPairs || prefer, sp + ".method", false, "expected an earlier label stage with task prefer, "
              + "or a redteam stage, for " + ScenarioTypes.enumName(t.method()) + " to train on, found none", path);
          require(t.method() != TrainStage.Method.KTO || rated, sp + ".method", false, "expected an earlier label "
              + "stage with task rate or correct for kto to train on (its desirable and undesirable examples), found "
              + "none", path);
          methodFields(t, sp);
          boolean beta = t.method() == TrainStage.Method.DPO || t.method() == TrainStage.Method.ONLINE_DPO
              || t.method() == TrainStage.Method.KTO;
          require(!beta || t.klCoef() > 0, sp + ".klCoef", false, "expected β > 0 for "
              + ScenarioTypes.enumName(t.method()) + " (klCoef is its β; at 0 its loss no longer depends on the "
              + "policy's margin over the reference), found 0", sp + ".method");
        }
        case LabelStage l -> {
          prefer |= l.task() == LabelStage.Task.PREFER;
          rated |= l.task() == LabelStage.Task.RATE || l.task() == LabelStage.Task.CORRECT;
          require(!(l.overlap() > 0 && l.by() == LabelStage.By.HUMANS) || l.raters() <= humans, sp + ".raters", false,
              "expected at most actors.humans.count = " + humans + " raters per overlapped item, found "
                  + l.raters(), "actors.humans.count");
          require(!l.assisted() || (l.by() == LabelStage.By.HUMANS && (l.task() == LabelStage.Task.RATE
                  || l.task() == LabelStage.Task.CORRECT)),
              sp + ".assisted", false, "expected assisted only with by humans and task rate or correct", sp + ".by",
              sp + ".task");
          onlyWith(l.assistant(), l.assisted(), sp + ".assistant", "an assisted stage", "assisted false",
              sp + ".assisted");
          require(l.task() != LabelStage.Task.DEMONSTRATE || l.by() == LabelStage.By.HUMANS, sp + ".by", false,
              "expected humans with task demonstrate (only people write demonstrations), found critic", sp + ".task");
        }
        case RedTeamStage r -> {
          prefer = true;
          require(traits.contains(r.trait()), sp + ".trait", false, "expected a trait of the world ("
              + String.join(", ", traits) + "), found " + Wording.quote(r.trait()) + Suggest.hint(r.trait(), traits),
              "world.extraTraits");
        }
        default -> { }
      }
    }
    require(train, path, true, "expected at least one train stage, found " + stages.stream()
        .map(StageSpec::kind).collect(Collectors.joining(", ")));
  }

  /**
   * The fields only some methods read: each given for another method (or RLHF algorithm) is an error at that field,
   * since it would silently do nothing.
   */
  private void methodFields(TrainStage t, String sp) {
    TrainStage.Method m = t.method();
    String method = ScenarioTypes.enumName(m);
    onlyWith(t.algorithm(), m == TrainStage.Method.RLHF, sp + ".algorithm", "method rlhf", "method " + method,
        sp + ".method");
    boolean clipped = m == TrainStage.Method.RLHF && t.algorithmOrDefault() != TrainStage.Algorithm.RLOO;
    String algo = m == TrainStage.Method.RLHF ? "algorithm " + ScenarioTypes.enumName(t.algorithmOrDefault())
        : "method " + method;
    onlyWith(t.clip(), clipped, sp + ".clip", "rlhf algorithm ppo or grpo", algo, sp + ".algorithm", sp + ".method");
    onlyWith(t.ppoEpochs(), clipped, sp + ".ppoEpochs", "rlhf algorithm ppo or grpo", algo, sp + ".algorithm",
        sp + ".method");
    boolean ppo = m == TrainStage.Method.RLHF && t.algorithmOrDefault() == TrainStage.Algorithm.PPO;
    onlyWith(t.baseline(), ppo, sp + ".baseline", "rlhf algorithm ppo", algo, sp + ".algorithm", sp + ".method");
    onlyWith(t.gaeLambda(), ppo && t.baselineOrDefault() == TrainStage.Baseline.VALUE, sp + ".gaeLambda",
        "rlhf algorithm ppo with baseline value", ppo ? "baseline " + ScenarioTypes.enumName(t.baselineOrDefault())
            : algo, sp + ".baseline", sp + ".algorithm", sp + ".method");
    boolean kto = m == TrainStage.Method.KTO, gkd = m == TrainStage.Method.GKD;
    onlyWith(t.desirableWeight(), kto, sp + ".desirableWeight", "method kto", "method " + method, sp + ".method");
    onlyWith(t.undesirableWeight(), kto, sp + ".undesirableWeight", "method kto", "method " + method,
        sp + ".method");
    onlyWith(t.divergence(), gkd, sp + ".divergence", "method gkd", "method " + method, sp + ".method");
    onlyWith(t.onPolicyFraction(), gkd, sp + ".onPolicyFraction", "method gkd", "method " + method, sp + ".method");
    onlyWith(t.jsdBeta(), gkd && t.divergenceOrDefault() == TrainStage.Divergence.JSD, sp + ".jsdBeta",
        "method gkd with divergence jsd", gkd ? "divergence " + ScenarioTypes.enumName(t.divergenceOrDefault())
            : "method " + method, sp + ".divergence", sp + ".method");
    onlyWith(t.rounds(), m == TrainStage.Method.ONLINE_DPO, sp + ".rounds", "method online_dpo", "method " + method,
        sp + ".method");
    onlyWith(t.by(), m == TrainStage.Method.ONLINE_DPO, sp + ".by", "method online_dpo", "method " + method,
        sp + ".method");
  }

  /** A field that only {@code who} reads is an error elsewhere: "expected no clip with algorithm rloo (…)". */
  private void onlyWith(Object value, boolean used, String path, String who, String here, String... involved) {
    if (value == null || used) return;
    String field = path.substring(path.lastIndexOf('.') + 1);
    String found = value instanceof Enum<?> e ? ScenarioTypes.enumName(e) : value instanceof Double d
        ? FieldRules.number(d) : String.valueOf(value);
    require(false, path, true, "expected no " + field + " with " + here + " (only " + who + " uses it), found "
        + found, involved);
  }

  /**
   * Adds the problems of a foreign config ("tags.low.correct must be in [0, 1], was 1.4") as problems of the
   * scenario ("world.tags.low.correct: expected a number in [0, 1], found 1.4"), unless that path already has one.
   */
  private void foreign(String prefix, List<String> lines) {
    for (String line : lines) {
      int sp = line.indexOf(' ');
      String path = prefix + line.substring(0, sp);
      String rule = line.substring(sp + 1), found = null;
      int was = rule.lastIndexOf(", was ");
      if (was >= 0) {
        found = rule.substring(was + ", was ".length());
        rule = rule.substring(0, was);
      }
      if (problems.hasPath(path) || problems.touchesBad(path)) {
        continue;
      }
      JsonNode node = at(path);
      String message;
      Matcher plus = PLUS.matcher(rule), notTrait = NOT_TRAIT.matcher(rule);
      if (rule.startsWith("must be in [") || rule.startsWith("must be in (")) {
        message = "expected " + (node != null && node.isIntegralNumber() ? "an integer" : "a number")
            + rule.substring("must be".length());
        if (found != null && node != null && node.isValueNode()) {
          found = Wording.found(node, origins.rawAt(path)); // the value as written
        }
      } else if (notTrait.matches()) {
        message = "expected a default trait or wrong (" + notTrait.group(1) + "; " + notTrait.group(2) + ")";
        found = Wording.quote(path.substring(path.lastIndexOf('.') + 1));
      } else if (plus.matches()) {
        message = "expected this plus " + prefix + plus.group(1) + " to be at most " + plus.group(2);
      } else if (rule.startsWith("must be ")) {
        message = "expected " + rule.substring("must be ".length());
      } else if (rule.startsWith("must ")) {
        message = "expected to " + rule.substring("must ".length());
      } else {
        message = rule;
      }
      boolean atKey = node == null || node.isContainerNode() || notTrait.matches();
      problems.add(path, atKey, message + (found != null ? ", found " + found : ""));
    }
  }

  /** The merged tree's node at a path, or null. */
  private JsonNode at(String path) {
    JsonNode n = tree;
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      String key = bracket < 0 ? part : part.substring(0, bracket);
      n = n == null ? null : n.get(key);
      while (bracket >= 0 && n != null) {
        int close = part.indexOf(']', bracket);
        n = n.get(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    return n;
  }

  /** Adds the problem unless ok, or unless a path involved was already found wrong. */
  private void require(boolean ok, String path, boolean atKey, String message, String... alsoInvolved) {
    if (ok || problems.touchesBad(path) || problems.touchesBad(alsoInvolved)) {
      return;
    }
    problems.add(path, atKey, message);
  }

}
