package io.priorflow.engine.bench;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures training throughput: full optimizer steps (forward, backward, clipping, AdamW) of a token model on
 * random sequences, as trained tokens (predicted positions) per second. A benchmark, not a test: it prints
 * numbers and asserts nothing about them.
 */
public final class TrainBench {
  private TrainBench() {}

  /**
   * One measurement.
   *
   * @param tokensPerSecond trained positions per second of wall time, median over the timed steps
   * @param msPerStep       median milliseconds per optimizer step
   */
  public record Result(String backend, int threads, long parameters, int batchSequences, int sequenceLength,
                       int steps, double msPerStep, double tokensPerSecond) {}

  /**
   * Trains {@code cfg} from a fixed seed on batches of {@code batchSequences} random sequences of
   * {@code sequenceLength} tokens: a few warm-up steps for the JIT, then timed steps until {@code budgetMillis}.
   */
  public static Result run(KernelBackend be, TokenModelConfig cfg, int batchSequences, int sequenceLength,
                           long budgetMillis) {
    SplittableRandom r = new SplittableRandom(42);
    TokenModel start = TokenModel.initialize(cfg, r.split());
    List<SequenceBatch> batches = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      List<int[]> seqs = new ArrayList<>();
      for (int i = 0; i < batchSequences; i++) {
        int[] s = new int[sequenceLength];
        for (int t = 0; t < sequenceLength; t++) s[t] = r.nextInt(cfg.vocab());
        seqs.add(s);
      }
      batches.add(SequenceBatch.allTokens(seqs));
    }
    List<Double> ms = new ArrayList<>();
    // on a device backend the steps run as its training graph, weights staying on the device (ModelTraining)
    try (ModelTraining tr = new ModelTraining(start, OptimizerConfig.defaults(), be)) {
      // warm-up: the JIT, and on a device the graph's compilation, which the first step pays
      long warmupEnd = System.nanoTime() + Math.min(2_000, budgetMillis / 3) * 1_000_000L;
      int step = 0;
      while (System.nanoTime() < warmupEnd || step < 3) tr.step(batches.get(step++ % batches.size()), 1e-3f);
      long end = System.nanoTime() + budgetMillis * 1_000_000L;
      while (System.nanoTime() < end || ms.size() < 3) {
        long t0 = System.nanoTime();
        tr.step(batches.get(step++ % batches.size()), 1e-3f);
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    ms.sort(null);
    double median = ms.get(ms.size() / 2);
    int tokens = batchSequences * (sequenceLength - 1);
    return new Result(be.name(), be.threads(), start.parameterCount(), batchSequences, sequenceLength, ms.size(),
        median, tokens / (median / 1000.0));
  }
}
