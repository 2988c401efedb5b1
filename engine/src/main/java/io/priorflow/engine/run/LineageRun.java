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
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.scenario.DataPolicySpec;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
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
  private final String baseId, criticId;
  private final Dataset baseData;
  private final List<Dataset> history = new ArrayList<>();
  private LabelCounters counters = LabelCounters.ZERO;

  LineageRun(ScenarioRun run, LineageSpec spec, String baseId, Dataset baseData, String criticId) {
    this.run = run;
    this.spec = spec;
    this.baseId = baseId;
    this.baseData = baseData;
    this.criticId = criticId;
  }

  void run() throws InterruptedException {
    Map<String, Double> base = run.evaluate("base/evaluate", spec.name(), 0, baseId, baseId, criticId);
    run.finishGeneration(row(0, baseId, base));
    history.add(baseData);
    String teacher = baseId;
    for (int g = 1; g <= spec.generations(); g++) {
      List<Item> items = new ArrayList<>();
      String student = null;
      for (int k = 0; k < spec.stages().size(); k++) {
        StageSpec st = spec.stages().get(k);
        String stage = spec.name() + "/g" + g + "/s" + k + "-" + kindOf(st);
        switch (st) {
          case GenerateStage s -> items = generate(stage, g, s, teacher);
          case FilterStage s -> items = filter(stage, g, s, items);
          case LabelStage s -> items = label(stage, g, s, items);
          case TrainStage s -> student = train(stage, g, s, items, teacher);
          default -> throw new IllegalArgumentException("stage kind " + kindOf(st) + " is not available in this build");
        }
      }
      String evalId = spec.name() + "/g" + g + "/evaluate/0";
      Map<String, Double> metrics = run.evaluate(evalId, spec.name(), g, student, baseId, criticId);
      run.finishGeneration(row(g, student, metrics));
      run.listener.generationFinished(spec.name(), g, spec.generations());
      teacher = student;
    }
  }

  private MetricsRow row(int g, String modelId, Map<String, Double> metrics) {
    Map<String, Double> m = new LinkedHashMap<>(metrics);
    m.putAll(counters.metrics());
    m.putAll(run.graph.build().ancestryMetrics(modelId));
    return new MetricsRow(spec.name(), g, modelId, run.replicate, run.params, m);
  }

  static String kindOf(StageSpec st) {
    return switch (st) {
      case GenerateStage s -> "generate";
      case FilterStage s -> "filter";
      case LabelStage s -> "label";
      case TrainStage s -> "train";
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
    List<SampleWork> work = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += SAMPLE_BATCH) {
      List<int[]> batch = new ArrayList<>();
      for (Prompt p : prompts.subList(from, Math.min(prompts.size(), from + SAMPLE_BATCH))) batch.add(p.tokens());
      work.add(new SampleWork(stage + "/" + ScenarioRun.pad(work.size()), teacher, batch,
          s.sampling(Vocabulary.EOS)));
    }
    List<Item> out = new ArrayList<>(prompts.size());
    int i = 0;
    for (WorkResult r : run.dispatch(stage, "generate", spec.name(), g, work)) {
      for (int[] seq : ((SampleResult) r).sequences()) {
        Prompt p = prompts.get(i);
        out.add(new Item(new Datum(stage + "/" + ScenarioRun.pad(i), seq, p.length(),
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
      out.add(new Item(it.datum().withLabel(Label.ai(LabelKind.KEEP, 1, labeller, model)), it.prompt()));
    }
    counters = counters.plus(new LabelCounters(0, aiLabels, 0, 0));
    emitWithLabels(stage, out.size(), 0, 0, 0, aiLabels);
    return out;
  }

  /** The critic's scores of every item's response, SCORE_BATCH sequences per work item. */
  private double[] critique(String stage, int g, List<Item> items) throws InterruptedException {
    List<ScoreWork> work = new ArrayList<>();
    for (int from = 0; from < items.size(); from += SCORE_BATCH) {
      List<Item> part = items.subList(from, Math.min(items.size(), from + SCORE_BATCH));
      List<int[]> seqs = new ArrayList<>(part.size());
      int[] starts = new int[part.size()];
      for (int j = 0; j < part.size(); j++) {
        seqs.add(part.get(j).datum().tokens());
        starts[j] = part.get(j).datum().responseStart();
      }
      work.add(new ScoreWork(stage + "/" + ScenarioRun.pad(work.size()), ScenarioRun.CRITIC, criticId, seqs, starts,
          run.scenario.actors().critics().temperature()));
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
    double hours = 0, usd = 0, makespan = 0;
    long humanLabels = 0, aiLabels = 0;
    if (s.by() == LabelStage.By.CRITIC) {
      List<Item> sampled = new ArrayList<>();
      for (int j : chosen) sampled.add(items.get(j));
      double[] scores = critique(stage, g, sampled);
      for (int q = 0; q < chosen.length; q++) {
        accepted[chosen[q]] = scores[q] >= 0;
        labelledBy.put(chosen[q], ScenarioRun.CRITIC);
      }
      aiLabels = n;
    } else {
      var humans = run.scenario.actors().humans();
      int count = Math.min(humans.count(), n);
      List<LabelWork> work = new ArrayList<>();
      List<List<Integer>> assigned = new ArrayList<>();
      for (int h = 0; h < count; h++) {
        List<Integer> mine = new ArrayList<>();
        for (int q = h; q < n; q += humans.count()) mine.add(chosen[q]);
        List<Prompt> prompts = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (int j : mine) {
          prompts.add(items.get(j).prompt());
          seqs.add(items.get(j).datum().tokens());
        }
        assigned.add(mine);
        work.add(new LabelWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans, 0, prompts, seqs,
            s.task().name().toLowerCase(java.util.Locale.ROOT)));
      }
      List<WorkResult> results = run.dispatch(stage, "label", spec.name(), g, work);
      for (int h = 0; h < count; h++) {
        LabelResult r = (LabelResult) results.get(h);
        String who = ScenarioRun.humanId(h);
        List<Integer> mine = assigned.get(h);
        for (int q = 0; q < mine.size(); q++) {
          int j = mine.get(q);
          accepted[j] = r.accepted()[q];
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
      }
      humanLabels = n;
    }
    List<Item> out = new ArrayList<>(items.size());
    for (int j = 0; j < items.size(); j++) {
      Item it = items.get(j);
      String who = labelledBy.get(j);
      if (who == null) {
        out.add(it);
      } else if (accepted[j]) {
        Label l = s.by() == LabelStage.By.CRITIC ? Label.ai(LabelKind.RATING, 1, who, criticId)
            : Label.human(LabelKind.RATING, 1, who);
        out.add(new Item(it.datum().withLabel(l), it.prompt()));
      } else if (corrected.containsKey(j)) {
        out.add(corrected.get(j));
      }
    }
    counters = counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    emitWithLabels(stage, out.size(), makespan, hours, usd, aiLabels);
    return out;
  }

  private void emitWithLabels(String stage, int data, double makespan, double hours, double usd, long ai) {
    StageEvent e = run.lastStage;
    run.emit(new StageEvent(stage, spec.name(), e.generation(), e.kind(), e.items(), data, e.retries(),
        e.wallMillis(), makespan, hours, usd, ai, 0, Instant.now().toString()));
  }

  /** The data policy makes the training set; the student trains on its responses (SFT / sequence distillation). */
  private String train(String stage, int g, TrainStage s, List<Item> items, String teacher)
      throws InterruptedException {
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
    run.graph.addDataset(fresh);
    String init = s.init() == TrainStage.Init.TEACHER ? teacher : null;
    int epochs = s.epochs() != null ? s.epochs() : run.scenario.training().epochs();
    double lr = s.lr() != null ? s.lr() : run.scenario.training().lr();
    return run.train(spec.name(), stage + "/0", ScenarioRun.methodName(s), trainSet, init, epochs, lr, true);
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
