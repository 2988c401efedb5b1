package io.priorflow.cli;

import io.priorflow.kernels.bench.KernelBench;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code priorflow bench kernels}: GEMM GFLOP/s per shape, backend and thread count. */
@Command(
    name = "kernels",
    mixinStandardHelpOptions = true,
    description = "GFLOP/s of the matrix products training uses: 128³ … 1024³ and the default model's layer "
        + "shapes (forward, backward to inputs, weight gradients), for each backend and thread count. "
        + "Prints as it measures; GFLOP/s is the median call, 'best' the fastest.",
    footer = {"", "Examples:", "  ./priorflow bench kernels", "  ./priorflow bench kernels --backend java --threads 1 --json",
        "  ./priorflow bench kernels --shapes 512x512x512,256x256x192:tn --seconds 3"})
final class KernelBenchCommand implements Runnable {
  @Option(names = "--backend", split = ",",
      description = "Backends to measure (default: reference,java, and tornado where a TornadoVM device is found).")
  List<String> backends;

  @Option(names = "--threads", split = ",", description = "Thread counts (default: 1 and all cores). The reference "
      + "always runs on 1 thread.")
  List<Integer> threads = KernelBench.defaultThreads();

  @Option(names = "--shapes", split = ",", paramLabel = "MxKxN[:op]",
      description = "Shapes m x k x n, optionally with the op nn (A·B), nt (A·Bᵀ) or tn (Aᵀ·B); default: all.")
  List<String> shapes;

  @Option(names = "--seconds", description = "Timed seconds per case (default: ${DEFAULT-VALUE}).")
  double seconds = 1.0;

  @Option(names = "--json", description = "One JSON object per line: shape, op, backend, threads, gflops, ms.")
  boolean json;

  @Override
  public void run() {
    if (!(seconds > 0) || seconds > 600) throw new IllegalArgumentException("--seconds must be in (0, 600], was " + seconds);
    for (int t : threads) {
      if (t < 1 || t > 1024) throw new IllegalArgumentException("--threads values must be in [1, 1024], was " + t);
    }
    List<KernelBench.Shape> s = shapes == null ? KernelBench.defaultShapes()
        : shapes.stream().map(KernelBench.Shape::parse).toList();
    if (!json) System.out.println(KernelBench.tableHeader());
    KernelBench.run(s, backends != null ? backends : BenchCommand.defaultBackends(), threads, Duration.ofMillis((long) (seconds * 1000)),
        r -> System.out.println(json ? KernelBench.jsonLine(r) : KernelBench.tableRow(r)));
  }
}
