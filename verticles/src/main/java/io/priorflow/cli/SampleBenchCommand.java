package io.priorflow.cli;

import io.priorflow.engine.bench.SampleBench;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code priorflow bench sample}: sampled tokens per second, printed; never pass/fail. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = "Sampled tokens per second of a default model (the models of bench train) continuing a batch of "
        + "random prompts, for each backend and thread count; the transformer with and without its key/value cache.",
    footer = {"", "Examples:", "  ./priorflow bench sample --model transformer --threads 1,2",
        "  ./priorflow bench sample --model mlp --json"})
final class SampleBenchCommand implements Runnable {
  @Option(names = "--model", description = "mlp or transformer (default: ${DEFAULT-VALUE}).")
  String model = "transformer";

  @Option(names = "--backend", split = ",", description = "Backends to measure (default: java).")
  List<String> backends = List.of("java");

  @Option(names = "--threads", split = ",", description = "Thread counts for the java backend (default: 1 and all "
      + "cores).")
  List<Integer> threads;

  @Option(names = "--prompts", description = "Prompts per call (default: ${DEFAULT-VALUE}).")
  int prompts = 64;

  @Option(names = "--prompt-length", description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
  int promptLength = 8;

  @Option(names = "--new-tokens", description = "Tokens sampled per prompt (default: ${DEFAULT-VALUE}).")
  int newTokens = 48;

  @Option(names = "--seconds", description = "Timed seconds per case, after warm-up (default: ${DEFAULT-VALUE}).")
  double seconds = 4;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Override
  public void run() {
    boolean transformer = BenchCommand.isTransformer(model);
    if (prompts < 1 || promptLength < 1 || newTokens < 1 || !(seconds > 0)) {
      throw new IllegalArgumentException("--prompts, --prompt-length and --new-tokens must be ≥ 1, --seconds > 0");
    }
    TokenModelConfig cfg = transformer ? BenchCommand.defaultTransformer(96, 64)
        : TokenModelConfig.defaults(World.defaults().vocabulary().size(), Vocabulary.PAD);
    List<Integer> ts = threads != null ? threads : BenchCommand.defaultThreads();
    if (!json) {
      System.out.printf(Locale.ROOT, "%s model: %s, %d prompts of %d tokens, %d new tokens each%n", model, cfg, prompts,
          promptLength, newTokens);
      System.out.printf(Locale.ROOT, "%-10s %7s %7s %10s %12s %14s%n", "backend", "threads", "cache", "calls", "ms/call",
          "tokens/s");
    }
    for (String name : backends) {
      for (int t : name.equals("reference") || name.equals(Backends.TORNADO) ? List.of(1) : ts) {
        for (boolean cached : transformer ? List.of(true, false) : List.of(false)) {
          try (KernelBackend be = Backends.create(name, t)) {
            SampleBench.Result r = SampleBench.run(be, cfg, cached, prompts, promptLength, newTokens,
                (long) (seconds * 1000));
            if (json) {
              System.out.printf(Locale.ROOT, "{\"model\":\"%s\",\"backend\":\"%s\",\"threads\":%d,\"cached\":%b,"
                      + "\"parameters\":%d,\"prompts\":%d,\"new_tokens\":%d,\"ms_per_call\":%.3f,"
                      + "\"tokens_per_second\":%.1f}%n", model, r.backend(), r.threads(), r.cached(), r.parameters(),
                  r.prompts(), r.newTokens(), r.msPerCall(), r.tokensPerSecond());
            } else {
              System.out.printf(Locale.ROOT, "%-10s %7d %7s %10d %12.3f %14.0f%n", r.backend(), r.threads(),
                  r.cached() ? "yes" : "no", r.calls(), r.msPerCall(), r.tokensPerSecond());
            }
          }
        }
      }
    }
  }
}
