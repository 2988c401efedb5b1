package io.priorflow.engine.bench;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures sampling throughput: a freshly initialised token model continues a batch of random prompts (temperature 1,
 * no stop token, so every sequence draws the full budget), as sampled tokens per second; for a transformer with or
 * without its key/value cache. A benchmark, not a test: it prints numbers and asserts nothing about them.
 */
public final class SampleBench {
  private SampleBench() {}

  /**
   * One measurement.
   *
   * @param tokensPerSecond sampled tokens per second of wall time, median over the timed calls
   * @param msPerCall       median milliseconds per {@link TokenModel#sample} call
   */
  public record Result(String backend, int threads, boolean cached, long parameters, int prompts, int promptLength,
                       int newTokens, int calls, double msPerCall, double tokensPerSecond) {}

  /** Samples {@code newTokens} after each of {@code prompts} random prompts of {@code promptLength} tokens, repeatedly. */
  public static Result run(KernelBackend be, TokenModelConfig cfg, boolean cached, int prompts, int promptLength,
                           int newTokens, long budgetMillis) {
    SplittableRandom r = new SplittableRandom(42);
    TokenModel model = TokenModel.initialize(cfg, r.split());
    List<int[]> ps = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      int[] p = new int[promptLength];
      for (int t = 0; t < promptLength; t++) p[t] = r.nextInt(cfg.vocab());
      ps.add(p);
    }
    SamplingConfig sc = new SamplingConfig(1f, 0, newTokens, -1);
    List<Double> ms = new ArrayList<>();
    long warmupEnd = System.nanoTime() + Math.min(2_000, budgetMillis / 3) * 1_000_000L;
    int call = 0;
    while (System.nanoTime() < warmupEnd || call < 2) model.sample(be, ps, sc, streams(prompts, call++), cached);
    long end = System.nanoTime() + budgetMillis * 1_000_000L;
    while (System.nanoTime() < end || ms.size() < 3) {
      List<SplittableRandom> rngs = streams(prompts, call++);
      long t0 = System.nanoTime();
      model.sample(be, ps, sc, rngs, cached);
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    ms.sort(null);
    double median = ms.get(ms.size() / 2);
    return new Result(be.name(), be.threads(), cached && cfg.isTransformer(), model.parameterCount(), prompts,
        promptLength, newTokens, ms.size(), median, (double) prompts * newTokens / (median / 1000.0));
  }

  private static List<SplittableRandom> streams(int n, int call) {
    List<SplittableRandom> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(new SplittableRandom(1_000L * call + i));
    return out;
  }
}
