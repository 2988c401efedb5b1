package io.priorflow.engine.run;

import io.priorflow.engine.data.DataPolicies;
import io.priorflow.engine.data.DataPolicyParams;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.FreshData;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.WorldData;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.scenario.DataPolicySpec;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.ModelRef;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One lineage of a {@link ScenarioRun}: generation after generation, the stages turn the teacher into new data, the
 * data policy makes the training set, the student trains on it, is evaluated, and becomes the next teacher.
 * Stage ids are {@code <lineage>/g<generation>/s<k>-<kind>}; item ids add an index.
 *
 * <p>This class holds what lasts across generations (the data history, label counters, the reward model, red-team
 * seeds) and the help stages share (the critic's scores, labels, stage events, the training set); each stage kind
 * runs in its own {@link StageRunner}, and what one generation's stages share is a {@link Generation}.
 */
final class LineageRun {
  /** Prompts per generation work item and sequences per critic work item: tens to hundreds per message. */
  static final int SAMPLE_BATCH = 64, SCORE_BATCH = 256;

  final ScenarioRun run;
  final LineageSpec spec;
  final String baseId, baseItems, criticId;
  private final Dataset baseData;
  /** honesty.monofact_rate of the base's pretraining data, NaN when it states no fact. */
  private final double monofactRate;
  /** The config of this lineage's students (init scratch); teacher-derived models keep their teacher's. */
  final io.priorflow.engine.model.TokenModelConfig studentConfig;
  /** The base data and each generation's new data, in order: what the data policy draws on. */
  private final List<Dataset> history = new ArrayList<>();
  LabelCounters counters = LabelCounters.ZERO;
  long trainTokens;
  /** Retrieval queries the lineage has made (generate stages, evaluations, the critic), for cost.retrieval_*. */
  long retrievalQueries;
  /** The reward model of the lineage's latest reward_model stage, or null (rlhf, best_of_n, reward.proxy: the critic). */
  String rewardModelId;
  /**
   * Every accept/reject verdict the lineage's humans have given so far (rate and correct stages), the datum with
   * the human's label: what the assistant classifier of {@code assistant: classifier} trains on.
   */
  final List<Generation.Rated> humanVerdicts = new ArrayList<>();
  /** Prompts the red team found in earlier generations, where its search starts (the latest SEEDS_KEPT). */
  final List<Prompt> redTeamSeeds = new ArrayList<>();
  static final int SEEDS_KEPT = 256;

  LineageRun(ScenarioRun run, LineageSpec spec, ScenarioRun.Base base, String criticId) {
    this.run = run;
    this.spec = spec;
    this.baseId = base.id();
    this.baseItems = base.prefix();
    this.baseData = base.data();
    this.criticId = criticId;
    this.studentConfig = run.config(ModelRoles.student(run.scenario, spec));
    this.monofactRate = io.priorflow.engine.metrics.Honesty.monofactRate(run.world, baseData);
  }

  /** Evaluates the base, then runs each generation: its stages in order, the evaluation, the metrics row. */
  void run() throws InterruptedException {
    Map<String, Double> base = run.evaluate(baseItems + "/evaluate", spec.name(), 0, baseId, baseId, criticId, null,
        evaluationPassages(baseItems + "/evaluate", 0));
    run.finishGeneration(row(0, baseId, base, null));
    List<String> models = new ArrayList<>(List.of(baseId));
    run.lineageModels.put(spec.name(), models);
    history.add(baseData);
    String teacher = baseId;
    for (int g = 1; g <= spec.generations(); g++) {
      Generation gen = new Generation(g, teacher);
      List<Item> items = new ArrayList<>();
      for (int k = 0; k < spec.stages().size(); k++) {
        StageSpec st = spec.stages().get(k);
        if (!st.runsIn(g)) continue; // its schedule skips this generation; item ids stay those of the stage's place
        items = StageRunner.runStage(this, gen, spec.name() + "/g" + g + "/s" + k + "-" + kindOf(st), st, items);
      }
      String student = gen.student != null ? gen.student : teacher; // no train stage ran: the model stays as it was
      String evalId = spec.name() + "/g" + g + "/evaluate/0";
      var against = run.scenario.evaluation().winRateAgainst();
      String reference = against == null ? otherLineagesModel(run.scenario.evaluation().winRateAgainstModel(), g)
          : against == io.priorflow.engine.scenario.EvaluationSpec.Reference.BASE ? baseId : teacher;
      Map<String, Double> metrics = run.evaluate(evalId, spec.name(), g, student, baseId,
          rewardModelId != null ? rewardModelId : criticId, reference,
          evaluationPassages(spec.name() + "/g" + g + "/evaluate", g));
      run.finishGeneration(row(g, student, metrics, gen));
      run.listener.generationFinished(spec.name(), g, spec.generations());
      models.add(student);
      teacher = student;
    }
  }

  /**
   * With retrieval at evaluation (the lineage's {@code retrieval}, else {@code evaluation.retrieval}): the retrievers' passages for generation g's evaluation prompts and changed-fact
   * probes (items {@code <stage>/retrieve/…}), counted as the lineage's retrieval queries; else null.
   */
  private List<List<int[]>> evaluationPassages(String stage, int g) throws InterruptedException {
    var r = spec.retrieval() != null ? spec.retrieval() : run.scenario.evaluation().retrieval();
    if (r == null) return null;
    var ev = run.scenario.evaluation();
    List<int[]> prompts = new ArrayList<>();
    for (Prompt p : run.world.evaluationPrompts(ev.prompts(), run.streams.itemSeed(
        io.priorflow.engine.metrics.EvaluationSet.PROMPTS_ITEM))) {
      prompts.add(p.tokens());
    }
    List<int[]> probes = new ArrayList<>();
    for (var p : io.priorflow.engine.metrics.ChangedFacts.probes(run.world.at(g), ev.prompts())) {
      probes.add(p.prompt().tokens());
    }
    List<int[]> all = new ArrayList<>(prompts);
    all.addAll(probes);
    List<int[]> passages = retrieve(stage + "/retrieve", g, all, r);
    return List.of(passages.subList(0, prompts.size()), passages.subList(prompts.size(), all.size()));
  }

  /** The retrievers' passages for each query, counting the queries that could take one (fact questions). */
  List<int[]> retrieve(String stage, int g, List<int[]> queries, io.priorflow.engine.scenario.RetrievalSpec r)
      throws InterruptedException {
    List<int[]> passages = run.retrieve(stage, spec.name(), g, queries, r);
    retrievalQueries += queries.size();
    return passages;
  }

  private MetricsRow row(int g, String modelId, Map<String, Double> metrics, Generation gen) {
    Map<String, Double> m = new LinkedHashMap<>(metrics);
    m.putAll(counters.metrics());
    if (gen != null) {
      m.putAll(gen.methodMetrics);
      gen.goldVotes.forEach((source, v) -> m.put(MetricNames.GOLD_AGREEMENT_PREFIX + source, v[0] / (double) v[1]));
      if (gen.anchoredWrong > 0) {
        m.put(MetricNames.LABELS_ANCHORED_ERROR, gen.anchoredErrors / (double) gen.anchoredWrong);
      }
      if (gen.session.labels() > 0) {
        m.put(MetricNames.LABELS_SECONDS_PER_LABEL, gen.session.hours() * 3600 / gen.session.labels());
      }
    }
    if (!Double.isNaN(monofactRate)) m.put(MetricNames.HONESTY_MONOFACT_RATE, monofactRate);
    m.put(MetricNames.COST_TRAIN_TOKENS, (double) trainTokens);
    m.put(MetricNames.COST_AI_USD, counters.aiLabels() * run.scenario.actors().critics().costPerLabel());
    if (usesRetrieval()) {
      var r = run.scenario.actors().retrieversOrDefault();
      m.put(MetricNames.COST_RETRIEVAL_QUERIES, (double) retrievalQueries);
      m.put(MetricNames.COST_RETRIEVAL_USD, retrievalQueries * r.costPerQuery());
      m.put(MetricNames.TIME_RETRIEVAL_HOURS, retrievalQueries * r.secondsPerQuery() / 3600);
    }
    m.putAll(run.graph.build().ancestryMetrics(modelId));
    return new MetricsRow(spec.name(), g, modelId, run.replicate, run.params, m);
  }

  /** True when the scenario retrieves anywhere: in its evaluation or in a generate stage of any lineage. */
  boolean usesRetrieval() {
    return MetricColumns.retrieves(run.scenario);
  }

  /**
   * The model a stage names ({@link ModelRef}; null is the generation's teacher). Validation has checked that it
   * exists by now: lineages run in the order listed, and a stage names only earlier ones, or its own lineage's
   * earlier generations.
   */
  String model(String ref, Generation gen) {
    ModelRef r = ModelRef.parse(ref);
    return switch (r.kind()) {
      case TEACHER -> gen.teacher;
      case BASE -> baseId;
      case LATEST -> run.lineageModels.get(r.lineage()).getLast();
      case GENERATION -> run.lineageModels.get(r.lineage()).get(r.generation());
      case SAME -> run.lineageModels.get(r.lineage()).get(gen.g);
    };
  }

  /**
   * The model of {@code evaluation.winRateAgainstModel} for generation {@code g}, or null when there is none: no
   * such setting, the named lineage is this one or has not run yet (lineages run in the order listed), or it has no
   * such generation.
   */
  private String otherLineagesModel(String ref, int g) {
    if (ref == null) return null;
    ModelRef r = ModelRef.parse(ref);
    List<String> models = r.namesLineage() && !r.lineage().equals(spec.name())
        ? run.lineageModels.get(r.lineage()) : null;
    if (models == null) return null;
    int k = switch (r.kind()) {
      case LATEST -> models.size() - 1;
      case GENERATION -> r.generation();
      case SAME -> g;
      default -> -1;
    };
    return k >= 0 && k < models.size() ? models.get(k) : null;
  }

  /** Counts a preference against gold: agreeing when the preferred side has the higher utility; ties do not count. */
  void voteOnPair(Generation gen, String source, boolean preferFirst, Datum first, Datum second) {
    double a = run.world.at(gen.g).oracle().score(first.tokens()).utility();
    double b = run.world.at(gen.g).oracle().score(second.tokens()).utility();
    if (a != b) gen.vote(source, preferFirst == (a > b));
  }

  /**
   * The gold oracle's verdict on an item in generation g's world: good when its utility is ≥ 0 (as {@code
   * HumanJudge} reads it).
   */
  boolean good(Item it, int g) {
    return run.world.at(g).oracle().score(it.datum().tokens()).utility() >= 0;
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

  /**
   * The critic's judgement of items: its scores, and with retrieval ({@code actors.critics.retrieval}) the passages it
   * read before each item's question (empty for none) and the index they came from; null passages without.
   */
  record Critique(double[] scores, List<int[]> passages, String index) {
    /** The datum with the index among its provenance parents when the critic read passages for item i. */
    Datum sourced(int i, Datum d) {
      return passages == null || passages.get(i).length == 0 ? d : withParent(d, index);
    }
  }

  /** The critic's scores of every item's response, SCORE_BATCH sequences per work item. */
  Critique critique(String stage, int g, List<Item> items) throws InterruptedException {
    double temp = run.scenario.actors().critics().temperature();
    List<Datum> data = new ArrayList<>(items.size());
    for (Item it : items) data.add(it.datum());
    List<int[]> passages = criticPassages(stage, g, data);
    double[] s = scores(stage, g, kindLabelOrFilter(stage), items, passages, (id, seqs, starts) ->
        run.constitution != null ? new ConstitutionWork(id, ScenarioRun.CRITIC, run.constitution, seqs, starts, temp)
            : new ScoreWork(id, ScenarioRun.CRITIC, criticId, seqs, starts, temp));
    return new Critique(s, passages, passages == null ? null : criticIndex(g));
  }

  /**
   * With the critic's retrieval ({@code actors.critics.retrieval}): the retrievers' passages for each datum's prompt
   * (the tokens before its response; items {@code <stage>/retrieve/…}), counted as the lineage's retrieval queries;
   * else null.
   */
  List<int[]> criticPassages(String stage, int g, List<Datum> data) throws InterruptedException {
    var r = run.scenario.actors().critics().retrieval();
    if (r == null) return null;
    List<int[]> queries = new ArrayList<>(data.size());
    for (Datum d : data) queries.add(java.util.Arrays.copyOf(d.tokens(), d.responseStart()));
    return retrieve(stage + "/retrieve", g, queries, r);
  }

  /** The parent that names the index the critic retrieves from in generation g ({@code index@g<k>}). */
  String criticIndex(int g) {
    return GenerateRunner.INDEX_PARENT + run.scenario.actors().critics().retrieval().indexGeneration(g);
  }

  /**
   * A sequence as the critic reads it, and where its response starts then: with passages, they go before the
   * question of its prompt ({@link io.priorflow.engine.work.Retriever#augment}), shifting the response by their
   * length.
   */
  int[] asCriticReads(int[] sequence, int[] passages) {
    return passages == null ? sequence
        : io.priorflow.engine.work.Retriever.augment(run.world.vocabulary(), sequence, passages);
  }

  /** The datum with {@code parent} added to its provenance parents (once). */
  static Datum withParent(Datum d, String parent) {
    var p = d.provenance();
    if (p.parentIds().contains(parent)) return d;
    List<String> parents = new ArrayList<>(p.parentIds());
    parents.add(parent);
    return new Datum(d.id(), d.tokens(), d.responseStart(), new io.priorflow.engine.data.Provenance(p.source(),
        p.producerId(), p.modelId(), p.generation(), parents), d.labels());
  }

  /** A model's noiseless scores of every item's response, SCORE_BATCH sequences per work item (the critic's role). */
  double[] score(String stage, int g, List<Item> items, String model) throws InterruptedException {
    return scores(stage, g, "label", items, null, (id, seqs, starts) -> new ScoreWork(id, ScenarioRun.CRITIC, model,
        seqs, starts, 0));
  }

  /** A scoring work item of SCORE_BATCH sequences and their response starts. */
  private interface ScoringWork {
    io.priorflow.engine.work.WorkItem of(String id, List<int[]> seqs, int[] starts);
  }

  /**
   * Scores every item's response by work items {@code make} builds, SCORE_BATCH sequences each, in item order; with
   * passages (one per item), each sequence as the critic reads it ({@link #asCriticReads}).
   */
  private double[] scores(String stage, int g, String kind, List<Item> items, List<int[]> passages,
                          ScoringWork make) throws InterruptedException {
    List<io.priorflow.engine.work.WorkItem> work = new ArrayList<>();
    for (int from = 0; from < items.size(); from += SCORE_BATCH) {
      List<Item> part = items.subList(from, Math.min(items.size(), from + SCORE_BATCH));
      List<int[]> seqs = new ArrayList<>(part.size());
      int[] starts = new int[part.size()];
      for (int j = 0; j < part.size(); j++) {
        int[] p = passages == null ? null : passages.get(from + j);
        seqs.add(asCriticReads(part.get(j).datum().tokens(), p));
        starts[j] = part.get(j).datum().responseStart() + (p == null ? 0 : p.length);
      }
      work.add(make.of(stage + "/" + ScenarioRun.pad(work.size()), seqs, starts));
    }
    double[] scores = new double[items.size()];
    int i = 0;
    for (WorkResult r : run.dispatch(stage, kind, spec.name(), g, work)) {
      for (double x : ((ScoreResult) r).scores()) scores[i++] = x;
    }
    return scores;
  }

  /**
   * The data-engine loop's assistant: a classifier of the critic's size trained afresh (item {@code
   * <stage>/assistant/0}) by squared error to ±1 on every human verdict of the lineage so far, recorded in the
   * lineage graph with those data; its tokens count as training cost. Null when no human has judged yet.
   */
  String assistant(String stage, int g) throws InterruptedException {
    if (humanVerdicts.isEmpty()) return null;
    List<Datum> data = new ArrayList<>(humanVerdicts.size());
    List<int[]> seqs = new ArrayList<>(humanVerdicts.size());
    int[] from = new int[humanVerdicts.size()];
    double[] targets = new double[humanVerdicts.size()];
    for (int i = 0; i < humanVerdicts.size(); i++) {
      Datum d = humanVerdicts.get(i).datum();
      data.add(d);
      seqs.add(d.tokens());
      from[i] = Math.max(1, d.responseStart());
      targets[i] = humanVerdicts.get(i).desirable() ? 1 : -1;
    }
    var t = run.scenario.training();
    var w = new io.priorflow.engine.work.TrainWork(stage + "/assistant/0", "score_regression",
        run.config(ModelRoles.critic(run.scenario)), null, seqs, from, targets, t.epochs(), t.batchSize(), t.lr(),
        ScenarioRun.schedule(t), t.warmupSteps(), ScenarioRun.optimizer(t));
    run.declareAssistant();
    var r = run.train(spec.name(), w, "score_regression", Dataset.of(stage + "/assistant-data", "stages", data), null);
    trainTokens += r.tokens();
    return r.modelId();
  }


  private static String kindLabelOrFilter(String stage) { return stage.endsWith("-filter") ? "filter" : "label"; }

  /**
   * The datum with a label: the critic's — one per trait classifier under a constitution, else one naming its
   * model — when {@code critic}, else the gold oracle's (an AI label of no model).
   */
  Datum judged(Datum d, boolean critic, LabelKind kind, double value, String who, String model) {
    if (critic && run.constitution != null) {
      for (Label l : run.constitution.labels(kind, value, who, null)) d = d.withLabel(l);
      return d;
    }
    return d.withLabel(Label.ai(kind, value, who, model));
  }

  void emitWithLabels(String stage, int data, double makespan, double hours, double usd, long ai) {
    StageEvent e = run.lastStage;
    run.emit(new StageEvent(stage, spec.name(), e.generation(), e.kind(), e.items(), data, e.retries(),
        e.wallMillis(), makespan, hours, usd, ai, 0, Instant.now().toString()));
  }

  /** The sampling of the lineage's first generate stage (second responses), else the evaluation's. */
  io.priorflow.engine.model.SamplingConfig samplingOf(int stop) {
    for (StageSpec st : spec.stages()) if (st instanceof GenerateStage gs) return gs.sampling(stop);
    var ev = run.scenario.evaluation();
    return new io.priorflow.engine.model.SamplingConfig((float) ev.temperature(), 0, ev.maxNewTokens(), stop);
  }

  /** The data policy's training set over the base data, earlier generations' new data, this one's and fresh data. */
  Dataset trainingSet(String stage, int g, List<Item> items) {
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
    FreshData world = p.freshFraction() > 0 ? WorldData.fresh(run.world.at(g), spec.name() + "/g" + g + "/fresh", g)
        : FreshData.none();
    Dataset trainSet = DataPolicies.next(spec.name() + "/g" + g + "/train", history, fresh, world, params,
        run.streams.forItem(stage + "/policy"));
    history.add(fresh);
    run.addDataset(fresh);
    return trainSet;
  }

  static void requireData(String stage, List<Item> items) {
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
