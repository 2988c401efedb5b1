package io.priorflow.engine.run;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.scenario.TrainingSpec;
import io.priorflow.engine.train.PreferencePairs;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.TrainStage;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The {@code train} stage: every training method, from the generation's data or preference data. */
final class TrainRunner implements StageRunner<TrainStage> {
  static final TrainRunner KIND = new TrainRunner();

  private TrainRunner() {}

  @Override
  public List<Item> run(LineageRun l, Generation gen, String stage, TrainStage s, List<Item> items)
      throws InterruptedException {
    String teacher = l.model(s.teacher(), gen);
    String reference = s.reference() == null ? teacher : l.model(s.reference(), gen);
    String m = train(l, gen, stage, gen.g, s, items, teacher, reference);
    if (m != null) gen.student = m;
    return items;
  }

  /**
   * Trains by the stage's method. sft, distill_sequence, lora and distill_token train on the data policy's training
   * set; reward_model and dpo on this generation's preference data; rlhf and best_of_n on {@code prompts} fresh
   * world prompts. dpo, kto, online_dpo, rlhf and best_of_n start from the teacher, whatever init says, and keep
   * close to the reference. {@code teacher} and {@code reference} are the models the stage names (the generation's
   * teacher unless it names others). Returns the student, or null for reward_model, whose model becomes the
   * lineage's reward model instead.
   */
  static String train(LineageRun l, Generation gen, String stage, int g, TrainStage s, List<Item> items, String teacher,
                      String reference)
      throws InterruptedException {
    int epochs = s.epochs(l.run.scenario.training());
    double lr = s.lr(l.run.scenario.training());
    String init = s.init() == TrainStage.Init.TEACHER ? teacher : null;
    String method = ScenarioRun.methodName(s);
    String item = stage + "/0";
    TrainResult r;
    switch (s.method()) {
      case SFT, DISTILL_SEQUENCE, LORA, DISTILL_TOKEN, GKD -> {
        Dataset trainSet = l.trainingSet(stage, g, items);
        List<int[]> seqs = new ArrayList<>(trainSet.size());
        int[] from = new int[trainSet.size()];
        for (int i = 0; i < trainSet.size(); i++) {
          seqs.add(trainSet.data().get(i).tokens());
          from[i] = trainSet.data().get(i).responseStart();
        }
        TrainWork w = s.method() == TrainStage.Method.SFT || s.method() == TrainStage.Method.DISTILL_SEQUENCE
            ? work(l, item, "lm", init, seqs, from, epochs, lr, null, null)
            : s.method() == TrainStage.Method.LORA
            ? work(l, item, "lora", teacher, seqs, from, epochs, lr, new LoraConfig(s.loraRank(), LORA_ALPHA_PER_RANK
                * s.loraRank()), null)
            : s.method() == TrainStage.Method.GKD
            ? work(l, item, "gkd", init, seqs, responseFrom(from), epochs, lr, null, new TrainParams.Gkd(teacher,
                s.divergenceOrDefault().name().toLowerCase(java.util.Locale.ROOT), s.jsdBetaOrDefault(),
                s.onPolicyFractionOrDefault(), new io.priorflow.engine.model.SamplingConfig((float) s.temperature(), 0,
                l.run.scenario.evaluation().maxNewTokens(), Vocabulary.EOS)))
            : work(l, item, "distill_token", init, seqs, from, epochs, lr, null,
                new TrainParams.Distill(teacher, s.temperature()));
        if (s.method() == TrainStage.Method.DISTILL_TOKEN || s.method() == TrainStage.Method.GKD) {
          // the teacher's distributions are the targets
          List<Datum> labelled = new ArrayList<>(trainSet.size());
          for (Datum d : trainSet.data()) labelled.add(d.withLabel(Label.ai(LabelKind.TARGETS, 1, TEACHER, teacher)));
          trainSet = Dataset.of(trainSet.name() + "/targets", "stages", labelled);
        }
        r = l.run.train(l.spec.name(), w, method, trainSet, w.initModelId());
      }
      case REWARD_MODEL, DPO -> {
        if (gen.pairs.isEmpty() && l.spec.stages().stream().anyMatch(x -> x instanceof RedTeamStage)) {
          return s.method() == TrainStage.Method.REWARD_MODEL ? null : teacher; // the red team found nothing
        }
        if (gen.pairs.isEmpty()) {
          throw new IllegalArgumentException(stage + ": no preference data reaches this stage (is there a label "
              + "stage with task prefer before it?)");
        }
        Dataset prefs = Dataset.of(l.spec.name() + "/g" + g + "/preferences", "stages", gen.pairs);
        Pairs pp = Pairs.of(prefs, gen.pairs, 0);
        TrainWork w = s.method() == TrainStage.Method.REWARD_MODEL
            ? work(l, item, "reward_bt", init, pp.seqs, pp.from, epochs, lr, null,
                new TrainParams.RewardBt(pp.pairs, REWARD_HELD_OUT),
                l.run.config(ModelRoles.rewardModel(l.run.scenario, s)))
            : work(l, item, "dpo", teacher, pp.seqs, pp.from, epochs, lr, null,
                new TrainParams.Dpo(pp.pairs, reference, s.beta()));
        r = l.run.train(l.spec.name(), w, method, prefs, w.initModelId());
      }
      case ONLINE_DPO -> r = onlineDpo(l, gen, stage, g, s, teacher, reference, epochs, lr);
      case KTO -> {
        if (gen.ratings.isEmpty()) {
          throw new IllegalArgumentException(stage + ": no rated data reaches this stage (is there a label stage with "
              + "task rate or correct before it, with a sample > 0?)");
        }
        // a datum judged twice counts once, as last judged
        Map<String, Generation.Rated> latest = new java.util.LinkedHashMap<>();
        for (Generation.Rated x : gen.ratings) latest.put(x.datum().id(), x);
        List<Generation.Rated> judged = new ArrayList<>(latest.values());
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
        Dataset ratedSet = Dataset.of(l.spec.name() + "/g" + g + "/ratings", "stages", rated);
        TrainWork w = work(l, item, "kto", teacher, seqs, from, epochs, lr, null,
            new TrainParams.Kto(desirable, reference,
            s.beta(), s.desirableWeightOrDefault(), s.undesirableWeightOrDefault()));
        r = l.run.train(l.spec.name(), w, method, ratedSet, teacher);
      }
      case RLHF, BEST_OF_N -> {
        SplittableRandom rng = l.run.streams.forItem(stage + "/prompts");
        List<Datum> prompts = new ArrayList<>(s.prompts());
        List<int[]> seqs = new ArrayList<>(s.prompts());
        int[] from = new int[s.prompts()];
        String reward = l.rewardModelId != null ? l.rewardModelId : l.criticId;
        String rater = l.rewardModelId != null ? REWARD_MODEL : ScenarioRun.CRITIC;
        for (int i = 0; i < s.prompts(); i++) {
          Prompt p = l.run.world.at(g).samplePrompt(rng);
          seqs.add(p.tokens());
          from[i] = p.length();
          // in lineage, prompt i stands for its rollouts: produced by the teacher, rewarded by the reward model
          prompts.add(new Datum(l.spec.name() + "/g" + g + "/rollouts/" + ScenarioRun.pad(i), p.tokens(),
              Math.max(0, p.length() - 1), Provenance.generated(ScenarioRun.GENERATOR, teacher, g))
              .withLabel(Label.ai(LabelKind.REWARD, 1, rater, reward)));
        }
        Dataset promptSet = Dataset.of(l.spec.name() + "/g" + g + "/rollouts", "stages", prompts);
        var ev = l.run.scenario.evaluation();
        var sampling = new io.priorflow.engine.model.SamplingConfig((float) s.temperature(), 0, ev.maxNewTokens(),
            Vocabulary.EOS);
        TrainWork w = s.method() == TrainStage.Method.RLHF
            ? work(l, item, "rlhf", teacher, seqs, from, epochs, lr, null, new TrainParams.Rlhf(reward, reference,
                s.klCoef(), s.samplesPerPrompt(), sampling,
                s.algorithmOrDefault().name().toLowerCase(java.util.Locale.ROOT),
                s.ppoEpochsOrDefault(), s.clipOrDefault(),
                s.baselineOrDefault().name().toLowerCase(java.util.Locale.ROOT), s.gaeLambdaOrDefault()))
            : work(l, item, "best_of_n", teacher, seqs, from, epochs, lr, null,
                new TrainParams.BestOfN(reward, s.n(), sampling));
        r = l.run.train(l.spec.name(), w, method, promptSet, teacher);
      }
      default -> throw new IllegalStateException("unknown train method " + method);
    }
    l.trainTokens += r.tokens();
    for (var e : r.stats().entrySet()) {
      if (MetricNames.isKnown(e.getKey())) gen.methodMetrics.put(e.getKey(), e.getValue());
    }
    if (s.method() == TrainStage.Method.RLHF) {
      gen.methodMetrics.putAll(io.priorflow.engine.metrics.OveroptimisationFit.rlhfMetrics(r.trace()));
    }
    if (s.method() == TrainStage.Method.REWARD_MODEL) {
      l.rewardModelId = r.modelId();
      return null;
    }
    return r.modelId();
  }

  /**
   * Online (iterative) DPO [Guo et al., "Direct Language Model Alignment from Online AI Feedback", 2024; Xiong et
   * al., "Iterative Preference Learning from Human Feedback", 2024]: each of {@code rounds} rounds, the current
   * policy answers {@code prompts} fresh world prompts twice (as a generate stage, then a prefer label stage whose
   * second responses come from the policy too), the critic or the humans judge every pair, and DPO trains the
   * policy on that round's pairs against the stage's reference (its teacher unless it names one). Each round's generation,
   * labels (with their cost) and training are stages of their own ({@code …/r0-generate}, {@code …/r0-label},
   * {@code …/r0-train}); the round's pairs also join the generation's preference data. Returns the last round's
   * result; the earlier rounds' training tokens are counted here.
   */
  static TrainResult onlineDpo(LineageRun l, Generation gen, String stage, int g, TrainStage s, String teacher,
                               String reference, int epochs, double lr)
      throws InterruptedException {
    io.priorflow.engine.model.SamplingConfig sc = l.samplingOf(Vocabulary.EOS);
    GenerateStage ask = new GenerateStage(s.prompts(), sc.temperature(), sc.topK(), sc.maxNewTokens(),
        GenerateStage.PromptTag.NONE, 0, GenerateStage.PromptTag.NONE);
    LabelStage judge = LabelStage.of(s.byOrDefault(), s.prompts(), LabelStage.Task.PREFER);
    String policy = teacher;
    TrainResult r = null;
    for (int round = 0; round < s.roundsOrDefault(); round++) {
      String at = stage + "/r" + round;
      if (r != null) l.trainTokens += r.tokens();
      // 1. the policy answers fresh prompts; 2. it answers each again and the judges prefer one of the two
      List<Item> answers = GenerateRunner.generate(l, gen, at + "-generate", g, ask, policy);
      List<Datum> earlier = gen.pairs;
      gen.pairs = new ArrayList<>();
      PreferRunner.prefer(l, gen, at + "-label", g, judge, answers, policy);
      List<Datum> roundPairs = gen.pairs;
      gen.pairs = earlier;
      gen.pairs.addAll(roundPairs);
      // 3. a DPO step on this round's pairs, from the current policy, against the reference
      Dataset prefs = Dataset.of(l.spec.name() + "/g" + g + "/online/r" + round, "stages", roundPairs);
      Pairs pp = Pairs.of(prefs, roundPairs, 1);
      TrainWork w = work(l, at + "-train/0", "dpo", policy, pp.seqs, pp.from, epochs, lr, null,
          new TrainParams.Dpo(pp.pairs, reference, s.beta()));
      r = l.run.train(l.spec.name(), w, ScenarioRun.methodName(s), prefs, policy);
      policy = r.modelId();
    }
    return r;
  }

  /**
   * Preference data as a trainer reads them: the dataset's sequences (in its sorted order), their loss starts (at
   * least {@code minFrom}), and each (chosen, rejected) pair of {@code pairs} — chosen, rejected, chosen, … — as
   * indices into them.
   */
  record Pairs(List<int[]> seqs, int[] from, PreferencePairs pairs) {
    static Pairs of(Dataset prefs, List<Datum> pairs, int minFrom) {
      Map<String, Integer> index = new java.util.HashMap<>();
      List<int[]> seqs = new ArrayList<>(prefs.size());
      int[] from = new int[prefs.size()];
      for (int i = 0; i < prefs.size(); i++) {
        Datum d = prefs.data().get(i);
        index.put(d.id(), i);
        seqs.add(d.tokens());
        from[i] = Math.max(minFrom, d.responseStart());
      }
      int[] c = new int[pairs.size() / 2], rj = new int[pairs.size() / 2];
      for (int p = 0; p < c.length; p++) {
        c[p] = index.get(pairs.get(2 * p).id());
        rj[p] = index.get(pairs.get(2 * p + 1).id());
      }
      return new Pairs(seqs, from, new PreferencePairs(c, rj));
    }
  }

  /** Actor ids of a lineage's reward model and of a distillation teacher, as labellers in lineage. */
  static final String REWARD_MODEL = "reward-model", TEACHER = "teacher";

  /** LoRA's alpha is this times the rank, so the adapter path's scale alpha / r is 1 whatever the rank. */
  static final double LORA_ALPHA_PER_RANK = 1.0;
  /** The share of preference gen.pairs a reward model keeps out of training, to report reward.heldout_agreement. */
  static final double REWARD_HELD_OUT = 0.2;

  /** Response starts of at least 1: on-policy distillation needs a prompt for the student to answer. */
  private static int[] responseFrom(int[] from) {
    int[] f = from.clone();
    for (int i = 0; i < f.length; i++) f[i] = Math.max(1, f[i]);
    return f;
  }

  /** A work item whose fresh start (init scratch) is one of this lineage's students. */
  static TrainWork work(LineageRun l, String id, String method, String init, List<int[]> seqs, int[] from,
                        int epochs, double lr, LoraConfig lora, TrainParams params) {
    return work(l, id, method, init, seqs, from, epochs, lr, lora, params, l.studentConfig);
  }

  /** A work item whose fresh start (init scratch) has that config; an init model keeps its own. */
  static TrainWork work(LineageRun l, String id, String method, String init, List<int[]> seqs, int[] from,
                        int epochs, double lr, LoraConfig lora, TrainParams params,
                        io.priorflow.engine.model.TokenModelConfig config) {
    TrainingSpec t = l.run.scenario.training();
    return new TrainWork(id, method, config, init, seqs, from, null, epochs, t.batchSize(), lr,
        ScenarioRun.schedule(t), t.warmupSteps(), ScenarioRun.optimizer(t), lora, params);
  }
}
