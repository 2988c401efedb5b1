package io.priorflow.engine.metrics;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.train.InContext;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.GoldOracle;
import io.priorflow.engine.world.TraitTally;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures a token model against the world on a fixed {@link EvaluationSet}: the metrics of DESIGN §7 that a
 * model has (see {@link MetricNames} for each definition). Pure and deterministic: the result is a function of
 * the models, the set and the evaluation seed, never of the batch size, the thread count or the call order.
 *
 * <pre>
 *   sample:  prompt i, sample j  ─ stream derive(seed, "prompt/i/sample/j") ─▶  TokenModel.sample  ─▶ SampledResponses
 *   score:   SampledResponses ─ gold oracle ─▶ trait.*, knowledge.*, reward.gold
 *                             ─ counts      ─▶ diversity.entropy, diversity.distinct2
 *                             ─ base model  ─▶ kl.base        (if a base model is given)
 *                             ─ reward model─▶ reward.proxy   (if a reward model is given)
 *   held-out examples ─ model ─▶ loss.world                   (if the set has held-out examples)
 *   recall probes ─ stream derive(seed, "recall/i/…") ─▶ TokenModel.sample ─▶ knowledge.context_accuracy,
 *                                                         knowledge.heldout_accuracy (if the world holds facts out)
 *   changed facts ─ stream derive(seed, "changed/i") ─▶ TokenModel.sample ─▶ knowledge.current_accuracy,
 *                                                         knowledge.stale_rate (if facts change, from the first change)
 * </pre>
 * Each sample draws only from its own stream, so a sample is the same whichever other samples share its batch.
 * The two halves are public: {@link #scoreResponses} takes sequences from anywhere (the world itself, in the
 * tests). Not an actor and not a trainer; it holds the world, the set and the backend, nothing mutable.
 */
public final class Evaluator {

  private final World world;
  private final EvaluationSet set;
  private final KernelBackend be;
  private final int batchSize;
  private final List<int[]> promptPassages; // (prompts) retrieved passages, or null: no retrieval
  private final List<int[]> probePassages; // (changed-fact probes), or null

  /** An evaluator that hands every sample of an evaluation to the model in one call. */
  public Evaluator(World world, EvaluationSet set, KernelBackend be) {
    this(world, set, be, Integer.MAX_VALUE, null, null);
  }

  private Evaluator(World world, EvaluationSet set, KernelBackend be, int batchSize, List<int[]> promptPassages,
                    List<int[]> probePassages) {
    this.world = world;
    this.set = set;
    this.be = be;
    this.batchSize = batchSize;
    this.promptPassages = promptPassages;
    this.probePassages = probePassages;
  }

  /**
   * The same evaluator, retrieval-augmented: the model answers evaluation prompt i with {@code promptPassages[i]}
   * before its question, and changed-fact probe j with {@code probePassages[j]} ({@code Retriever#augment}); every
   * sample is then scored as the bare question and the answer (the passages taken out), so a stale passage or a
   * distractor that the model copies is judged wrong. Null lists: no retrieval.
   *
   * @throws IllegalArgumentException when a list's length differs from the prompts' (probes')
   */
  public Evaluator withPassages(List<int[]> promptPassages, List<int[]> probePassages) {
    if (promptPassages != null && promptPassages.size() != set.prompts().size()) {
      throw new IllegalArgumentException("Retrieval gave passages for " + promptPassages.size() + " of "
          + set.prompts().size() + " evaluation prompts.");
    }
    return new Evaluator(world, set, be, batchSize, promptPassages, probePassages);
  }

  /**
   * The same evaluator, handing the model at most {@code samples} sequences per call (to bound memory). The
   * results are identical for every batch size.
   */
  public Evaluator withBatchSize(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("The batch size must be ≥ 1 sample, was " + samples + ".");
    }
    return new Evaluator(world, set, be, samples, promptPassages, probePassages);
  }

  /** The evaluation set. */
  public EvaluationSet set() {
    return set;
  }

  /**
   * Every metric of the model that the inputs allow, in {@link MetricNames} order: trait.*, knowledge.accuracy,
   * knowledge.rare_accuracy, diversity.entropy, diversity.distinct2, loss.world (if the set has held-out
   * examples), kl.base (if {@code base} is not null), reward.gold, reward.proxy (if {@code rewardModel} is not
   * null), knowledge.context_accuracy and knowledge.heldout_accuracy (if the set has recall probes).
   *
   * @param model       the model measured (token head)
   * @param base        the base model for kl.base, or null
   * @param rewardModel the run's reward model (scalar head) for reward.proxy, or null
   * @param seed        the evaluation work item's seed, e.g. {@code streams.itemSeed(itemId)}
   */
  public Map<String, Double> evaluate(TokenModel model, TokenModel base, TokenModel rewardModel, long seed) {
    return evaluate(model, base, rewardModel, null, seed);
  }

  /**
   * As {@link #evaluate(TokenModel, TokenModel, TokenModel, long)}, and {@code winrate} against {@code reference}
   * when it is not null ({@link #winRate}).
   */
  public Map<String, Double> evaluate(TokenModel model, TokenModel base, TokenModel rewardModel, TokenModel reference,
                                      long seed) {
    return evaluate(model, base, rewardModel, reference, 0, seed);
  }

  /**
   * As {@link #evaluate(TokenModel, TokenModel, TokenModel, TokenModel, long)}; with {@code bestOfN} ≥ 2 (and a
   * reward model) every sample — the model's and the reference's — is the best of n by the reward model
   * ({@link #bestOfN}), and eval.bon_kl and eval.bon_kl_bound are measured too.
   */
  public Map<String, Double> evaluate(TokenModel model, TokenModel base, TokenModel rewardModel, TokenModel reference,
                                      int bestOfN, long seed) {
    return evaluateWithCurve(model, base, rewardModel, reference, bestOfN, seed).metrics();
  }

  /**
   * What an evaluation measures.
   *
   * @param metrics      in {@link MetricNames} order
   * @param bestOfNCurve with best-of-n at inference, Gao et al.'s curve ({@link BestOfNCurve}) of the model; else
   *                     empty
   */
  public record Result(Map<String, Double> metrics, List<BestOfNCurve.Point> bestOfNCurve) {}

  /**
   * As {@link #evaluate(TokenModel, TokenModel, TokenModel, TokenModel, int, long)}; with best-of-n, also the
   * best-of-m curve for m = 1, 2, 4, … n from the same candidates (every candidate of a prompt in one pool) and the
   * metrics of its fit, eval.bon_fit_*.
   */
  public Result evaluateWithCurve(TokenModel model, TokenModel base, TokenModel rewardModel, TokenModel reference,
                                  int bestOfN, long seed) {
    boolean bon = bestOfN >= 2;
    if (bon && rewardModel == null) {
      throw new IllegalArgumentException("Best-of-" + bestOfN + " at inference needs a reward model to choose by.");
    }
    double[] kl = new double[1];
    List<double[]> proxyPools = new ArrayList<>(), goldPools = new ArrayList<>();
    SampledResponses samples = bon ? bestOfN(model, rewardModel, bestOfN, seed, kl, proxyPools, goldPools)
        : sample(model, seed);
    Map<String, Double> m = measure(model, samples, base, rewardModel);
    List<BestOfNCurve.Point> curve = List.of();
    if (bon) {
      curve = BestOfNCurve.curve(proxyPools, goldPools, bestOfN);
      Map<String, Double> b = new LinkedHashMap<>(BestOfNCurve.fitMetrics(curve));
      b.put(MetricNames.EVAL_BON_KL, kl[0]);
      b.put(MetricNames.EVAL_BON_KL_BOUND, BestOfNCurve.klBound(bestOfN));
      m = MetricNames.ordered(MetricNames.merge(m, b));
    }
    if (reference != null) {
      m = MetricNames.ordered(MetricNames.merge(m, Map.of(MetricNames.WIN_RATE,
          winRate(samples, bon ? bestOfN(reference, rewardModel, bestOfN, seed, new double[1]) : sample(reference,
              seed)))));
    }
    if (!set.recall().isEmpty()) {
      m = MetricNames.merge(m, recall(model, seed));
    }
    if (world.facts().changes()) {
      m = MetricNames.merge(m, changedFacts(model, seed));
    }
    return new Result(m, curve);
  }

  /**
   * knowledge.current_accuracy and knowledge.stale_rate (and by bucket) of the model at the world's generation
   * ({@link ChangedFacts}), at least as many probes as the set has prompts; empty while no fact has changed.
   */
  public Map<String, Double> changedFacts(TokenModel model, long seed) {
    return ChangedFacts.measure(world, ChangedFacts.probes(world, set.prompts().size()),
        (prompts, rngs) -> model.sample(be, prompts, set.sampling(), rngs), seed, batchSize, probePassages);
  }

  /**
   * Best-of-n at inference: for prompt i and sample j, n candidates drawn from {@code RandomStreams.child(seed,
   * "prompt/" + i + "/sample/" + j + "/candidate/" + c)}, and the one the reward model scores highest (ties to the
   * lower c) is the sample. {@code kl[0]} receives the measured KL(best-of-n ‖ policy): the mean over samples of the
   * log density ratio ({@link #logRatio}), with P(R &lt; r) and P(R ≤ r) estimated from the prompt's candidates of its
   * other samples.
   *
   * @throws IllegalArgumentException with fewer than 2 samples per prompt (F̂ needs other samples' candidates)
   */
  public SampledResponses bestOfN(TokenModel model, TokenModel rewardModel, int n, long seed, double[] kl) {
    return bestOfN(model, rewardModel, n, seed, kl, new ArrayList<>(), new ArrayList<>());
  }

  /**
   * As {@link #bestOfN(TokenModel, TokenModel, int, long, double[])}, adding each prompt's pool — the proxy rewards
   * and gold utilities of all its candidates, in drawing order (sample j's candidate c at j·n + c) — to
   * {@code proxyPools} and {@code goldPools}.
   */
  SampledResponses bestOfN(TokenModel model, TokenModel rewardModel, int n, long seed, double[] kl,
                           List<double[]> proxyPools, List<double[]> goldPools) {
    int k = set.samplesPerPrompt();
    if (k < 2) {
      throw new IllegalArgumentException("Best-of-n at inference measures its KL against the other samples of a "
          + "prompt, so it needs samplesPerPrompt ≥ 2, was " + k + ".");
    }
    int prompts = set.prompts().size();
    List<int[]> chosen = new ArrayList<>(prompts * k);
    int[] promptLengths = new int[prompts * k];
    double klSum = 0;
    for (int i = 0; i < prompts; i++) {
      int[] p = set.prompts().get(i).tokens();
      int[] q = asked(i, model);
      List<int[]> ask = new ArrayList<>(k * n);
      List<SplittableRandom> rngs = new ArrayList<>(k * n);
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < n; c++) {
          ask.add(q);
          rngs.add(RandomStreams.child(seed, "prompt/" + i + "/sample/" + j + "/candidate/" + c));
        }
      }
      List<int[]> cands = new ArrayList<>(k * n);
      for (int start = 0; start < ask.size(); start += batchSize) {
        int end = Math.min(ask.size(), start + batchSize);
        for (int[] c : model.sample(be, ask.subList(start, end), set.sampling(), rngs.subList(start, end))) {
          cands.add(answered(i, q, c));
        }
      }
      int[] lengths = new int[cands.size()];
      java.util.Arrays.fill(lengths, p.length);
      double[] r = proxyRewards(rewardModel, new SampledResponses(cands, lengths));
      double[] g = new double[cands.size()];
      for (int c = 0; c < g.length; c++) g[c] = world.oracle().score(cands.get(c)).utility();
      proxyPools.add(r);
      goldPools.add(g);
      for (int j = 0; j < k; j++) {
        int best = j * n;
        for (int c = j * n + 1; c < (j + 1) * n; c++) if (r[c] > r[best]) best = c;
        chosen.add(cands.get(best));
        promptLengths[i * k + j] = p.length;
        int lt = 0, le = 0, others = 0;
        for (int c = 0; c < cands.size(); c++) {
          if (c / n == j) continue;
          others++;
          if (r[c] < r[best]) lt++;
          if (r[c] <= r[best]) le++;
        }
        klSum += logRatio(n, (double) lt / others, (double) le / others, others);
      }
    }
    kl[0] = klSum / (prompts * k);
    return new SampledResponses(chosen, promptLengths);
  }

  /**
   * log of best-of-n's density ratio to the policy at a response whose reward r has P(R &lt; r) = fLt and
   * P(R ≤ r) = fLe: the chance that the best of n has reward r, (fLe^n − fLt^n), over the policy's, (fLe − fLt)
   * (ties between equal rewards broken uniformly); n·fLe^{n−1} in the limit of no ties. fLe is at least
   * 1 / (2·pool), so one estimate from a finite pool stays finite.
   */
  static double logRatio(int n, double fLt, double fLe, int pool) {
    double le = Math.max(fLe, 0.5 / pool);
    if (fLe - fLt <= 0) {
      return Math.log(n) + (n - 1) * Math.log(le);
    }
    return Math.log((Math.pow(le, n) - Math.pow(fLt, n)) / (le - fLt));
  }

  /**
   * winrate: over the evaluation samples, the share on which the model's sample has a higher gold utility than the
   * reference's sample drawn from the same stream (same prompt, same random numbers), a tie counting ½; summed in
   * sample order.
   */
  public double winRate(SampledResponses model, SampledResponses reference) {
    if (model.size() != reference.size()) {
      throw new IllegalArgumentException("A win rate pairs samples one to one, got " + model.size() + " and "
          + reference.size() + ".");
    }
    GoldOracle oracle = world.oracle();
    double wins = 0;
    for (int i = 0; i < model.size(); i++) {
      double a = oracle.score(model.sequences().get(i)).utility();
      double b = oracle.score(reference.sequences().get(i)).utility();
      wins += a > b ? 1 : a == b ? 0.5 : 0;
    }
    return model.size() == 0 ? Double.NaN : wins / model.size();
  }

  /** knowledge.context_accuracy and knowledge.heldout_accuracy of the model ({@link InContextRecall}). */
  public Map<String, Double> recall(TokenModel model, long seed) {
    return InContextRecall.measure(world, set.recall(), (prompts, rngs) -> model.sample(be, prompts, set.sampling(),
        rngs), seed, batchSize);
  }

  /**
   * As {@link #evaluate(TokenModel, TokenModel, TokenModel, long)} on samples already drawn from the model by
   * {@link #sample} (for a caller that keeps the samples too).
   */
  public Map<String, Double> measure(TokenModel model, SampledResponses samples, TokenModel base,
                                     TokenModel rewardModel) {
    Map<String, Double> m = new LinkedHashMap<>(scoreResponses(samples));
    m.putAll(Honesty.metrics(world, samples.sequences(),
        Honesty.confidences(world, model, be, samples.sequences())));
    if (!set.heldOut().isEmpty()) {
      m.put(MetricNames.LOSS_WORLD, worldLoss(model));
    }
    if (base != null) {
      m.put(MetricNames.KL_BASE, mean(Divergence.perSample(model, base, be, samples)));
    }
    if (rewardModel != null) {
      m.put(MetricNames.REWARD_PROXY, mean(proxyRewards(rewardModel, samples)));
    }
    return MetricNames.ordered(m);
  }

  /** As {@link #evaluate(TokenModel, TokenModel, TokenModel, long)} with the seed of {@code itemId}. */
  public Map<String, Double> evaluate(TokenModel model, TokenModel base, TokenModel rewardModel,
                                      RandomStreams streams, String itemId) {
    return evaluate(model, base, rewardModel, streams.itemSeed(itemId));
  }

  /**
   * The evaluation samples: for prompt i and sample j (in that order), the model's continuation drawn from
   * {@code RandomStreams.child(seed, "prompt/" + i + "/sample/" + j)}.
   */
  public SampledResponses sample(TokenModel model, long seed) {
    int k = set.samplesPerPrompt();
    int n = set.sampleCount();
    List<int[]> out = new ArrayList<>(n);
    int[] promptLengths = new int[n];
    for (int start = 0; start < n; start += Math.min(batchSize, n - start)) {
      int end = start + Math.min(batchSize, n - start);
      List<int[]> prompts = new ArrayList<>(end - start);
      List<SplittableRandom> rngs = new ArrayList<>(end - start);
      for (int s = start; s < end; s++) {
        int[] p = set.prompts().get(s / k).tokens();
        prompts.add(asked(s / k, model));
        promptLengths[s] = p.length;
        rngs.add(RandomStreams.child(seed, "prompt/" + s / k + "/sample/" + s % k));
      }
      List<int[]> done = model.sample(be, prompts, set.sampling(), rngs);
      for (int s = start; s < end; s++) out.add(answered(s / k, prompts.get(s - start), done.get(s - start)));
    }
    return new SampledResponses(out, promptLengths);
  }

  /**
   * Evaluation prompt i as the model reads it: with its retrieved passages, if any, after its in-context examples,
   * if any, cut to what the model's context can see ({@link InContext#condition}).
   */
  private int[] asked(int i, TokenModel model) {
    int[] p = set.prompts().get(i).tokens();
    int[] q = promptPassages == null ? p
        : io.priorflow.engine.work.Retriever.augment(world.vocabulary(), p, promptPassages.get(i));
    List<int[]> examples = set.examplesOf(i);
    return examples.isEmpty() ? q : InContext.condition(examples, q, model.config().context());
  }

  /**
   * A completion of {@link #asked}(i) as the gold oracle reads it: the bare prompt and the answer (the examples and
   * passages taken out).
   */
  private int[] answered(int i, int[] asked, int[] sequence) {
    int[] p = set.prompts().get(i).tokens();
    if (!set.examplesOf(i).isEmpty()) {
      // the examples are everything before the (augmented) prompt, which ends the asked sequence
      int q = promptPassages == null ? p.length
          : io.priorflow.engine.work.Retriever.augment(world.vocabulary(), p, promptPassages.get(i)).length;
      sequence = java.util.Arrays.copyOfRange(sequence, asked.length - q, sequence.length);
    }
    return promptPassages == null ? sequence : io.priorflow.engine.work.Retriever.strip(world.vocabulary(), sequence,
        p, promptPassages.get(i));
  }

  /**
   * The metrics of the samples alone, in {@link MetricNames} order: trait.* and knowledge.* from the gold oracle
   * over each full sequence, diversity.entropy and diversity.distinct2 over the responses, diversity.wellformed and
   * diversity.distinct2_wellformed (the world's grammar), reward.gold, and reward.gold_chat when some prompt is a
   * chat prompt.
   */
  public Map<String, Double> scoreResponses(SampledResponses samples) {
    GoldOracle oracle = world.oracle();
    TraitTally tally = new TraitTally(world.traits());
    for (int i = 0; i < samples.size(); i++) {
      tally.add(oracle.score(samples.sequences().get(i)));
    }
    Map<String, Double> m = new LinkedHashMap<>(tally.metrics());
    double chatUtility = 0;
    int chats = 0;
    for (int i = 0; i < samples.size(); i++) {
      int[] s = samples.sequences().get(i);
      if (world.parser().parse(s).kind() != io.priorflow.engine.world.PromptKind.CHAT) continue;
      chatUtility += oracle.score(s).utility();
      chats++;
    }
    if (chats > 0) m.put(MetricNames.REWARD_GOLD_CHAT, chatUtility / chats);
    List<int[]> responses = samples.responses();
    m.put(MetricNames.DIVERSITY_ENTROPY, Diversity.entropy(responses));
    m.put(MetricNames.DIVERSITY_DISTINCT2, Diversity.distinct2(responses));
    List<int[]> wellFormed = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (world.wellFormed(samples.sequences().get(i))) wellFormed.add(responses.get(i));
    }
    m.put(MetricNames.DIVERSITY_WELLFORMED, samples.size() == 0 ? Double.NaN : wellFormed.size() / (double) samples.size());
    m.put(MetricNames.DIVERSITY_DISTINCT2_WELLFORMED, Diversity.distinct2(wellFormed));
    return MetricNames.ordered(m);
  }

  /**
   * loss.world: Σ −ln p over every held-out example's response tokens and EOS, divided by their number, summed
   * in example and position order in double.
   */
  public double worldLoss(TokenModel model) {
    List<Example> held = set.heldOut();
    if (held.isEmpty()) {
      return Double.NaN;
    }
    double nll = 0;
    long tokens = 0;
    for (int start = 0; start < held.size(); start += Math.min(batchSize, held.size() - start)) {
      int end = start + Math.min(batchSize, held.size() - start);
      List<int[]> seqs = new ArrayList<>(end - start);
      int[] from = new int[end - start];
      for (int i = start; i < end; i++) {
        seqs.add(held.get(i).sequence());
        from[i - start] = held.get(i).prompt().length();
      }
      for (float[] lp : model.tokenLogProbs(be, seqs, from)) {
        for (float x : lp) {
          nll -= x;
        }
        tokens += lp.length;
      }
    }
    return nll / tokens;
  }

  /**
   * The reward model's score of each sample, {@code rewardModel.scores(be, sequences, from = prompt length)}:
   * the scalar head over the windows ending at each generated token, so every window sees its prompt.
   */
  public double[] proxyRewards(TokenModel rewardModel, SampledResponses samples) {
    double[] out = new double[samples.size()];
    int n = samples.size();
    for (int start = 0; start < n; start += Math.min(batchSize, n - start)) {
      int end = start + Math.min(batchSize, n - start);
      List<int[]> seqs = samples.sequences().subList(start, end);
      int[] from = new int[end - start];
      for (int i = start; i < end; i++) {
        from[i - start] = Math.min(samples.promptLength(i), samples.sequences().get(i).length - 1);
      }
      float[] scores = rewardModel.scores(be, seqs, from);
      for (int i = start; i < end; i++) {
        out[i] = scores[i - start];
      }
    }
    return out;
  }

  /** Mean in index order; NaN for no values. */
  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return x.length == 0 ? Double.NaN : s / x.length;
  }
}
