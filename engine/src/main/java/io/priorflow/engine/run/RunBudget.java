package io.priorflow.engine.run;

import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.scenario.DataPolicySpec;
import io.priorflow.engine.scenario.EvaluationSpec;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.ModelSpec;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a run will need, estimated from its scenario before any work: heap memory at the run's peak, tokens trained
 * and sampled, and a rough wall time. {@link #of} estimates one run, {@link #ofBatch} the runs of a batch going
 * {@code lanes} at a time. The CLI prints it before a run and in {@code validate}, and refuses a run whose memory
 * estimate exceeds the heap.
 *
 * <p>The model, with P a model's parameters and A its floats of activations (and their gradients) per position:
 * <pre>
 * models     every model the run makes stays in its model store: 4·P bytes each (float32)
 *            (a base per distinct base, the critic, trait classifiers, one per train stage and generation)
 * training   one training session at a time per run: new weights, gradients and AdamW's two moments (16·P),
 *            the model it starts from or reads (4·P), a chunk of activations (A·4·rows), the model file (4·P)
 * data       every generation's new data stays in its lineage's history, whatever the policy; lineages run one
 *            after another, so the largest lineage's pool, plus the pretraining and critic data
 * lanes      a batch holds this much for each run going at once
 * </pre>
 * Sequence lengths are measured on 256 world examples of the scenario's world (drawn from a {@code SplittableRandom}
 * seeded 0): their mean prompt p̄ and mean sequence s̄, and the mean response r̄ = s̄ − p̄. Parameter counts are exact
 * (the closed forms of {@link io.priorflow.engine.model.ParamLayout}); the rest is an estimate within a small factor,
 * rounded up where unsure. Work: a training position costs 6·P floating-point operations, a sampled token 2·P
 * times the window it reads; time divides the operations by {@link #FLOPS_PER_SECOND}.
 *
 * <p>The arithmetic, with E the scenario's {@code training.epochs} (a train stage's own {@code epochs} where set):
 * <pre>
 * critic         a scalar head of its role's model, N_c = max(1000, pretrainExamples of the first lineage / 4)
 *                items: N_c·r̄·E positions; its data N_c datums of s̄ tokens
 * constitution   per rule a scalar head of its role's model, trainingExamples·r̄·E positions
 * base           one per distinct (model, pretrainExamples, base epochs): pretrainExamples·(s̄ − 1)·epochs positions;
 *                its data pretrainExamples datums of s̄ tokens
 * evaluation     T = prompts·samplesPerPrompt·maxNewTokens·(bestOfN or 1)·(2 with a win rate) tokens, sampled by each
 *                lineage's base (generation 0) and by its student after each generation
 * generation g   the teacher is the base at g = 1, the student after; items start at 0, the response at r̄:
 *   generate     items = samples, response = min(maxNewTokens, r̄), samples·maxNewTokens tokens sampled by the teacher
 *   filter       items ·= keepFraction
 *   redteam      actors.redTeamers.budget·responsesPerPrompt·evaluation.maxNewTokens tokens sampled by the teacher
 *   train        the set: items (replace), pool + items (accumulate), min(subsampleSize, pool + items) (subsample),
 *                divided by 1 − freshFraction; the model: the teacher's with init teacher or for lora, dpo, rlhf,
 *                best_of_n, kto and online_dpo, else the student's. Positions trained (and tokens sampled):
 *                reward_model  set·response·E, a scalar head of its role's model
 *                rlhf          R = prompts·samplesPerPrompt rollouts: R·evaluation.maxNewTokens·E, sampled and trained
 *                best_of_n     as rlhf with R = prompts·n
 *                online_dpo, gkd   2·set·response·E, and set·evaluation.maxNewTokens·max(1, rounds) sampled
 *                dpo, kto      2·set·response·E
 *                others        set·response·E
 *   the pool     grows by items + fresh, fresh = items·freshFraction/(1 − freshFraction), each a datum of
 *                p̄ + response tokens; the pool starts at pretrainExamples items
 * memory         baseline {@link #BASELINE_BYTES}; models 4·P each; training the largest session, 24·P + 4·A·rows
 *                (rows {@link #MLP_CHUNK_ROWS}, or {@link #TRANSFORMER_CHUNK_ROWS} for a transformer); data the
 *                critic's and bases' datums plus the largest lineage's pool: its datums and 16 bytes per pool item
 *                (the training set's references); a datum is {@link #DATUM_OVERHEAD} + ⌈4·tokens⌉ bytes
 * time           ({@link #SECONDS_TO_START} + {@link #SECONDS_PER_GENERATION}·Σ(generations + 1) + flops /
 *                {@link #FLOPS_PER_SECOND}) / max(1, min(lanes, cores)) seconds
 * </pre>
 * An analytic world's budget is the baseline alone, no work, and {@link #SECONDS_TO_START}.
 *
 * <p>Not here: the memory of worker nodes of a cluster (each holds the models it fetched), the JVM's own
 * overhead beyond {@link #BASELINE_BYTES}, and analytic worlds beyond a small constant.
 */
public final class RunBudget {
  /** The heap a run needs beside its models and data: Vert.x, Hazelcast, the world, the evaluation set. */
  public static final long BASELINE_BYTES = 64L << 20;
  /**
   * Effective floating-point operations per second of a run on one core of this project's 2-core development machine
   * (priorflow's Java backend on small models, with sampling, bookkeeping and the bus): measured on tiny.yaml and
   * quickstart.yaml (README, Budgets): 5.6e11 operations in 18–28 s. An order of magnitude, for the estimated time
   * only.
   */
  public static final double FLOPS_PER_SECOND = 2e10;
  /** Seconds a run spends per generation (and at its start) beyond its arithmetic: items, bus, evaluation, files. */
  public static final double SECONDS_PER_GENERATION = 1.0, SECONDS_TO_START = 2.0;
  /** Rows of a training chunk (TokenModel.CHUNK_ROWS) and positions of a transformer's chunk at most. */
  static final int MLP_CHUNK_ROWS = 1024, TRANSFORMER_CHUNK_ROWS = 4096;
  /** Heap bytes of a datum beyond its tokens: the Datum, its provenance, ids and labels, its list entries. */
  static final int DATUM_OVERHEAD = 320;

  /** One part of the memory estimate: a name, its bytes, and what to lower to shrink it. */
  public record Part(String name, long bytes, String lower) {}

  private final List<Part> parts;
  private final long tokensTrained, tokensSampled;
  private final double flops;
  private final int lanes;
  private final double fixedSeconds;

  private RunBudget(List<Part> parts, long tokensTrained, long tokensSampled, double flops, int lanes,
                    double fixedSeconds) {
    this.fixedSeconds = fixedSeconds;
    this.parts = List.copyOf(parts);
    this.tokensTrained = tokensTrained;
    this.tokensSampled = tokensSampled;
    this.flops = flops;
    this.lanes = lanes;
  }

  /** The parts of the memory estimate, largest first. */
  public List<Part> parts() {
    return parts.stream().sorted(Comparator.comparingLong(Part::bytes).reversed()).toList();
  }

  /** Heap bytes at the run's (or the batch's) peak. */
  public long memoryBytes() {
    return parts.stream().mapToLong(Part::bytes).sum();
  }

  /** Positions trained on, over every epoch of every training. */
  public long tokensTrained() { return tokensTrained; }

  /** Tokens sampled: generated data, rollouts, evaluation samples. */
  public long tokensSampled() { return tokensSampled; }

  /** Floating-point operations of the training and sampling. */
  public double flops() { return flops; }

  /** Estimated wall time in seconds with {@code cores} cores: the runs of a batch share them, a run uses one. */
  public double seconds(int cores) {
    return (fixedSeconds + flops / FLOPS_PER_SECOND) / Math.max(1, Math.min(lanes, cores));
  }

  /**
   * The budget of the runs of a batch, {@code lanes} at a time: one scenario per distinct (sweep point,
   * counterfactual), since replicates differ only in their seed, which changes no size.
   */
  public static RunBudget ofRuns(io.priorflow.engine.scenario.LoadedScenario base, List<RunSpec> runs, int lanes) {
    java.util.Map<String, Scenario> byVariant = new java.util.HashMap<>();
    List<Scenario> scenarios = new ArrayList<>(runs.size());
    for (RunSpec r : runs) {
      RunSpec first = new RunSpec(r.point(), 0, r.name(), r.params(), r.counterfactual());
      scenarios.add(byVariant.computeIfAbsent(r.point() + "/" + r.counterfactual(),
          k -> first.scenario(base).scenario()));
    }
    return ofBatch(scenarios, lanes);
  }

  /** The budget of one run of this scenario. */
  public static RunBudget of(Scenario s) {
    return new Estimate(s).budget();
  }

  /**
   * The budget of a batch: work summed over the runs, memory of the {@code lanes} largest runs at once (a run's
   * models are dropped when it ends) plus one baseline.
   */
  public static RunBudget ofBatch(List<Scenario> runs, int lanes) {
    if (runs.isEmpty()) throw new IllegalArgumentException("a batch has at least one run");
    List<RunBudget> each = new ArrayList<>();
    Scenario last = null;
    RunBudget lastBudget = null;
    for (Scenario s : runs) { // runs of a batch often share a scenario (replicates differ in the seed only)
      if (lastBudget == null || (s != last && !sameButSeed(s, last))) {
        lastBudget = of(s);
        last = s;
      }
      each.add(lastBudget);
    }
    if (each.size() == 1) return each.get(0);
    int k = Math.max(1, Math.min(lanes, each.size()));
    List<RunBudget> largest = each.stream()
        .sorted(Comparator.comparingLong(RunBudget::memoryBytes).reversed()).limit(k).toList();
    RunBudget big = largest.get(0);
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("baseline", BASELINE_BYTES, "nothing"));
    for (Part p : big.parts) {
      if (p.name().equals("baseline")) continue;
      long sum = 0;
      for (RunBudget b : largest) { // by kind: "models (5 kept)" and "models (4 kept)" are both models
        sum += b.parts.stream().filter(q -> kind(q.name()).equals(kind(p.name()))).mapToLong(Part::bytes).sum();
      }
      parts.add(new Part(p.name() + " (" + k + " runs at once)", sum, p.lower() + ", or --parallel"));
    }
    return new RunBudget(parts, each.stream().mapToLong(RunBudget::tokensTrained).sum(),
        each.stream().mapToLong(RunBudget::tokensSampled).sum(), each.stream().mapToDouble(RunBudget::flops).sum(),
        k, each.stream().mapToDouble(b -> b.fixedSeconds).sum());
  }

  /** A part's kind, its name before any " (…)": models, training, data, baseline. */
  private static String kind(String name) {
    int paren = name.indexOf(" (");
    return paren < 0 ? name : name.substring(0, paren);
  }

  private static boolean sameButSeed(Scenario a, Scenario b) {
    return a.equals(new Scenario(b.name(), b.description(), a.seed(), b.world(), b.analytic(), b.model(), b.models(),
        b.training(), b.actors(), b.lineages(), b.evaluation()));
  }

  /**
   * The parameters of a model config: for the MLP V·D + Σ_l (H_l·nIn_l + H_l) + nOut·H_L + nOut with nIn_0 = C·D,
   * for the transformer V·D + C·D + L·(4D² + 2DF + 9D + F) + 2D + nOut·(D + 1).
   */
  public static long parameters(TokenModelConfig c) {
    long v = c.vocab(), d = c.embedDim(), out = c.outputWidth();
    if (c.isTransformer()) {
      long n = v * d + (long) c.context() * d + 2 * d + out * (d + 1);
      for (int l = 0; l < c.layers(); l++) {
        long f = c.hidden().get(l);
        n += 4 * d * d + 2 * d * f + 9 * d + f;
      }
      return n;
    }
    long n = v * d, in = (long) c.context() * d;
    for (int h : c.hidden()) {
      n += h * in + h;
      in = h;
    }
    return n + out * in + out;
  }

  /**
   * Floats of activations and their gradients per training position. MLP: 2·(C·D + 2·ΣH + 2·nOut). Transformer
   * (README, Model families): L·(8D + 2F + NH·C + 4) + 7D + 2F + NH·C, plus the embeddings with their gradients (2D)
   * and the logits with their gradients and probabilities (3·nOut); F is the first layer's hidden width.
   */
  static long activationFloats(TokenModelConfig c) {
    long out = c.outputWidth(), d = c.embedDim();
    if (c.isTransformer()) {
      long f = c.hidden().get(0), att = (long) c.heads() * c.context();
      return c.layers() * (8 * d + 2 * f + att + 4) + 7 * d + 2 * f + att + 2 * d + 3 * out;
    }
    long h = c.hidden().stream().mapToLong(Integer::longValue).sum();
    return 2 * ((long) c.context() * d + 2 * h + 2 * out);
  }

  /** Bytes of one training session of this config: 16·P of state, 4·P read, a chunk, the model file's bytes. */
  static long trainingBytes(TokenModelConfig c) {
    long p = parameters(c);
    int rows = c.isTransformer() ? TRANSFORMER_CHUNK_ROWS : MLP_CHUNK_ROWS;
    return 24 * p + 4 * activationFloats(c) * rows;
  }

  /** The estimate's arithmetic over one scenario. */
  private static final class Estimate {
    final Scenario s;
    final int vocab;
    final double meanPrompt, meanSequence;
    long trained, sampled;
    double flops;
    long modelBytes, models, trainingPeak, dataPeak, dataShared;
    String largestModel = "";
    long largestModelBytes;
    String largestPool = "";

    Estimate(Scenario s) {
      this.s = s;
      World world = s.analytic() == null ? ScenarioRun.world(s) : null;
      this.vocab = world == null ? 0 : world.vocabulary().size();
      double prompt = 0, seq = 0;
      if (world != null) {
        SplittableRandom rng = new SplittableRandom(0); // a measurement, not part of any run
        for (int i = 0; i < 256; i++) {
          Example e = world.sample(rng);
          prompt += e.prompt().length();
          seq += e.sequence().length;
        }
      }
      this.meanPrompt = prompt / 256;
      this.meanSequence = seq / 256;
    }

    TokenModelConfig config(ModelSpec spec) {
      return spec.toConfig(vocab, Vocabulary.PAD);
    }

    /** A model the run keeps, trained on {@code positions} positions (epochs included). */
    void model(String role, ModelSpec spec, boolean scalar, double positions) {
      TokenModelConfig c = config(spec);
      if (scalar) c = c.withScalarHead();
      long p = parameters(c);
      modelBytes += 4 * p;
      models++;
      if (4 * p > largestModelBytes) {
        largestModelBytes = 4 * p;
        largestModel = role + " (" + spec.describe() + ": " + human(4 * p) + " each)";
      }
      trainingPeak = Math.max(trainingPeak, trainingBytes(c));
      trained += (long) positions;
      flops += 6.0 * p * positions;
    }

    /** Tokens sampled by a model of this spec, each reading up to its window. */
    void sample(ModelSpec spec, double tokens) {
      TokenModelConfig c = config(spec);
      sampled += (long) tokens;
      flops += 2.0 * parameters(c) * tokens;
    }

    long datumBytes(double tokens) {
      return DATUM_OVERHEAD + (long) Math.ceil(4 * tokens);
    }

    RunBudget budget() {
      if (s.analytic() != null) {
        return new RunBudget(List.of(new Part("baseline", BASELINE_BYTES, "nothing")), 0, 0, 0, 1, SECONDS_TO_START);
      }
      int epochs = s.training().epochs();
      // generation 0: the critic, trait classifiers, every distinct base
      int criticN = Math.max(1000, s.lineages().get(0).base().pretrainExamples() / 4);
      double response = meanSequence - meanPrompt;
      model("the critic", ModelRoles.critic(s), true, criticN * response * epochs);
      dataShared += criticN * datumBytes(meanSequence);
      if (s.actors().critics().constitution() != null) {
        var c = s.actors().critics().constitution();
        for (int i = 0; i < c.rules().size(); i++) {
          model("the constitution's classifiers", ModelRoles.constitution(s), true,
              c.trainingExamples() * response * epochs);
        }
      }
      List<String> bases = new ArrayList<>();
      for (LineageSpec l : s.lineages()) {
        ModelSpec b = ModelRoles.base(s, l);
        String key = b.describe() + "/" + l.base().pretrainExamples() + "/" + l.base().epochs();
        if (bases.contains(key)) continue;
        bases.add(key);
        model("lineage " + l.name() + "'s base", b, false,
            (double) l.base().pretrainExamples() * (meanSequence - 1) * l.base().epochs());
        dataShared += l.base().pretrainExamples() * datumBytes(meanSequence);
      }
      EvaluationSpec ev = s.evaluation();
      double evalTokens = (double) ev.prompts() * ev.samplesPerPrompt() * ev.maxNewTokens()
          * (ev.bestOfN() == null ? 1 : ev.bestOfN()) * (ev.measuresWinRate() ? 2 : 1);
      for (LineageSpec l : s.lineages()) lineage(l, evalTokens);
      List<Part> parts = new ArrayList<>();
      parts.add(new Part("baseline", BASELINE_BYTES, "nothing"));
      parts.add(new Part("models (" + models + " kept)", modelBytes, "the largest model, " + largestModel
          + ", or the generations"));
      parts.add(new Part("training", trainingPeak, "the largest model, " + largestModel));
      parts.add(new Part("data", dataShared + dataPeak, "the data: " + largestPool));
      int generations = s.lineages().stream().mapToInt(l -> l.generations() + 1).sum();
      return new RunBudget(parts, trained, sampled, flops, 1,
          SECONDS_TO_START + SECONDS_PER_GENERATION * generations);
    }

    void lineage(LineageSpec l, double evalTokens) {
      ModelSpec student = ModelRoles.student(s, l), base = ModelRoles.base(s, l);
      sample(base, evalTokens); // generation 0's evaluation
      double pool = l.base().pretrainExamples(); // items in the history (the base's data first)
      long poolBytes = 0;
      double poolTokens = meanSequence;
      DataPolicySpec policy = l.data();
      for (int g = 1; g <= l.generations(); g++) {
        ModelSpec teacher = g == 1 ? base : student;
        double items = 0, length = meanSequence, response = meanSequence - meanPrompt;
        for (StageSpec st : l.stages()) {
          if (!st.runsIn(g)) continue;
          switch (st) {
            case GenerateStage gen -> {
              items = gen.samples();
              response = Math.min(gen.maxNewTokens(), meanSequence - meanPrompt); // answers end as the world's do
              length = meanPrompt + response;
              sample(teacher, (double) gen.samples() * gen.maxNewTokens());
            }
            case FilterStage f -> items *= f.keepFraction();
            case RedTeamStage r -> {
              double tries = s.actors().redTeamers().budget() * (double) r.responsesPerPrompt();
              sample(teacher, tries * ev().maxNewTokens());
            }
            case TrainStage tr -> train(l, tr, student, teacher, items, response, pool);
            default -> { }
          }
        }
        double fresh = items * policy.freshFraction() / Math.max(1e-9, 1 - policy.freshFraction());
        pool += items + fresh;
        poolBytes += (long) ((items + fresh) * datumBytes(length));
        poolTokens = length;
        sample(student, evalTokens);
      }
      // the history keeps every generation's data; the training set adds references to it
      long refs = (long) (pool * 16);
      if (poolBytes + refs > dataPeak) {
        dataPeak = poolBytes + refs;
        largestPool = "lineage " + l.name() + " keeps about " + (long) pool + " items of " + Math.round(poolTokens)
            + " tokens (lower its generate stages' samples, its generations, or maxNewTokens)";
      }
    }

    EvaluationSpec ev() { return s.evaluation(); }

    /** A train stage on {@code items} new items (and the pool before them) whose responses are {@code length} long. */
    void train(LineageSpec l, TrainStage tr, ModelSpec student, ModelSpec teacher, double items, double length,
               double pool) {
      int epochs = tr.epochs(s.training());
      DataPolicySpec p = l.data();
      double set = switch (p.policy()) {
        case REPLACE -> items;
        case ACCUMULATE -> pool + items;
        case SUBSAMPLE -> Math.min(p.subsampleSize(), pool + items);
      };
      set /= Math.max(1e-9, 1 - p.freshFraction());
      String role = "lineage " + l.name() + "'s students";
      boolean fromTeacher = tr.init() == TrainStage.Init.TEACHER || switch (tr.method()) {
        case LORA, DPO, RLHF, BEST_OF_N, KTO, ONLINE_DPO -> true;
        default -> false;
      };
      ModelSpec spec = fromTeacher ? teacher : student;
      int maxNew = ev().maxNewTokens();
      switch (tr.method()) {
        case REWARD_MODEL -> model("lineage " + l.name() + "'s reward models", ModelRoles.rewardModel(s, tr), true,
            set * length * epochs);
        case RLHF, BEST_OF_N -> {
          double rollouts = (double) tr.prompts() * (tr.method() == TrainStage.Method.BEST_OF_N ? tr.n()
              : tr.samplesPerPrompt());
          sample(spec, rollouts * maxNew * epochs);
          model(role, spec, false, rollouts * maxNew * epochs);
        }
        case ONLINE_DPO, GKD -> {
          sample(spec, set * maxNew * Math.max(1, tr.roundsOrDefault()));
          model(role, spec, false, 2 * set * length * epochs);
        }
        case DPO, KTO -> model(role, spec, false, 2 * set * length * epochs);
        default -> model(role, spec, false, set * length * epochs);
      }
    }
  }

  /**
   * Two lines for a terminal: memory with its parts, then work and time, e.g.
   * {@code budget: about 312 MiB of heap (models 180 MiB, training 96 MiB, data 12 MiB, baseline 64 MiB) of 3.9 GiB}.
   */
  public String describe(long heapBytes, int cores) {
    StringBuilder b = new StringBuilder("budget: about ").append(human(memoryBytes())).append(" of heap (");
    List<Part> sorted = parts();
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(sorted.get(i).name()).append(' ').append(human(sorted.get(i).bytes()));
    }
    b.append(") of this JVM's ").append(human(heapBytes)).append('\n');
    b.append(String.format(Locale.ROOT, "work: %s tokens trained, %s sampled, %.2g floating-point operations: "
        + "roughly %s", count(tokensTrained), count(tokensSampled), flops, duration(seconds(cores))));
    return b.toString();
  }

  /**
   * Null when the estimate fits the heap, else one line saying by how much it does not and what to lower: the
   * largest part's own advice.
   */
  public String refusal(long heapBytes) {
    if (memoryBytes() <= heapBytes) return null;
    Part top = parts().get(0);
    return "the run needs about " + human(memoryBytes()) + " of heap (" + top.name() + " " + human(top.bytes())
        + "), more than this JVM's " + human(heapBytes) + ": lower " + top.lower() + "; or raise the heap "
        + "(PF_JAVA_OPTS=-Xmx" + Math.max(1, (long) Math.ceil(memoryBytes() * 1.25 / (1L << 30))) + "g); "
        + "--ignore-budget runs it anyway";
  }

  /** Bytes for people: 812 KiB, 3.4 MiB, 7.5 GiB. */
  public static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  private static String count(long n) {
    if (n < 10_000) return Long.toString(n);
    if (n < 10_000_000) return String.format(Locale.ROOT, "%.0f k", n / 1e3);
    if (n < 10_000_000_000L) return String.format(Locale.ROOT, "%.0f M", n / 1e6);
    return String.format(Locale.ROOT, "%.0f G", n / 1e9);
  }

  private static String duration(double seconds) {
    if (seconds < 90) return String.format(Locale.ROOT, "%.0f s", Math.max(1, seconds));
    if (seconds < 5400) return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    if (seconds < 48 * 3600) return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
  }
}
