package io.priorflow.kernels.bench;

import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * GEMM throughput of each backend and thread count, in GFLOP/s (2·m·k·n floating-point operations per product).
 *
 * <p>Each case (shape × backend × threads) first runs untimed for a third of its budget (at least twice) so the JIT
 * has compiled the kernels and the pool threads are running, then times single calls until the budget is spent and
 * at least three calls were made. The reported {@code gflops} and {@code ms} are those of the <b>median</b> call,
 * which is robust on a machine shared with other work; the table also shows the best call. The reference backend is
 * single-threaded and slow: it runs once per shape, with threads = 1, and skips products above
 * {@link #REFERENCE_MAX_WORK} multiply-adds (1024³ would take seconds per call).
 *
 * <p>Output: {@link #table} for people, {@link #jsonLines} for scripts, one object per line with the fields
 * {@code shape} ("m x k x n", e.g. "512x512x512"), {@code op}, {@code backend}, {@code threads}, {@code gflops} and
 * {@code ms}, written by hand (this module has no JSON library). {@code op} tells apart products of the same shape:
 * "nn" is matmul, "nt" matmulTransB (the dense forward), "tn" matmulTransA (the weight gradient).
 * Not here: argument parsing for {@code ./priorflow bench kernels}, which lives in the verticles module; the
 * {@link #main} here is a minimal runner for use without the launcher.
 */
public final class KernelBench {
  private KernelBench() {}

  /** Products larger than this (in multiply-adds, m·k·n) are not run on the reference backend: 2²⁸ ≈ 645³. */
  public static final long REFERENCE_MAX_WORK = 1L << 28;

  /** Which product: plain, B transposed, A transposed. */
  public enum Op {
    /** C = A·B, {@link KernelBackend#matmul}: the dense backward to the input, dx = dy·W. */
    NN,
    /** C = A·Bᵀ, {@link KernelBackend#matmulTransB}: the dense forward, y = x·Wᵀ. */
    NT,
    /** C = Aᵀ·B, {@link KernelBackend#matmulTransA}: the weight gradient, dW = dyᵀ·x (k = batch). */
    TN;

    /** "nn", "nt" or "tn". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A product C(m, n) = op(A) · op(B) with inner dimension k. */
  public record Shape(int m, int k, int n, Op op) {
    public Shape {
      if (m < 1 || k < 1 || n < 1) {
        throw new IllegalArgumentException("A product shape needs m, k, n ≥ 1, was " + m + "x" + k + "x" + n);
      }
    }

    /** "512x512x512", or with the product: "256x256x192:tn". Without a suffix the product is "nn" (matmul). */
    public static Shape parse(String text) {
      String[] opSplit = text.trim().split(":");
      String[] dims = opSplit[0].split("x");
      try {
        if (dims.length != 3 || opSplit.length > 2) {
          throw new NumberFormatException();
        }
        Op op = opSplit.length == 2 ? Op.valueOf(opSplit[1].toUpperCase(Locale.ROOT)) : Op.NN;
        return new Shape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]), op);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "A product shape is m x k x n with an optional product, e.g. 512x512x512 or 256x256x192:tn "
                + "(nn, nt, tn); was '" + text + "'");
      }
    }

    /** "m x k x n" as in "512x512x512". */
    public String label() {
      return m + "x" + k + "x" + n;
    }

    /** Multiply-adds: m·k·n. */
    public long work() {
      return (long) m * k * n;
    }
  }

  /**
   * One measured case. gflops and ms are from the median call, bestGflops from the fastest; runs is the number of
   * timed calls.
   */
  public record Result(Shape shape, String backend, int threads, double gflops, double ms, double bestGflops,
                       int runs) {}

  /**
   * 128³, 256³, 512³, 1024³ (plain products), then the default token model's layers at batch 256 (widths 192 →
   * 256 → 128): the dense forwards 256x192x256 and 256x256x128 (nt), the backward to the inputs 256x128x256 and
   * 256x256x192 (nn), and the weight gradients 256x256x192 and 128x256x256 (tn, k = batch).
   */
  public static List<Shape> defaultShapes() {
    return List.of(
        new Shape(128, 128, 128, Op.NN), new Shape(256, 256, 256, Op.NN), new Shape(512, 512, 512, Op.NN),
        new Shape(1024, 1024, 1024, Op.NN),
        new Shape(256, 192, 256, Op.NT), new Shape(256, 256, 128, Op.NT),
        new Shape(256, 128, 256, Op.NN), new Shape(256, 256, 192, Op.NN),
        new Shape(256, 256, 192, Op.TN), new Shape(128, 256, 256, Op.TN));
  }

  /** 1 and, on a multi-core machine, every available processor. */
  public static List<Integer> defaultThreads() {
    int n = Runtime.getRuntime().availableProcessors();
    return n > 1 ? List.of(1, n) : List.of(1);
  }

  /** {@link #run(List, List, List, Duration, Consumer)} without progress reports. */
  public static List<Result> run(List<Shape> shapes, List<String> backends, List<Integer> threads,
                                 Duration budgetPerCase) {
    return run(shapes, backends, threads, budgetPerCase, r -> { });
  }

  /**
   * Measures every shape on every backend and thread count (the reference once, with 1 thread, and only up to
   * {@link #REFERENCE_MAX_WORK}). Backends are created through {@link Backends#create}, so an unknown name fails
   * before anything runs. Each result is also passed to onResult as soon as it is measured.
   */
  public static List<Result> run(List<Shape> shapes, List<String> backends, List<Integer> threads,
                                 Duration budgetPerCase, Consumer<Result> onResult) {
    List<String> available = Backends.names();
    for (String b : backends) {
      if (!available.contains(b)) {
        Backends.create(b, 1).close(); // throws the one-line "unknown or unavailable" message
      }
    }
    long budget = budgetPerCase.toNanos();
    List<Result> results = new ArrayList<>();
    for (String name : backends) {
      boolean reference = name.equals("reference");
      // the reference is single-threaded and tornado runs on its device: one row each, threads = 1
      for (int t : reference || name.equals(Backends.TORNADO) ? List.of(1) : threads) {
        try (KernelBackend be = Backends.create(name, t)) {
          for (Shape s : shapes) {
            if (reference && s.work() > REFERENCE_MAX_WORK) {
              continue;
            }
            Result r = measure(be, s, budget);
            results.add(r);
            onResult.accept(r);
          }
        }
      }
    }
    return results;
  }

  /** Warm-up for a third of the budget (≥ 2 calls), then timed calls until the budget is spent (≥ 3 calls). */
  private static Result measure(KernelBackend be, Shape s, long budget) {
    SplittableRandom rnd = new SplittableRandom(s.work());
    float[] a = random(rnd, s.m() * s.k());
    float[] b = random(rnd, s.k() * s.n());
    float[] c = new float[s.m() * s.n()];
    long warmEnd = System.nanoTime() + budget / 3;
    for (int i = 0; i < 2 || System.nanoTime() < warmEnd; i++) {
      call(be, s, a, b, c);
    }
    long[] times = new long[16];
    int runs = 0;
    long spent = 0;
    while (runs < 3 || spent < budget) {
      long t0 = System.nanoTime();
      call(be, s, a, b, c);
      long dt = System.nanoTime() - t0;
      if (runs == times.length) {
        times = Arrays.copyOf(times, runs * 2);
      }
      times[runs++] = dt;
      spent += dt;
    }
    long[] sorted = Arrays.copyOf(times, runs);
    Arrays.sort(sorted);
    // The median call; for an even count, the slower of the middle two (no averaging of times).
    long median = sorted[runs / 2];
    double flop = 2.0 * s.work();
    return new Result(s, be.name(), be.threads(), flop / median, median / 1e6, flop / sorted[0], runs);
  }

  private static void call(KernelBackend be, Shape s, float[] a, float[] b, float[] c) {
    switch (s.op()) {
      case NN -> be.matmul(a, b, c, s.m(), s.k(), s.n(), false);
      case NT -> be.matmulTransB(a, b, c, s.m(), s.k(), s.n(), false);
      case TN -> be.matmulTransA(a, b, c, s.m(), s.k(), s.n(), false);
    }
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** The header line of {@link #table}. */
  public static String tableHeader() {
    return String.format(Locale.ROOT, "%-14s %-3s %-10s %7s %10s %10s %10s %6s", "shape", "op", "backend", "threads",
        "GFLOP/s", "best", "ms", "runs");
  }

  /** One row of {@link #table}: the median call's GFLOP/s and ms, the best call's GFLOP/s, the timed calls. */
  public static String tableRow(Result r) {
    return String.format(Locale.ROOT, "%-14s %-3s %-10s %7d %10.1f %10.1f %10.3f %6d", r.shape().label(),
        r.shape().op().label(), r.backend(), r.threads(), r.gflops(), r.bestGflops(), r.ms(), r.runs());
  }

  /** A table with a header, one row per result; GFLOP/s and ms of the median call, "best" of the fastest. */
  public static String table(List<Result> results) {
    StringBuilder sb = new StringBuilder(tableHeader()).append('\n');
    for (Result r : results) {
      sb.append(tableRow(r)).append('\n');
    }
    return sb.toString();
  }

  /**
   * One JSON object, on one line, without a trailing newline:
   * {"shape":"512x512x512","op":"nn","backend":"java","threads":1,"gflops":123.4,"ms":2.175}.
   */
  public static String jsonLine(Result r) {
    return String.format(Locale.ROOT,
        "{\"shape\":\"%s\",\"op\":\"%s\",\"backend\":\"%s\",\"threads\":%d,\"gflops\":%.2f,\"ms\":%.4f}",
        r.shape().label(), r.shape().op().label(), jsonEscape(r.backend()), r.threads(), r.gflops(), r.ms());
  }

  /** {@link #jsonLine} per result, each ended by a newline. */
  public static String jsonLines(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    for (Result r : results) {
      sb.append(jsonLine(r)).append('\n');
    }
    return sb.toString();
  }

  /** Backend names are plain words, but a provider's name is not ours to trust. */
  private static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        sb.append('\\').append(ch);
      } else if (ch < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** The backends measured when none are named: reference and java, and tornado where a TornadoVM device is found. */
  public static List<String> defaultBackends() {
    return Backends.tornadoAvailable() ? List.of("reference", "java", Backends.TORNADO) : List.of("reference", "java");
  }

  /**
   * Runs the benchmark and prints as it goes. Arguments: {@code --json}, {@code --backends reference,java},
   * {@code --threads 1,2}, {@code --shapes 512x512x512,256x256x192:tn}, {@code --seconds 1.5} (budget per case).
   * Needs {@code --add-modules jdk.incubator.vector} on the java command line.
   */
  public static void main(String[] args) {
    boolean json = false;
    List<String> backends = defaultBackends();
    List<Integer> threads = defaultThreads();
    List<Shape> shapes = defaultShapes();
    double seconds = 1.0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--json")) {
        json = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Unknown argument or missing value: " + arg
            + " (use --json, --backends, --threads, --shapes, --seconds)");
      }
      String v = args[++i];
      switch (arg) {
        case "--backends" -> backends = List.of(v.split(","));
        case "--threads" -> threads = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
        case "--shapes" -> shapes = Arrays.stream(v.split(",")).map(Shape::parse).toList();
        case "--seconds" -> seconds = Double.parseDouble(v);
        default -> throw new IllegalArgumentException("Unknown argument: " + arg
            + " (use --json, --backends, --threads, --shapes, --seconds)");
      }
    }
    if (!json) {
      System.out.println(tableHeader());
    }
    boolean asJson = json;
    run(shapes, backends, threads, Duration.ofMillis((long) (seconds * 1000)),
        r -> System.out.println(asJson ? jsonLine(r) : tableRow(r)));
  }
}
