package io.priorflow.cli;

import io.priorflow.engine.bench.TrainBench;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code priorflow bench kernels|train}: speed numbers, printed; never pass/fail. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure kernel and training speed on this machine and print the numbers.",
    subcommands = {KernelBenchCommand.class, BenchCommand.Train.class, SampleBenchCommand.class},
    footer = {"", "Examples:", "  ./priorflow bench kernels", "  ./priorflow bench kernels --json --threads 1",
        "  ./priorflow bench train"})
final class BenchCommand implements Runnable {
  @Override
  public void run() { picocli.CommandLine.usage(this, System.out); }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = "Training tokens per second of a default model (full AdamW steps on random sequences), for "
          + "each backend and thread count: the window MLP (every scenario's default model; batch 64 x 24 tokens) or "
          + "the transformer (vocabulary 96, context 64, width 64, 2 layers, 4 heads, MLP 256; batch 32 x 64 tokens).",
      footer = {"", "Examples:", "  ./priorflow bench train", "  ./priorflow bench train --model transformer --threads 1,2",
          "  ./priorflow bench train --backend java --threads 2 --json"})
  static final class Train implements Runnable {
    @Option(names = "--backend", split = ",",
        description = "Backends to measure (default: reference,java, and tornado where a TornadoVM device is found).")
    List<String> backends;

    @Option(names = "--threads", split = ",",
        description = "Thread counts for the java backend (default: 1 and all cores); tornado runs on its device.")
    List<Integer> threads;

    @Option(names = "--model", description = "mlp or transformer (default: ${DEFAULT-VALUE}).")
    String model = "mlp";

    @Option(names = "--vocab", description = "Vocabulary size (default: the default world's for mlp, 96 for "
        + "transformer).")
    Integer vocab;

    @Option(names = "--batch", description = "Sequences per optimizer step (default: 64 for mlp, 32 for transformer).")
    Integer batch;

    @Option(names = "--length", description = "Tokens per sequence (default: 24 for mlp, 64 for transformer).")
    Integer length;

    @Option(names = "--seconds", description = "Timed seconds per case, after warm-up (default: ${DEFAULT-VALUE}).")
    double seconds = 4;

    @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
    boolean json;

    @Override
    public void run() {
      boolean transformer = isTransformer(model);
      if (vocab == null) vocab = transformer ? 96 : World.defaults().vocabulary().size();
      if (batch == null) batch = transformer ? 32 : 64;
      if (length == null) length = transformer ? 64 : 24;
      if (vocab < 2 || batch < 1 || length < 2 || !(seconds > 0)) {
        throw new IllegalArgumentException("--vocab must be ≥ 2, --batch ≥ 1, --length ≥ 2 and --seconds > 0");
      }
      TokenModelConfig cfg = transformer ? defaultTransformer(vocab, Math.max(64, length))
          : TokenModelConfig.defaults(vocab, Vocabulary.PAD);
      List<Integer> ts = threads != null ? threads : defaultThreads();
      List<TrainBench.Result> results = new ArrayList<>();
      if (!json) {
        System.out.printf(Locale.ROOT, "%s model: %s, batch %d x %d tokens%n", model, cfg, batch, length);
        System.out.printf(Locale.ROOT, "%-10s %7s %10s %12s %14s%n", "backend", "threads", "steps", "ms/step",
            "tokens/s");
      }
      for (String name : backends != null ? backends : defaultBackends()) {
        // reference and tornado take no thread count: one row each
        for (int t : name.equals("reference") || name.equals(Backends.TORNADO) ? List.of(1) : ts) {
          try (KernelBackend be = Backends.create(name, t)) {
            TrainBench.Result r = TrainBench.run(be, cfg, batch, length, (long) (seconds * 1000));
            results.add(r);
            if (json) {
              System.out.printf(Locale.ROOT,
                  "{\"model\":\"%s\",\"backend\":\"%s\",\"threads\":%d,\"parameters\":%d,\"batch\":%d,\"length\":%d,"
                      + "\"ms_per_step\":%.3f,\"tokens_per_second\":%.1f}%n",
                  model, r.backend(), r.threads(), r.parameters(), r.batchSequences(), r.sequenceLength(), r.msPerStep(),
                  r.tokensPerSecond());
            } else {
              System.out.printf(Locale.ROOT, "%-10s %7d %10d %12.3f %14.0f%n", r.backend(), r.threads(), r.steps(),
                  r.msPerStep(), r.tokensPerSecond());
            }
          }
        }
      }
    }
  }

  /** Reads a bench command's --model: true for transformer, false for mlp; anything else is bad input. */
  static boolean isTransformer(String model) {
    return switch (model) {
      case "mlp" -> false;
      case "transformer" -> true;
      default -> throw new IllegalArgumentException("--model must be mlp or transformer, was " + model);
    };
  }

  /** The transformer bench train measures: context 64 (or the sequence length), width 64, 2 layers, 4 heads, MLP 256. */
  static TokenModelConfig defaultTransformer(int vocab, int context) {
    return TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, vocab, context, 64, 2, 4, 256, 0);
  }

  static List<String> defaultBackends() { return io.priorflow.kernels.bench.KernelBench.defaultBackends(); }

  static List<Integer> defaultThreads() { return io.priorflow.kernels.bench.KernelBench.defaultThreads(); }
}
