package io.priorflow.engine.model;

import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An immutable small neural model over a token vocabulary: every student, teacher, critic and reward model in
 * priorflow is one. A model never changes; {@link ModelTraining} makes a new one. Its {@link #id()} is the
 * SHA-256 of its {@linkplain ModelFile file bytes} (architecture and weights), so equal ids mean equal models. The
 * hash is computed on first use, so a trainer may snapshot its current weights every step (to sample from them or
 * read log-probabilities) without hashing each snapshot.
 *
 * <p>With the {@linkplain TokenModelConfig.Head#TOKEN token head} it is an autoregressive model: p(x_t | the C
 * tokens before t). With the {@linkplain TokenModelConfig.Head#SCALAR scalar head} it scores whole sequences.
 * Its {@linkplain TokenModelConfig#family() family} — the window MLP or the causal transformer — is a matter of its
 * config: every method here works for both ({@link Body} holds the difference). What it deliberately is not: a holder
 * of compute resources — every method that computes takes the {@link KernelBackend} to run on.
 */
public final class TokenModel {
  /** Rows (positions) per forward pass when a call has many; results do not depend on it. */
  static final int CHUNK_ROWS = 1024;

  private final TokenModelConfig config;
  private final ParamLayout layout;
  private final float[][] weights; // ParamLayout order; never mutated after construction
  private String id;                // computed on first use; a benign race (String is immutable)

  /** Takes ownership of {@code weights}; callers must not keep references. */
  TokenModel(TokenModelConfig config, float[][] weights) {
    this.config = config;
    this.layout = ParamLayout.of(config);
    if (weights.length != layout.count()) {
      throw new IllegalArgumentException("model has " + weights.length + " tensors, layout expects " + layout.count());
    }
    for (int i = 0; i < weights.length; i++) {
      if (weights[i].length != layout.size(i)) {
        throw new IllegalArgumentException("tensor " + layout.tensors().get(i).name() + " has " + weights[i].length
            + " values, layout expects " + layout.size(i));
      }
    }
    this.weights = weights;
  }

  /**
   * As above, with its id already known: {@code id} must be the SHA-256 hex of this model's file body (ModelFile
   * decodes a file whose header it has checked is this model's own encoding, so its hash is the id).
   */
  TokenModel(TokenModelConfig config, float[][] weights, String id) {
    this(config, weights);
    this.id = id;
  }

  /**
   * A freshly initialised model: embeddings uniform with unit variance, each dense layer's weights and biases
   * uniform in ±1/√nIn (PyTorch's nn.Linear default), drawn in {@link ParamLayout} order from {@code rng}.
   */
  public static TokenModel initialize(TokenModelConfig config, SplittableRandom rng) {
    if (config.isTransformer()) return initializeTransformer(config, rng);
    ParamLayout layout = ParamLayout.of(config);
    float[][] w = layout.zeros();
    double embedBound = Math.sqrt(3.0);
    fillUniform(w[0], embedBound, rng);
    for (int i = 1; i < w.length; i += 2) {
      double bound = 1.0 / Math.sqrt(layout.tensors().get(i).cols());
      fillUniform(w[i], bound, rng);
      fillUniform(w[i + 1], bound, rng);
    }
    return new TokenModel(config, w);
  }

  /**
   * A fresh transformer, initialised as the MLP is — PyTorch's defaults for a model this small: token and position
   * embeddings uniform with unit variance, every projection's weights uniform in ±1/√fanIn (attention in and out,
   * MLP in and out), LayerNorm γ = 1 and β = 0, projection biases 0, the head's weights and bias uniform in ±1/√D
   * like every head. Drawn in {@link ParamLayout} order from {@code rng}.
   *
   * <p>Not GPT-2's σ = 0.02 (Radford et al. 2019, nanoGPT), which suits widths of hundreds: at width 64 it leaves the
   * attention nearly uniform for thousands of steps, and in-context recall (an induction-style lookup) did not form
   * within 6 000 steps of fact-recall documents, where these scales form it within 750–1 750 (README, "In-context
   * learning").
   */
  private static TokenModel initializeTransformer(TokenModelConfig config, SplittableRandom rng) {
    ParamLayout layout = ParamLayout.of(config);
    float[][] w = layout.zeros();
    double unit = Math.sqrt(3.0); // a uniform in ±√3 has unit variance
    fillUniform(w[0], unit, rng);
    fillUniform(w[1], unit, rng);
    for (int l = 0; l < config.layers(); l++) {
      int b = ParamLayout.block(l);
      Arrays.fill(w[b + ParamLayout.LN1_G], 1f);
      for (int t : new int[] {ParamLayout.QKV_W, ParamLayout.PROJ_W}) {
        fillUniform(w[b + t], 1.0 / Math.sqrt(layout.tensors().get(b + t).cols()), rng);
      }
      Arrays.fill(w[b + ParamLayout.LN2_G], 1f);
      for (int t : new int[] {ParamLayout.FC_W, ParamLayout.FCPROJ_W}) {
        fillUniform(w[b + t], 1.0 / Math.sqrt(layout.tensors().get(b + t).cols()), rng);
      }
    }
    Arrays.fill(w[ParamLayout.block(config.layers())], 1f);
    double bound = 1.0 / Math.sqrt(config.embedDim());
    fillUniform(w[w.length - 2], bound, rng);
    fillUniform(w[w.length - 1], bound, rng);
    return new TokenModel(config, w);
  }

  private static void fillUniform(float[] x, double bound, SplittableRandom rng) {
    for (int i = 0; i < x.length; i++) x[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
  }

  public TokenModelConfig config() { return config; }

  public ParamLayout layout() { return layout; }

  /** SHA-256 of the model file's content, as 64 lowercase hex digits. */
  public String id() {
    String s = id;
    if (s == null) {
      s = ModelFile.contentHash(this);
      id = s;
    }
    return s;
  }

  /** The id if it has been computed or read already, else null (ModelFile then hashes once, and tells it). */
  String idIfKnown() { return id; }

  /** Remembers the id ModelFile computed for this model's encoding. */
  void knowId(String id) { this.id = id; }

  /**
   * This model's body (embeddings and hidden layers, bit for bit) under a new head of the given kind, the new head's
   * weights and biases uniform in ±1/√H_L from {@code rng}. A reward model is usually started this way from the
   * policy it will judge (InstructGPT initialises its reward model from the SFT model).
   */
  public TokenModel withNewHead(TokenModelConfig.Head head, SplittableRandom rng) {
    TokenModelConfig c = config.withHead(head);
    ParamLayout l = ParamLayout.of(c);
    float[][] w = l.zeros();
    for (int i = 0; i < w.length - 2; i++) w[i] = weights[i].clone();
    double bound = 1.0 / Math.sqrt(c.featureWidth());
    fillUniform(w[w.length - 2], bound, rng);
    fillUniform(w[w.length - 1], bound, rng);
    return new TokenModel(c, w);
  }

  public long parameterCount() { return layout.parameterCount(); }

  /** A copy of tensor i (ParamLayout order). */
  public float[] tensor(int i) { return weights[i].clone(); }

  /** The weights themselves, for this package's trainers and file writer only. Never mutate. */
  float[][] weightsUnsafe() { return weights; }

  // ---- token head ----------------------------------------------------------------------------------------

  /** log p(· | seq): the next-token log-distribution after the whole of {@code seq}, length V. */
  public float[] nextTokenLogProbs(KernelBackend be, int[] seq) {
    requireHead(TokenModelConfig.Head.TOKEN);
    Body net = Body.of(config, be, 1);
    net.setRow(0, seq, seq.length, false);
    net.forwardBody(weights, 1);
    net.forwardTokenHead(weights, 1);
    float[] out = new float[config.vocab()];
    be.logSoftmaxForward(net.out, out, 1, config.vocab());
    return out;
  }

  /**
   * log p(seq[t] | seq[&lt;t]) for t = from .. len−1 of each sequence; result i has length len_i − from_i.
   * Positions are batched across sequences; each value is independent of the batching.
   */
  public float[][] tokenLogProbs(KernelBackend be, List<int[]> seqs, int[] from) {
    requireHead(TokenModelConfig.Head.TOKEN);
    float[][] result = new float[seqs.size()][];
    int total = 0;
    for (int i = 0; i < seqs.size(); i++) {
      if (from[i] < 1 || from[i] > seqs.get(i).length) {
        throw new IllegalArgumentException("from[" + i + "] must be in [1, " + seqs.get(i).length + "], was " + from[i]);
      }
      result[i] = new float[seqs.get(i).length - from[i]];
      total += result[i].length;
    }
    int v = config.vocab();
    Body net = Body.of(config, be, Math.min(CHUNK_ROWS, Math.max(1, total)));
    int[] targets = new int[net.maxRows];
    float[] ones = new float[net.maxRows];
    Arrays.fill(ones, 1f);
    float[] losses = new float[net.maxRows];
    int[] rowSeq = new int[net.maxRows], rowPos = new int[net.maxRows];
    int rows = 0;
    for (int i = 0; i < seqs.size(); i++) {
      int[] s = seqs.get(i);
      for (int t = from[i]; t < s.length; t++) {
        net.setRow(rows, s, t, false);
        targets[rows] = s[t];
        rowSeq[rows] = i;
        rowPos[rows] = t - from[i];
        if (net.full(++rows)) {
          logProbChunk(net, rows, targets, ones, losses, v, rowSeq, rowPos, result);
          rows = 0;
        }
      }
    }
    if (rows > 0) logProbChunk(net, rows, targets, ones, losses, v, rowSeq, rowPos, result);
    return result;
  }

  private void logProbChunk(Body net, int rows, int[] targets, float[] ones, float[] losses, int v,
                            int[] rowSeq, int[] rowPos, float[][] result) {
    net.forwardBody(weights, rows);
    net.forwardTokenHead(weights, rows);
    net.be.crossEntropyForward(net.out, targets, ones, losses, rows, v);
    for (int r = 0; r < rows; r++) result[rowSeq[r]][rowPos[r]] = -losses[r];
  }

  /**
   * The next-token log-distributions of each sequence at positions from_i .. len_i − 1: result i is a flat
   * (len_i − from_i, V) array whose row t − from_i is log p(· | seq[&lt;t]). Batched across sequences like
   * {@link #tokenLogProbs}; each row is independent of the batching. Token-level distillation and exact KL use it.
   */
  public float[][] nextTokenLogProbs(KernelBackend be, List<int[]> seqs, int[] from) {
    requireHead(TokenModelConfig.Head.TOKEN);
    int v = config.vocab(), total = 0;
    float[][] result = new float[seqs.size()][];
    for (int i = 0; i < seqs.size(); i++) {
      if (from[i] < 0 || from[i] > seqs.get(i).length) {
        throw new IllegalArgumentException("from[" + i + "] must be in [0, " + seqs.get(i).length + "], was " + from[i]);
      }
      int n = seqs.get(i).length - from[i];
      result[i] = new float[n * v];
      total += n;
    }
    Body net = Body.of(config, be, Math.min(CHUNK_ROWS, Math.max(1, total)));
    float[] lp = new float[net.maxRows * v];
    int[] rowSeq = new int[net.maxRows], rowPos = new int[net.maxRows];
    int rows = 0;
    for (int i = 0; i <= seqs.size(); i++) {
      int[] s = i < seqs.size() ? seqs.get(i) : null;
      int end = s == null ? 0 : s.length;
      for (int t = s == null ? 0 : from[i]; t <= end; t++) {
        boolean last = s == null || t == end;
        if (rows > 0 && (net.full(rows) || (s == null && last))) {
          net.forwardBody(weights, rows);
          net.forwardTokenHead(weights, rows);
          be.logSoftmaxForward(net.out, lp, rows, v);
          for (int r = 0; r < rows; r++) System.arraycopy(lp, r * v, result[rowSeq[r]], rowPos[r] * v, v);
          rows = 0;
        }
        if (last) break;
        net.setRow(rows, s, t, false);
        rowSeq[rows] = i;
        rowPos[rows++] = t - from[i];
      }
    }
    return result;
  }

  /** Σ_t log p(seq[t] | seq[&lt;t]) over t = from_i .. len_i − 1, summed in order t ascending, in double. */
  public double[] logProbs(KernelBackend be, List<int[]> seqs, int[] from) {
    float[][] per = tokenLogProbs(be, seqs, from);
    double[] out = new double[per.length];
    for (int i = 0; i < per.length; i++) {
      double s = 0;
      for (float x : per[i]) s += x;
      out[i] = s;
    }
    return out;
  }

  /**
   * Continues each prompt by sampling, prompt i drawing only from {@code rngs.get(i)}: the result for a prompt
   * does not depend on which other prompts share the call. Returns prompt + continuation for each.
   */
  public List<int[]> sample(KernelBackend be, List<int[]> prompts, SamplingConfig cfg, List<SplittableRandom> rngs) {
    return sample(be, prompts, cfg, rngs, true);
  }

  /** Sequences per key/value-cache chunk of {@link #sample}. */
  static final int DECODE_BATCH = 256;

  /**
   * {@link #sample}, with the transformer's key/value cache or without it ({@code cached} false: every token from a
   * forward pass over the whole prefix). Both give the same tokens; the MLP has no cache and ignores the flag.
   */
  public List<int[]> sample(KernelBackend be, List<int[]> prompts, SamplingConfig cfg, List<SplittableRandom> rngs,
                            boolean cached) {
    requireHead(TokenModelConfig.Head.TOKEN);
    if (prompts.size() != rngs.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + rngs.size() + " random streams");
    }
    int n = prompts.size(), v = config.vocab(), max = cfg.maxNewTokens();
    int[][] buf = new int[n][];
    int[] len = new int[n], produced = new int[n];
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      buf[i] = Arrays.copyOf(prompts.get(i), prompts.get(i).length + max);
      len[i] = prompts.get(i).length;
    }
    // the transformer decodes with its cache while positions fit the context; whatever is left goes on below
    if (cached && config.isTransformer()) {
      for (int first = 0; first < n; first += DECODE_BATCH) {
        int b = Math.min(DECODE_BATCH, n - first);
        new TransformerDecoder(config, be, weights, b).run(first, buf, len, produced, done, max, cfg, rngs);
      }
    }
    Body net = Body.of(config, be, Math.min(CHUNK_ROWS, Math.max(1, n)));
    int[] rowSeq = new int[net.maxRows];
    double[] scratch = new double[v];
    for (int step = 0; step < max; step++) {
      int rows = 0;
      for (int i = 0; i <= n; i++) {
        boolean flush = i == n || net.full(rows);
        if (flush && rows > 0) {
          net.forwardBody(weights, rows);
          net.forwardTokenHead(weights, rows);
          for (int r = 0; r < rows; r++) {
            int s = rowSeq[r];
            int tok = Sampler.sample(net.out, r * v, v, cfg, rngs.get(s), scratch);
            buf[s][len[s]++] = tok;
            produced[s]++;
            if (tok == cfg.stopToken()) done[s] = true;
          }
          rows = 0;
        }
        if (i == n) break;
        if (done[i] || produced[i] >= max) continue;
        net.setRow(rows, buf[i], len[i], false);
        rowSeq[rows++] = i;
      }
    }
    List<int[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(Arrays.copyOf(buf[i], len[i]));
    return out;
  }

  // ---- scalar head ---------------------------------------------------------------------------------------

  /**
   * Scores each sequence: the output layer applied to the mean of the last hidden layer over the windows
   * ending at positions from_i .. len_i − 1 (inclusive windows, so the last token is seen).
   */
  public float[] scores(KernelBackend be, List<int[]> seqs, int[] from) {
    requireHead(TokenModelConfig.Head.SCALAR);
    float[] out = new float[seqs.size()];
    ScalarPass pass = new ScalarPass(config, be, seqs, from);
    for (int start = 0; start < seqs.size(); ) {
      int end = pass.forward(weights, start);
      for (int s = start; s < end; s++) out[s] = pass.score(s - start);
      start = end;
    }
    return out;
  }

  void requireHead(TokenModelConfig.Head head) {
    if (config.head() != head) {
      throw new IllegalStateException("this operation needs a model with the " + head + " head, but model "
          + id().substring(0, 12) + " has the " + config.head() + " head");
    }
  }

  @Override
  public boolean equals(Object o) { return o instanceof TokenModel m && m.id().equals(id()); }

  @Override
  public int hashCode() { return id().hashCode(); }

  @Override
  public String toString() {
    return "TokenModel[" + id().substring(0, 12) + ", " + config.family() + ", " + config.head() + ", V="
        + config.vocab() + ", C=" + config.context() + ", D=" + config.embedDim() + ", hidden=" + config.hidden()
        + (config.isTransformer() ? ", heads=" + config.heads() : "") + ", params="
        + parameterCount() + "]";
  }
}
