package io.priorflow.engine.run;

import io.priorflow.engine.data.DataPolicies;
import io.priorflow.engine.data.DataPolicyParams;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.FreshData;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.WorldData;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.label.Agreement;
import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.label.Overlap;
import io.priorflow.engine.label.PreferenceData;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.scenario.TrainingSpec;
import io.priorflow.engine.train.InContext;
import io.priorflow.engine.train.PreferencePairs;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.label.RedTeamFinding;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.scenario.DataPolicySpec;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import io.priorflow.engine.work.LabelResult;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One lineage of a {@link ScenarioRun}: generation after generation, the stages turn the teacher into new data, the
 * data policy makes the training set, the student trains on it, is evaluated, and becomes the next teacher.
 * Stage ids are {@code <lineage>/g<generation>/s<k>-<kind>}; item ids add an index.
 */
final class LineageRun {
  /** Prompts per generation work item and sequences per critic work item: tens to hundreds per message. */
  static final int SAMPLE_BATCH = 64, SCORE_BATCH = 256;

  /** A datum in flight, with the prompt it answers (human corrections answer it anew). */
  record Item(Datum datum, Prompt prompt) {}

  private final ScenarioRun run;
  private final LineageSpec spec;
  private final String baseId, baseItems, criticId;
  private final Dataset baseData;
  /** The config of this lineage's students (init scratch); teacher-derived models keep their teacher's. */
  private final io.priorflow.engine.model.TokenModelConfig studentConfig;
  private final List<Dataset> history = new ArrayList<>();
  private LabelCounters counters = LabelCounters.ZERO;
  private long trainTokens;
  /** The lineage's reward model (from its latest reward_model stage), or null: rlhf, best_of_n, reward.proxy use the critic. */
  private String rewardModelId;
  /** This generation's preference data: chosen, rejected, chosen, rejected, … (prefer labels; red-team finds). */
  private List<Datum> pairs = new ArrayList<>();
  /**
   * This generation's rated examples for kto, in label order: every datum a rate or correct label stage judged, with
   * its rating (value 1 desirable, 0 undesirable), and each human correction (desirable).
   */
  private List<Rated> ratings = new ArrayList<>();

  /** A judged datum for kto: desirable (accepted, or a correction) or not (rejected). */
  record Rated(Datum datum, boolean desirable) {}
  /** This generation's method metrics (agreement, trainer stats); see {@link io.priorflow.engine.metrics.MetricNames#METHOD}. */
  private Map<String, Double> methodMetrics = new java.util.TreeMap<>();
  /** This generation's judgements against the gold oracle: source → {agreeing, all} (labels.gold_agreement.*). */
  private Map<String, long[]> goldVotes = new java.util.TreeMap<>();
  /** This generation's assisted labels whose pre-label was wrong, and how many of them the human got wrong too. */
  private long anchoredWrong, anchoredErrors;
  /** This generation's labelling session: each human's hours so far (fatigue carries across stages). */
  private LabourCost session = LabourCost.NONE;
  /** Prompts the red team found in earlier generations, where its search starts (the latest SEEDS_KEPT). */
  private final List<Prompt> redTeamSeeds = new ArrayList<>();
  static final int SEEDS_KEPT = 256;

  LineageRun(ScenarioRun run, LineageSpec spec, ScenarioRun.Base base, String criticId) {
    this.run = run;
    this.spec = spec;
    this.baseId = base.id();
    this.baseItems = base.prefix();
    this.baseData = base.data();
    this.criticId = criticId;
    this.studentConfig = run.config(ModelRoles.student(run.scenario, spec));
  }

  void run() throws InterruptedException {
    Map<String, Double> base = run.evaluate(baseItems + "/evaluate", spec.name(), 0, baseId, baseId, criticId);
    run.finishGeneration(row(0, baseId, base));
    history.add(baseData);
    String teacher = baseId;
    for (int g = 1; g <= spec.generations(); g++) {
      List<Item> items = new ArrayList<>();
      String student = null;
      pairs = new ArrayList<>();
      ratings = new ArrayList<>();
      methodMetrics = new java.util.TreeMap<>();
      goldVotes = new java.util.TreeMap<>();
      anchoredWrong = anchoredErrors = 0;
      session = LabourCost.NONE;
      for (int k = 0; k < spec.stages().size(); k++) {
        StageSpec st = spec.stages().get(k);
        String stage = spec.name() + "/g" + g + "/s" + k + "-" + kindOf(st);
        if (!st.runsIn(g)) continue; // its schedule skips this generation; item ids stay those of the stage's place
        switch (st) {
          case GenerateStage s -> items = generate(stage, g, s, teacher);
          case FilterStage s -> items = filter(stage, g, s, items);
          case LabelStage s -> items = s.task() == LabelStage.Task.PREFER ? prefer(stage, g, s, items, teacher)
              : s.task() == LabelStage.Task.DEMONSTRATE ? demonstrate(stage, g, s, items)
              : label(stage, g, s, items);
          case RedTeamStage s -> redTeam(stage, g, s, teacher);
          case TrainStage s -> {
            String m = train(stage, g, s, items, teacher);
            if (m != null) student = m;
          }
          default -> throw new IllegalArgumentException("stage kind " + kindOf(st) + " is not available in this build");
        }
      }
      if (student == null) student = teacher; // no train stage ran this generation: the model stays as it was
      String evalId = spec.name() + "/g" + g + "/evaluate/0";
      var against = run.scenario.evaluation().winRateAgainst();
      Map<String, Double> metrics = run.evaluate(evalId, spec.name(), g, student, baseId,
          rewardModelId != null ? rewardModelId : criticId, against == null ? null
              : against == io.priorflow.engine.scenario.EvaluationSpec.Reference.BASE ? baseId : teacher);
      run.finishGeneration(row(g, student, metrics));
      run.listener.generationFinished(spec.name(), g, spec.generations());
      teacher = student;
    }
  }

  private MetricsRow row(int g, String modelId, Map<String, Double> metrics) {
    Map<String, Double> m = new LinkedHashMap<>(metrics);
    m.putAll(counters.metrics());
    if (g > 0) {
      m.putAll(methodMetrics);
      goldVotes.forEach((source, v) -> m.put(MetricNames.GOLD_AGREEMENT_PREFIX + source, v[0] / (double) v[1]));
      if (anchoredWrong > 0) m.put(MetricNames.LABELS_ANCHORED_ERROR, anchoredErrors / (double) anchoredWrong);
      if (session.labels() > 0) m.put(MetricNames.LABELS_SECONDS_PER_LABEL, session.hours() * 3600 / session.labels());
    }
    m.put(MetricNames.COST_TRAIN_TOKENS, (double) trainTokens);
    m.put(MetricNames.COST_AI_USD, counters.aiLabels() * run.scenario.actors().critics().costPerLabel());
    m.putAll(run.graph.build().ancestryMetrics(modelId));
    return new MetricsRow(spec.name(), g, modelId, run.replicate, run.params, m);
  }

  /** Counts one judgement by {@code source} against gold; a human's counts for "humans" too. */
  private void vote(String source, boolean agrees) {
    for (String s : source.startsWith(io.priorflow.engine.scenario.HumanSpec.ID_PREFIX)
        ? List.of(source, "humans") : List.of(source)) {
      long[] v = goldVotes.computeIfAbsent(s, k -> new long[2]);
      if (agrees) v[0]++;
      v[1]++;
    }
  }

  /** Counts a preference against gold: agreeing when the preferred side has the higher utility; ties do not count. */
  private void voteOnPair(String source, boolean preferFirst, Datum first, Datum second) {
    double a = run.world.oracle().score(first.tokens()).utility(), b = run.world.oracle().score(second.tokens()).utility();
    if (a != b) vote(source, preferFirst == (a > b));
  }

  /** The gold oracle's verdict on an item: good when its utility is ≥ 0 (as {@code HumanJudge} reads it). */
  private boolean good(Item it) {
    return run.world.oracle().score(it.datum().tokens()).utility() >= 0;
  }

  static String kindOf(StageSpec st) {
    return switch (st) {
      case GenerateStage s -> "generate";
      case FilterStage s -> "filter";
      case LabelStage s -> "label";
      case TrainStage s -> "train";
      case RedTeamStage s -> "redteam";
      default -> st.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The teacher answers world prompts (with the stage's tag, if any), SAMPLE_BATCH prompts per item. */
  private List<Item> generate(String stage, int g, GenerateStage s, String teacher) throws InterruptedException {
    SplittableRandom rng = run.streams.forItem(stage + "/prompts");
    List<Prompt> prompts = new ArrayList<>(s.samples());
    for (int i = 0; i < s.samples(); i++) {
      prompts.add(s.tag().toTag().map(t -> run.world.samplePromptWithTag(t, rng)).orElseGet(() ->
          run.world.samplePrompt(rng)));
    }
    // prompting: each prompt as the teacher sees it, with in-context examples prepended when the stage asks
    List<int[]> asked = new ArrayList<>(prompts.size());
    SplittableRandom exampleRng = run.streams.forItem(stage + "/examples");
    int context = s.examples() == 0 ? 0 : run.store.get(teacher).config().context(); // what the teacher reads
    for (Prompt p : prompts) {
      if (s.examples() == 0) {
        asked.add(p.tokens());
        continue;
      }
      List<int[]> examples = new ArrayList<>(s.examples());
      for (int e = 0; e < s.examples(); e++) {
        examples.add(s.examplesTag().toTag().map(t -> run.world.sampleWithTag(t, exampleRng))
            .orElseGet(() -> run.world.sample(exampleRng)).sequence());
      }
      asked.add(InContext.condition(examples, p.tokens(), context));
    }
    List<SampleWork> work = new ArrayList<>();
    for (int from = 0; from < asked.size(); from += SAMPLE_BATCH) {
      work.add(new SampleWork(stage + "/" + ScenarioRun.pad(work.size()), teacher,
          asked.subList(from, Math.min(asked.size(), from + SAMPLE_BATCH)), s.sampling(Vocabulary.EOS)));
    }
    List<Item> out = new ArrayList<>(prompts.size());
    int i = 0;
    for (WorkResult r : run.dispatch(stage, "generate", spec.name(), g, work)) {
      for (int[] seq : ((SampleResult) r).sequences()) {
        Prompt p = prompts.get(i);
        // the datum is the prompt and the response: the examples were context, not data
        int[] data = new int[p.length() + seq.length - asked.get(i).length];
        System.arraycopy(p.tokens(), 0, data, 0, p.length());
        System.arraycopy(seq, asked.get(i).length, data, p.length(), seq.length - asked.get(i).length);
        out.add(new Item(new Datum(stage + "/" + ScenarioRun.pad(i), data, p.length(),
            Provenance.generated(ScenarioRun.GENERATOR, teacher, g)), p));
        i++;
      }
    }
    return out;
  }

  /** Keeps the best keepFraction by the critic's (noisy) score or by gold utility; ties go to the lower id. */
  private List<Item> filter(String stage, int g, FilterStage s, List<Item> items) throws InterruptedException {
    requireData(stage, items);
    double[] scores;
    long aiLabels = 0;
    if (s.by() == FilterStage.By.CRITIC) {
      scores = critique(stage, g, items);
      aiLabels = items.size();
    } else {
      run.dispatch(stage, "filter", spec.name(), g, List.of());
      scores = new double[items.size()];
      for (int i = 0; i < items.size(); i++) scores[i] = run.world.oracle().score(items.get(i).datum().tokens()).utility();
    }
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i));
    int keep = Math.max(1, (int) Math.round(s.keepFraction() * items.size()));
    boolean[] kept = new boolean[items.size()];
    for (int j = 0; j < keep; j++) kept[order[j]] = true;
    List<Item> out = new ArrayList<>(keep);
    String labeller = s.by() == FilterStage.By.CRITIC ? ScenarioRun.CRITIC : "gold";
    String model = s.by() == FilterStage.By.CRITIC ? criticId : null;
    for (int i = 0; i < items.size(); i++) {
      if (!kept[i]) continue;
      Item it = items.get(i);
      out.add(new Item(judged(it.datum(), s.by() == FilterStage.By.CRITIC, LabelKind.KEEP, 1, labeller, model),
          it.prompt()));
    }
    counters = counters.plus(new LabelCounters(0, aiLabels, 0, 0));
    emitWithLabels(stage, out.size(), 0, 0, 0, aiLabels);
    return out;
  }

  /** The critic's scores of every item's response, SCORE_BATCH sequences per work item. */
  private double[] critique(String stage, int g, List<Item> items) throws InterruptedException {
    List<io.priorflow.engine.work.WorkItem> work = new ArrayList<>();
    for (int from = 0; from < items.size(); from += SCORE_BATCH) {
      List<Item> part = items.subList(from, Math.min(items.size(), from + SCORE_BATCH));
      List<int[]> seqs = new ArrayList<>(part.size());
      int[] starts = new int[part.size()];
      for (int j = 0; j < part.size(); j++) {
        seqs.add(part.get(j).datum().tokens());
        starts[j] = part.get(j).datum().responseStart();
      }
      String id = stage + "/" + ScenarioRun.pad(work.size());
      double temp = run.scenario.actors().critics().temperature();
      work.add(run.constitution != null
          ? new ConstitutionWork(id, ScenarioRun.CRITIC, run.constitution, seqs, starts, temp)
          : new ScoreWork(id, ScenarioRun.CRITIC, criticId, seqs, starts, temp));
    }
    double[] scores = new double[items.size()];
    int i = 0;
    for (WorkResult r : run.dispatch(stage, kindLabelOrFilter(stage), spec.name(), g, work)) {
      for (double x : ((ScoreResult) r).scores()) scores[i++] = x;
    }
    return scores;
  }

  private static String kindLabelOrFilter(String stage) { return stage.endsWith("-filter") ? "filter" : "label"; }

  /**
   * Humans (or the critic) check a uniform sample of the items: accepted items gain a rating label, rejected ones
   * are dropped — or, under the task "correct", replaced by the human's corrected datum. Items outside the sample
   * pass unchecked. Humans get the sample round-robin (item j to labeller j mod count), one work item each.
   */
  private List<Item> label(String stage, int g, LabelStage s, List<Item> items) throws InterruptedException {
    requireData(stage, items);
    int n = Math.min(s.sample(), items.size());
    int[] chosen = sample(items.size(), n, run.streams.forItem(stage + "/sample"));
    boolean[] accepted = new boolean[items.size()];
    java.util.Arrays.fill(accepted, true);
    Map<Integer, Item> corrected = new java.util.TreeMap<>();
    Map<Integer, String> labelledBy = new java.util.TreeMap<>();
    Map<Integer, Boolean> preLabelled = new java.util.TreeMap<>();
    double hours = 0, usd = 0, makespan = 0;
    long humanLabels = 0, aiLabels = 0;
    if (s.by() == LabelStage.By.CRITIC) {
      List<Item> sampled = new ArrayList<>();
      for (int j : chosen) sampled.add(items.get(j));
      double[] scores = critique(stage, g, sampled);
      for (int q = 0; q < chosen.length; q++) {
        accepted[chosen[q]] = scores[q] >= 0;
        vote(ScenarioRun.CRITIC, accepted[chosen[q]] == good(items.get(chosen[q])));
        labelledBy.put(chosen[q], ScenarioRun.CRITIC);
      }
      aiLabels = n;
    } else {
      var humans = run.scenario.actors().humans();
      int count = Math.min(humans.count(), n);
      boolean[] pre = null;
      if (s.assisted()) {
        List<Item> sampled = new ArrayList<>();
        for (int j : chosen) sampled.add(items.get(j));
        double[] scores = critique(stage, g, sampled);
        pre = new boolean[items.size()];
        for (int q = 0; q < chosen.length; q++) {
          pre[chosen[q]] = scores[q] >= 0;
          preLabelled.put(chosen[q], scores[q] >= 0);
        }
        aiLabels = n;
      }
      List<LabelWork> work = new ArrayList<>();
      List<List<Integer>> assigned = new ArrayList<>();
      List<Integer> workers = new ArrayList<>(); // the labellers present: an absent one's items stay unlabelled
      for (int h = 0; h < count; h++) {
        if (humans.absent(h)) continue;
        workers.add(h);
        List<Integer> mine = new ArrayList<>();
        for (int q = h; q < n; q += humans.count()) mine.add(chosen[q]);
        List<Prompt> prompts = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (int j : mine) {
          prompts.add(items.get(j).prompt());
          seqs.add(items.get(j).datum().tokens());
        }
        assigned.add(mine);
        boolean[] myPre = null;
        if (pre != null) {
          myPre = new boolean[mine.size()];
          for (int q = 0; q < mine.size(); q++) myPre[q] = pre[mine.get(q)];
        }
        work.add(new LabelWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
            session.hoursOf(ScenarioRun.humanId(h)), prompts, seqs, s.task().name().toLowerCase(java.util.Locale.ROOT),
            myPre));
      }
      List<String> labellers = new ArrayList<>();
      long[] done = new long[workers.size()];
      double[] secs = new double[workers.size()], paid = new double[workers.size()];
      List<WorkResult> results = run.dispatch(stage, "label", spec.name(), g, work);
      for (int w = 0; w < workers.size(); w++) {
        int h = workers.get(w);
        LabelResult r = (LabelResult) results.get(w);
        String who = ScenarioRun.humanId(h);
        List<Integer> mine = assigned.get(w);
        for (int q = 0; q < mine.size(); q++) {
          int j = mine.get(q);
          accepted[j] = r.accepted()[q];
          boolean gold = good(items.get(j));
          vote(who, accepted[j] == gold);
          if (pre != null) {
            vote(ScenarioRun.CRITIC, pre[j] == gold);
            if (pre[j] != gold) {
              anchoredWrong++;
              if (accepted[j] != gold) anchoredErrors++;
            }
          }
          labelledBy.put(j, who);
          int[] fix = r.corrections().get(q);
          if (!accepted[j] && fix.length > 0) {
            Item orig = items.get(j);
            Datum d = new Datum(orig.datum().id() + "/fix", fix, orig.prompt().length(),
                Provenance.human(who, g, List.of(orig.datum().id()))).withLabel(Label.human(LabelKind.CORRECTION, 1, who));
            corrected.put(j, new Item(d, orig.prompt()));
          }
        }
        hours += r.seconds() / 3600.0;
        usd += r.usd();
        makespan = Math.max(makespan, r.seconds() / 3600.0);
        labellers.add(ScenarioRun.humanId(h));
        done[w] = mine.size();
        secs[w] = r.seconds();
        paid[w] = r.usd();
        humanLabels += mine.size();
      }
      session = session.then(LabourCost.of(labellers, done, secs, paid));
    }
    List<Item> out = new ArrayList<>(items.size());
    for (int j = 0; j < items.size(); j++) {
      Item it = items.get(j);
      String who = labelledBy.get(j);
      if (who == null) {
        out.add(it);
      } else if (accepted[j]) {
        Datum d = s.by() == LabelStage.By.CRITIC ? judged(it.datum(), true, LabelKind.RATING, 1, who, criticId)
            : it.datum().withLabel(Label.human(LabelKind.RATING, 1, who));
        if (preLabelled.containsKey(j)) {
          d = judged(d, true, LabelKind.RATING, preLabelled.get(j) ? 1 : 0, ScenarioRun.CRITIC, criticId);
        }
        out.add(new Item(d, it.prompt()));
        ratings.add(new Rated(d, true));
      } else {
        // rejected: dropped from the data, kept as an undesirable example for kto
        Datum bad = s.by() == LabelStage.By.CRITIC ? judged(it.datum(), true, LabelKind.RATING, 0, who, criticId)
            : it.datum().withLabel(Label.human(LabelKind.RATING, 0, who));
        ratings.add(new Rated(bad, false));
        if (corrected.containsKey(j)) {
          Item c = corrected.get(j);
          Datum d = c.datum();
          if (preLabelled.containsKey(j)) {
            d = judged(d, true, LabelKind.RATING, preLabelled.get(j) ? 1 : 0, ScenarioRun.CRITIC, criticId);
          }
          out.add(new Item(d, c.prompt()));
          ratings.add(new Rated(d, true));
        }
      }
    }
    counters = counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    emitWithLabels(stage, out.size(), makespan, hours, usd, aiLabels);
    return out;
  }

  /**
   * The datum with a label: the critic's — one per trait classifier under a constitution, else one naming its
   * model — when {@code critic}, else the gold oracle's (an AI label of no model).
   */
  private Datum judged(Datum d, boolean critic, LabelKind kind, double value, String who, String model) {
    if (critic && run.constitution != null) {
      for (Label l : run.constitution.labels(kind, value, who, null)) d = d.withLabel(l);
      return d;
    }
    return d.withLabel(Label.ai(kind, value, who, model));
  }

  private void emitWithLabels(String stage, int data, double makespan, double hours, double usd, long ai) {
    StageEvent e = run.lastStage;
    run.emit(new StageEvent(stage, spec.name(), e.generation(), e.kind(), e.items(), data, e.retries(),
        e.wallMillis(), makespan, hours, usd, ai, 0, Instant.now().toString()));
  }

  /**
   * Preference labels: for each sampled item the teacher writes a second response to the same prompt, and humans
   * (or the critic) say which of the two is better. Humans get the pairs by {@link Overlap#assign} (round robin, an
   * {@code overlap} share labelled by {@code raters} humans, whose majority decides); each rater adds one
   * PREFERENCE label to both sides. The chosen side replaces the item in the stage's output (unsampled items pass
   * unchanged) and the pair joins this generation's preference data for dpo and reward_model.
   */
  private List<Item> prefer(String stage, int g, LabelStage s, List<Item> items, String teacher)
      throws InterruptedException {
    requireData(stage, items);
    int n = Math.min(s.sample(), items.size());
    int[] chosen = sample(items.size(), n, run.streams.forItem(stage + "/sample"));
    // 1. second responses from the teacher, SAMPLE_BATCH prompts per item
    List<SampleWork> sampling = new ArrayList<>();
    for (int from = 0; from < n; from += SAMPLE_BATCH) {
      List<int[]> batch = new ArrayList<>();
      for (int q = from; q < Math.min(n, from + SAMPLE_BATCH); q++) batch.add(items.get(chosen[q]).prompt().tokens());
      sampling.add(new SampleWork(stage + "/second/" + ScenarioRun.pad(sampling.size()), teacher, batch,
          samplingOf(Vocabulary.EOS)));
    }
    List<Datum> firsts = new ArrayList<>(n), seconds = new ArrayList<>(n);
    int q0 = 0;
    for (WorkResult r : run.dispatch(stage + "/second", "label", spec.name(), g, sampling)) {
      for (int[] seq : ((SampleResult) r).sequences()) {
        Item it = items.get(chosen[q0]);
        firsts.add(it.datum());
        seconds.add(new Datum(stage + "/second/" + ScenarioRun.pad(q0), seq, it.prompt().length(),
            Provenance.generated(ScenarioRun.GENERATOR, teacher, g)));
        q0++;
      }
    }
    // 2. the judgements: preferFirst per pair (the majority's for overlapped pairs), and who judged
    boolean[] preferFirst = new boolean[n];
    List<List<String>> raters = new ArrayList<>();
    double hours = 0, usd = 0, makespan = 0;
    long humanLabels = 0, aiLabels = 0;
    if (s.by() == LabelStage.By.CRITIC) {
      List<CriticPreferWork> work = new ArrayList<>();
      for (int from = 0; from < n; from += SCORE_BATCH) {
        int to = Math.min(n, from + SCORE_BATCH);
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        int[] starts = new int[to - from];
        for (int q = from; q < to; q++) {
          a.add(firsts.get(q).tokens());
          b.add(seconds.get(q).tokens());
          starts[q - from] = firsts.get(q).responseStart();
        }
        work.add(new CriticPreferWork(stage + "/" + ScenarioRun.pad(work.size()), ScenarioRun.CRITIC,
            run.constitution != null ? null : criticId, run.constitution, a, b, starts,
            run.scenario.actors().critics().temperature()));
      }
      int q = 0;
      for (WorkResult r : run.dispatch(stage, "label", spec.name(), g, work)) {
        for (boolean f : ((PreferResult) r).preferFirst()) {
          preferFirst[q] = f;
          voteOnPair(ScenarioRun.CRITIC, f, firsts.get(q), seconds.get(q));
          raters.add(List.of(ScenarioRun.CRITIC));
          q++;
        }
      }
      aiLabels = n;
    } else {
      var humans = run.scenario.actors().humans();
      Overlap plan = Overlap.assign(n, humans.count(), s.overlap(), Math.min(s.raters(), humans.count()),
          run.streams.forItem(stage + "/overlap"));
      List<PreferWork> work = new ArrayList<>();
      List<Integer> workers = new ArrayList<>();
      for (int h = 0; h < humans.count(); h++) {
        List<Integer> mine = plan.byLabeller().get(h);
        if (mine.isEmpty() || humans.absent(h)) continue; // an absent labeller's pairs go to no one
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        for (int q : mine) {
          a.add(firsts.get(q).tokens());
          b.add(seconds.get(q).tokens());
        }
        work.add(new PreferWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
            session.hoursOf(ScenarioRun.humanId(h)), a, b, null));
        workers.add(h);
      }
      List<WorkResult> results = run.dispatch(stage, "label", spec.name(), g, work);
      Map<Integer, Map<Integer, Boolean>> votes = new java.util.TreeMap<>(); // pair → labeller → preferFirst
      List<String> ids = new ArrayList<>();
      long[] done = new long[workers.size()];
      double[] secs = new double[workers.size()], paid = new double[workers.size()];
      for (int w = 0; w < workers.size(); w++) {
        int h = workers.get(w);
        PreferResult r = (PreferResult) results.get(w);
        List<Integer> mine = plan.byLabeller().get(h);
        for (int k = 0; k < mine.size(); k++) {
          votes.computeIfAbsent(mine.get(k), x -> new java.util.TreeMap<>()).put(h, r.preferFirst()[k]);
          voteOnPair(ScenarioRun.humanId(h), r.preferFirst()[k], firsts.get(mine.get(k)), seconds.get(mine.get(k)));
        }
        ids.add(ScenarioRun.humanId(h));
        done[w] = mine.size();
        secs[w] = r.seconds();
        paid[w] = r.usd();
      }
      LabourCost cost = LabourCost.of(ids, done, secs, paid);
      session = session.then(cost);
      hours = cost.hours();
      usd = cost.usd();
      makespan = cost.makespanHours();
      humanLabels = cost.labels();
      List<int[]> overlapped = new ArrayList<>();
      for (int q = 0; q < n; q++) {
        List<Integer> who = plan.byItem().get(q).stream().filter(h -> !humans.absent(h)).toList();
        if (who.isEmpty()) { // judged by absent labellers only: no pair
          raters.add(List.of());
          continue;
        }
        int[] labels = new int[who.size()];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < who.size(); k++) {
          labels[k] = votes.get(q).get(who.get(k)) ? 1 : 0;
          names.add(ScenarioRun.humanId(who.get(k)));
        }
        preferFirst[q] = Overlap.majority(labels) == 1;
        raters.add(names);
        if (labels.length > 1) overlapped.add(labels);
      }
      if (!overlapped.isEmpty()) {
        Agreement.Report rep = Agreement.of(overlapped.toArray(int[][]::new), 2);
        methodMetrics.put(MetricNames.LABELS_KAPPA, rep.fleiss());
        methodMetrics.put(MetricNames.LABELS_AGREEMENT, rep.observed());
      }
    }
    // 3. labels: one PREFERENCE label per judge on each side; the chosen side goes on
    Map<Integer, Datum> winners = new java.util.TreeMap<>();
    for (int q = 0; q < n; q++) {
      if (raters.get(q).isEmpty()) continue;
      Datum c = preferFirst[q] ? firsts.get(q) : seconds.get(q);
      Datum r = preferFirst[q] ? seconds.get(q) : firsts.get(q);
      for (String who : raters.get(q)) {
        List<Datum> p = s.by() == LabelStage.By.CRITIC
            ? (run.constitution != null ? PreferenceData.pair(c, r, run.constitution, who)
                : PreferenceData.pair(c, r, LabellerKind.AI, who, criticId))
            : PreferenceData.pair(c, r, LabellerKind.HUMAN, who, null);
        c = p.get(0);
        r = p.get(1);
      }
      pairs.add(c);
      pairs.add(r);
      winners.put(chosen[q], c);
    }
    List<Item> out = new ArrayList<>(items.size());
    for (int j = 0; j < items.size(); j++) {
      Datum w = winners.get(j);
      out.add(w == null ? items.get(j) : new Item(w, items.get(j).prompt()));
    }
    counters = counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    emitWithLabels(stage, out.size(), makespan, hours, usd, aiLabels);
    return out;
  }

  /**
   * Demonstrations: humans write a response to each of {@code sample} fresh world prompts (prompt q to human q mod
   * count, one {@link DemonstrateWork} each); each becomes a datum with human provenance and no labels, added after
   * this generation's data so far.
   */
  private List<Item> demonstrate(String stage, int g, LabelStage s, List<Item> items) throws InterruptedException {
    var humans = run.scenario.actors().humans();
    SplittableRandom rng = run.streams.forItem(stage + "/prompts");
    List<Prompt> prompts = new ArrayList<>(s.sample());
    for (int i = 0; i < s.sample(); i++) prompts.add(run.world.samplePrompt(rng));
    int writers = Math.min(humans.count(), prompts.size());
    List<DemonstrateWork> work = new ArrayList<>();
    List<Integer> present = new ArrayList<>(); // an absent labeller's prompts get no demonstration
    for (int h = 0; h < writers; h++) {
      if (humans.absent(h)) continue;
      present.add(h);
      List<Prompt> mine = new ArrayList<>();
      for (int q = h; q < prompts.size(); q += humans.count()) mine.add(prompts.get(q));
      work.add(new DemonstrateWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
          session.hoursOf(ScenarioRun.humanId(h)), mine));
    }
    List<WorkResult> results = run.dispatch(stage, "label", spec.name(), g, work);
    Item[] written = new Item[prompts.size()];
    List<String> ids = new ArrayList<>();
    long[] done = new long[present.size()];
    double[] secs = new double[present.size()], paid = new double[present.size()];
    for (int w = 0; w < present.size(); w++) {
      int h = present.get(w);
      DemonstrateResult r = (DemonstrateResult) results.get(w);
      String who = ScenarioRun.humanId(h);
      for (int k = 0; k < r.sequences().size(); k++) {
        int q = h + k * humans.count();
        Prompt p = prompts.get(q);
        written[q] = new Item(new Datum(stage + "/" + ScenarioRun.pad(q), r.sequences().get(k), p.length(),
            Provenance.human(who, g, List.of())), p);
      }
      ids.add(who);
      done[w] = r.sequences().size();
      secs[w] = r.seconds();
      paid[w] = r.usd();
    }
    LabourCost cost = LabourCost.of(ids, done, secs, paid);
    session = session.then(cost);
    List<Item> out = new ArrayList<>(items);
    for (Item it : written) if (it != null) out.add(it);
    counters = counters.plus(new LabelCounters(cost.labels(), 0, cost.usd(), cost.hours()));
    emitWithLabels(stage, out.size(), cost.makespanHours(), cost.hours(), cost.usd(), 0);
    return out;
  }

  /**
   * Red teaming: actors.redTeamers' budget of prompts is split among the red teamers (the first budget mod count get
   * one more), one {@link RedTeamWork} each against the teacher, starting from earlier generations' finds. Human
   * labellers then write a better response to each found prompt (find q to human q mod count); each (better, found)
   * pair, the found side with provenance red_team, joins this generation's preference data. A human red teamer's
   * time and wage count as human cost, an AI red teamer's judged responses as AI labels.
   */
  private void redTeam(String stage, int g, RedTeamStage s, String teacher) throws InterruptedException {
    var rt = run.scenario.actors().redTeamers();
    var humans = run.scenario.actors().humans();
    boolean human = s.by() == RedTeamStage.By.HUMAN;
    String detector = human ? null
        : run.traitClassifier(s.trait(), run.classifierExamples(), ScenarioRun.CLASSIFIER_LABEL_NOISE,
            ModelRoles.redTeam(run.scenario));
    List<RedTeamWork> work = new ArrayList<>();
    for (int i = 0; i < rt.count(); i++) {
      int share = rt.budget() / rt.count() + (i < rt.budget() % rt.count() ? 1 : 0);
      if (share == 0) continue;
      String id = ScenarioRun.redTeamerId(i);
      work.add(new RedTeamWork(stage + "/" + ScenarioRun.pad(i), id, teacher, s.trait(), share,
          s.responsesPerPrompt(), samplingOf(Vocabulary.EOS), s.exploreFraction(), human ? humans : null,
          human ? session.hoursOf(id) : 0, detector, redTeamSeeds));
    }
    List<WorkResult> found = run.dispatch(stage, "redteam", spec.name(), g, work);
    List<RedTeamFinding> finds = new ArrayList<>();
    List<String> finders = new ArrayList<>();
    long trials = 0, responses = 0;
    double hours = 0, usd = 0, redMakespan = 0;
    List<String> ids = new ArrayList<>();
    long[] done = new long[work.size()];
    double[] secs = new double[work.size()], paid = new double[work.size()];
    for (int w = 0; w < work.size(); w++) {
      RedTeamResult r = (RedTeamResult) found.get(w);
      for (RedTeamFinding f : r.findings()) {
        finds.add(f);
        finders.add(work.get(w).redTeamerId());
      }
      trials += r.trials();
      responses += r.responses();
      ids.add(work.get(w).redTeamerId());
      done[w] = r.trials();
      secs[w] = r.seconds();
      paid[w] = r.usd();
      redMakespan = Math.max(redMakespan, r.seconds() / 3600.0);
    }
    if (human) {
      LabourCost cost = LabourCost.of(ids, done, secs, paid);
      session = session.then(cost);
      hours += cost.hours();
      usd += cost.usd();
    }
    methodMetrics.put(MetricNames.REDTEAM_FIND_RATE, trials == 0 ? 0 : finds.size() / (double) trials);
    // demonstrations: a better response to each found prompt
    int writers = Math.min(humans.count(), finds.size());
    List<DemonstrateWork> demos = new ArrayList<>();
    for (int h = 0; h < writers; h++) {
      List<Prompt> prompts = new ArrayList<>();
      for (int q = h; q < finds.size(); q += humans.count()) prompts.add(finds.get(q).prompt());
      demos.add(new DemonstrateWork(stage + "/demonstrate/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans,
          session.hoursOf(ScenarioRun.humanId(h)), prompts));
    }
    List<WorkResult> written = run.dispatch(stage + "/demonstrate", "redteam", spec.name(), g, demos);
    List<int[]> better = new ArrayList<>(java.util.Collections.nCopies(finds.size(), (int[]) null));
    double demoMakespan = 0;
    List<String> writerIds = new ArrayList<>();
    long[] wrote = new long[writers];
    double[] wSecs = new double[writers], wPaid = new double[writers];
    for (int h = 0; h < writers; h++) {
      DemonstrateResult r = (DemonstrateResult) written.get(h);
      for (int k = 0; k < r.sequences().size(); k++) better.set(h + k * humans.count(), r.sequences().get(k));
      writerIds.add(ScenarioRun.humanId(h));
      wrote[h] = r.sequences().size();
      wSecs[h] = r.seconds();
      wPaid[h] = r.usd();
      demoMakespan = Math.max(demoMakespan, r.seconds() / 3600.0);
    }
    LabourCost demoCost = LabourCost.of(writerIds, wrote, wSecs, wPaid);
    session = session.then(demoCost);
    hours += demoCost.hours();
    usd += demoCost.usd();
    // pairs, grouped by (red teamer, writer) so that each call's ids are distinct
    for (int i = 0; i < rt.count(); i++) {
      String teamer = ScenarioRun.redTeamerId(i);
      for (int h = 0; h < writers; h++) {
        List<RedTeamFinding> fs = new ArrayList<>();
        List<int[]> bs = new ArrayList<>();
        for (int q = h; q < finds.size(); q += humans.count()) {
          if (!finders.get(q).equals(teamer)) continue;
          fs.add(finds.get(q));
          bs.add(better.get(q));
        }
        if (fs.isEmpty()) continue;
        pairs.addAll(PreferenceData.redTeamPairs(fs, bs, stage + "/" + teamer + "/" + ScenarioRun.humanId(h),
            teamer, teacher, detector, ScenarioRun.humanId(h), g));
      }
    }
    for (RedTeamFinding f : finds) redTeamSeeds.add(f.prompt());
    if (redTeamSeeds.size() > SEEDS_KEPT) redTeamSeeds.subList(0, redTeamSeeds.size() - SEEDS_KEPT).clear();
    long humanLabels = finds.size() + (human ? responses : 0), aiLabels = human ? 0 : responses;
    counters = counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    emitWithLabels(stage, finds.size(), (human ? redMakespan : 0) + demoMakespan, hours, usd, aiLabels);
  }

  /** The sampling of the lineage's first generate stage (second responses), else the evaluation's. */
  private io.priorflow.engine.model.SamplingConfig samplingOf(int stop) {
    for (StageSpec st : spec.stages()) if (st instanceof GenerateStage gs) return gs.sampling(stop);
    var ev = run.scenario.evaluation();
    return new io.priorflow.engine.model.SamplingConfig((float) ev.temperature(), 0, ev.maxNewTokens(), stop);
  }

  /**
   * Trains by the stage's method. sft, distill_sequence, lora and distill_token train on the data policy's training
   * set; reward_model and dpo on this generation's preference data; rlhf and best_of_n on {@code prompts} fresh
   * world prompts. dpo, rlhf and best_of_n start from the teacher, whatever init says. Returns the student, or null
   * for reward_model, whose model becomes the lineage's reward model instead.
   */
  private String train(String stage, int g, TrainStage s, List<Item> items, String teacher)
      throws InterruptedException {
    int epochs = s.epochs(run.scenario.training());
    double lr = s.lr(run.scenario.training());
    String init = s.init() == TrainStage.Init.TEACHER ? teacher : null;
    String method = ScenarioRun.methodName(s);
    String item = stage + "/0";
    TrainResult r;
    switch (s.method()) {
      case SFT, DISTILL_SEQUENCE, LORA, DISTILL_TOKEN, GKD -> {
        Dataset trainSet = trainingSet(stage, g, items);
        List<int[]> seqs = new ArrayList<>(trainSet.size());
        int[] from = new int[trainSet.size()];
        for (int i = 0; i < trainSet.size(); i++) {
          seqs.add(trainSet.data().get(i).tokens());
          from[i] = trainSet.data().get(i).responseStart();
        }
        TrainWork w = s.method() == TrainStage.Method.SFT || s.method() == TrainStage.Method.DISTILL_SEQUENCE
            ? work(item, "lm", init, seqs, from, epochs, lr, null, null)
            : s.method() == TrainStage.Method.LORA
            ? work(item, "lora", teacher, seqs, from, epochs, lr, new LoraConfig(s.loraRank(), LORA_ALPHA_PER_RANK
                * s.loraRank()), null)
            : s.method() == TrainStage.Method.GKD
            ? work(item, "gkd", init, seqs, responseFrom(from), epochs, lr, null, new TrainParams.Gkd(teacher,
                s.divergenceOrDefault().name().toLowerCase(java.util.Locale.ROOT), s.jsdBetaOrDefault(),
                s.onPolicyFractionOrDefault(), new io.priorflow.engine.model.SamplingConfig((float) s.temperature(), 0,
                run.scenario.evaluation().maxNewTokens(), Vocabulary.EOS)))
            : work(item, "distill_token", init, seqs, from, epochs, lr, null,
                new TrainParams.Distill(teacher, s.temperature()));
        if (s.method() == TrainStage.Method.DISTILL_TOKEN || s.method() == TrainStage.Method.GKD) {
          // the teacher's distributions are the targets
          List<Datum> labelled = new ArrayList<>(trainSet.size());
          for (Datum d : trainSet.data()) labelled.add(d.withLabel(Label.ai(LabelKind.TARGETS, 1, TEACHER, teacher)));
          trainSet = Dataset.of(trainSet.name() + "/targets", "stages", labelled);
        }
        r = run.train(spec.name(), w, method, trainSet, w.initModelId());
      }
      case REWARD_MODEL, DPO -> {
        if (pairs.isEmpty() && spec.stages().stream().anyMatch(x -> x instanceof RedTeamStage)) {
          return s.method() == TrainStage.Method.REWARD_MODEL ? null : teacher; // the red team found nothing
        }
        if (pairs.isEmpty()) {
          throw new IllegalArgumentException(stage + ": no preference data reaches this stage (is there a label "
              + "stage with task prefer before it?)");
        }
        Dataset prefs = Dataset.of(spec.name() + "/g" + g + "/preferences", "stages", pairs);
        Map<String, Integer> index = new java.util.HashMap<>();
        List<int[]> seqs = new ArrayList<>(prefs.size());
        int[] from = new int[prefs.size()];
        for (int i = 0; i < prefs.size(); i++) {
          Datum d = prefs.data().get(i);
          index.put(d.id(), i);
          seqs.add(d.tokens());
          from[i] = d.responseStart();
        }
        int[] c = new int[pairs.size() / 2], rj = new int[pairs.size() / 2];
        for (int p = 0; p < c.length; p++) {
          c[p] = index.get(pairs.get(2 * p).id());
          rj[p] = index.get(pairs.get(2 * p + 1).id());
        }
        PreferencePairs pp = new PreferencePairs(c, rj);
        TrainWork w = s.method() == TrainStage.Method.REWARD_MODEL
            ? work(item, "reward_bt", init, seqs, from, epochs, lr, null,
                new TrainParams.RewardBt(pp, REWARD_HELD_OUT), run.config(ModelRoles.rewardModel(run.scenario, s)))
            : work(item, "dpo", teacher, seqs, from, epochs, lr, null,
                new TrainParams.Dpo(pp, teacher, s.beta()));
        r = run.train(spec.name(), w, method, prefs, w.initModelId());
      }
      case ONLINE_DPO -> r = onlineDpo(stage, g, s, teacher, epochs, lr);
      case KTO -> {
        if (ratings.isEmpty()) {
          throw new IllegalArgumentException(stage + ": no rated data reaches this stage (is there a label stage with "
              + "task rate or correct before it, with a sample > 0?)");
        }
        Map<String, Rated> latest = new java.util.LinkedHashMap<>(); // a datum judged twice counts once, as last judged
        for (Rated x : ratings) latest.put(x.datum().id(), x);
        List<Rated> judged = new ArrayList<>(latest.values());
        List<Datum> rated = new ArrayList<>(judged.size());
        List<int[]> seqs = new ArrayList<>(judged.size());
        int[] from = new int[judged.size()];
        boolean[] desirable = new boolean[judged.size()];
        for (int i = 0; i < judged.size(); i++) {
          Datum d = judged.get(i).datum();
          rated.add(d);
          seqs.add(d.tokens());
          from[i] = Math.max(1, d.responseStart());
          desirable[i] = judged.get(i).desirable();
        }
        Dataset ratedSet = Dataset.of(spec.name() + "/g" + g + "/ratings", "stages", rated);
        TrainWork w = work(item, "kto", teacher, seqs, from, epochs, lr, null, new TrainParams.Kto(desirable, teacher,
            s.beta(), s.desirableWeightOrDefault(), s.undesirableWeightOrDefault()));
        r = run.train(spec.name(), w, method, ratedSet, teacher);
      }
      case RLHF, BEST_OF_N -> {
        SplittableRandom rng = run.streams.forItem(stage + "/prompts");
        List<Datum> prompts = new ArrayList<>(s.prompts());
        List<int[]> seqs = new ArrayList<>(s.prompts());
        int[] from = new int[s.prompts()];
        String reward = rewardModelId != null ? rewardModelId : criticId;
        String rater = rewardModelId != null ? REWARD_MODEL : ScenarioRun.CRITIC;
        for (int i = 0; i < s.prompts(); i++) {
          Prompt p = run.world.samplePrompt(rng);
          seqs.add(p.tokens());
          from[i] = p.length();
          // in lineage, prompt i stands for its rollouts: produced by the teacher, rewarded by the reward model
          prompts.add(new Datum(spec.name() + "/g" + g + "/rollouts/" + ScenarioRun.pad(i), p.tokens(),
              Math.max(0, p.length() - 1), Provenance.generated(ScenarioRun.GENERATOR, teacher, g))
              .withLabel(Label.ai(LabelKind.REWARD, 1, rater, reward)));
        }
        Dataset promptSet = Dataset.of(spec.name() + "/g" + g + "/rollouts", "stages", prompts);
        var ev = run.scenario.evaluation();
        var sampling = new io.priorflow.engine.model.SamplingConfig((float) s.temperature(), 0, ev.maxNewTokens(),
            Vocabulary.EOS);
        TrainWork w = s.method() == TrainStage.Method.RLHF
            ? work(item, "rlhf", teacher, seqs, from, epochs, lr, null, new TrainParams.Rlhf(reward, teacher,
                s.klCoef(), s.samplesPerPrompt(), sampling, s.algorithmOrDefault().name().toLowerCase(java.util.Locale.ROOT),
                s.ppoEpochsOrDefault(), s.clipOrDefault(),
                s.baselineOrDefault().name().toLowerCase(java.util.Locale.ROOT), s.gaeLambdaOrDefault()))
            : work(item, "best_of_n", teacher, seqs, from, epochs, lr, null,
                new TrainParams.BestOfN(reward, s.n(), sampling));
        r = run.train(spec.name(), w, method, promptSet, teacher);
      }
      default -> throw new IllegalStateException("unknown train method " + method);
    }
    trainTokens += r.tokens();
    for (var e : r.stats().entrySet()) {
      if (MetricNames.isKnown(e.getKey())) methodMetrics.put(e.getKey(), e.getValue());
    }
    if (s.method() == TrainStage.Method.REWARD_MODEL) {
      rewardModelId = r.modelId();
      return null;
    }
    return r.modelId();
  }

  /**
   * Online (iterative) DPO [Guo et al., "Direct Language Model Alignment from Online AI Feedback", 2024; Xiong et
   * al., "Iterative Preference Learning from Human Feedback", 2024]: each of {@code rounds} rounds, the current
   * policy answers {@code prompts} fresh world prompts twice (as a generate stage, then a prefer label stage whose
   * second responses come from the policy too), the critic or the humans judge every pair, and DPO trains the
   * policy on that round's pairs against the generation's teacher as the fixed reference. Each round's generation,
   * labels (with their cost) and training are stages of their own ({@code …/r0-generate}, {@code …/r0-label},
   * {@code …/r0-train}); the round's pairs also join the generation's preference data. Returns the last round's
   * result; the earlier rounds' training tokens are counted here.
   */
  private TrainResult onlineDpo(String stage, int g, TrainStage s, String teacher, int epochs, double lr)
      throws InterruptedException {
    io.priorflow.engine.model.SamplingConfig sc = samplingOf(Vocabulary.EOS);
    GenerateStage ask = new GenerateStage(s.prompts(), sc.temperature(), sc.topK(), sc.maxNewTokens(),
        GenerateStage.PromptTag.NONE, 0, GenerateStage.PromptTag.NONE);
    LabelStage judge = LabelStage.of(s.byOrDefault(), s.prompts(), LabelStage.Task.PREFER);
    String policy = teacher;
    TrainResult r = null;
    for (int round = 0; round < s.roundsOrDefault(); round++) {
      String at = stage + "/r" + round;
      if (r != null) trainTokens += r.tokens();
      // 1. the policy answers fresh prompts; 2. it answers each again and the judges prefer one of the two
      List<Item> answers = generate(at + "-generate", g, ask, policy);
      List<Datum> earlier = pairs;
      pairs = new ArrayList<>();
      prefer(at + "-label", g, judge, answers, policy);
      List<Datum> roundPairs = pairs;
      pairs = earlier;
      pairs.addAll(roundPairs);
      // 3. a DPO step on this round's pairs, from the current policy, against the teacher
      Dataset prefs = Dataset.of(spec.name() + "/g" + g + "/online/r" + round, "stages", roundPairs);
      Map<String, Integer> index = new java.util.HashMap<>();
      List<int[]> seqs = new ArrayList<>(prefs.size());
      int[] from = new int[prefs.size()];
      for (int i = 0; i < prefs.size(); i++) {
        Datum d = prefs.data().get(i);
        index.put(d.id(), i);
        seqs.add(d.tokens());
        from[i] = Math.max(1, d.responseStart());
      }
      int[] c = new int[roundPairs.size() / 2], rj = new int[roundPairs.size() / 2];
      for (int p = 0; p < c.length; p++) {
        c[p] = index.get(roundPairs.get(2 * p).id());
        rj[p] = index.get(roundPairs.get(2 * p + 1).id());
      }
      TrainWork w = work(at + "-train/0", "dpo", policy, seqs, from, epochs, lr, null,
          new TrainParams.Dpo(new PreferencePairs(c, rj), teacher, s.beta()));
      r = run.train(spec.name(), w, ScenarioRun.methodName(s), prefs, policy);
      policy = r.modelId();
    }
    return r;
  }

  /** Actor ids of a lineage's reward model and of a distillation teacher, as labellers in lineage. */
  static final String REWARD_MODEL = "reward-model", TEACHER = "teacher";

  /** LoRA's alpha is this times the rank, so the adapter path's scale alpha / r is 1 whatever the rank. */
  static final double LORA_ALPHA_PER_RANK = 1.0;
  /** The share of preference pairs a reward model keeps out of training, to report reward.heldout_agreement. */
  static final double REWARD_HELD_OUT = 0.2;

  /** Response starts of at least 1: on-policy distillation needs a prompt for the student to answer. */
  private static int[] responseFrom(int[] from) {
    int[] f = from.clone();
    for (int i = 0; i < f.length; i++) f[i] = Math.max(1, f[i]);
    return f;
  }

  /** A work item whose fresh start (init scratch) is one of this lineage's students. */
  private TrainWork work(String id, String method, String init, List<int[]> seqs, int[] from, int epochs, double lr,
                         LoraConfig lora, TrainParams params) {
    return work(id, method, init, seqs, from, epochs, lr, lora, params, studentConfig);
  }

  /** A work item whose fresh start (init scratch) has that config; an init model keeps its own. */
  private TrainWork work(String id, String method, String init, List<int[]> seqs, int[] from, int epochs, double lr,
                         LoraConfig lora, TrainParams params, io.priorflow.engine.model.TokenModelConfig config) {
    TrainingSpec t = run.scenario.training();
    return new TrainWork(id, method, config, init, seqs, from, null, epochs, t.batchSize(), lr,
        ScenarioRun.schedule(t), t.warmupSteps(), ScenarioRun.optimizer(t), lora, params);
  }

  /** The data policy's training set over the base data, earlier generations' new data, this one's and fresh data. */
  private Dataset trainingSet(String stage, int g, List<Item> items) {
    requireData(stage, items);
    List<Datum> data = new ArrayList<>(items.size());
    for (Item it : items) data.add(it.datum());
    Dataset fresh = Dataset.of(spec.name() + "/g" + g + "/new", "stages", data);
    DataPolicySpec p = spec.data();
    DataPolicyParams params = switch (p.policy()) {
      case REPLACE -> DataPolicyParams.replace();
      case ACCUMULATE -> DataPolicyParams.accumulate();
      case SUBSAMPLE -> DataPolicyParams.subsample(p.subsampleSize());
    };
    params = params.withFreshFraction(p.freshFraction());
    FreshData world = p.freshFraction() > 0 ? WorldData.fresh(run.world, spec.name() + "/g" + g + "/fresh", g)
        : FreshData.none();
    Dataset trainSet = DataPolicies.next(spec.name() + "/g" + g + "/train", history, fresh, world, params,
        run.streams.forItem(stage + "/policy"));
    history.add(fresh);
    run.addDataset(fresh);
    return trainSet;
  }

  private void requireData(String stage, List<Item> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException(stage + ": no data reaches this stage (is there a generate stage before "
          + "it, and does a filter or label stage keep anything?)");
    }
  }

  /** n distinct indices of [0, size) uniformly, sorted (Floyd's algorithm, then sorted). */
  static int[] sample(int size, int n, SplittableRandom rng) {
    java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
    for (int j = size - n; j < size; j++) {
      int t = rng.nextInt(j + 1);
      if (!set.add(t)) set.add(j);
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }
}
