package io.priorflow.engine.run;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.WorldData;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.RunLineage;
import io.priorflow.engine.lineage.TrainerLineage;
import io.priorflow.engine.lineage.Training;
import io.priorflow.engine.metrics.Csv;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.ModelSpec;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import io.priorflow.engine.scenario.TrainingSpec;
import io.priorflow.engine.work.EvaluateResult;
import io.priorflow.engine.work.EvaluateWork;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The director's logic: runs a scenario's lineages generation by generation, dispatching work items through a
 * {@link WorkExecutor}, and writes the run outputs after every generation. No messaging here — the executor may be
 * local or the actor runtime — and nothing depends on which actor performed an item: results come back ordered by
 * item id, and every random draw comes from a stream named by an item id. Each role's model has the spec
 * {@link ModelRoles} gives it, made a config by {@link #config}.
 *
 * <pre>
 * critic  = score regression of gold utility on world data        (once, if any stage uses the critic)
 * base    = language model pretrained on world data                (once per distinct base: generation 0)
 * for each lineage, teacher = its base, for g = 1 .. generations:
 *     new data  = the lineage's stages in order (generate, filter, label …) on the teacher
 *     train set = the data policy over (base data, earlier new data, new data, fresh world data)
 *     student   = train on the train set; evaluate; teacher = student
 * </pre>
 */
public final class ScenarioRun {
  /** Progress callbacks, on the director's thread. */
  public interface Listener {
    default void stageStarted(String stage, String kind, int items) {}

    default void stageFinished(StageEvent event) {}

    default void generationFinished(String lineage, int generation, int generations) {}
  }

  static final String MODEL_CLASS = "TokenModel";
  /** Held-out world examples in every run's evaluation set (loss.world). */
  public static final int EVAL_HELD_OUT = 400;

  final Scenario scenario;
  final LoadedScenario loaded;
  final World world;
  final RandomStreams streams;
  final ModelStore store;
  final WorkExecutor executor;
  final RunOutputs outputs;
  final Listener listener;
  final LineageGraph.Builder graph;
  private final List<MetricsRow> rows = new ArrayList<>();
  private final Map<String, WorkResult> shared = new TreeMap<>(); // results of items every lineage uses

  final int replicate;
  final SortedMap<String, String> params;

  /** A plain run: replicate 0, no sweep point. */
  public ScenarioRun(LoadedScenario loaded, World world, ModelStore store, WorkExecutor executor, RunOutputs outputs,
                     RunLineage runLineage, Listener listener) {
    this(loaded, world, store, executor, outputs, runLineage, listener, 0, new TreeMap<>());
  }

  /**
   * A run whose metrics rows carry a replicate index and a sweep point ({@link RunSpec}); the scenario is already
   * that run's ({@link RunSpec#scenario}).
   *
   * @throws IllegalArgumentException for what this build cannot run, and for an analytic world ({@link AnalyticRun})
   */
  public ScenarioRun(LoadedScenario loaded, World world, ModelStore store, WorkExecutor executor, RunOutputs outputs,
                     RunLineage runLineage, Listener listener, int replicate, SortedMap<String, String> params) {
    this.loaded = loaded;
    this.scenario = loaded.scenario();
    checkSupported(scenario);
    if (scenario.analytic() != null) {
      throw new IllegalArgumentException("an analytic scenario runs with AnalyticRun, not ScenarioRun");
    }
    this.replicate = replicate;
    this.params = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(params));
    this.world = world;
    this.streams = new RandomStreams(scenario.seed());
    this.store = store;
    this.executor = executor;
    this.outputs = outputs;
    this.listener = listener;
    this.graph = LineageGraph.builder(runLineage);
  }

  /**
   * The scenario with every count that only says how many actor instances share the work — generators, critics,
   * trainers, evaluators, red teamers, retrievers — set to 1. Human labellers keep their count: each is a distinct person, so
   * their number changes the labels. Results never depend on what this removes.
   */
  public static Scenario withoutDeployment(Scenario s) {
    var a = s.actors();
    var c = a.critics();
    var one = new io.priorflow.engine.scenario.RoleSpec(1);
    var actors = new io.priorflow.engine.scenario.ActorsSpec(a.humans(),
        new io.priorflow.engine.scenario.CriticSpec(1, c.temperature(), c.secondsPerLabel(), c.costPerLabel(),
            c.constitution(), c.model(), c.utility(), c.retrieval()), one,
        one, one, new io.priorflow.engine.scenario.RedTeamSpec(1, a.redTeamers().budget(), a.redTeamers().model()),
        a.retrievers() == null ? null : new io.priorflow.engine.scenario.RetrieverSpec(1, a.retrievers().recall(),
            a.retrievers().precision(), a.retrievers().secondsPerQuery(), a.retrievers().costPerQuery()));
    return new Scenario(s.name(), s.description(), s.seed(), s.world(), s.analytic(), s.model(), s.models(),
        s.training(), actors, s.lineages(), s.evaluation());
  }

  /**
   * SHA-256 of the resolved YAML of {@link #withoutDeployment}: what lineage.json records as the scenario's hash, so
   * that runs with more or fewer actor instances have byte-identical lineage.
   */
  public static String resultSha256(Scenario s) {
    return io.priorflow.engine.json.Json.sha256Hex(
        io.priorflow.engine.scenario.ScenarioLoader.toYaml(withoutDeployment(s)).getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * The context every actor of a run shares: the scenario's world, its random streams, its fixed evaluation set
   * ({@link #EVAL_HELD_OUT} held-out world examples for loss.world), and this node's store and backend. The director
   * and every worker node build it with this one method, so they agree on it exactly.
   */
  public static io.priorflow.engine.work.WorkContext context(Scenario s, ModelStore store,
                                                             io.priorflow.kernels.backend.KernelBackend backend) {
    World world = world(s);
    RandomStreams streams = new RandomStreams(s.seed());
    var ev = s.evaluation();
    var evaluation = io.priorflow.engine.metrics.EvaluationSet.draw(world, ev.prompts(), ev.samplesPerPrompt(),
        (float) ev.temperature(), EVAL_HELD_OUT, streams, ev.exampleCount(), ev.examplesTagOrDefault().toTag()
            .orElse(null));
    return new io.priorflow.engine.work.WorkContext(world, streams, store, backend, evaluation);
  }

  /** The world a scenario describes. */
  public static World world(Scenario s) { return new World(s.world()); }

  /**
   * Rejects, before anything runs, what this build cannot run: a lineage without a train stage. Analytic worlds
   * ({@link AnalyticRun}) ignore their stages, so they pass. Every stage kind and train method is wired.
   */
  public static void checkSupported(Scenario s) {
    if (s.analytic() != null) {
      return;
    }
    for (LineageSpec l : s.lineages()) {
      if (l.stages().stream().noneMatch(st -> st instanceof TrainStage)) {
        throw new IllegalArgumentException("lineage " + l.name() + " has no train stage, so no generation would "
            + "make a student");
      }
    }
  }

  static String methodName(TrainStage t) { return t.method().name().toLowerCase(java.util.Locale.ROOT); }

  /** Runs every lineage and returns the metrics table; the outputs on disk are complete after each generation. */
  public MetricsTable run() throws InterruptedException {
    outputs.writeScenario(loaded.resolvedYaml());
    declareActors();
    String criticId = needsCritic() ? trainCritic() : null;
    constitution = needsConstitution() ? constitution() : null;
    for (LineageSpec l : scenario.lineages()) {
      new LineageRun(this, l, base(l), criticId).run();
    }
    return table();
  }

  /**
   * A lineage's generation 0: pretrained the first time a lineage asks for a base of that model and those settings,
   * then shared. The first base's items are {@code base/…}, the k-th distinct one's {@code base-k/…}; bases with as
   * many pretraining examples share one dataset (the first such base's), so only the model differs between them.
   */
  private Base base(LineageSpec l) throws InterruptedException {
    ModelSpec spec = ModelRoles.base(scenario, l);
    String key = spec.describe() + " / " + l.base().pretrainExamples() + " examples / " + l.base().epochs() + " epochs";
    Base b = bases.get(key);
    if (b != null) return b;
    String prefix = bases.isEmpty() ? "base" : "base-" + bases.size();
    int n = l.base().pretrainExamples();
    Dataset data = pretrainData.get(n);
    if (data == null) {
      data = worldDataset(prefix + "/pretrain-data", n);
      pretrainData.put(n, data);
    }
    String id = train(prefix + "/pretrain", "pretrain", data, null, l.base().epochs(), scenario.training().lr(),
        config(spec));
    b = new Base(prefix, id, data);
    bases.put(key, b);
    return b;
  }

  /** A pretrained base: its items' prefix ("base", "base-1"), its model id and its pretraining data. */
  record Base(String prefix, String id, Dataset data) {}

  private final Map<String, Base> bases = new LinkedHashMap<>();
  /** Each lineage's model of each generation so far (index 0 its base), for stages that name them ({@code ModelRef}). */
  final Map<String, List<String>> lineageModels = new java.util.HashMap<>();
  private final Map<Integer, Dataset> pretrainData = new TreeMap<>();

  /** The token-head config of a role's spec over this world's vocabulary. */
  TokenModelConfig config(ModelSpec spec) {
    return spec.toConfig(world.vocabulary().size(), Vocabulary.PAD);
  }

  /** Records a trained model in the lineage graph (with its family and size) and writes its file. */
  private void record(String modelId, String source, Training training) {
    var model = store.get(modelId);
    if (source == null) {
      graph.addTrainedModel(modelId, MODEL_CLASS, training, Architectures.of(model));
    } else {
      graph.addTrainedSourceModel(modelId, MODEL_CLASS, source, training, Architectures.of(model));
    }
    outputs.writeModel(model);
  }

  /** The run's metric columns, fixed when its first row is written ({@link MetricColumns}). */
  private java.util.Set<String> columns;

  /** Adds a row and rewrites metrics and lineage, so a run stopped later keeps this generation. */
  void finishGeneration(MetricsRow row) {
    if (columns == null) columns = MetricColumns.expected(scenario, row.metrics().keySet());
    rows.add(row);
    outputs.writeMetrics(table());
    outputs.writeLineage(graph.build());
  }

  MetricsTable table() { return MetricsTable.of(rows, columns == null ? List.of() : columns); }

  /** The critics' constitution (trait classifiers trained), or null: the critic's utility model judges. */
  io.priorflow.engine.label.Constitution constitution;

  /** A constitution judges wherever the critic scores, labels, pre-labels or prefers. */
  private boolean needsConstitution() {
    return scenario.actors().critics().constitution() != null && usesCriticJudgement();
  }

  private boolean usesCriticJudgement() {
    return scenario.lineages().stream().flatMap(l -> l.stages().stream()).anyMatch(st ->
        (st instanceof FilterStage f && f.by() == FilterStage.By.CRITIC)
            || (st instanceof LabelStage lb && (lb.by() == LabelStage.By.CRITIC || lb.assisted())));
  }

  /** One trait classifier per rule ({@link #traitClassifier}), each with its own lineage, and the constitution. */
  private io.priorflow.engine.label.Constitution constitution() throws InterruptedException {
    var spec = scenario.actors().critics().constitution();
    List<io.priorflow.engine.label.Constitution.Rule> rules = new ArrayList<>();
    for (var r : spec.rules()) {
      boolean asks = r.rule() == io.priorflow.engine.scenario.ConstitutionRule.Verdict.ASKS;
      rules.add(new io.priorflow.engine.label.Constitution.Rule((asks ? "" : "not ") + r.trait(), r.trait(),
          traitClassifier(r.trait(), spec.trainingExamples(), spec.labelNoise(), ModelRoles.constitution(scenario)),
          asks, r.weight()));
    }
    if (!needsCritic()) graph.addActor(CRITIC, "critic", Map.of("temperature",
        String.valueOf(scenario.actors().critics().temperature()), "constitution", rules.stream().map(io.priorflow.engine.label.Constitution.Rule::name).toList().toString()));
    return new io.priorflow.engine.label.Constitution(rules);
  }

  /**
   * The critic's utility model scores filters, labels, pre-labels (unless a constitution does), and is the reward of
   * rlhf and best_of_n without a reward model; online_dpo judged by the critic needs it too.
   */
  private boolean needsCritic() {
    return (usesCriticJudgement() && scenario.actors().critics().constitution() == null)
        || scenario.evaluation().bestOfN() != null // the proxy reward of best-of-n at inference, without a reward model
        || scenario.lineages().stream().flatMap(l -> l.stages().stream()).anyMatch(st ->
            (st instanceof TrainStage t && (t.method() == TrainStage.Method.RLHF
                || t.method() == TrainStage.Method.BEST_OF_N || (t.method() == TrainStage.Method.ONLINE_DPO
                && t.byOrDefault() == io.priorflow.engine.scenario.LabelStage.By.CRITIC))));
  }

  private void declareActors() {
    var a = scenario.actors();
    for (int i = 0; i < a.humans().count(); i++) {
      var h = a.humans().forLabeller(i);
      Map<String, String> p = new TreeMap<>();
      p.put("accuracy", String.valueOf(h.accuracy()));
      p.put("secondsPerLabel", String.valueOf(h.secondsPerLabel()));
      p.put("costPerHour", String.valueOf(h.costPerHour()));
      p.put("fatiguePerHour", String.valueOf(h.fatiguePerHour()));
      h.biases().forEach((k, v) -> p.put("bias." + k, String.valueOf(v)));
      if (a.humans().absent(i)) p.put("absent", "true");
      graph.addActor(humanId(i), "human", p);
    }
    boolean redTeam = scenario.lineages().stream().flatMap(l -> l.stages().stream())
        .anyMatch(st -> st instanceof io.priorflow.engine.scenario.RedTeamStage);
    for (int i = 0; redTeam && i < a.redTeamers().count(); i++) {
      graph.addActor(redTeamerId(i), "red_teamer", Map.of("budget", String.valueOf(a.redTeamers().budget())));
    }
    graph.addActor(GENERATOR, "generator", Map.of());
    graph.addActor(TRAINER, "trainer", Map.of());
  }

  static final String GENERATOR = "generator", CRITIC = "critic", TRAINER = "trainer";
  /** The actor id of the classifier that pre-labels assisted stages with {@code assistant: classifier}. */
  static final String ASSISTANT = "assistant";

  /** Declares the assistant actor in the lineage graph (again: no change). */
  void declareAssistant() {
    graph.addActor(ASSISTANT, "assistant", Map.of("trainedOn", "the lineage's human accept/reject labels so far"));
  }

  static String humanId(int i) { return io.priorflow.engine.scenario.HumanSpec.id(i); }

  static String redTeamerId(int i) { return "red-team-" + i; }

  /** Label noise and size of a trait classifier's training data when the scenario does not say. */
  static final double CLASSIFIER_LABEL_NOISE = 0.05;

  private final Map<String, String> classifiers = new TreeMap<>();

  /**
   * A trait classifier ({@link io.priorflow.engine.label.TraitClassifiers}): a scalar-head model trained by squared
   * error on n world examples labelled for the trait with the given label noise, once per (trait, n, noise); its
   * lineage is its own, the data labelled by "annotators-&lt;trait&gt;".
   */
  String traitClassifier(String trait, int n, double labelNoise, ModelSpec spec) throws InterruptedException {
    String key = trait + "/" + n + "/" + labelNoise + (spec.sameArchitecture(scenario.model()) ? ""
        : "/" + spec.describe());
    String id = classifiers.get(key);
    if (id != null) return id;
    String name = "classifier/" + trait + (classifiers.keySet().stream().anyMatch(k -> k.startsWith(trait + "/"))
        ? "-" + classifiers.size() : "");
    Dataset data = io.priorflow.engine.label.TraitClassifiers.data(world, trait, n, labelNoise, name + "/data",
        "annotators-" + trait, 0, streams.forItem(name + "/data"));
    TrainingSpec t = scenario.training();
    TrainWork w = new TrainWork(name + "/train", "score_regression", config(spec), null,
        io.priorflow.engine.label.TraitClassifiers.sequences(data),
        io.priorflow.engine.label.TraitClassifiers.responseStarts(data),
        io.priorflow.engine.label.TraitClassifiers.targets(data), t.epochs(), t.batchSize(), t.lr(), schedule(t),
        t.warmupSteps(), optimizer(t));
    TrainResult r = (TrainResult) dispatchShared(name, "train", w);
    addDataset(data);
    record(r.modelId(), null, new Training(null, List.of(data.name()), trainerLineage(w, "score_regression")));
    classifiers.put(key, r.modelId());
    return r.modelId();
  }

  /** Examples a trait classifier trains on by default: as many as the critic's. */
  int classifierExamples() { return Math.max(1000, scenario.lineages().get(0).base().pretrainExamples() / 4); }

  /**
   * The critic: a scalar-head model fitted by squared error to the gold utility of world examples' responses (under
   * {@code actors.critics.utility} when the scenario gives the critic a scoring of its own). It is
   * imperfect by construction (finite data and capacity); its lineage is a source of its own, "critic:critic".
   */
  private String trainCritic() throws InterruptedException {
    int n = Math.max(1000, scenario.lineages().get(0).base().pretrainExamples() / 4);
    Dataset data = worldDataset("critic/data", n);
    int[] from = new int[data.size()];
    double[] targets = new double[data.size()];
    List<int[]> seqs = new ArrayList<>(data.size());
    var learnt = world.oracle().withUtility(scenario.actors().critics().utility()); // gold, or the critic's scoring
    for (int i = 0; i < data.size(); i++) {
      Datum d = data.data().get(i);
      seqs.add(d.tokens());
      from[i] = d.responseStart();
      targets[i] = learnt.score(d.tokens()).utility();
    }
    TrainingSpec t = scenario.training();
    TrainWork w = new TrainWork("critic/train", "score_regression", config(ModelRoles.critic(scenario)), null, seqs,
        from, targets,
        t.epochs(), t.batchSize(), t.lr(), schedule(t), t.warmupSteps(), optimizer(t));
    TrainResult r = (TrainResult) dispatchShared("critic", "critic", w);
    addDataset(data);
    graph.addActor(CRITIC, "critic", Map.of("temperature", String.valueOf(scenario.actors().critics().temperature())));
    record(r.modelId(), "critic:" + CRITIC,
        new Training(null, List.of(data.name()), trainerLineage(w, "score_regression")));
    return r.modelId();
  }

  /**
   * Trains a token model on a dataset shared by the run's lineages (loss on response tokens, or on all tokens for
   * pretraining), once per item id.
   */
  String train(String itemId, String method, Dataset data, String initId, int epochs, double lr,
               TokenModelConfig config) throws InterruptedException {
    boolean pretrain = method.equals("pretrain");
    List<int[]> seqs = new ArrayList<>(data.size());
    int[] from = new int[data.size()];
    for (int i = 0; i < data.size(); i++) {
      Datum d = data.data().get(i);
      seqs.add(d.tokens());
      from[i] = pretrain ? 1 : d.responseStart();
    }
    TrainingSpec t = scenario.training();
    TrainWork w = new TrainWork(itemId, "lm", config, initId, seqs, from, null, epochs, t.batchSize(), lr,
        schedule(t), t.warmupSteps(), optimizer(t));
    TrainResult r = (TrainResult) dispatchShared(stageOf(itemId), "pretrain", w);
    addDataset(data);
    record(r.modelId(), null, new Training(initId, List.of(data.name()), trainerLineage(w, method)));
    return r.modelId();
  }

  /**
   * Trains a per-lineage work item of any method on {@code data} (the dataset its sequences come from, recorded as
   * the model's training data) and records the model in the lineage graph; an RLHF trace goes to rlhf-trace.csv.
   */
  TrainResult train(String lineage, TrainWork w, String method, Dataset data, String initId)
      throws InterruptedException {
    TrainResult r = (TrainResult) dispatch(stageOf(w.id()), "train", lineage, generationOf(w.id()), List.of(w)).get(0);
    boolean reinforcement = w.params() instanceof io.priorflow.engine.train.TrainParams.Rlhf
        || w.params() instanceof io.priorflow.engine.train.TrainParams.BestOfN;
    if (reinforcement) {
      addDataset(data, r.tokens()); // the prompts stand for the rollouts learnt from (Ancestry, step 6)
    } else {
      addDataset(data);
    }
    record(r.modelId(), null, new Training(initId, List.of(data.name()), trainerLineage(w, method)));
    if (!r.trace().isEmpty()) {
      for (var step : r.trace()) {
        Csv.appendRecord(rlhfTrace, List.of(lineage, Integer.toString(generationOf(w.id())),
            Integer.toString(replicate), Integer.toString(step.step()), num(step.proxyReward()),
            num(step.goldReward()), num(step.kl()), num(step.objective()), step.algorithm()));
      }
      outputs.writeText(RunOutputs.RLHF_TRACE, rlhfTrace.toString());
    }
    return r;
  }

  private final java.util.Set<String> provenanceWritten = new java.util.HashSet<>();

  /** Adds a training dataset to the lineage graph, and to provenance/ when the run asks for it. */
  void addDataset(Dataset data) {
    addDataset(data, data.signalTokens());
  }

  /** As {@link #addDataset(Dataset)}, for a dataset standing for {@code mass} tokens (Ancestry, step 6). */
  void addDataset(Dataset data, long mass) {
    graph.addDataset(data, mass);
    if (outputs.provenance() && provenanceWritten.add(data.name())) { // a shared dataset (a base's) once
      ProvenanceFiles.write(outputs.dir(), data, world);
    }
  }

  /** rlhf-trace.csv so far: one row per RLHF step of every lineage and generation. */
  private final StringBuilder rlhfTrace =
      new StringBuilder("lineage,generation,replicate,step,proxy_reward,gold_reward,kl,objective,algorithm\n");

  private static String num(double x) { return io.priorflow.engine.metrics.NumberText.format(x); }

  /**
   * Evaluates a model on the run's fixed evaluation set, with a win rate against {@code referenceId} (null for none),
   * retrieval-augmented with the passages of each evaluation prompt ({@code passages[0]}) and changed-fact probe
   * ({@code passages[1]}); null for none. Shared items (generation 0, a base) are evaluated once.
   */
  Map<String, Double> evaluate(String itemId, String lineage, int generation, String modelId, String baseId,
                               String criticId, String referenceId, List<List<int[]>> passages)
      throws InterruptedException {
    Integer bon = scenario.evaluation().bestOfN();
    EvaluateWork w = new EvaluateWork(itemId, modelId, baseId, criticId, referenceId, bon == null ? 0 : bon,
        passages == null ? null : passages.get(0), passages == null ? null : passages.get(1));
    EvaluateResult r = (EvaluateResult) (generation == 0 ? dispatchShared(itemId, "evaluate", w)
        : dispatch(stageOf(itemId), "evaluate", lineage, generation, List.of(w)).get(0));
    if (!r.bestOfNCurve().isEmpty()) {
      for (var p : r.bestOfNCurve()) {
        bestOfNCurve.append(lineage).append(',').append(generation).append(',').append(replicate).append(',')
            .append(p.n()).append(',').append(num(p.klBound())).append(',').append(num(p.proxyReward())).append(',')
            .append(num(p.goldReward())).append('\n');
      }
      outputs.writeText(RunOutputs.BEST_OF_N_CURVE, bestOfNCurve.toString());
    }
    return r.metrics();
  }

  /** best-of-n.csv so far: Gao et al.'s best-of-m curve of every lineage's evaluation, one row per m. */
  private final StringBuilder bestOfNCurve =
      new StringBuilder("lineage,generation,replicate,n,kl_bound,proxy_reward,gold_reward\n");

  /** Queries per retrieval work item. */
  static final int RETRIEVE_BATCH = 256;
  private final Map<String, List<int[]>> sharedPassages = new TreeMap<>();

  /**
   * The retrievers' passages for each query ({@link io.priorflow.engine.work.Retriever}), from the index of the world
   * at {@code r.indexGeneration(generation)}, RETRIEVE_BATCH queries per item {@code <stage>/<k>}. A stage of
   * generation 0 (the shared base's evaluation) is retrieved once and shared.
   */
  List<int[]> retrieve(String stage, String lineage, int generation, List<int[]> queries,
                       io.priorflow.engine.scenario.RetrievalSpec r) throws InterruptedException {
    List<int[]> cached = generation == 0 ? sharedPassages.get(stage) : null;
    if (cached != null) return cached;
    var spec = scenario.actors().retrieversOrDefault();
    List<io.priorflow.engine.work.RetrieveWork> work = new ArrayList<>();
    for (int from = 0; from < queries.size(); from += RETRIEVE_BATCH) {
      work.add(new io.priorflow.engine.work.RetrieveWork(stage + "/" + pad(work.size()), queries.subList(from,
          Math.min(queries.size(), from + RETRIEVE_BATCH)), r.indexGeneration(generation), r.k(), spec.recall(),
          spec.precision()));
    }
    List<int[]> out = new ArrayList<>(queries.size());
    for (WorkResult res : dispatch(stage, "retrieve", lineage, generation, work)) {
      out.addAll(((io.priorflow.engine.work.RetrieveResult) res).passages());
    }
    if (generation == 0) sharedPassages.put(stage, out);
    return out;
  }

  private WorkResult dispatchShared(String stage, String kind, WorkItem w) throws InterruptedException {
    WorkResult r = shared.get(w.id());
    if (r == null) {
      r = dispatch(stage, kind, "", 0, List.of(w)).get(0);
      shared.put(w.id(), r);
    }
    return r;
  }

  /** Dispatches a stage's items, times it and reports it; events for label stages are emitted by the caller. */
  List<WorkResult> dispatch(String stage, String kind, String lineage, int generation, List<? extends WorkItem> items)
      throws InterruptedException {
    listener.stageStarted(stage, kind, items.size());
    long retriesBefore = executor.retries(), t0 = System.nanoTime();
    List<WorkResult> results = executor.execute(stage, items);
    long tokens = results.stream().mapToLong(r -> r instanceof TrainResult t ? t.tokens() : 0).sum();
    lastStage = new StageEvent(stage, lineage, generation, kind, items.size(), results.size(),
        executor.retries() - retriesBefore, (System.nanoTime() - t0) / 1_000_000, 0, 0, 0, 0, tokens,
        Instant.now().toString());
    if (!kind.equals("label") && !kind.equals("filter") && !kind.equals("redteam")) emit(lastStage);
    return results;
  }

  StageEvent lastStage;

  void emit(StageEvent e) {
    // a resumed run's stages answered from its checkpoint have their line in events.jsonl already
    if (executor instanceof CheckpointExecutor c && c.lastReplayed()) return;
    outputs.appendEvent(e);
    listener.stageFinished(e);
  }

  /** n world examples as a dataset with ids prefix/00000…, drawn from the stream of item {@code prefix}. */
  Dataset worldDataset(String prefix, int n) {
    SplittableRandom rng = streams.forItem(prefix);
    List<Datum> data = new ArrayList<>(n);
    for (int i = 0; i < n; i++) data.add(WorldData.datum(prefix + "/" + pad(i), world.sample(rng), 0));
    return Dataset.of(prefix, "world", data);
  }

  /**
   * {@code %06d} without a Formatter (every datum's id is made with it): i's digits with zeros in front to six
   * characters, a minus sign counted among them.
   */
  static String pad(int i) {
    String d = Integer.toString(i);
    if (d.length() >= 6) return d;
    String zeros = "000000".substring(d.length());
    return i < 0 ? "-" + zeros + d.substring(1) : zeros + d;
  }

  static String stageOf(String itemId) {
    int slash = itemId.lastIndexOf('/');
    return slash < 0 ? itemId : itemId.substring(0, slash);
  }

  static int generationOf(String itemId) {
    for (String part : itemId.split("/")) {
      if (part.matches("g\\d+")) return Integer.parseInt(part.substring(1));
    }
    return 0;
  }

  static String schedule(TrainingSpec t) { return t.lrSchedule().name().toLowerCase(java.util.Locale.ROOT); }

  static OptimizerConfig optimizer(TrainingSpec t) {
    var o = t.optimizer();
    return new OptimizerConfig((float) o.beta1(), (float) o.beta2(), (float) o.eps(), (float) o.weightDecay(),
        (float) o.gradClip());
  }

  TrainerLineage trainerLineage(TrainWork w, String method) {
    Map<String, String> cfg = new LinkedHashMap<>();
    cfg.put("epochs", String.valueOf(w.epochs()));
    cfg.put("batchSize", String.valueOf(w.batchSize()));
    cfg.put("lr", String.valueOf(w.lr()));
    cfg.put("schedule", w.schedule());
    cfg.put("warmupSteps", String.valueOf(w.warmupSteps()));
    cfg.put("optimizer", w.optimizer().toString());
    if (w.lora() != null) cfg.put("lora", w.lora().toString());
    if (w.params() != null) cfg.put("params", w.params().toString());
    return new TrainerLineage(method, cfg, streams.itemSeed(w.id()), 0);
  }
}
